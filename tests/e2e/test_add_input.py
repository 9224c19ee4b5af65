"""/add reads dates as curators type them and its preview is honest (issue 15): "today",
"yesterday", "tomorrow" and local times read in the record's zone (and says which zone); a
doubtful date or a likely duplicate is flagged before Publish; and the preview says how many
chats the new record will alert, or that it alerts nobody and why."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.limits import LIMITER_KEY, FloodGate
from standin import SentMessage
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, buttons
from tests.e2e.test_alerts import subscribe

READER = 1001
ABU_DHABI_PLACE = "Abu Dhabi, Abu Dhabi, United Arab Emirates"
KHARKIV = "Kharkiv, Kharkiv Oblast, Ukraine"


@pytest.fixture
async def patient(bot: Harness) -> AsyncIterator[Harness]:
    """A curator in a conversation: more updates than a reader's burst allows, and the
    JobQueue running (/add's timeout is one of its jobs)."""
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield bot
    await queue.stop(wait=False)


async def curator(bot: Harness, words: str) -> list[SentMessage]:
    return await bot.say(words, chat_id=ADMIN, user_id=ADMIN)


async def add(bot: Harness, kind: str, title: str, when: str, where: str) -> SentMessage:
    """An /add conversation up to its preview (incidents: no figures; statements: a quote)."""
    await curator(bot, "/add")
    await curator(bot, kind)
    await curator(bot, title)
    asked = await curator(bot, when)
    assert "Where?" in asked[0].text, asked[0].text
    await curator(bot, where)
    if kind == "incident":
        await curator(bot, "none")
    if kind == "statement":
        for answer in ("Volodymyr Zelensky", "We are ready.", "Telegram"):
            await curator(bot, answer)
    [shown] = await curator(bot, "Reuters https://www.reuters.com/")
    assert "Preview" in shown.text, shown.text
    return shown


async def publish(bot: Harness, shown: SentMessage) -> None:
    data = next(d for _, d in buttons(shown) if d.startswith("cur|pub|"))
    [edited] = await bot.press(shown, data, user_id=ADMIN)
    assert "Published" in edited.text, edited.text


def added(bot: Harness, title: str) -> dict[str, object]:
    [found] = [e for e in bot.store.iter_all() if e["title"] == title]
    return dict(found)


# --- dates as curators type them -------------------------------------------------------------


async def test_a_local_time_is_read_in_the_places_zone_and_the_preview_says_so(
    patient: Harness,
) -> None:
    shown = await add(patient, "talks", "Talks in Abu Dhabi", "2026-02-04 10:00", ABU_DHABI_PLACE)
    assert "start: 2026-02-04T10:00+04:00" in shown.text
    assert "Times are read in Asia/Dubai, the place's zone." in shown.text
    await publish(patient, shown)
    record = added(patient, "Talks in Abu Dhabi")
    assert (record["start"], record["time_precision"]) == ("2026-02-04T10:00+04:00", "exact")
    assert record["timezone"] == "Asia/Dubai"


async def test_a_local_start_and_end_on_one_day(patient: Harness) -> None:
    shown = await add(
        patient, "talks", "Talks in Abu Dhabi", "2026-02-04 10:00 2026-02-04 16:00", ABU_DHABI_PLACE
    )
    assert "start: 2026-02-04T10:00+04:00" in shown.text
    assert "end: 2026-02-04T16:00+04:00" in shown.text


async def test_a_place_the_gazetteer_does_not_know_reads_times_in_the_chats_zone(
    patient: Harness,
) -> None:
    await curator(patient, "/settings zone Asia/Tokyo")
    shown = await add(patient, "talks", "Talks far away", "2026-03-02 09:30", "Nowhere, , Narnia")
    assert "start: 2026-03-02T09:30+09:00" in shown.text
    assert "Times are read in Asia/Tokyo, this chat's zone" in shown.text


async def test_yesterday_and_today_are_days_in_the_records_zone(
    patient: Harness, clock: Clock
) -> None:
    # 21:30 UTC on 20 January: 23:30 in Kyiv, already 01:30 on the 21st in Abu Dhabi.
    clock.advance(hours=9, minutes=30)
    shown = await add(patient, "incident", "Strike on Kharkiv", "yesterday", KHARKIV)
    assert "start: 2026-01-19" in shown.text
    assert "time_precision: day" in shown.text
    assert "Times are read in Europe/Kyiv, the place's zone." in shown.text
    shown = await add(patient, "talks", "Talks in Abu Dhabi", "today", ABU_DHABI_PLACE)
    assert "start: 2026-01-21" in shown.text


async def test_tomorrow_with_a_time(patient: Harness) -> None:
    shown = await add(patient, "talks", "Talks in Abu Dhabi", "tomorrow 10:00", ABU_DHABI_PLACE)
    assert "start: 2026-01-21T10:00+04:00" in shown.text


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("2026-03-29 03:30", "does not exist there"),  # Kyiv's clocks skip 03:00-04:00
        ("2026-02-04 25:00", "no such time of day"),
        ("2026-02-04 2026-02-05 2026-02-06", "more than a start and an end"),
        ("soon", "is not a date"),
        ("2026-02-05 2026-02-04", "before the start"),
    ],
)
async def test_a_date_that_cannot_be_read_is_asked_again(
    patient: Harness, typed: str, problem: str
) -> None:
    await curator(patient, "/add")
    await curator(patient, "talks")
    await curator(patient, "Talks in Kyiv")
    [answer] = await curator(patient, typed)
    assert problem in answer.text
    assert "Where?" not in answer.text
    assert "Where?" in (await curator(patient, "2026-02-04"))[0].text  # the same question


# --- a second look before Publish ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, when, warning",
    [
        ("talks", "2026-01-10", "This round is already over."),
        ("talks", "2028-03-01", "more than two years ahead"),
        ("incident", "tomorrow", "This has not happened yet"),
        ("statement", "2026-02-01", "This has not happened yet"),
        ("incident", "2029-01-01", "more than two years ahead"),
    ],
)
async def test_a_doubtful_date_is_flagged_and_publish_is_the_confirmation(
    patient: Harness, kind: str, when: str, warning: str
) -> None:
    shown = await add(patient, kind, "Something to check", when, KHARKIV)
    assert warning in shown.text
    await publish(patient, shown)  # the curator confirms by publishing
    assert added(patient, "Something to check")["kind"] == kind


@pytest.mark.parametrize(
    "kind, when",
    [
        ("talks", "tomorrow"),
        ("talks", "2027-12-31"),
        ("incident", "yesterday"),
        ("incident", "today"),
    ],
)
async def test_an_ordinary_date_has_no_warning(patient: Harness, kind: str, when: str) -> None:
    shown = await add(patient, kind, "Nothing to check", when, KHARKIV)
    assert "publish only if" not in shown.text.lower()


async def test_a_duplicate_of_the_same_day_is_named_with_its_event_command(
    patient: Harness,
) -> None:
    first = await add(patient, "incident", "Strike on Kharkiv", "2026-01-19", KHARKIV)
    assert "duplicate" not in first.text
    await publish(patient, first)
    number = added(patient, "Strike on Kharkiv")["number"]
    again = await add(patient, "incident", "strike on  KHARKIV", "2026-01-19", KHARKIV)
    assert "Looks like a duplicate" in again.text
    assert f"/event_{number}" in again.text
    # Another day, or another kind, is another record.
    other_day = await add(patient, "incident", "Strike on Kharkiv", "2026-01-18", KHARKIV)
    assert "duplicate" not in other_day.text
    other_kind = await add(patient, "statement", "Strike on Kharkiv", "2026-01-19", KHARKIV)
    assert "duplicate" not in other_kind.text


async def test_a_seed_record_is_found_as_a_duplicate_too(patient: Harness) -> None:
    title = "Russian drone strike on a DTEK bus carrying mineworkers"
    shown = await add(patient, "incident", title.upper(), "2026-01", "Dnipro, , Ukraine")
    assert "Looks like a duplicate" in shown.text and "/event_4" in shown.text


# --- how many chats it alerts ----------------------------------------------------------------


async def test_the_add_preview_says_how_many_chats_it_alerts(patient: Harness) -> None:
    await subscribe(patient, READER, "incidents", "kharkiv")
    await subscribe(patient, 1002, "incidents")
    await subscribe(patient, 1003, "incidents", "odesa")
    shown = await add(patient, "incident", "Strike on Kharkiv", "yesterday", KHARKIV)
    assert "Readers will be told:" in shown.text
    assert "Strike on Kharkiv" in shown.text.split("Readers will be told:")[1]
    assert "This alert goes to 2 chats." in shown.text


async def test_the_add_preview_says_when_it_alerts_nobody_and_why(patient: Harness) -> None:
    shown = await add(patient, "incident", "Strike on Kharkiv", "yesterday", KHARKIV)
    assert "No chat is subscribed to this yet, so it alerts nobody." in shown.text
    await subscribe(patient, READER, "incidents")
    shown = await add(patient, "incident", "An old strike", "2025-11-02", KHARKIV)
    assert "This alerts nobody: an incident or statement that ended more than 7 days ago" in (
        shown.text
    )
    assert "Readers will be told" not in shown.text


async def test_a_claim_preview_says_how_many_chats_it_alerts(bot: Harness) -> None:
    await subscribe(bot, READER, "statements")
    [shown] = await bot.say(
        "/claim 11 disputed — strikes continued | Reuters https://www.reuters.com/",
        chat_id=ADMIN,
        user_id=ADMIN,
    )
    assert "Preview" in shown.text
    assert "This alert goes to 1 chat." in shown.text
