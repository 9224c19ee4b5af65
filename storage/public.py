"""Reads for what readers see outside Telegram: the talks calendar and the health probe."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.events import EventStore, Revision
from storage.maintenance import sends
from storage.model import Event
from storage.queries import ALERT_SEEN, SEEN, SEEN_COUNT
from storage.rows import record_from_row
from storage.timeparse import iso_utc

# Deliveries owed for this long, with no send at all meanwhile, are stuck: a fan-out to many
# chats takes long too, but it sends all the time.
STUCK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class TalksRound:
    """A talks round as the calendar needs it: the record, its revisions, when it last changed."""

    record: Event
    revisions: list[Revision]
    updated_at: str  # UTC ISO 8601: when the store last changed this record


def talks_rounds(store: EventStore) -> list[TalksRound]:
    """Every talks round, soonest first, with its revisions (a few dozen rows, two queries)."""
    cursor = store.db.conn.execute(
        f"SELECT * FROM events WHERE kind = 'talks' AND {SEEN} ORDER BY start_utc, number"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    revisions = store.revisions_of([r["id"] for r in rows])
    return [
        TalksRound(record_from_row(row), revisions.get(row["id"], []), row["updated_at"])
        for row in rows
    ]


@dataclass(frozen=True)
class DeliveryHealth:
    """The outbox seen from outside: what is owed, since when, and whether it moves."""

    pending: int
    oldest_pending_at: str | None  # when the oldest change still owed was made (UTC ISO)
    last_sent_at: str | None
    last_error: str | None
    stuck: bool


def delivery_health(conn: sqlite3.Connection, now: datetime) -> DeliveryHealth:
    """Pending deliveries (and alerts not yet fanned out), the oldest's age, and whether the
    engine is stuck: something owed for STUCK_AFTER with no send in that time."""
    outbox = sends(conn)
    due = iso_utc(now)
    oldest_delivery = conn.execute(
        "SELECT min(a.created_at) FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.state = 'pending' AND (d.not_before IS NULL OR d.not_before <= ?)",
        (due,),
    ).fetchone()[0]
    oldest_unfanned = conn.execute(
        f"SELECT min(created_at) FROM alerts WHERE fanned_out_at IS NULL AND {ALERT_SEEN}"
    ).fetchone()[0]
    oldest = min((t for t in (oldest_delivery, oldest_unfanned) if t), default=None)
    last_sent = outbox.last_sent_at
    limit = iso_utc(now - STUCK_AFTER)
    stuck = oldest is not None and oldest <= limit and (last_sent is None or last_sent <= limit)
    return DeliveryHealth(
        pending=outbox.pending,
        oldest_pending_at=oldest,
        last_sent_at=last_sent,
        last_error=outbox.last_error,
        stuck=stuck,
    )


def store_check(conn: sqlite3.Connection) -> int:
    """The light check the health probe makes: the schema and the events table read back.
    Returns the number of events; raises sqlite3.Error when the store cannot answer."""
    conn.execute("PRAGMA schema_version").fetchone()
    return int(conn.execute(SEEN_COUNT).fetchone()[0])
