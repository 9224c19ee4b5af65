"""Which reminders before talks rounds should exist now: read from the store alone.

The bot keeps one job per planned reminder (bot/reminders.py); this module decides what they
are, from the stored UTC start of each round and the offsets its subscribers chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.chats import reminder_offsets
from storage.queries import SEEN
from storage.timeparse import iso_utc, stored_utc

# A reminder whose moment passed less than this long ago is still sent (a restart, a late
# job); one older is not.
GRACE = timedelta(minutes=15)
PREFIX = "reminder:"
# Statuses of rounds that are still to be held.
REMINDED_STATUSES = ("scheduled", "postponed")


@dataclass(frozen=True)
class PlannedReminder:
    job_id: str
    at: datetime
    event_id: str
    minutes: int
    start: str


def plan(db: Database, now: datetime) -> list[PlannedReminder]:
    """The reminders still to fire for rounds that are scheduled or postponed.

    Counted back from the round's stored UTC start. A round known to the minute gets every
    offset; one known only to the day gets whole days only; one known to the month, or only
    approximately, gets none: there is no honest moment to count back from.
    """
    offsets = reminder_offsets(db)
    if not offsets:
        return []
    rows = db.conn.execute(
        "SELECT id, start, start_utc, time_precision FROM events WHERE kind = 'talks' "
        f"AND status IN (?, ?) AND end_utc > ? AND {SEEN} ORDER BY start_utc, id",
        (*REMINDED_STATUSES, iso_utc(now)),
    ).fetchall()
    planned = []
    for event_id, start, start_utc, precision in rows:
        if precision not in ("exact", "day"):
            continue
        begins = stored_utc(start_utc)
        for minutes in sorted(offsets):
            if precision == "day" and minutes % 1440:
                continue  # without a time of day, only whole days before make sense
            at = begins - timedelta(minutes=minutes)
            if at > now - GRACE:
                job_id = f"{PREFIX}{event_id}:{minutes}"
                planned.append(PlannedReminder(job_id, at, event_id, minutes, start))
    return planned
