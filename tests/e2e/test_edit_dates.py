"""/reschedule and /correct start= end= read dates as /add does: today, yesterday, tomorrow
(and сьогодні, вчора, завтра), local times without an offset read in the record's zone (the
zone typed in the same /correct, else the record's own), a skipped hour refused, a repeated
hour its first time; the preview says which zone, and flags doubtful new dates."""

from __future__ import annotations

from typing import Any

import pytest

from standin import SentMessage
from storage.exchange import dump_json, export_events
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, buttons

UK = {"language_code": "uk"}
ABU_DHABI = "abu-dhabi-trilateral-2026-02"  # #3: Asia/Dubai, postponed, 4-5 Feb, day precision
DTEK = "dtek-bus-strike-dnipro-2026"  # #4: Europe/Kyiv, approximate


def snapshot(bot: Harness) -> str:
    return dump_json(export_events(bot.store))


def pending_rows(bot: Harness) -> list[tuple[int, str]]:
    return bot.store.db.conn.execute("SELECT id, state FROM pending_changes ORDER BY id").fetchall()


async def curator(bot: Harness, command: str, **kwargs: Any) -> SentMessage:
    sent = await bot.say(command, chat_id=ADMIN, user_id=ADMIN, **kwargs)
    assert sent, command
    return sent[-1]


async def publish(bot: Harness, shown: SentMessage) -> None:
    data = next(d for _, d in buttons(shown) if d.startswith("cur|pub|"))
    [edited] = await bot.press(shown, data, user_id=ADMIN)
    assert "Published" in edited.text or "Опубліковано" in edited.text, edited.text


def record(bot: Harness, ref: str) -> dict[str, Any]:
    return dict(bot.store.get(ref))


# --- /reschedule ---------------------------------------------------------------------------


async def test_reschedule_to_tomorrow_at_a_local_time_reads_it_in_the_rounds_zone(
    bot: Harness,
) -> None:
    shown = await curator(bot, "/reschedule 3 tomorrow 14:00 — moved up")
    assert "start: 2026-02-04 → 2026-01-21T14:00+04:00" in shown.text
    assert "time_precision: day → exact" in shown.text
    assert "Times are read in Asia/Dubai, the record's zone" in shown.text
    await publish(bot, shown)
    moved = record(bot, ABU_DHABI)
    assert (moved["start"], moved["end"]) == ("2026-01-21T14:00+04:00", None)
    assert (moved["time_precision"], moved["status"]) == ("exact", "scheduled")


async def test_tomorrow_is_the_day_after_today_in_the_rounds_zone_not_the_chats(
    bot: Harness, clock: Clock
) -> None:
    # 21:30 UTC on 20 January: 23:30 on the 20th in Kyiv (the chat), 01:30 on the 21st in Dubai.
    clock.advance(hours=9, minutes=30)
    shown = await curator(bot, "/reschedule 3 tomorrow")
    assert "start: 2026-02-04 → 2026-01-22" in shown.text
    assert "Times are read in Asia/Dubai" in shown.text


async def test_a_local_start_and_end_and_a_status(bot: Harness) -> None:
    await curator(bot, "/settings zone Asia/Tokyo")  # the chat's zone does not decide
    shown = await curator(bot, "/reschedule 3 2026-02-06 10:00 2026-02-06 16:00 postponed")
    assert "start: 2026-02-04 → 2026-02-06T10:00+04:00" in shown.text
    assert "end: 2026-02-05 → 2026-02-06T16:00+04:00" in shown.text
    await publish(bot, shown)
    moved = record(bot, ABU_DHABI)
    assert (moved["start"], moved["end"]) == ("2026-02-06T10:00+04:00", "2026-02-06T16:00+04:00")


async def test_dates_with_an_offset_need_no_zone_and_the_preview_names_none(bot: Harness) -> None:
    shown = await curator(bot, "/reschedule 3 2026-02-06 2026-02-07")
    assert "start: 2026-02-04 → 2026-02-06" in shown.text
    assert "Times are read in" not in shown.text


async def test_a_repeated_hour_is_its_first_time_as_in_add(bot: Harness) -> None:
    # New York's clocks go back at 02:00 on 1 November 2026: 01:30 happens at -04:00, then -05:00.
    shown = await curator(bot, "/reschedule 2 2026-11-01 01:30 scheduled")
    assert "start: 2026-01-31 → 2026-11-01T01:30-04:00" in shown.text
    assert "Times are read in America/New_York, the record's zone" in shown.text


# --- /correct ------------------------------------------------------------------------------


async def test_correct_start_tomorrow_at_a_time_unquoted(bot: Harness) -> None:
    shown = await curator(bot, "/correct 3 start=tomorrow 14:00 end=none — agenda out")
    assert "start: 2026-02-04 → 2026-01-21T14:00+04:00" in shown.text
    assert "time_precision: day → exact" in shown.text
    assert "Times are read in Asia/Dubai, the record's zone" in shown.text
    await publish(bot, shown)
    fixed = record(bot, ABU_DHABI)
    assert (fixed["start"], fixed["end"], fixed["time_precision"]) == (
        "2026-01-21T14:00+04:00",
        None,
        "exact",
    )


async def test_correct_reads_local_times_in_the_zone_typed_with_them(bot: Harness) -> None:
    shown = await curator(bot, '/correct 3 start="2026-02-06 10:00" timezone=Europe/Kyiv end=-')
    assert "start: 2026-02-04 → 2026-02-06T10:00+02:00" in shown.text
    assert "Times are read in Europe/Kyiv, the zone given in timezone=" in shown.text


async def test_correct_yesterday_keeps_an_approximate_precision(bot: Harness) -> None:
    shown = await curator(bot, "/correct 4 start=yesterday")
    assert "start: 2026-01 → 2026-01-19" in shown.text
    assert "time_precision" not in shown.text
    assert "Times are read in Europe/Kyiv, the record's zone" in shown.text
    await publish(bot, shown)
    assert (record(bot, DTEK)["start"], record(bot, DTEK)["time_precision"]) == (
        "2026-01-19",
        "approximate",
    )


# --- a second look before Publish ----------------------------------------------------------


@pytest.mark.parametrize(
    "command, warning",
    [
        ("/reschedule 3 2026-01-10", "These dates are already past."),
        ("/reschedule 3 2028-03-01", "more than two years ahead"),
        ("/correct 3 start=2029-01-01 end=none", "more than two years ahead"),
        ("/correct 4 start=tomorrow", "this has not happened yet"),
    ],
)
async def test_doubtful_new_dates_are_flagged_and_publish_is_the_confirmation(
    bot: Harness, command: str, warning: str
) -> None:
    shown = await curator(bot, command)
    assert warning in shown.text
    before = record(bot, command.split()[1])["sequence"]
    await publish(bot, shown)
    assert record(bot, command.split()[1])["sequence"] == before + 1


@pytest.mark.parametrize(
    "command",
    [
        "/reschedule 3 2026-02-06",
        "/reschedule 3 tomorrow",
        "/reschedule 3 2026-01-10 held",  # a round that took place: the past is right
        "/correct 4 start=yesterday",  # an incident in the past is normal
        "/status 3 held",
        "/correct 1 title=Geneva",  # a held round's dates, unchanged
    ],
)
async def test_ordinary_dates_have_no_warning(bot: Harness, command: str) -> None:
    shown = await curator(bot, command)
    assert "Preview" in shown.text
    assert "publish only if" not in shown.text.lower()


# --- bad input changes nothing -------------------------------------------------------------


@pytest.mark.parametrize(
    "command, english",
    [
        ("/reschedule 2 2026-03-08 02:30", "does not exist there (America/New_York)"),
        ("/reschedule 3 tomorrow 25:00", "start: 'tomorrow 25:00' has no such time of day"),
        ("/reschedule 3 tomorrow garbage", "end: 'garbage' is not a date"),
        ("/reschedule 3 tomorrow 10:00 tomorrow 11:00 tomorrow 12:00", "Use <code>/reschedule"),
        ('/correct 3 start="tomorrow garbage"', "has no such time of day (garbage)"),
        ("/correct 3 start=tomorrow garbage", "not <code>garbage</code>"),
        ("/correct 4 end=2026-03-29 03:30", "end: '2026-03-29 03:30' does not exist there"),
        ("/correct 3 start=tomorrow 10:00 timezone=Mars/Olympus", "unknown time zone"),
        ("/correct 3 start=2026-02-31 10:00", "impossible date"),
    ],
)
async def test_unreadable_dates_get_a_clear_reply_and_change_nothing(
    bot: Harness, command: str, english: str
) -> None:
    before = snapshot(bot)
    answer = await curator(bot, command)
    assert english in answer.text
    assert buttons(answer) == []
    assert snapshot(bot) == before
    assert pending_rows(bot) == []


# --- in Ukrainian --------------------------------------------------------------------------


async def test_a_ukrainian_curator_reschedules_to_zavtra_at_a_local_time(bot: Harness) -> None:
    shown = await curator(bot, "/reschedule 3 завтра 14:00 — раніше", **UK)
    assert "start: 2026-02-04 → 2026-01-21T14:00+04:00" in shown.text
    assert "Час прочитано в поясі Asia/Dubai, поясі цього запису" in shown.text
    assert "Times are read" not in shown.text
    await publish(bot, shown)
    assert record(bot, ABU_DHABI)["start"] == "2026-01-21T14:00+04:00"


async def test_a_ukrainian_curator_corrects_with_vchora_and_sees_the_doubt_in_ukrainian(
    bot: Harness,
) -> None:
    shown = await curator(bot, "/correct 3 start=вчора end=none", **UK)
    assert "start: 2026-02-04 → 2026-01-19" in shown.text
    assert "Ці дати вже минули." in shown.text
    assert "already past" not in shown.text


@pytest.mark.parametrize(
    "command, ukrainian, english",
    [
        ("/reschedule 2 2026-03-08 02:30", "там не існує", "does not exist"),
        ("/reschedule 3 завтра 25:00", "такого часу доби немає (25:00)", "no such time"),
        ("/reschedule 3 завтра казна-що", "«казна-що» — не дата", "is not a date"),
        ('/correct 3 start="завтра казна-що"', "такого часу доби немає", "no such time"),
    ],
)
async def test_a_ukrainian_curator_is_told_what_is_wrong_with_a_date_in_ukrainian(
    bot: Harness, command: str, ukrainian: str, english: str
) -> None:
    before = snapshot(bot)
    answer = await curator(bot, command, **UK)
    assert ukrainian in answer.text
    assert english not in answer.text
    assert snapshot(bot) == before
    assert pending_rows(bot) == []
