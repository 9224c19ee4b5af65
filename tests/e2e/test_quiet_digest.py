"""Quiet hours, the daily digest and silent delivery, end to end through the stand-in.

The clock is the tests' own (tests/conftest.py Clock), read by the store, the outbox and the
rules; the JobQueue's digest jobs are fired through PTB's own Job.run at the moment the clock
is set to. Nothing here sleeps or reads the wall clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import RUNTIME_KEY, Runtime, start_background, stop_background
from bot.reminders import Reminders, plan
from standin import FakeTelegram, SentMessage
from storage.db import connect
from storage.events import EventStore
from storage.held import Holds
from storage.schedule import RescheduleRequest, reschedule
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import Harness, assert_valid_telegram_messages, make_harness
from tests.e2e.test_alerts import ABU_DHABI, drain, move_abu_dhabi, subscribe

KYIV = ZoneInfo("Europe/Kyiv")
QUIET, LOUD = 1001, 1002


def kyiv(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in January 2026 on a Kyiv clock, as the UTC instant the store uses."""
    return datetime(2026, 1, day, hour, minute, tzinfo=KYIV).astimezone(UTC)


def move_again(bot: Harness) -> None:
    reschedule(
        bot.store,
        ABU_DHABI,
        RescheduleRequest("2026-02-09", "2026-02-10", reason="Venue not ready"),
        author="os:test",
    )


def to(bot: Harness, chat_id: int, since: int) -> list[SentMessage]:
    return [m for m in bot.fake.sent[since:] if m.chat_id == chat_id]


def silenced(message: SentMessage) -> bool:
    return bool(message.params.get("disable_notification"))


def holds(bot: Harness) -> Holds:
    return Holds(bot.store.db, bot.store.clock, "Europe/Kyiv")


def incident(
    event_id: str, place: str, region: str, injured: int, killed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A strike reported in `place` on 20 January 2026, with its figures."""
    return {
        "id": event_id,
        "kind": "incident",
        "title": f"Strike on {place}",
        "status": "reported",
        "start": "2026-01-20",
        "timezone": "Europe/Kyiv",
        "place": place,
        "region": region,
        "country": "Ukraine",
        "killed": killed,
        "injured": {"count": injured, "qualifier": "exact"},
        "sources": [{"name": "Regional administration"}],
    }


async def quiet_off(bot: Harness, chat_id: int, **kwargs: Any) -> tuple[str, SentMessage]:
    """End the chat's quiet hours: the reply, and the one catch-up delivered after it."""
    before = len(bot.fake.sent)
    off = await bot.reply_to("/quiet off", chat_id=chat_id, **kwargs)
    await drain(bot)
    [catch_up] = to(bot, chat_id, before + 1)
    return off, catch_up


@pytest.fixture
async def running(bot: Harness) -> AsyncIterator[Runtime]:
    """The bot's start-up as `sitrep run` does it (jobs planned from the store, missed
    digests made), with its real-time delivery engine stopped: tests drain with their own."""
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    await start_background(bot.app)
    runtime: Runtime = bot.app.bot_data[RUNTIME_KEY]
    await runtime.started.wait()  # start-up's writes (missed digests among them) are done
    assert runtime.engine is not None
    await runtime.engine.stop()
    yield runtime
    await stop_background(bot.app)
    await queue.stop(wait=False)


async def fire_digest(bot: Harness, chat_id: int) -> None:
    """Run the chat's digest job, as the JobQueue does when its time comes, and deliver what
    it made."""
    queue = bot.app.job_queue
    assert queue is not None
    [job] = queue.get_jobs_by_name(f"digest:{chat_id}")
    await job.run(bot.app)
    await drain(bot)


# --- quiet hours ---------------------------------------------------------------------------


async def test_quiet_chat_gets_nothing_while_others_are_alerted_then_one_catch_up(
    bot: Harness, clock: Clock
) -> None:
    clock.now = kyiv(21, 0, 30)
    await subscribe(bot, QUIET, "talks")
    await subscribe(bot, LOUD, "talks")
    set_reply = await bot.reply_to("/quiet 23:00-07:00", chat_id=QUIET)
    assert "23:00-07:00" in set_reply and "07:00" in set_reply
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    move_again(bot)
    await drain(bot)
    assert len(to(bot, LOUD, before)) == 2  # the other subscriber is told of each move at once
    assert to(bot, QUIET, before) == []
    assert bot.outbox.sent_to(QUIET) == []

    before = len(bot.fake.sent)
    off = await bot.reply_to("/quiet off", chat_id=QUIET)
    assert "in one message" in off
    await drain(bot)
    [catch_up] = to(bot, QUIET, before + 1)
    assert "While you were away" in catch_up.text
    # The round's latest schedule, from the dates it had before the first held move.
    assert "was Wed 4 – Thu 5 Feb, now Mon 9 – Tue 10 Feb" in catch_up.text
    assert "Fri 6" not in catch_up.text  # not every intermediate move
    assert "2 changes" in catch_up.text
    assert "2 updates" in catch_up.text
    assert sorted(bot.outbox.sent_to(QUIET)) == sorted(bot.outbox.sent_to(LOUD))
    # Told once: nothing more is owed.
    await drain(bot)
    assert len(to(bot, QUIET, before + 1)) == 1


async def test_the_window_ending_brings_the_catch_up_across_midnight(
    bot: Harness, clock: Clock
) -> None:
    clock.now = kyiv(20, 23, 30)
    await subscribe(bot, QUIET, "talks")
    await bot.say("/quiet 23:00-07:00", chat_id=QUIET)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    clock.now = kyiv(21, 6, 59)
    await drain(bot)
    assert to(bot, QUIET, before) == []  # past midnight, still quiet
    clock.now = kyiv(21, 7, 0)
    await drain(bot)
    [catch_up] = to(bot, QUIET, before)
    assert "While you were away</b> (23:00-07:00)" in catch_up.text
    assert "now Fri 6 – Sat 7 Feb" in catch_up.text
    assert not silenced(catch_up)  # the window is over: it may ring


async def test_outside_quiet_hours_alerts_come_at_once(bot: Harness, clock: Clock) -> None:
    clock.now = kyiv(20, 14, 0)
    await subscribe(bot, QUIET, "talks")
    await bot.say("/quiet 23:00-07:00", chat_id=QUIET)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    [alert] = to(bot, QUIET, before)
    assert "Fri 6 – Sat 7 Feb" in alert.text and not silenced(alert)


async def test_catch_up_groups_incidents_by_area_with_totals(bot: Harness, clock: Clock) -> None:
    clock.now = kyiv(21, 1, 0)
    await subscribe(bot, QUIET, "incidents")
    await bot.say("/quiet 23:00-07:00", chat_id=QUIET)
    made = [
        ("zap-1", "Zaporizhzhia", "Zaporizhzhia Oblast", {"count": 3, "qualifier": "exact"}, 4),
        ("zap-2", "Vilniansk", "Zaporizhzhia Oblast", {"count": 2, "qualifier": "at_least"}, 3),
        ("kha-1", "Kharkiv", "Kharkiv Oblast", None, 1),
    ]
    for event_id, place, region, killed, injured in made:
        bot.store.create(incident(event_id, place, region, injured, killed), author="os:test")
    await drain(bot)
    _, catch_up = await quiet_off(bot, QUIET)
    text = catch_up.text
    assert "<b>Zaporizhzhia Oblast</b>: 2 incidents · Killed: at least 5 · Injured: 7" in text
    assert "<b>Kharkiv Oblast</b>: 1 incident · Injured: 1" in text
    assert text.index("Zaporizhzhia Oblast") < text.index("Kharkiv Oblast")
    assert "Strike on Vilniansk" in text and "3 updates" in text


async def test_a_long_catch_up_comes_in_parts_each_once_even_after_a_429(
    bot: Harness, clock: Clock
) -> None:
    clock.now = kyiv(21, 1, 0)
    await subscribe(bot, QUIET, "incidents")
    await bot.say("/quiet 23:00-07:00", chat_id=QUIET)
    for area in range(30):
        for n in range(4):
            bot.store.create(
                {
                    "id": f"strike-{area}-{n}",
                    "kind": "incident",
                    "title": f"Strike number {n} on a settlement of area {area} " + "x" * 140,
                    "status": "reported",
                    "start": "2026-01-20",
                    "timezone": "Europe/Kyiv",
                    "region": f"Area {area:02d} Oblast",
                    "country": "Ukraine",
                    "killed": {"count": n, "qualifier": "exact"},
                    "sources": [{"name": "Wire"}],
                },
                author="os:test",
            )
    await drain(bot)
    before = len(bot.fake.sent)
    await bot.say("/quiet off", chat_id=QUIET)

    def after_the_first_part(message: SentMessage) -> None:
        if message.chat_id == QUIET and "While you were away" in message.text:
            bot.fake.fail_next(
                "sendMessage",
                error_code=429,
                description="Too Many Requests: retry after 2",
                retry_after=2,
                chat_id=QUIET,
            )

    bot.fake.listeners.append(after_the_first_part)
    await drain(bot)
    parts = [m.text for m in to(bot, QUIET, before + 1)]
    assert len(parts) >= 5  # about 24,000 characters, within 4,096 each (checked on exit)
    assert "While you were away" in parts[0] and "/event N" in parts[-1]
    assert len(set(parts)) == len(parts)  # the 429 repeated nothing
    whole = "\n".join(parts)
    assert all(f"<b>Area {area:02d} Oblast</b>: 4 incidents" in whole for area in range(30))
    assert "120 updates" in parts[0]
    assert len(bot.outbox.sent_to(QUIET)) == 120
    assert any(e[2] == 429 for e in bot.fake.errors_returned)


async def test_reminders_and_a_round_within_48_hours_come_silently_in_quiet_hours(
    bot: Harness, clock: Clock
) -> None:
    await subscribe(bot, QUIET, "talks")
    await bot.say("/quiet 21:00-07:00", chat_id=QUIET)
    queue = bot.app.job_queue
    assert queue is not None
    reminders = Reminders(queue, bot.store.db, clock, lambda: None)
    # Abu Dhabi's round begins 4 Feb in Abu Dhabi (3 Feb 20:00 UTC); its day-before
    # reminder falls at 22:00 on 2 Feb in Kyiv, inside the window.
    [item] = plan(bot.store.db, clock.now)
    assert item.at == datetime(2026, 2, 2, 22, tzinfo=KYIV).astimezone(UTC)
    clock.now = item.at
    before = len(bot.fake.sent)
    assert reminders.remind(item) is not None
    bot.store.update(ABU_DHABI, {"status": "cancelled"}, author="os:test", reason="called off")
    await drain(bot)
    sent = to(bot, QUIET, before)
    assert [("In 1d" in m.text, "cancelled" in m.text) for m in sent] == [
        (True, False),  # the reminder, then the cancellation: both at once
        (False, True),
    ]
    assert all(silenced(m) for m in sent)
    held = bot.store.db.conn.execute("SELECT count(*) FROM deliveries WHERE held IS NOT NULL")
    assert held.fetchone() == (0,)


async def test_a_round_days_away_is_held_in_quiet_hours(bot: Harness, clock: Clock) -> None:
    await subscribe(bot, QUIET, "talks")
    await bot.say("/quiet 21:00-07:00", chat_id=QUIET)
    clock.now = datetime(2026, 2, 1, 22, tzinfo=KYIV).astimezone(UTC)  # 70 hours before
    before = len(bot.fake.sent)
    bot.store.update(ABU_DHABI, {"status": "cancelled"}, author="os:test", reason="called off")
    await drain(bot)
    assert to(bot, QUIET, before) == []


# --- daily digest --------------------------------------------------------------------------


async def test_digest_chat_gets_no_instant_alert_and_at_its_time_a_digest_with_the_move(
    bot: Harness, clock: Clock, running: Runtime
) -> None:
    clock.now = kyiv(20, 14, 0)
    await subscribe(bot, QUIET, "talks")
    await subscribe(bot, LOUD, "talks")
    answer = await bot.reply_to("/digest 08:00", chat_id=QUIET)
    assert "Daily digest at 08:00 (Kyiv time)" in answer
    assert running.digests is not None
    next_run = running.digests.next_run(QUIET)
    assert next_run is not None and next_run.astimezone(KYIV).strftime("%H:%M") == "08:00"
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [LOUD]

    clock.now = kyiv(21, 8, 0)
    await fire_digest(bot, QUIET)
    [digest] = to(bot, QUIET, before)
    assert "Daily digest" in digest.text and "since Tue 20 Jan, 14:00 (Kyiv)" in digest.text
    assert "was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in digest.text

    # A day without changes: no digest at all.
    clock.now = kyiv(22, 8, 0)
    await fire_digest(bot, QUIET)
    assert len(to(bot, QUIET, before)) == 1


async def test_digest_covers_new_incidents_statements_and_corrections(
    bot: Harness, clock: Clock, running: Runtime
) -> None:
    clock.now = kyiv(20, 14, 0)
    await subscribe(bot, QUIET, "all")
    await bot.say("/digest 08:00", chat_id=QUIET)
    bot.store.create(
        {
            "id": "kherson-strike",
            "kind": "incident",
            "title": "Shelling of Kherson",
            "status": "reported",
            "start": "2026-01-20",
            "timezone": "Europe/Kyiv",
            "place": "Kherson",
            "region": "Kherson Oblast",
            "country": "Ukraine",
            "killed": {"count": 2, "qualifier": "exact"},
            "injured": {"count": 9, "qualifier": "about"},
            "sources": [{"name": "Regional administration"}],
        },
        author="os:test",
    )
    bot.store.create(
        {
            "id": "fresh-statement",
            "kind": "statement",
            "title": "Spokesperson on talks",
            "start": "2026-01-20",
            "timezone": "Europe/Kyiv",
            "speaker": "A Spokesperson",
            "quote": "We are ready to meet.",
            "sources": [{"name": "Wire"}],
        },
        author="os:test",
    )
    # A correction to an incident told before the digest started (seed #5, Zaporizhzhia).
    bot.store.db.execute(
        "INSERT INTO alerts (event_id, kind, topic, sequence, created_at, fanned_out_at) "
        "SELECT id, 'incident_new', 'incidents', sequence, '2026-01-19T00:00:00Z', "
        "'2026-01-19T00:00:00Z' FROM events WHERE number = 5"
    )
    bot.store.update(5, {"injured": {"count": 8, "qualifier": "exact"}}, author="os:test")
    bot.store.update(ABU_DHABI, {"status": "held"}, author="os:test", reason="it took place")
    await drain(bot)
    before = len(bot.fake.sent)
    clock.now = kyiv(21, 8, 0)
    await fire_digest(bot, QUIET)
    [digest] = to(bot, QUIET, before)
    text = digest.text
    assert "held (was postponed)" in text
    assert "<b>Kherson Oblast</b>: 1 incident · Killed: 2 · Injured: about 9" in text
    assert "A Spokesperson</b>: “We are ready to meet.”" in text
    assert "Injured: was 6, now 8" in text
    assert text.index("<b>Talks</b>") < text.index("<b>Incidents</b>")
    assert text.index("<b>Statements</b>") < text.index("<b>Corrections</b>")


async def test_digest_off_returns_to_instant_alerts_and_tells_what_was_gathered(
    bot: Harness, clock: Clock, running: Runtime
) -> None:
    clock.now = kyiv(20, 14, 0)
    await subscribe(bot, QUIET, "talks")
    await bot.say("/digest 08:00", chat_id=QUIET)
    move_abu_dhabi(bot)
    await drain(bot)
    before = len(bot.fake.sent)
    assert "comes now" in await bot.reply_to("/digest off", chat_id=QUIET)
    queue = bot.app.job_queue
    assert queue is not None
    assert queue.get_jobs_by_name(f"digest:{QUIET}") == [] or all(
        j.removed for j in queue.get_jobs_by_name(f"digest:{QUIET}")
    )
    await drain(bot)
    [digest] = to(bot, QUIET, before + 1)
    assert "Fri 6 – Sat 7 Feb" in digest.text
    before = len(bot.fake.sent)
    move_again(bot)
    await drain(bot)
    [alert] = to(bot, QUIET, before)
    assert "now Mon 9 – Tue 10 Feb" in alert.text and "Daily digest" not in alert.text


# --- silent delivery -----------------------------------------------------------------------


async def test_silent_chat_gets_every_alert_with_disable_notification(
    bot: Harness, clock: Clock
) -> None:
    await subscribe(bot, QUIET, "talks")
    await subscribe(bot, LOUD, "talks")
    assert "without sound" in await bot.reply_to("/settings silent on", chat_id=QUIET)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    [quiet] = to(bot, QUIET, before)
    [loud] = to(bot, LOUD, before)
    assert quiet.params.get("disable_notification") is True
    assert "disable_notification" not in loud.params
    await bot.say("/settings silent off", chat_id=QUIET)
    before = len(bot.fake.sent)
    move_again(bot)
    await drain(bot)
    [again] = to(bot, QUIET, before)
    assert not silenced(again)


# --- settings, help, groups, hostile input -------------------------------------------------


async def test_settings_and_help_show_the_new_settings(bot: Harness) -> None:
    shown = await bot.reply_to("/settings")
    assert "Quiet hours: off" in shown and "Daily digest: off" in shown
    assert "Silent alerts: off" in shown
    await bot.say("/quiet 22:30-06:15")
    await bot.say("/digest 7:45")
    await bot.say("/settings silent on")
    shown = await bot.reply_to("/settings")
    assert "Quiet hours: 22:30-06:15" in shown and "Daily digest: 07:45" in shown
    assert "Silent alerts: on" in shown
    assert "22:30-06:15" in await bot.reply_to("/quiet")
    assert "07:45" in await bot.reply_to("/digest")
    help_text = await bot.reply_to("/help")
    assert "/quiet" in help_text and "/digest" in help_text and "silent" in help_text


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/quiet 25:00-07:00", "<code>25:00</code> is not a time of day"),
        ("/quiet 23:00", "Give a start and an end"),
        ("/quiet 23:00-23:00", "an end that differs from their start"),
        ("/quiet 23:00-07:00-09:00", "Give a start and an end"),
        ("/quiet 23:60-07:00", "<code>23:60</code> is not a time of day"),
        ("/quiet <b>x</b>-07:00", "<code>&lt;b&gt;x&lt;/b&gt;</code> is not a time"),
        ("/quiet maybe", "Give a start and an end"),
        ("/digest 8", "<code>8</code> is not a time of day"),
        ("/digest 08:00 09:00", "is not a time of day"),
        ("/digest 24:00", "<code>24:00</code> is not a time of day"),
        ("/settings silent maybe", "/settings silent on"),
        ("/settings silent", "/settings silent on"),
    ],
)
async def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    bot: Harness, command: str, answer: str
) -> None:
    await bot.say("/quiet 22:00-06:00")
    await bot.say("/digest 09:00")
    before = holds(bot).prefs(QUIET)
    reply = await bot.reply_to(command)
    assert answer in reply
    assert "Nothing was changed" in reply or "usage" not in reply
    assert holds(bot).prefs(QUIET) == before


async def test_in_a_group_only_administrators_change_delivery_settings(bot: Harness) -> None:
    group = -100777
    bot.fake.admins[group] = {7}
    for command in ("/quiet 23:00-07:00", "/digest 08:00", "/settings silent on"):
        refused = await bot.reply_to(command, chat_id=group, user_id=8)
        assert "Only this group's administrators" in refused
    assert holds(bot).prefs(group) == holds(bot).prefs(999_999)  # nothing set
    assert "No quiet hours" in await bot.reply_to("/quiet", chat_id=group, user_id=8)
    await bot.say("/quiet 23:00-07:00", chat_id=group, user_id=7)
    await bot.say("/settings silent on", chat_id=group, user_id=7)
    prefs = holds(bot).prefs(group)
    assert str(prefs.quiet) == "23:00-07:00" and prefs.silent


# --- restarts ------------------------------------------------------------------------------


def file_store(path: Path, clock: Clock) -> EventStore:
    store = EventStore(connect(path), clock=clock)
    load_seed_if_empty(store)
    return store


async def _session(
    path: Path,
    clock: Clock,
    telegram: FakeTelegram,
    actions: Callable[[Harness], Awaitable[object]],
    *,
    start: bool = False,
) -> None:
    """One run of the bot on the database file: start, act, stop, close. Telegram (the
    stand-in) outlives it, as the real one outlives a restart of the bot."""
    store = file_store(path, clock)
    bot = make_harness(store, clock, fake=telegram)
    async with bot.app:
        queue = bot.app.job_queue
        assert queue is not None
        if start:
            await queue.start()
            await start_background(bot.app)
            runtime: Runtime = bot.app.bot_data[RUNTIME_KEY]
            await runtime.started.wait()
            assert runtime.engine is not None
            await runtime.engine.stop()
        try:
            await actions(bot)
        finally:
            if start:
                await stop_background(bot.app)
                await queue.stop(wait=False)
            for engine in bot.engines:
                await engine.stop()
    assert_valid_telegram_messages(bot.fake)
    store.db.close()


async def test_held_alerts_survive_a_restart_and_come_when_the_window_ends(
    tmp_path: Path, clock: Clock
) -> None:
    path, telegram = tmp_path / "sitrep.db", FakeTelegram()
    clock.now = kyiv(21, 0, 30)

    async def before_restart(bot: Harness) -> None:
        await subscribe(bot, QUIET, "talks")
        await bot.say("/quiet 23:00-07:00", chat_id=QUIET)
        move_abu_dhabi(bot)
        await drain(bot)

    await _session(path, clock, telegram, before_restart)
    told = len(telegram.sent)
    assert telegram.sent[-1].text.startswith("Quiet hours")

    clock.now = kyiv(21, 5, 0)  # still quiet
    await _session(path, clock, telegram, drain)
    assert len(telegram.sent) == told

    clock.now = kyiv(21, 7, 30)  # morning
    await _session(path, clock, telegram, drain)
    [catch_up] = telegram.sent[told:]
    assert catch_up.chat_id == QUIET and "now Fri 6 – Sat 7 Feb" in catch_up.text


async def test_a_digest_missed_while_down_is_sent_once_at_start(
    tmp_path: Path, clock: Clock
) -> None:
    path, telegram = tmp_path / "sitrep.db", FakeTelegram()
    clock.now = kyiv(20, 14, 0)

    async def before_restart(bot: Harness) -> None:
        await subscribe(bot, QUIET, "talks")
        await bot.say("/digest 08:00", chat_id=QUIET)
        await drain(bot)

    await _session(path, clock, telegram, before_restart, start=True)
    told = len(telegram.sent)
    # While the bot is down, another process moves the round.
    down = file_store(path, clock)
    reschedule(down, ABU_DHABI, RescheduleRequest("2026-02-06", "2026-02-07"), author="os:t")
    down.db.close()

    clock.now = kyiv(21, 9, 30)  # 08:00 passed while it was down
    await _session(path, clock, telegram, drain, start=True)
    [digest] = telegram.sent[told:]
    assert digest.chat_id == QUIET and "Daily digest" in digest.text
    assert "now Fri 6 – Sat 7 Feb" in digest.text

    clock.now = kyiv(21, 10, 0)  # started again: that digest is not made twice
    await _session(path, clock, telegram, drain, start=True)
    assert len(telegram.sent) == told + 1
