"""The daily compaction of old delivery rows (storage.retention), as a JobQueue job.

It runs once soon after start and then every day, on a thread with its own connection
(storage.offload), so the event loop never waits on it. Each step is one short write
transaction; between steps the write lock is free for the engine and other processes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlite_utils import Database
from telegram.ext import ContextTypes, JobQueue

from storage.offload import StoreThread
from storage.retention import Compacted, compaction

log = logging.getLogger(__name__)
JOB_NAME = "delivery-compaction"
EVERY = timedelta(days=1)
FIRST = timedelta(seconds=30)  # after start-up's own work, not in its way
PAUSE = 0.02  # seconds between transactions


async def compact_deliveries(
    db: Database,
    clock: Callable[[], datetime],
    retention_days: int,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> Compacted:
    """Compact what finished before the retention period; what was done."""
    total = Compacted()
    worker = StoreThread(db, lambda own: own, name="sitrep-compaction")
    try:
        steps = await worker.run(lambda own: compaction(own, clock(), retention_days))
        while (step := await worker.run(lambda _: next(steps, None))) is not None:
            total = step
            await sleep(PAUSE)
    except sqlite3.OperationalError as exc:  # the lock held past busy_timeout: tomorrow goes on
        log.warning("delivery compaction stopped early: %s", exc)
    finally:
        await worker.close()
    if total.deliveries or total.summaries:
        log.info(
            "compacted %d delivery rows (%d chats told kept) and %d summaries older than "
            "%d days in %d transactions (longest %.0f ms)",
            total.deliveries,
            total.told,
            total.summaries,
            retention_days,
            total.transactions,
            total.longest * 1000,
        )
    return total


def schedule(
    job_queue: JobQueue,
    db: Database,
    clock: Callable[[], datetime],
    retention_days: int,
) -> None:
    """At start (shortly after) and then daily; nothing when retention is 0 (keep all)."""
    if retention_days <= 0:
        return

    async def run(context: ContextTypes.DEFAULT_TYPE) -> None:
        await compact_deliveries(db, clock, retention_days)

    job_queue.run_repeating(
        run,
        interval=EVERY,
        first=FIRST,
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, "replace_existing": True, "misfire_grace_time": 3600},
    )
