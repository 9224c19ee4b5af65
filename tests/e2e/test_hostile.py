"""Hostile input: any words after any command get a clear, valid reply and change nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.limits import LIMITER_KEY, FloodGate
from storage.exchange import dump_json, export_events
from tests.e2e.harness import Harness, assert_valid_telegram_messages

COMMANDS = [
    "/start",
    "/help",
    "/talks",
    "/incidents",
    "/statements",
    "/event",
    "/search",
    "/subscribe",
    "/unsubscribe",
    "/subscriptions",
    "/settings",
    "/reschedule",
    "/status",
    "/correct",
    "/history",
    "/revert",
    "/add",
    "/nosuchcommand",
]
NASTY = [
    "\u200f",
    "\u200b",
    "\u202e",
    "👩‍👩‍👧‍👦",
    "<b>",
    "</i>",
    "&amp;",
    "&",
    "<a href='x'>",
    "*bold*",
    "_x_",
    "`code`",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "NEAR(",
    "*",
    "2026-02-30",
    "9999999999999999999999",
    "-1",
    "0",
    "#3",
    "3",
    "abu-dhabi-trilateral-2026-02",
    "killed=-5",
    "status=bogus",
    "—",
    "--",
    "7d",
    "99x",
    "all",
    "talks",
    "incidents",
    "zone",
    "Europe/Kyiv",
    "../../etc/passwd",
    "\x00",
    "\n",
    "x" * 300,
]
words = st.lists(st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=40)), max_size=6)


def no_flood_gate(bot: Harness) -> None:
    """Hypothesis reuses one reader for every example: that is not a flood to stop."""
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)


def snapshot(bot: Harness) -> str:
    """Everything curated, and every subscription: what a hostile reader must not change."""
    subs = bot.store.db.conn.execute("SELECT * FROM subscriptions ORDER BY 1, 2, 3").fetchall()
    return dump_json(export_events(bot.store)) + json.dumps(subs)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), args=words)
async def test_hostile_commands_get_valid_replies_and_change_nothing(
    bot: Harness, command: str, args: list[str]
) -> None:
    no_flood_gate(bot)
    before = snapshot(bot)
    text = " ".join([command, *args])[:4096]
    sent = await bot.say(text, chat_id=666, user_id=666)
    # A reader (not a curator) changes no record; subscriptions only via /subscribe forms,
    # which this chat then undoes, so the store is as before.
    await bot.say("/unsubscribe all", chat_id=666, user_id=666)
    bot.store.db.conn.execute("DELETE FROM subscriptions WHERE chat_id = 666")
    assert snapshot(bot) == before
    assert_valid_telegram_messages(bot.fake)
    assert all(m.text.strip() for m in sent)
    assert sent, f"no answer to {text!r}"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.text(min_size=1, max_size=64).filter(lambda d: len(d.encode()) <= 64))
async def test_forged_callback_data_changes_nothing(bot: Harness, data: str) -> None:
    no_flood_gate(bot)
    [listing] = await bot.say("/statements", chat_id=667, user_id=667)
    before = snapshot(bot)
    await bot.forge_press(listing, data, user_id=667)
    assert snapshot(bot) == before
    assert_valid_telegram_messages(bot.fake)
