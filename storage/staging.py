"""Import batches: a large import written in short transactions, unseen until it is published.

One transaction for a 100,000-row import held the write lock for 12 s: the bot's own writes
(a curator's /add, a reader's /subscribe, the delivery engine's records) waited that long.
A batch instead writes its new events a few thousand at a time, each step a short
transaction, every row marked with the batch; readers do not see those rows (storage.queries
filters them, the engine skips their alerts) until one short transaction publishes the batch.
A batch that fails is deleted; one whose process was killed is found stale by the next import
and deleted then, in steps, still unseen.

The incident rollup and the boards count a staged row only when its batch is published
(m014): publishing adds the batch's sums in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import write_transaction
from storage.migrations import INCIDENT_WEEK
from storage.timeparse import iso_utc

# A batch whose importer has not written for this long is taken as given up (its process
# was killed): every step of a live import renews it, and a step takes about a second.
STALE_AFTER = timedelta(minutes=2)
# Rows deleted per transaction when a batch is given up.
DELETE_STEP = 2000


class ImportBusy(RuntimeError):
    """Another import is being written into this store right now."""

    def __init__(self, batch: Batch):
        super().__init__(
            f"another import is being written: {batch.source} (batch {batch.id}, started "
            f"{batch.started_at}); try again when it has finished"
        )
        self.batch = batch


class BatchLost(RuntimeError):
    """The batch was given up by another process (it looked stale) before it was published."""


@dataclass(frozen=True)
class Batch:
    id: int
    source: str
    author: str
    state: str
    rows: int
    started_at: str
    heartbeat_at: str


def _batches(db: Database, where: str, params: tuple[object, ...] = ()) -> list[Batch]:
    rows = db.conn.execute(
        "SELECT id, source, author, state, rows, started_at, heartbeat_at FROM import_batches "
        f"WHERE {where} ORDER BY id",
        params,
    ).fetchall()
    return [Batch(*row) for row in rows]


def unpublished(db: Database) -> list[Batch]:
    """Batches being written, or given up and not yet deleted. A given-up batch whose rows
    are all deleted is done with: `sitrep status` no longer lists it, no import clears it."""
    return _batches(
        db,
        "state = 'staging' OR (state = 'abandoned' "
        "AND EXISTS (SELECT 1 FROM events WHERE batch = import_batches.id))",
    )


def _refuse_if_live(db: Database, now: datetime) -> list[Batch]:
    """The unpublished batches, none of them live; ImportBusy if one is."""
    batches = unpublished(db)
    stale_before = iso_utc(now - STALE_AFTER)
    for batch in batches:
        if batch.state == "staging" and batch.heartbeat_at >= stale_before:
            raise ImportBusy(batch)
    return batches


def clear_abandoned(db: Database, now: datetime) -> None:
    """Delete what given-up and stale batches left; ImportBusy if a live one is writing.

    Run before an import is planned: a re-run of a killed import must not find its own
    unseen rows and take them for stored events.
    """
    for batch in _refuse_if_live(db, now):
        abandon(db, batch.id, now)


def open_batch(db: Database, source: str, author: str, now: datetime) -> int:
    """A new batch in the staging state; ImportBusy if another live one is writing."""
    at = iso_utc(now)
    with write_transaction(db):
        _refuse_if_live(db, now)
        cursor = db.conn.execute(
            "INSERT INTO import_batches (source, author, state, started_at, heartbeat_at) "
            "VALUES (?, ?, 'staging', ?, ?)",
            (source, author, at, at),
        )
        return int(cursor.lastrowid or 0)


def renew(db: Database, batch: int, rows: int, now: datetime) -> None:
    """Inside a step's transaction: the batch is alive and holds `rows` more rows.
    BatchLost if another process gave it up meanwhile (its rows are being deleted)."""
    cursor = db.conn.execute(
        "UPDATE import_batches SET heartbeat_at = ?, rows = rows + ? "
        "WHERE id = ? AND state = 'staging'",
        (iso_utc(now), rows, batch),
    )
    if cursor.rowcount != 1:
        raise BatchLost(f"import batch {batch} was given up before it was published")


def publish(db: Database, batch: int, now: datetime) -> None:
    """Inside the last step's transaction: the batch's rows become seen, and what counts
    them (the incident rollup, the boards) counts them now."""
    renew(db, batch, 0, now)
    db.conn.execute(
        "INSERT INTO incident_weeks (monday, region_key, place_key, incidents, killed, injured) "
        f"SELECT {INCIDENT_WEEK.format(r='events')}, region_key, place_key, count(*), "
        "coalesce(sum(killed), 0), coalesce(sum(injured), 0) FROM events "
        "WHERE batch = ? AND kind = 'incident' GROUP BY 1, 2, 3 "
        "ON CONFLICT DO UPDATE SET incidents = incidents + excluded.incidents, "
        "killed = killed + excluded.killed, injured = injured + excluded.injured",
        (batch,),
    )
    db.conn.execute(
        "UPDATE boards SET wanted = wanted + 1 WHERE EXISTS "
        "(SELECT 1 FROM events WHERE batch = ? AND kind IN ('talks', 'incident'))",
        (batch,),
    )
    db.conn.execute(
        "UPDATE import_batches SET state = 'published', finished_at = ? WHERE id = ?",
        (iso_utc(now), batch),
    )


def abandon(db: Database, batch: int, now: datetime) -> None:
    """Give the batch up and delete its rows (their revisions and alerts go with them), a
    step at a time; they stay unseen throughout. Safe to run again after a kill; a batch
    already published is left alone."""
    with write_transaction(db):
        db.conn.execute(
            "UPDATE import_batches SET state = 'abandoned', finished_at = ? "
            "WHERE id = ? AND state = 'staging'",
            (iso_utc(now), batch),
        )
        state = db.conn.execute("SELECT state FROM import_batches WHERE id = ?", (batch,))
        if (state.fetchone() or ("",))[0] != "abandoned":
            return
    while True:
        with write_transaction(db):
            deleted = db.conn.execute(
                "DELETE FROM events WHERE rowid IN "
                "(SELECT rowid FROM events WHERE batch = ? LIMIT ?)",
                (batch, DELETE_STEP),
            ).rowcount
        if deleted < DELETE_STEP:
            return
