"""Reminders before talks rounds, as JobQueue jobs rebuilt from the store.

Jobs live in memory only, so they are planned again at start and whenever a talks round
changes. Each has a stable id (`reminder:<event>:<minutes>`) and replaces its old self, so a
rescheduled round's reminder moves and a cancelled one's vanishes. A reminder whose time
passed while the bot was down is sent only within the grace window. Firing writes a reminder
alert to the outbox (once per round, offset and start), and the delivery engine sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database
from telegram.ext import ContextTypes, JobQueue

from storage.outbox import add_reminder
from storage.timeparse import TimeFormatError, parse_when, zone_or_error

log = logging.getLogger("sitrep.reminders")

GRACE = timedelta(minutes=15)
PREFIX = "reminder:"


@dataclass(frozen=True)
class PlannedReminder:
    job_id: str
    at: datetime
    event_id: str
    minutes: int
    start: str


def offsets_in_use(db: Database) -> set[int]:
    """Every reminder offset some active talks subscriber wants."""
    rows = db.conn.execute(
        "SELECT DISTINCT c.reminders FROM chats c JOIN subscriptions s ON s.chat_id = c.id "
        "WHERE s.topic = 'talks' AND c.active = 1"
    ).fetchall()
    return {int(x) for (value,) in rows for x in value.split(",") if x}


def plan(db: Database, now: datetime) -> list[PlannedReminder]:
    """The reminders still to fire for rounds that are scheduled or postponed."""
    offsets = offsets_in_use(db)
    if not offsets:
        return []
    rows = db.conn.execute(
        "SELECT id, start, time_precision, timezone FROM events WHERE kind = 'talks' "
        "AND status IN ('scheduled', 'postponed') AND end_utc > ?",
        (now.strftime("%Y-%m-%dT%H:%M:%SZ"),),
    ).fetchall()
    planned = []
    for event_id, start, precision, zone_name in rows:
        try:
            when = parse_when(start)
            begins = when.start_utc(zone_or_error(zone_name))
        except (TimeFormatError, ValueError):
            continue
        if when.resolution == "month" or precision in ("month", "approximate"):
            continue  # no honest moment to count back from
        for minutes in sorted(offsets):
            # Without a time of day, only whole days before make sense.
            if when.resolution == "day" and minutes % 1440:
                continue
            at = begins - timedelta(minutes=minutes)
            if at > now - GRACE:
                planned.append(
                    PlannedReminder(f"{PREFIX}{event_id}:{minutes}", at, event_id, minutes, start)
                )
    return planned


class Reminders:
    """Keeps the JobQueue's reminder jobs equal to the plan."""

    def __init__(
        self,
        job_queue: JobQueue,
        db: Database,
        clock: Callable[[], datetime],
        on_alert: Callable[[], None],
    ):
        self.job_queue = job_queue
        self.db = db
        self.clock = clock
        self.on_alert = on_alert

    def sync(self) -> list[PlannedReminder]:
        wanted = {p.job_id: p for p in plan(self.db, self.clock())}
        for job in self.job_queue.jobs():
            if job.name and job.name.startswith(PREFIX) and job.name not in wanted:
                job.schedule_removal()
        for item in wanted.values():
            self.job_queue.run_once(
                self.fire,
                when=item.at,
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

    async def fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job callback: write the reminder alert (once), then wake the delivery."""
        job = context.job
        item = job.data if job is not None else None
        if not isinstance(item, PlannedReminder):
            return
        self.remind(item)

    def remind(self, item: PlannedReminder) -> int | None:
        now = self.clock()
        if now - item.at > GRACE:
            log.info("reminder %s is %s late: skipped", item.job_id, now - item.at)
            return None
        alert_id = add_reminder(self.db, item.event_id, item.minutes, item.start, now)
        if alert_id:
            self.on_alert()
        return alert_id
