"""Regressions found in review: each test failed before its fix."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.app import start_background, stop_background
from handlers.common import toast_text
from storage.db import connect
from storage.events import EventStore
from storage.schedule import RescheduleRequest, reschedule
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import (
    Harness,
    VirtualTime,
    assert_valid_telegram_messages,
    buttons,
    make_harness,
)
from tests.e2e.test_alerts import ABU_DHABI, drain, move_abu_dhabi, subscribe


async def test_an_alert_announces_its_change_even_if_the_record_moved_again(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    move_abu_dhabi(bot)  # to 6-7 Feb...
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-02-04", "2026-02-05"), author="t")
    before = len(bot.fake.sent)
    await drain(bot)
    first, second = (m.text for m in bot.fake.sent[before:])
    assert "was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in first
    assert "was Fri 6 – Sat 7 Feb, now Wed 4 – Thu 5 Feb" in second


async def test_an_endless_reason_is_clipped_not_refused_by_telegram(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    reschedule(
        bot.store, ABU_DHABI, RescheduleRequest("2026-02-06", reason="why " * 3000), author="t"
    )
    before = len(bot.fake.sent)
    await drain(bot)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [1001]


async def test_the_old_date_keeps_its_old_precision(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-03-20T10:00:00+04:00"), author="t")
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-04"), author="t")
    before = len(bot.fake.sent)
    await drain(bot)
    last = bot.fake.sent[before:][-1].text
    assert "was Fri 20 Mar, 08:00 (Kyiv), now Apr 2026" in last  # 10:00 in Abu Dhabi


async def test_venue_time_is_escaped_once(bot: Harness) -> None:
    bot.store.update(
        ABU_DHABI,
        {
            "place": "Palace & Hotel",
            "start": "2026-02-04T10:00:00+04:00",
            "end": None,
            "time_precision": "exact",
        },
        author="t",
    )
    text = await bot.reply_to("/talks")
    assert "Palace &amp; Hotel" in text and "&amp;amp;" not in text


async def test_first_announced_dates_survive_a_move_of_the_end_only(bot: Harness) -> None:
    bot.store.update(ABU_DHABI, {"start": "2026-03-10", "end": None}, author="t")
    bot.store.update(ABU_DHABI, {"start": "2026-03-12"}, author="t")
    bot.store.update(ABU_DHABI, {"end": "2026-03-13"}, author="t")
    text = await bot.reply_to("/event 3")
    assert "was 1 Feb, now 12–13 Mar" in text


async def test_a_timed_start_with_a_day_end_shows_both(bot: Harness) -> None:
    bot.store.update(
        ABU_DHABI,
        {"start": "2026-02-04T10:00:00+04:00", "end": "2026-02-05", "time_precision": "exact"},
        author="t",
    )
    assert "Wed 4 Feb, 08:00 (Kyiv) – Thu 5 Feb" in await bot.reply_to("/talks")


async def test_group_chatter_does_not_count_as_flooding(bot: Harness) -> None:
    group = {"chat_id": -100321, "user_id": 9, "chat_type": "supergroup"}
    for _ in range(30):
        assert await bot.say("lol", **group) == []
    assert "Abu Dhabi" in await bot.reply_to(f"/talks@{bot.fake.username}", **group)


async def test_being_blocked_deactivates_instead_of_reviving(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    raw = bot.fake.message_update("/start", chat_id=1001)
    message = raw["message"]
    update = {
        "update_id": 99_999,
        "my_chat_member": {
            "chat": message["chat"],
            "from": message["from"],
            "date": message["date"],
            "old_chat_member": {"status": "member", "user": bot.fake.bot_user()},
            "new_chat_member": {
                "status": "kicked",
                "user": bot.fake.bot_user(),
                "until_date": 0,
            },
        },
    }
    await bot.feed(update)
    assert not bot.chats.settings(1001).active


async def test_migrating_onto_a_known_chat_moves_every_delivery(bot: Harness) -> None:
    old, new = -555, -100555
    bot.subscribe(old, "group", "talks")
    bot.subscribe(new, "supergroup", "talks")
    move_abu_dhabi(bot)
    bot.outbox.fan_out(bot.outbox.unfanned()[0].id)
    bot.chats.migrate(old, new)
    rows = bot.store.db.conn.execute("SELECT chat_id, state FROM deliveries").fetchall()
    assert rows == [(new, "pending")]


async def test_subscribing_while_running_plans_reminders(bot: Harness) -> None:
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    await start_background(bot.app)
    try:
        names = lambda: {j.name for j in queue.jobs() if (j.name or "").startswith("reminder:")}  # noqa: E731
        assert names() == set()
        await bot.say("/subscribe talks")
        assert names() == {f"reminder:{ABU_DHABI}:1440"}
        await bot.say("/settings reminders 48h")
        assert names() == {f"reminder:{ABU_DHABI}:2880"}
    finally:
        await stop_background(bot.app)
        await queue.stop(wait=False)


async def test_extreme_dates_and_periods_get_clear_answers(bot: Harness) -> None:
    assert "period" in await bot.reply_to("/incidents 9999y")
    text = await bot.reply_to("/reschedule 3 9999-12-31", chat_id=4242, user_id=4242)
    assert "1900-2100" in text
    assert "Something went wrong" not in text


async def test_a_locked_database_after_a_send_does_not_send_twice(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "locked.db"
    store = EventStore(connect(path), clock=clock)
    load_seed_if_empty(store)
    bot = make_harness(store, clock)
    async with bot.app:
        bot.subscribe(1001, "private", "talks")
        move_abu_dhabi(bot)
        other = sqlite3.connect(path)
        # The engine's store thread waits 50 ms for the lock, not 5 s.
        engine = bot.engine(VirtualTime(), busy_timeout=0.05)
        await engine.fan_out_new()
        # Another writer holds the lock while the send completes: the record must wait.
        other.execute("BEGIN IMMEDIATE")
        await engine.cycle()
        await asyncio.gather(*list(engine.tasks))
        assert engine.unrecorded
        await engine.cycle()  # still locked: nothing is sent again
        other.execute("ROLLBACK")
        other.close()
        await engine.cycle()  # the lock is free: this pass records the send
        assert not engine.unrecorded
        await engine.stop()
        sent = [m for m in bot.fake.sent if m.chat_id == 1001]
        assert len(sent) == 1
        state = store.db.conn.execute("SELECT state FROM deliveries").fetchall()
        assert state == [("sent",)]
    assert_valid_telegram_messages(bot.fake)
    store.db.close()


async def test_a_search_starting_with_a_tilde_pages_like_any_other(bot: Harness) -> None:
    for n in range(7):
        bot.store.create(
            {
                "id": f"tilde-{n}",
                "kind": "statement",
                "title": f"Statement {n} about ~approximately",
                "start": "2026-01-19",
                "timezone": "Europe/Kyiv",
                "speaker": "Spokesperson",
                "quote": "~approximately nothing",
                "sources": [{"name": "Wire"}],
            },
            author="t",
        )
    [first] = await bot.say("/search ~approximately")
    [(_, data)] = [b for b in buttons(first) if b[0].startswith("Next")]
    [edited] = await bot.press(first, data)
    assert "Spokesperson" in edited.text and edited.text != first.text


async def test_a_button_answer_shows_an_area_as_typed_not_as_html(bot: Harness) -> None:
    # An area is subscribed to only when a place or a record is in it: put one there.
    with bot.store.muted():
        bot.store.create(
            {
                "id": "kherson-and-mykolaiv",
                "kind": "incident",
                "title": "Strikes on both oblasts",
                "status": "reported",
                "start": "2026-01-19",
                "timezone": "Europe/Kyiv",
                "region": "Kherson & <Mykolaiv>",
                "sources": [{"name": "Test"}],
            },
            author="t",
        )
    assert "Subscribed" in await bot.reply_to("/subscribe incidents Kherson & <Mykolaiv>")
    [listing] = await bot.say("/subscriptions")
    [(_, data)] = buttons(listing)
    await bot.press(listing, data)
    toast = bot.fake.callback_answers[-1]["text"]
    assert toast == "Stopped incident alerts in Kherson & <Mykolaiv>."  # a toast is plain text


def test_a_button_answer_is_cut_to_200_utf16_units() -> None:
    long = toast_text("<b>Note</b>: " + "😀" * 150)
    assert long.startswith("Note: 😀") and long.endswith("…")
    assert len(long.encode("utf-16-le")) // 2 <= 200
    assert toast_text("R&amp;D &lt;b&gt;") == "R&D <b>"
