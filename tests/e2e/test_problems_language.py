"""What is wrong with a curator's input, told in the curator's chat language: storage names
the problem by a code, the catalogue words it (en or uk), and nothing changes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.limits import LIMITER_KEY, FloodGate
from storage.exchange import dump_json, export_events
from tests.e2e.harness import ADMIN, Harness

UK = {"language_code": "uk"}


def snapshot(bot: Harness) -> str:
    return dump_json(export_events(bot.store))


async def curator_uk(bot: Harness, command: str) -> str:
    return await bot.reply_to(command, chat_id=ADMIN, user_id=ADMIN, **UK)


@pytest.mark.parametrize(
    ("command", "ukrainian", "english"),
    [
        ("/reschedule 3 tomorrow garbage", "«garbage» — не дата", "is not a date"),
        ("/reschedule 3 2026-02-06T10:00:00", "немає зсуву від UTC", "no UTC offset"),
        ("/reschedule 3 2026-02-30", "дати «2026-02-30» не існує", "impossible date"),
        (
            "/reschedule 3 2026-02-07 2026-02-06",
            "кінець 2026-02-06 раніше за початок 2026-02-07",
            "before the start",
        ),
        ("/reschedule 4 2026-02-06", "перенести можна лише раунд переговорів", "only talks"),
        ("/status 3 finished", "має бути одним із: scheduled, postponed", "must be one of"),
        ("/status 6 held", "записи statement не мають статусу", "have no status"),
        ("/correct 6 killed=3", "буває лише в інцидентів", "only incidents"),
        ("/correct 4 start=2026-02-10", "раніше за початок", "before the start"),
        ("/correct 4 timezone=Mars/Olympus", "«Mars/Olympus» я не знаю", "unknown time zone"),
        ('/correct 4 place="Kryvyi Rih', "лапки не закрито", "No closing quotation"),
        ("/correct 4 title=" + "x" * 300, "має 300 символів, а можна щонайбільше 200", "at most"),
    ],
)
async def test_a_ukrainian_curator_is_told_what_is_wrong_in_ukrainian(
    bot: Harness, command: str, ukrainian: str, english: str
) -> None:
    before = snapshot(bot)
    said = await curator_uk(bot, command)
    assert ukrainian in said
    assert english not in said
    assert snapshot(bot) == before


async def test_an_english_curator_is_told_the_same_problem_in_english(bot: Harness) -> None:
    said = await bot.reply_to(
        "/reschedule 3 2026-02-30", chat_id=ADMIN, user_id=ADMIN, language_code="en"
    )
    assert "start: impossible date '2026-02-30'" in said
    assert "не існує" not in said


@pytest.fixture
async def patient(bot: Harness) -> AsyncIterator[Harness]:
    """A curator in /add: more updates than a reader's burst, and the JobQueue running."""
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield bot
    await queue.stop(wait=False)


@pytest.mark.parametrize(
    ("typed", "ukrainian", "english"),
    [
        ("2026-03-29 03:30", "«2026-03-29 03:30» там не існує", "does not exist"),
        ("2026-02-04 25:00", "такого часу доби немає (25:00)", "no such time of day"),
        ("2026-02-04 2026-02-05 2026-02-06", "більше, ніж початок і кінець", "more than a start"),
        ("2026-02-31 10:00", "дати «2026-02-31 10:00» не існує", "impossible date"),
        ("2026-02-05 2026-02-04", "кінець 2026-02-04 раніше за початок", "before the start"),
    ],
)
async def test_add_tells_a_ukrainian_curator_what_is_wrong_with_a_date_in_ukrainian(
    patient: Harness, typed: str, ukrainian: str, english: str
) -> None:
    """/add's new date forms (local times, today/yesterday) report coded problems too."""
    for step in ("/add", "talks", "Переговори в Києві"):
        await patient.say(step, chat_id=ADMIN, user_id=ADMIN, **UK)
    [answer] = await patient.say(typed, chat_id=ADMIN, user_id=ADMIN, **UK)
    assert ukrainian in answer.text
    assert english not in answer.text
