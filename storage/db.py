"""Opening the database: WAL, foreign keys on every connection, migrations applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def connect(path: str | Path, *, migrate: bool = True) -> Database:
    """A connection to the store at `path` (":memory:" for tests), schema up to date."""
    try:
        db = Database(memory=True) if str(path) == ":memory:" else Database(str(path))
        db.conn.execute("PRAGMA foreign_keys = ON")
        # Readers and a writer in another process (sitrep import) wait rather than fail.
        db.conn.execute("PRAGMA busy_timeout = 10000")
        if str(path) != ":memory:":
            db.enable_wal()
            db.conn.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    return db
