"""One figure syntax in chat (issue 15): `/correct` and `/add` read `12`, `12+`, `~12` the same
way, as imports do (tests/storage/test_figures.py); a bad figure gets a clear answer and
changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.limits import LIMITER_KEY, FloodGate
from storage.exchange import dump_json, export_events
from tests.e2e.harness import ADMIN, Harness

DTEK = "dtek-bus-strike-dnipro-2026"


async def curator(bot: Harness, words: str) -> str:
    return await bot.reply_to(words, chat_id=ADMIN, user_id=ADMIN)


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("14", "killed: at least 12 → 14"),
        ("14+", "killed: at least 12 → at least 14"),
        ("~14", "killed: at least 12 → about 14"),
        ("about:14", "killed: at least 12 → about 14"),
        ("none", "killed: at least 12 → —"),
    ],
)
async def test_correct_reads_the_one_syntax(bot: Harness, typed: str, shown: str) -> None:
    assert shown in await curator(bot, f"/correct 4 killed={typed}")


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("12++", "must be a whole number"),
        ("-2", "can't be negative"),
        ("20000000", "not a plausible figure"),
        ("roughly:3", "is qualified at_least, about or exact"),
    ],
)
async def test_a_bad_figure_is_answered_and_changes_nothing(
    bot: Harness, typed: str, problem: str
) -> None:
    before = dump_json(export_events(bot.store))
    answer = await curator(bot, f"/correct 4 killed={typed}")
    assert problem in answer
    assert "Preview" not in answer
    assert dump_json(export_events(bot.store)) == before


@pytest.fixture
async def patient(bot: Harness) -> AsyncIterator[Harness]:
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield bot
    await queue.stop(wait=False)


async def test_add_reads_the_same_syntax(patient: Harness) -> None:
    for answer in ("/add", "incident", "Strike on Kharkiv", "2026-01-19"):
        await curator(patient, answer)
    await curator(patient, "Kharkiv, Kharkiv Oblast, Ukraine")
    assert "not a plausible figure" in await curator(patient, "20000000 / 1")
    await curator(patient, "~12 / 6")
    shown = await curator(patient, "Reuters")
    assert "killed: about 12" in shown and "injured: 6" in shown
