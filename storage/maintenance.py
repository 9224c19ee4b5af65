"""Keeping the database file healthy: integrity checks, online backups, restores, a lock."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storage.db import StoreError


class CorruptDatabase(StoreError):
    """The file fails SQLite's own check; the message says what to do."""


class DatabaseBusy(StoreError):
    """Another process (the running bot) holds the database's lock."""


def quick_check(path: str | Path) -> None:
    """Raise CorruptDatabase unless `PRAGMA quick_check` says ok (a missing file is fine)."""
    if str(path) == ":memory:" or not Path(path).exists():
        return
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(_restore_advice(path, str(exc))) from None
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise CorruptDatabase(_restore_advice(path, detail))


def _clean_marker(path: str | Path) -> Path:
    return Path(f"{path}.clean")


def _fingerprint(path: str | Path) -> str:
    stat = Path(path).stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def check_at_start(path: str | Path) -> bool:
    """The start-up check: the full quick_check unless the file is exactly as a clean
    shutdown left it. True when the full check ran.

    quick_check reads every page (2.6 s for a million events on 2 cores), which would make
    every restart slow; after a clean stop nothing can have damaged the file in SQLite's
    sight, so a light check (the header and schema) suffices. A kill, a crash, or a file
    changed or replaced since (a restore, a copy) gets the full check.
    """
    marker = _clean_marker(path)
    clean = marker.exists() and Path(path).exists() and marker.read_text() == _fingerprint(path)
    marker.unlink(missing_ok=True)  # from here on, only a clean stop may vouch for the file
    if not clean:
        quick_check(path)
        return True
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(_restore_advice(path, str(exc))) from None
    return False


def mark_clean_stop(path: str | Path) -> None:
    """Vouch for the file as this clean shutdown leaves it (all connections closed)."""
    if Path(path).exists():
        _clean_marker(path).write_text(_fingerprint(path))


def _restore_advice(path: str | Path, detail: str) -> str:
    return (
        f"the database {path} is damaged ({detail}). Stop here: restore it from a backup with "
        f"`sitrep restore BACKUP_FILE` (backups are made with `sitrep backup PATH`)."
    )


@contextmanager
def _both(
    source: str | Path, target: str | Path
) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    """Connections to the file a backup copies from and the one it copies to, both closed
    after (the target first), whatever happens."""
    with closing(sqlite3.connect(str(source))) as src, closing(sqlite3.connect(str(target))) as dst:
        yield src, dst


def backup(source: str | Path, target: str | Path) -> int:
    """A consistent copy made with SQLite's online backup, safe while the bot writes."""
    target_path = Path(target)
    if target_path.exists():
        raise StoreError(f"{target} exists; choose a new file name")
    with _both(source, target_path) as (src, dst):
        # One step: in steps, every write by the running bot restarts the copy, and a busy
        # bot could keep it from ever finishing. WAL lets the bot write meanwhile.
        src.backup(dst)
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        target_path.unlink(missing_ok=True)
        raise StoreError(f"the backup failed its integrity check: {result}")
    return target_path.stat().st_size


def restore(backup_file: str | Path, target: str | Path) -> None:
    """Put a backup in place of the database; refused while the bot holds the lock."""
    quick_check(backup_file)
    if not Path(backup_file).exists():
        raise StoreError(f"no backup file {backup_file}")
    with hold_lock(target, purpose="restore"), _both(backup_file, target) as (src, dst):
        src.backup(dst)


@dataclass
class _Lock:
    handle: IO[str]

    def __enter__(self) -> _Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def hold_lock(db_path: str | Path, *, purpose: str) -> _Lock:
    """An exclusive lock beside the database (`<db>.lock`): one bot, and no restore under it."""
    lock_path = Path(f"{db_path}.lock")
    handle = lock_path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise DatabaseBusy(
            f"{db_path} is in use by {holder}; stop it first ({purpose} refused)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{purpose} (pid {os.getpid()})")
    handle.flush()
    return _Lock(handle)


@dataclass(frozen=True)
class Sends:
    """The outbox in three figures, for `sitrep status` and the health probe alike."""

    pending: int  # deliveries owed
    last_sent_at: str | None
    last_error: str | None  # the latest delivery's error, sent or still owed


def sends(conn: sqlite3.Connection) -> Sends:
    pending = conn.execute("SELECT count(*) FROM deliveries WHERE state = 'pending'").fetchone()
    last_sent = conn.execute("SELECT max(sent_at) FROM deliveries").fetchone()
    last_error = conn.execute(
        "SELECT error FROM deliveries WHERE error IS NOT NULL AND error != '' "
        "ORDER BY coalesce(sent_at, not_before, '') DESC LIMIT 1"
    ).fetchone()
    return Sends(int(pending[0]), last_sent[0], last_error[0] if last_error else None)


@dataclass(frozen=True)
class Health:
    events: int
    subscribers: int
    backlog: int
    last_delivery: str | None
    last_error: str | None
    size_bytes: int


def health(conn: sqlite3.Connection, path: str | Path) -> Health:
    """What `sitrep status` prints."""

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    outbox = sends(conn)
    return Health(
        events=count("SELECT count(*) FROM events"),
        subscribers=count("SELECT count(DISTINCT chat_id) FROM subscriptions"),
        backlog=outbox.pending,
        last_delivery=outbox.last_sent_at,
        last_error=outbox.last_error,
        size_bytes=Path(path).stat().st_size if Path(path).exists() else 0,
    )
