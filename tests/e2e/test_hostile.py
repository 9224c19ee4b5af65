"""Hostile input: any words after any command get a clear, valid reply and change nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.catalogue import text
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


HOSTILE = 666
# Replies that report a change to the chat's own subscriptions or settings: the only change
# a reader may make, and only to their own chat.
CONFIRMATIONS = tuple(
    text(key).split("{")[0]
    for key in (
        "subscribed",
        "subscribed_all",
        "unsubscribed",
        "unsubscribed_all",
        "settings_zone_set",
        "settings_reminders_set",
    )
)


def chat_state(bot: Harness, chat_id: int | None = None) -> str:
    """Subscriptions and reading settings of one chat, or of every other chat."""
    where, params = ("= ?", (chat_id,)) if chat_id is not None else ("!= ?", (HOSTILE,))
    conn = bot.store.db.conn
    subs = conn.execute(
        f"SELECT chat_id, topic, region, region_label FROM subscriptions WHERE chat_id {where} "
        "ORDER BY 1, 2, 3",
        params,
    ).fetchall()
    settings = conn.execute(
        f"SELECT id, type, active, zone, reminders FROM chats WHERE id {where} ORDER BY id",
        params,
    ).fetchall()
    return json.dumps([subs, settings])


def snapshot(bot: Harness) -> str:
    """Everything curated, and every chat's subscriptions and settings."""
    return dump_json(export_events(bot.store)) + chat_state(bot) + chat_state(bot, HOSTILE)


def restore_chat(bot: Harness, state: str) -> None:
    """Put the hostile chat back as it was, for the next example (after the comparison)."""
    subs, settings = json.loads(state)
    conn = bot.store.db.conn
    conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (HOSTILE,))
    for chat_id, topic, region, label in subs:
        conn.execute(
            "INSERT INTO subscriptions (chat_id, topic, region, region_label, created_at) "
            "VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')",
            (chat_id, topic, region, label),
        )
    for chat_id, chat_type, active, zone, reminders in settings:
        conn.execute(
            "UPDATE chats SET type = ?, active = ?, zone = ?, reminders = ? WHERE id = ?",
            (chat_type, active, zone, reminders, chat_id),
        )
    conn.commit()


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
    await bot.say("/start", chat_id=HOSTILE, user_id=HOSTILE)  # the chat exists from here on
    before, own_before = snapshot(bot), chat_state(bot, HOSTILE)
    text_sent = " ".join([command, *args])[:4096]
    try:
        sent = await bot.say(text_sent, chat_id=HOSTILE, user_id=HOSTILE)
        assert sent, f"no answer to {text_sent!r}"
        assert all(m.text.strip() for m in sent)
        assert_valid_telegram_messages(bot.fake)
        if any(m.text.startswith(CONFIRMATIONS) for m in sent):
            # A reader may change their own chat's subscriptions and settings, and said so;
            # no record and no other chat.
            assert (
                dump_json(export_events(bot.store)) + chat_state(bot) == before[: -len(own_before)]
            )
        else:
            assert snapshot(bot) == before
    finally:
        restore_chat(bot, own_before)  # each example starts from the same chat


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
