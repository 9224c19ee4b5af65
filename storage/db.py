"""Opening the database: WAL, foreign keys on every connection, migrations applied, place
keys as the shipped gazetteer makes them."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlite_utils import Database

from storage.gazetteer import area_key, fingerprint, gazetteer, place_key, region_key
from storage.migrations import migrations

log = logging.getLogger("sitrep.storage")
# Work to do once the outermost write transaction of a connection commits (see after_commit).
_after_commit: WeakKeyDictionary[Database, list[Callable[[], None]]] = WeakKeyDictionary()


def after_commit(db: Database, callback: Callable[[], None]) -> None:
    """Run `callback` once what has been written so far is committed; never if it is rolled
    back. Outside a transaction, at once.

    Only transactions opened by `write_transaction` run their callbacks: every write path of
    ours goes through it.
    """
    if not db.conn.in_transaction:
        callback()
        return
    _after_commit.setdefault(db, []).append(callback)


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """A write transaction taken at once (BEGIN IMMEDIATE), or a savepoint inside one.

    A deferred transaction that reads first and writes later fails at once with "database
    is locked" (SQLITE_BUSY_SNAPSHOT) when another process committed in between, whatever
    busy_timeout says; taking the write lock up front makes it wait its turn instead.
    After the outermost one commits, the `after_commit` callbacks registered inside it run.
    """
    conn = db.conn
    waiting = _after_commit.setdefault(db, [])
    if conn.in_transaction:
        mark = len(waiting)
        try:
            with db.atomic():
                yield
        except BaseException:
            del waiting[mark:]  # the savepoint was rolled back, and what it wrote with it
            raise
        return
    waiting.clear()  # nothing outlives the transaction it was registered in
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        waiting.clear()
        raise
    callbacks, waiting[:] = list(waiting), []
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The change is committed: a failing listener must not make it look failed.
            log.exception("a listener failed after a commit")


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def connect(path: str | Path, *, migrate: bool = True) -> Database:
    """A connection to the store at `path` (":memory:" for tests), schema up to date."""
    try:
        db = Database(memory=True) if str(path) == ":memory:" else Database(str(path))
        db.conn.execute("PRAGMA foreign_keys = ON")
        # Readers and a writer in another process wait rather than fail: a 100,000-row import
        # holds the write lock for about 20 s on a 2-core machine.
        db.conn.execute("PRAGMA busy_timeout = 30000")
        # 32 MB of page cache, not SQLite's 2 MB: at a million events /event N's p99 fell from
        # 5.9 to 2.6 ms in the benchmark; the bot's peak memory was 65 MB before it.
        db.conn.execute("PRAGMA cache_size = -32768")
        if str(path) != ":memory:":
            db.enable_wal()
            db.conn.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            migrations.apply(db)
            refresh_place_keys(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    return db


def refresh_place_keys(db: Database) -> bool:
    """Rebuild the stored region and place keys if the gazetteer changed since they were
    made; True when it did. One indexed read otherwise.

    The gazetteer is read (and checked) here, once per process: a broken data file stops
    the start, and the first reader to name a place does not wait for it.

    Keys live in three places: events (region_key, place_key), alerts not yet fanned out
    (theirs), and subscriptions (the area key of what the reader typed). A subscription whose
    new key equals another of the same chat and topic ("Kiev" and "Kyiv") merges into it.
    """
    gazetteer()
    wanted = fingerprint()
    row = db.conn.execute("SELECT fingerprint FROM place_keys WHERE id = 1").fetchone()
    if row is not None and row[0] == wanted:
        return False
    conn = db.conn
    conn.create_function("sitrep_region_key", 1, region_key, deterministic=True)
    conn.create_function("sitrep_place_key", 1, place_key, deterministic=True)
    with write_transaction(db):
        conn.execute(
            "UPDATE events SET region_key = sitrep_region_key(region), "
            "place_key = sitrep_place_key(place) "
            "WHERE region_key != sitrep_region_key(region) OR place_key != sitrep_place_key(place)"
        )
        conn.execute(
            "UPDATE alerts SET region_key = e.region_key, place_key = e.place_key "
            "FROM events AS e WHERE e.id = alerts.event_id AND alerts.fanned_out_at IS NULL "
            "AND (alerts.region_key != e.region_key OR alerts.place_key != e.place_key)"
        )
        rows = conn.execute(
            "SELECT chat_id, topic, region, region_label, created_at FROM subscriptions "
            "WHERE region != ''"
        ).fetchall()
        moved = [(row, area_key(row[3] or row[2])) for row in rows]
        moved = [(row, key) for row, key in moved if key != row[2]]
        # All out, then all in: a key moving onto one that itself moves never loses a row.
        conn.executemany(
            "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ? AND region = ?",
            [row[:3] for row, _ in moved],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO subscriptions (chat_id, topic, region, region_label, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            [(chat_id, topic, key, label, at) for (chat_id, topic, _, label, at), key in moved],
        )
        conn.execute("INSERT OR REPLACE INTO place_keys (id, fingerprint) VALUES (1, ?)", (wanted,))
    return True
