"""Compaction as the running bot meets it: a correction after it still reaches every chat
told of the incident; the job runs after start and daily, giving way between transactions."""

from __future__ import annotations

from pathlib import Path

from bot.app import start_background, stop_background
from bot.compaction import JOB_NAME, compact_deliveries
from storage.db import connect
from storage.events import EventStore
from storage.retention import compact, told_chats
from tests.conftest import Clock
from tests.e2e.harness import Harness
from tests.e2e.test_alerts import drain, subscribe
from tests.storage.test_retention import fan_out, incident, setup


async def test_a_correction_after_compaction_reaches_the_chats_told(
    bot: Harness, clock: Clock
) -> None:
    await subscribe(bot, 1001, "incidents", "kharkiv")
    await subscribe(bot, 1003, "incidents")
    bot.store.create(incident("kharkiv-strike-2026-01-19"), author="t")
    await drain(bot)
    # 1001 stops following incidents: only having been told brings it the correction.
    assert bot.chats.unsubscribe(1001, "incidents") == 1
    clock.advance(days=120)
    done = compact(bot.store.db, clock(), 90)
    assert done.deliveries == 2
    assert bot.store.db.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    before = len(bot.fake.sent)
    bot.store.update(
        "kharkiv-strike-2026-01-19",
        {"killed": {"count": 4, "qualifier": "at_least"}},
        author="t",
        reason="regional administration update",
    )
    # The curator's preview counts them too.
    [alert] = bot.store.db.conn.execute("SELECT max(id) FROM alerts").fetchone()
    assert bot.outbox.audience(alert) == 2
    await drain(bot)
    corrections = bot.fake.sent[before:]
    assert sorted(m.chat_id for m in corrections) == [1001, 1003]
    assert "was at least 2, now at least 4" in corrections[0].text


async def test_the_job_gives_way_between_transactions(store: EventStore, clock: Clock) -> None:
    ids = list(range(3000, 3010))
    _, outbox = setup(store, clock, ids)
    for n in range(3):
        store.create(incident(f"strike-{n}"), author="t")
    for alert in fan_out(store, outbox):
        for chat_id in ids:
            outbox.mark_sent(alert, chat_id, 1)
    clock.advance(days=91)
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    done = await compact_deliveries(store.db, clock, 90, sleep=sleep)
    assert done.deliveries == 30 and done.transactions >= 3
    # One pause after each transaction that removed rows: the loop and the lock are free.
    assert len(pauses) == 3


async def test_the_job_runs_after_start_and_daily(bot: Harness) -> None:
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    await start_background(bot.app)
    try:
        [job] = [j for j in queue.jobs() if j.name == JOB_NAME]
        assert job.job.trigger.interval.days == 1
    finally:
        await stop_background(bot.app)
        await queue.stop(wait=False)


async def test_the_job_works_on_a_file_through_its_own_thread(tmp_path: Path, clock: Clock) -> None:
    db = connect(tmp_path / "sitrep.db")
    store = EventStore(db, clock=clock)
    _, outbox = setup(store, clock, [1001, 1002])
    store.create(incident("strike"), author="t")
    for alert in fan_out(store, outbox):
        outbox.mark_sent(alert, 1001, 1)
        outbox.mark_sent(alert, 1002, 2)
    clock.advance(days=91)
    # A file, so the job's SQL runs on its own thread and connection (storage.offload).
    done = await compact_deliveries(db, clock, 90)
    assert done.deliveries == 2
    assert told_chats(store.db, "strike") == [1001, 1002]
    assert store.db.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    db.close()
