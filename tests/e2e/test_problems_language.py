"""What is wrong with a curator's input, told in the curator's chat language: storage names
the problem by a code, the catalogue words it (en or uk), and nothing changes."""

from __future__ import annotations

import pytest

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
        ("/reschedule 3 tomorrow", "«tomorrow» — не дата", "is not a date"),
        ("/reschedule 3 2026-02-06T10:00", "немає зсуву від UTC", "no UTC offset"),
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
