"""Reminders before talks rounds, as JobQueue jobs rebuilt from the store.

Jobs live in memory only, so they are planned again at start, after every committed change
to a talks round (the store tells its listeners), when a chat's subscriptions or reminder
settings change, and every few minutes for changes other processes commit (`sitrep
reschedule` beside a running bot). Each job has a stable id (`reminder:<event>:<minutes>`)
and replaces its old self, so a rescheduled round's reminder moves and a cancelled one's
vanishes. A reminder whose time passed while the bot was down is sent only within the grace
window. Firing writes a reminder alert to the outbox (once per round, offset and start), and
the delivery engine sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database
from telegram.ext import ContextTypes, JobQueue

from handlers.common import Deps, off_loop
from storage.bulk import Committed
from storage.outbox import add_reminder
from storage.reminders import GRACE, PREFIX, PlannedReminder, plan

log = logging.getLogger("sitrep.reminders")

# How often the plan is read again for changes committed by other processes.
RESYNC_EVERY = timedelta(minutes=5)

__all__ = ["GRACE", "PREFIX", "RESYNC_EVERY", "PlannedReminder", "Reminders", "plan"]


class Reminders:
    """Keeps the JobQueue's reminder jobs equal to the plan.

    The plan is made on `clock` (a test's controllable clock, else the wall clock); a job is
    scheduled to run after the time left until its moment on that clock, so a plan made on a
    clock set to another date is neither dropped as missed nor fired early.
    """

    def __init__(
        self,
        job_queue: JobQueue,
        db: Database,
        clock: Callable[[], datetime],
        on_alert: Callable[[], None],
        deps: Deps | None = None,
    ):
        self.job_queue = job_queue
        self.db = db
        self.clock = clock
        self.on_alert = on_alert
        # The bot's Deps: firing writes the reminder off the loop (handlers.common.off_loop).
        self.deps = deps

    def sync(self) -> list[PlannedReminder]:
        now = self.clock()
        wanted = {p.job_id: p for p in plan(self.db, now)}
        for job in self.job_queue.jobs():
            if job.name and job.name.startswith(PREFIX) and job.name not in wanted:
                job.schedule_removal()
        for item in wanted.values():
            self.job_queue.run_once(
                self.fire,
                when=max(timedelta(0), item.at - now),
                name=item.job_id,
                data=item,
                job_kwargs={
                    "id": item.job_id,
                    "replace_existing": True,
                    "misfire_grace_time": int(GRACE.total_seconds()),
                },
            )
        log.debug("reminders planned: %d", len(wanted))
        return list(wanted.values())

    def scheduled(self) -> dict[str, PlannedReminder]:
        """The reminder jobs in the queue, by job id, as they were planned."""
        return {
            job.name: job.data
            for job in self.job_queue.jobs()
            if job.name and job.name.startswith(PREFIX) and isinstance(job.data, PlannedReminder)
        }

    def on_commit(self, committed: Committed) -> None:
        """A store listener: a committed change to a talks round plans the reminders again."""
        if committed.of_kind("talks"):
            self.sync()

    async def resync(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The periodic job: changes committed by other processes."""
        self.sync()

    async def fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job callback: write the reminder alert (once), then wake the delivery."""
        job = context.job
        item = job.data if job is not None else None
        if not isinstance(item, PlannedReminder):
            return
        if self.deps is None:
            self.remind(item)
            return
        if await off_loop(self.deps, lambda d: self.write(item, d.store.db)):
            self.on_alert()

    def remind(self, item: PlannedReminder) -> int | None:
        alert_id = self.write(item, self.db)
        if alert_id:
            self.on_alert()
        return alert_id

    def write(self, item: PlannedReminder, db: Database) -> int | None:
        """The reminder alert, written once over `db`; None when late or already written."""
        now = self.clock()
        if now - item.at > GRACE:
            log.info("reminder %s is %s late: skipped", item.job_id, now - item.at)
            return None
        return add_reminder(db, item.event_id, item.minutes, item.start, now)
