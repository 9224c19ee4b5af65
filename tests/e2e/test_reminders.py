"""Reminders: planned from the store, moved by a reschedule, gone on cancel; a moved clock.

Plans are made on the controllable clock (20 January 2026 by default): the job queue only
counts down the time left on it, so jobs for February 2026 stay queued whatever today is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import RUNTIME_KEY, Runtime, start_background, stop_background
from bot.reminders import GRACE, Reminders, plan
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, VirtualTime
from tests.e2e.test_curation import preview, publish_data

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


@pytest.fixture
async def reminders(bot: Harness, clock: Clock) -> AsyncIterator[Reminders]:
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    wakes: list[int] = []
    yield Reminders(queue, bot.store.db, clock, lambda: wakes.append(1))
    await queue.stop(wait=False)


def reminder_jobs(reminders: Reminders) -> dict[str, datetime]:
    """The reminder jobs in the queue, by job id, and the moment each was planned for."""
    return {job_id: item.at for job_id, item in reminders.scheduled().items()}


async def loop_turns(count: int = 3) -> None:
    """Let the event loop run its ready callbacks (the scheduler's own) a few times."""
    loop = asyncio.get_running_loop()
    for _ in range(count):
        turn = loop.create_future()
        loop.call_soon(turn.set_result, None)
        await turn


async def test_no_subscribers_no_reminders(bot: Harness, reminders: Reminders) -> None:
    assert reminders.sync() == []


async def test_day_precision_round_gets_the_day_before_reminder(
    bot: Harness, reminders: Reminders
) -> None:
    bot.subscribe(1001, "private", "talks")
    planned = reminders.sync()
    # 4 Feb in Abu Dhabi begins 3 Feb 20:00 UTC; the 1-hour reminder needs a time of day.
    assert [(p.minutes, p.at) for p in planned] == [(1440, datetime(2026, 2, 2, 20, tzinfo=UTC))]
    assert reminder_jobs(reminders) == {
        f"reminder:{ABU_DHABI}:1440": datetime(2026, 2, 2, 20, tzinfo=UTC)
    }


async def test_jobs_planned_on_the_clock_are_not_dropped_as_missed(
    bot: Harness, reminders: Reminders, clock: Clock
) -> None:
    """The scheduler runs on the wall clock: a job is due when the time left on the plan's
    clock has passed, not at the plan's date read on the wall (long past, or far ahead)."""
    bot.subscribe(1001, "private", "talks")
    [item] = reminders.sync()
    await loop_turns()  # the scheduler looks at its jobs, and drops those it missed
    assert reminder_jobs(reminders) == {item.job_id: item.at}
    queue = bot.app.job_queue
    assert queue is not None
    [job] = [j for j in queue.jobs() if j.name == item.job_id]
    assert job.next_t is not None
    left = job.next_t - datetime.now(UTC)
    assert item.at - clock.now - timedelta(minutes=1) < left <= item.at - clock.now


async def test_reschedule_moves_the_job_and_cancel_removes_it(
    bot: Harness, reminders: Reminders
) -> None:
    bot.subscribe(1001, "private", "talks")
    reminders.sync()
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-02-06T10:00:00+04:00"), author="t")
    reminders.sync()
    jobs = reminder_jobs(reminders)
    assert jobs == {
        f"reminder:{ABU_DHABI}:1440": datetime(2026, 2, 5, 6, tzinfo=UTC),
        f"reminder:{ABU_DHABI}:60": datetime(2026, 2, 6, 5, tzinfo=UTC),
    }
    bot.store.update(ABU_DHABI, {"status": "cancelled"}, author="t", reason="called off")
    reminders.sync()
    assert reminder_jobs(reminders) == {}


async def test_reader_settings_choose_offsets(bot: Harness, reminders: Reminders) -> None:
    bot.subscribe(1001, "private", "talks")
    bot.chats.set_reminders(1001, "private", (2880,))
    assert [p.minutes for p in reminders.sync()] == [2880]
    bot.chats.set_reminders(1001, "private", ())
    assert reminders.sync() == []


async def test_firing_sends_once_within_grace_and_skips_after(
    bot: Harness, reminders: Reminders, clock: Clock
) -> None:
    bot.subscribe(1001, "private", "talks")
    bot.subscribe(1002, "private", "talks")
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
    bot.subscribe(1001, "private", "talks")
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    assert plan(bot.store.db, clock.now) == []


@pytest.fixture
async def running(bot: Harness) -> AsyncIterator[Runtime]:
    """The bot's background work as `sitrep run` starts it: engine, reminders and their wiring."""
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    await start_background(bot.app)
    yield bot.app.bot_data[RUNTIME_KEY]
    await stop_background(bot.app)
    await queue.stop(wait=False)


async def test_a_precision_correction_takes_the_reminder_away(
    bot: Harness, running: Runtime
) -> None:
    """A round corrected to 'approximate' has no moment to count back from: its reminder job
    goes at once, although the correction raises no alert for the delivery engine to see."""
    assert running.reminders is not None
    await bot.say("/subscribe talks")
    assert reminder_jobs(running.reminders) == {
        f"reminder:{ABU_DHABI}:1440": datetime(2026, 2, 2, 20, tzinfo=UTC)
    }
    message = await preview(bot, "/correct 3 time_precision=approximate — only roughly known")
    [answer] = await bot.press(message, publish_data(message), user_id=ADMIN)
    assert "Published" in answer.text, answer.text
    assert bot.store.get(ABU_DHABI)["time_precision"] == "approximate"
    assert reminder_jobs(running.reminders) == {}
