"""Bounded growth: old delivery rows, compacted into who was told of what.

Every send leaves a `deliveries` row: a year of 20 alerts a day to 10,000 subscribers is 73
million of them, and start-up's integrity check and every backup read them all. After the
retention period (SITREP_DELIVERY_RETENTION_DAYS) what is still needed of a finished row is
only this: which chats were told of an event, so that a correction reaches them
(storage.outbox's audience of an `incident_correction`). That is kept per event in `told`,
the chats as one blob (sorted ids, delta-encoded varints: about 3 bytes a chat instead of a
row of about 60 bytes plus its index entry); the rows go. Failed and skipped rows told no one
and simply go, as do finished quiet-hours and digest summaries past the period.

Nothing pending is touched, however old (a delivery held for quiet hours waits for its
summary). The work is done in short transactions, `batch` rows each, so the write lock is
never held for long, and `compaction` yields between them for the caller to let others in.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from storage.db import write_transaction
from storage.timeparse import iso_utc

DEFAULT_RETENTION_DAYS = 90
# Rows per transaction: a few tens of milliseconds of write lock on a 2-core machine.
BATCH = 2_000


def encode_chats(chat_ids: Iterable[int]) -> bytes:
    """Sorted distinct chat ids as varints: the first zigzag-encoded (group ids are
    negative), then each gap to the next."""
    out = bytearray()
    previous: int | None = None
    for chat_id in sorted(set(chat_ids)):
        value = (chat_id << 1) ^ (chat_id >> 63) if previous is None else chat_id - previous
        previous = chat_id
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


def decode_chats(blob: bytes) -> list[int]:
    chats: list[int] = []
    value = shift = 0
    for byte in blob:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        if chats:
            chats.append(chats[-1] + value)
        else:
            chats.append((value >> 1) ^ -(value & 1))
        value = shift = 0
    return chats


def told_chats(db: Database, event_id: str) -> list[int]:
    """The chats told of an event in compacted deliveries, under their ids of today (a
    group that became a supergroup since is named by its new id)."""
    row = db.conn.execute("SELECT chats FROM told WHERE event_id = ?", (event_id,)).fetchone()
    if row is None:
        return []
    moves = dict(db.conn.execute("SELECT old_id, new_id FROM chat_moves").fetchall())
    result = set()
    for chat_id in decode_chats(row[0]):
        for _ in range(8):  # a chain of moves, never a loop
            if chat_id not in moves:
                break
            chat_id = moves[chat_id]
        result.add(chat_id)
    return sorted(result)


def told_json(db: Database, event_id: str) -> str:
    """told_chats as a JSON list, for SQL's json_each."""
    return json.dumps(told_chats(db, event_id))


@dataclass
class Compacted:
    """What one compaction did."""

    deliveries: int = 0  # rows removed
    told: int = 0  # chats recorded as told (sent rows folded into `told`)
    summaries: int = 0  # finished summaries removed
    transactions: int = 0
    longest: float = 0.0  # seconds, the longest write transaction


def compaction(
    db: Database, now: datetime, retention_days: int, *, batch: int = BATCH
) -> Iterator[Compacted]:
    """Compact what finished more than `retention_days` before `now`, one short transaction
    per step; yields the running totals after each (the caller may pause there)."""
    cutoff = iso_utc(now - timedelta(days=retention_days))
    done = Compacted()
    after_alert = 0
    while True:
        row = db.conn.execute(
            # Read before any lock is taken: an alert already compacted costs no write.
            "SELECT id, event_id FROM alerts a WHERE id > ? AND created_at < ? "
            "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id "
            "AND d.state != 'pending') ORDER BY id LIMIT 1",
            (after_alert, cutoff),
        ).fetchone()
        if row is None:
            break
        alert_id, event_id = row
        after_alert = alert_id
        after_chat: int | None = None
        while True:
            started = time.perf_counter()
            with write_transaction(db):
                removed, told, after_chat = _fold(db, alert_id, event_id, after_chat, batch)
            _count(done, started)
            done.deliveries += removed
            done.told += told
            if removed:
                yield done
            if after_chat is None:
                break
    while True:
        started = time.perf_counter()
        with write_transaction(db):
            removed = db.conn.execute(
                "DELETE FROM summaries WHERE id IN (SELECT id FROM summaries "
                "WHERE state != 'pending' AND created_at < ? LIMIT ?)",
                (cutoff, batch),
            ).rowcount
        _count(done, started)
        done.summaries += removed
        if removed:
            yield done
        if removed < batch:
            break


def _fold(
    db: Database, alert_id: int, event_id: str, after: int | None, batch: int
) -> tuple[int, int, int | None]:
    """Up to `batch` finished rows of one alert (chat ids above `after`) into `told`, and
    away. (rows removed, chats told, the last chat id or None when the alert is done)."""
    rows = db.conn.execute(
        "SELECT chat_id, state FROM deliveries WHERE alert_id = ? AND chat_id > ? "
        "AND state != 'pending' ORDER BY chat_id LIMIT ?",
        (alert_id, -(2**63) if after is None else after, batch),
    ).fetchall()
    if not rows:
        return 0, 0, None
    sent = [chat_id for chat_id, state in rows if state == "sent"]
    if sent:
        known = db.conn.execute("SELECT chats FROM told WHERE event_id = ?", (event_id,)).fetchone()
        chats = set(sent) | set(decode_chats(known[0]) if known else ())
        db.conn.execute(
            "INSERT INTO told (event_id, chats, chat_count, last_alert_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (event_id) DO UPDATE SET chats = excluded.chats, "
            "chat_count = excluded.chat_count, "
            "last_alert_id = max(last_alert_id, excluded.last_alert_id)",
            (event_id, encode_chats(chats), len(chats), alert_id),
        )
    first, last = rows[0][0], rows[-1][0]
    removed = db.conn.execute(
        "DELETE FROM deliveries WHERE alert_id = ? AND chat_id BETWEEN ? AND ? "
        "AND state != 'pending'",
        (alert_id, first, last),
    ).rowcount
    return removed, len(sent), last if len(rows) == batch else None


def _count(done: Compacted, started: float) -> None:
    done.transactions += 1
    done.longest = max(done.longest, time.perf_counter() - started)


def compact(db: Database, now: datetime, retention_days: int, *, batch: int = BATCH) -> Compacted:
    """The whole compaction at once (the command line, tests, the bench)."""
    done = Compacted()
    for step in compaction(db, now, retention_days, batch=batch):
        done = step
    return done


@dataclass(frozen=True)
class Sizes:
    """What `sitrep status` shows of the store's growth."""

    deliveries: int  # rows of the outbox's deliveries
    told_events: int  # compacted: events with chats told
    told_chats: int  # compacted: (event, chat) pairs they hold
    file_bytes: int
    wal_bytes: int


def sizes(db: Database, path: str | Path) -> Sizes:
    count = db.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0]
    told = db.conn.execute("SELECT count(*), coalesce(sum(chat_count), 0) FROM told").fetchone()
    return Sizes(count, told[0], told[1], _bytes(str(path)), _bytes(f"{path}-wal"))


def _bytes(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
