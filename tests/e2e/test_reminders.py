"""Reminders: planned from the store, moved by a reschedule, gone on cancel; a moved clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.reminders import GRACE, Reminders, plan
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


@pytest.fixture
async def reminders(bot: Harness, clock: Clock) -> AsyncIterator[Reminders]:
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    wakes: list[int] = []
    yield Reminders(queue, bot.store.db, clock, lambda: wakes.append(1))
    await queue.stop(wait=False)


def reminder_jobs(bot: Harness) -> dict[str, datetime]:
    queue = bot.app.job_queue
    assert queue is not None
    return {
        job.name: job.next_t
        for job in queue.jobs()
        if job.name and job.name.startswith("reminder:") and job.next_t is not None
    }


async def test_no_subscribers_no_reminders(bot: Harness, reminders: Reminders) -> None:
    assert reminders.sync() == []


async def test_day_precision_round_gets_the_day_before_reminder(
    bot: Harness, reminders: Reminders
) -> None:
    bot.chats.subscribe(1001, "private", "talks")
    planned = reminders.sync()
    # 4 Feb in Abu Dhabi begins 3 Feb 20:00 UTC; the 1-hour reminder needs a time of day.
    assert [(p.minutes, p.at) for p in planned] == [(1440, datetime(2026, 2, 2, 20, tzinfo=UTC))]
    assert reminder_jobs(bot) == {
        f"reminder:{ABU_DHABI}:1440": datetime(2026, 2, 2, 20, tzinfo=UTC)
    }


async def test_reschedule_moves_the_job_and_cancel_removes_it(
    bot: Harness, reminders: Reminders
) -> None:
    bot.chats.subscribe(1001, "private", "talks")
    reminders.sync()
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-02-06T10:00:00+04:00"), author="t")
    reminders.sync()
    jobs = reminder_jobs(bot)
    assert jobs == {
        f"reminder:{ABU_DHABI}:1440": datetime(2026, 2, 5, 6, tzinfo=UTC),
        f"reminder:{ABU_DHABI}:60": datetime(2026, 2, 6, 5, tzinfo=UTC),
    }
    bot.store.update(ABU_DHABI, {"status": "cancelled"}, author="t", reason="called off")
    reminders.sync()
    assert reminder_jobs(bot) == {}


async def test_reader_settings_choose_offsets(bot: Harness, reminders: Reminders) -> None:
    bot.chats.subscribe(1001, "private", "talks")
    bot.chats.set_reminders(1001, "private", (2880,))
    assert [p.minutes for p in reminders.sync()] == [2880]
    bot.chats.set_reminders(1001, "private", ())
    assert reminders.sync() == []


async def test_firing_sends_once_within_grace_and_skips_after(
    bot: Harness, reminders: Reminders, clock: Clock
) -> None:
    bot.chats.subscribe(1001, "private", "talks")
    bot.chats.subscribe(1002, "private", "talks")
    bot.chats.set_reminders(1002, "private", ())  # 1002 wants no reminders
    [item] = reminders.sync()
    clock.now = item.at + timedelta(minutes=5)
    assert reminders.remind(item) is not None
    assert reminders.remind(item) is None  # the same reminder twice is one alert
    before = len(bot.fake.sent)
    engine = bot.engine(VirtualTime())
    while await engine.cycle() or engine.tasks:
        await asyncio.gather(*list(engine.tasks))
    await engine.stop()
    [sent] = bot.fake.sent[before:]
    assert sent.chat_id == 1001 and "In 1d" in sent.text and "Abu Dhabi" in sent.text
    clock.now = item.at + GRACE + timedelta(minutes=1)
    late = type(item)(item.job_id + "x", item.at, item.event_id, item.minutes, "other")
    assert reminders.remind(late) is None


async def test_plan_skips_past_and_approximate_rounds(bot: Harness, clock: Clock) -> None:
    bot.chats.subscribe(1001, "private", "talks")
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    assert plan(bot.store.db, clock.now) == []
