"""A year of deliveries: the file's size and start-up after a crash, with and without the
compaction of old delivery rows (storage.retention, SITREP_DELIVERY_RETENTION_DAYS=90).

Simulated, and scaled. A year of 20 alerts a day to 10,000 subscribers is 73 million
delivery rows: too long to write on this machine. Rows are written straight into the
migrated schema as the engine leaves them (one `deliveries` row per alert and chat, sent,
with sent_at and message_id), for 10,000 subscribers, but 1 alert a day instead of 20: 365
alerts, 3.65 million rows (scale 1/20). Each alert is a new incident (the worst case for
`told`: nothing is shared between alerts). Two files get the same rows day by day; one is
also compacted as the daily job does it, with the real code and a simulated clock.

The file sizes scale with the number of alerts (rows and `told` lists both grow linearly
in it), so the full-year figure is the measured one times 20. Start-up after a crash (no
clean stop vouches for the file, so `PRAGMA quick_check` reads all of it) is measured on
the scaled files; for the full year it is extrapolated from the measured check's time per
byte, times the full-scale size (stated as an estimate).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from bench import process
from storage.db import connect
from storage.retention import compact

SUBSCRIBERS = 10_000
ALERTS_A_DAY_REAL = 20
DAYS = 365
RETENTION = 90
START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


@dataclass
class Store:
    label: str
    deliveries: int = 0
    told_chats: int = 0
    file_bytes: int = 0
    quick_check: float = 0.0
    startup: float = 0.0  # first getUpdates after a crash (full check), seconds

    def full_bytes(self, scale: int) -> int:
        return self.file_bytes * scale

    def full_startup(self, scale: int) -> float:
        """Start-up with the full year's file: the check's time grows with the bytes."""
        return self.startup + self.quick_check * (scale - 1)


@dataclass
class Growth:
    subscribers: int
    alerts_a_day: int
    days: int
    scale: int  # the real year has `scale` times the alerts
    build_seconds: float = 0.0
    compaction_seconds: float = 0.0  # all the daily runs together
    longest_transaction: float = 0.0
    compacted_rows: int = 0
    stores: list[Store] = field(default_factory=list)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(
    work: Path,
    *,
    days: int = DAYS,
    subscribers: int = SUBSCRIBERS,
    alerts_a_day: int = 1,
    log: Callable[[str], None] = print,
) -> tuple[Growth, dict[str, Path]]:
    """The two files, day by day; the compaction's time and longest transaction."""
    growth = Growth(subscribers, alerts_a_day, days, ALERTS_A_DAY_REAL // alerts_a_day)
    paths = {"kept": work / "growth-kept.db", "compacted": work / "growth-compacted.db"}
    for path in paths.values():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    dbs = {name: connect(path) for name, path in paths.items()}
    for db in dbs.values():
        # Writing speed only (a bench file, rebuilt when lost); the layout is the same.
        db.conn.execute("PRAGMA synchronous = OFF")
        db.conn.execute("PRAGMA cache_size = -200000")
    rng = random.Random(7)
    # Private chat ids as Telegram hands them out: spread over a few billion.
    chats = sorted(rng.sample(range(100_000_000, 7_000_000_000), subscribers))
    now = _iso(START)
    for db in dbs.values():
        with db.conn:
            db.conn.executemany(
                "INSERT INTO chats (id, type, created_at, updated_at) VALUES (?, 'private', ?, ?)",
                [(c, now, now) for c in chats],
            )
            db.conn.executemany(
                "INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, 'incidents', ?)",
                [(c, now) for c in chats],
            )
    started = time.perf_counter()
    number = 0
    for day in range(days):
        moment = START + timedelta(days=day)
        for _ in range(alerts_a_day):
            number += 1
            for db in dbs.values():
                _one_alert(db, number, moment, chats)
        if "compacted" in dbs:
            t = time.perf_counter()
            done = compact(dbs["compacted"], moment + timedelta(hours=12), RETENTION)
            growth.compaction_seconds += time.perf_counter() - t
            growth.longest_transaction = max(growth.longest_transaction, done.longest)
            growth.compacted_rows += done.deliveries
        if day % 30 == 29:
            log(f"growth: day {day + 1} of {days} written")
    growth.build_seconds = time.perf_counter() - started - growth.compaction_seconds
    for db in dbs.values():
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    return growth, paths


def _one_alert(db: Database, number: int, moment: datetime, chats: list[int]) -> None:
    conn = db.conn
    at = _iso(moment)
    ident = f"strike-{number}"
    with conn:
        conn.execute(
            "INSERT INTO events (id, number, kind, title, status, start, time_precision, "
            "timezone, place, region, country, sources, start_utc, end_utc, region_key, "
            "place_key, updated_at) VALUES (?, ?, 'incident', ?, 'reported', ?, 'day', "
            "'Europe/Kyiv', 'Kharkiv', 'Kharkiv Oblast', 'Ukraine', '[{\"name\": \"bench\"}]', "
            "?, ?, 'kharkiv', 'kharkiv/kharkiv', ?)",
            (ident, number, f"Strike {number}", moment.date().isoformat(), at, at, at),
        )
        alert = conn.execute(
            "INSERT INTO alerts (event_id, kind, topic, region_key, place_key, sequence, "
            "payload, created_at, fanned_out_at) VALUES (?, 'incident_new', 'incidents', "
            "'kharkiv', 'kharkiv/kharkiv', 1, '{}', ?, ?)",
            (ident, at, at),
        ).lastrowid
        sent = _iso(moment + timedelta(minutes=6))
        conn.executemany(
            "INSERT INTO deliveries (alert_id, chat_id, state, attempts, sent_at, message_id) "
            "VALUES (?, ?, 'sent', 1, ?, ?)",
            [(alert, c, sent, number * 7 + i) for i, c in enumerate(chats)],
        )


def measure(
    growth: Growth, paths: dict[str, Path], *, log: Callable[[str], None] = print
) -> Growth:
    for name, path in paths.items():
        db = connect(path)
        deliveries = int(db.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0])
        told = int(db.conn.execute("SELECT coalesce(sum(chat_count), 0) FROM told").fetchone()[0])
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        store = Store(name, deliveries, told, path.stat().st_size)
        started = process.startup(path, runs=1, log=log)
        store.quick_check, store.startup = started.quick_check, started.first
        growth.stores.append(store)
        log(
            f"growth ({name}): {deliveries:,} rows, {told:,} chats told, "
            f"{store.file_bytes / 1e6:.0f} MB; quick_check {store.quick_check:.2f} s, "
            f"start-up after a crash {store.startup:.2f} s"
        )
    return growth


def run(
    work: Path,
    *,
    days: int = DAYS,
    subscribers: int = SUBSCRIBERS,
    log: Callable[[str], None] = print,
) -> Growth:
    growth, paths = build(work, days=days, subscribers=subscribers, log=log)
    try:
        return measure(growth, paths, log=log)
    finally:
        for path in paths.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def section(g: Growth) -> list[str]:
    """The growth figures for results.md."""
    rows = g.days * g.alerts_a_day * g.subscribers
    out = [
        "",
        "## Growth: a year of deliveries",
        "",
        f"Simulated, scaled 1/{g.scale}: rows written straight into the schema for "
        f"{g.subscribers:,} subscribers and {g.alerts_a_day} alert a day (a new incident each) "
        f"for {g.days} days, {rows:,} delivery rows, instead of {ALERTS_A_DAY_REAL} a day "
        f"({rows * g.scale:,} rows). One file keeps every row; the other is compacted daily "
        f"by the real code (retention {RETENTION} days). Sizes at full scale are the measured "
        f"ones times {g.scale} (linear in alerts); start-up at full scale is an estimate: the "
        "measured start plus the measured full check's time per byte for the missing bytes.",
        "",
        "| File | Delivery rows | Chats told (compacted) | File (measured) | File (full year) "
        "| quick_check | Start-up after a crash (measured) | Start-up, full year (estimate) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in g.stores:
        out.append(
            f"| {s.label} | {s.deliveries:,} | {s.told_chats:,} | {s.file_bytes / 1e6:.0f} MB "
            f"| {s.full_bytes(g.scale) / 1e9:.2f} GB | {s.quick_check:.2f} s "
            f"| {s.startup:.2f} s | {s.full_startup(g.scale):.1f} s |"
        )
    out += [
        "",
        f"Compaction: {g.compacted_rows:,} rows in {g.compaction_seconds:.1f} s over the "
        f"{g.days} daily runs ({g.compacted_rows / max(g.compaction_seconds, 1e-9):,.0f} "
        f"rows/s); the longest write transaction {g.longest_transaction * 1000:.0f} ms. "
        f"Writing the rows took {g.build_seconds:.0f} s.",
    ]
    return out
