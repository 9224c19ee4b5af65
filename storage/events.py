"""The event store: reads (storage.queries) and writes (storage.bulk) over one connection,
with the outbox hooked into every write so a change and its alert commit together.

The parts live in their own modules: storage.rows (a record as a row and back),
storage.revisions (history), storage.queries (reads), storage.bulk (the one write path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.bulk import (
    BulkResult,
    Change,
    ChangeHook,
    CommitListener,
    Committed,
    EventWrites,
    gc_paused,
)
from storage.model import BOOKKEEPING, Event, InvalidEvent
from storage.outbox import record_alert
from storage.queries import CLOSED_STATUSES, LOOKUP_CHUNK, PREFIX_END, EventNotFound, Page
from storage.revisions import Revision, undo_to
from storage.timeparse import utc_now


class EventStore(EventWrites):
    """The events and their revisions, over one sqlite-utils connection."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now):
        self.db = db
        self.clock = clock
        # The outbox is part of every write path: a change and its alert commit together.
        self.change_hooks: list[ChangeHook] = [self._record_alert]
        self.listeners: list[CommitListener] = []
        self.alerts_muted = False

    def _record_alert(self, db: Database, change: Change) -> None:
        if not self.alerts_muted:
            record_alert(db, change, now=self.clock())

    @contextmanager
    def muted(self) -> Iterator[None]:
        """Writes in this block raise no alerts (the seed data of a new store)."""
        previous, self.alerts_muted = self.alerts_muted, True
        try:
            yield
        finally:
            self.alerts_muted = previous

    def is_upcoming(self, rec: Event, now: datetime) -> bool:
        """True while a round has not ended (by the latest moment its dates can mean) and was
        neither held nor cancelled."""
        if rec.get("status") in CLOSED_STATUSES:
            return False
        _, end_utc = self.bounds([rec["id"]])[rec["id"]]
        return end_utc > now

    def state_at(self, ref: str | int, sequence: int) -> dict[str, Any]:
        """The event's content as it stood at `sequence`, undoing later revisions."""
        rec = self.get(ref)
        revs = self.revisions(rec["id"])
        if not any(r.sequence == sequence for r in revs):
            raise EventNotFound(f"{rec['id']} has no revision {sequence}")
        return undo_to(rec, revs, sequence)


__all__ = [
    "BOOKKEEPING",
    "LOOKUP_CHUNK",
    "PREFIX_END",
    "BulkResult",
    "Change",
    "Committed",
    "EventNotFound",
    "EventStore",
    "InvalidEvent",
    "Page",
    "Revision",
    "gc_paused",
]
