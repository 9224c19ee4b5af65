"""Generated stores, built once and cached under bench/data/ (gitignored).

A world of N events is built through the project's own paths: ACLED rows mapped and checked by
`storage.acled.check_row` and written by `EventStore.write_many` (the bulk path of
`sitrep import`), talks rounds moved by `storage.schedule.reschedule` (what `sitrep
reschedule` runs), statements through `write_many`. Nobody is alerted: the world is history.

Building 1,000,000 events takes a few minutes, so a second process generates and checks the
rows while this one writes them (two cores, two stages). The file is named by size and
`GENERATOR_VERSION`; a finished file is renamed into place, so a half-built one is never used.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.world import (
    BENCH_NOW,
    GENERATOR_VERSION,
    composition,
    incident_rows,
    insert_subscribers,
    statements,
    subscribers,
    talks_rounds,
)
from storage.db import connect
from storage.events import EventStore
from storage.schedule import RescheduleRequest, reschedule
from storage.timeparse import iso_utc

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 1
CHUNK = 5000
ACLED_FILE = "acled-ukraine-2022-2026.csv"
# Below this many incidents a second process costs more than it saves.
IN_PROCESS = 20_000

Log = Callable[[str], None]


def world_path(total: int) -> Path:
    return DATA_DIR / f"world-{total}-v{GENERATOR_VERSION}.db"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure_world(total: int, log: Log = print) -> Path:
    """The cached world of `total` events, built first if there is none; schema up to date."""
    path = world_path(total)
    if path.exists():
        connect(path).close()  # applies any newer migration (e.g. an index) to the cache
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    remove_db(building)
    started = time.perf_counter()
    build_world(total, building, log=log)
    os.replace(building, path)
    log(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def copy_world(total: int, target: Path, log: Log = print) -> Path:
    """A scratch copy of a cached world, for benchmarks that write to it."""
    source = ensure_world(total, log)
    remove_db(target)
    shutil.copyfile(source, target)
    return target


def build_world(total: int, path: Path, *, seed: int = SEED, log: Log = print) -> None:
    comp = composition(total)
    db = connect(path)
    clock_now = [BENCH_NOW]
    store = EventStore(db, clock=lambda: clock_now[0])
    with store.muted():
        _write_incidents(store, comp.incidents, seed, log)
        log(f"  {comp.talks} talks rounds, {comp.statements} statements")
        rounds = talks_rounds(comp.talks, seed)
        store.write_many(
            [r.record for r in rounds], author="os:curator", reason="announced by the parties"
        )
        for rnd in rounds:
            moved_at = datetime.fromisoformat(rnd.record["start"][:10]).replace(
                tzinfo=BENCH_NOW.tzinfo
            )
            for start, end, reason in rnd.moves:
                clock_now[0] = moved_at - timedelta(days=1)
                source = {"name": rnd.record["sources"][0]["name"]}
                reschedule(
                    store,
                    rnd.record["id"],
                    RescheduleRequest(start=start, end=end, reason=reason, source=source),
                    author="os:curator",
                )
                moved_at = datetime.fromisoformat(start).replace(tzinfo=BENCH_NOW.tzinfo)
            if rnd.final_status:
                clock_now[0] = moved_at + timedelta(days=1)
                store.update(
                    rnd.record["id"],
                    {"status": rnd.final_status},
                    author="os:curator",
                    reason="both sides confirmed"
                    if rnd.final_status == "held"
                    else "called off by the host",
                )
        clock_now[0] = BENCH_NOW
        store.write_many(
            statements(comp.statements, seed), author="os:curator", reason="curated statements"
        )
    chats = subscribers(comp.subscribers, seed)
    insert_subscribers(db, chats, iso_utc(BENCH_NOW))
    log(f"  {len(chats)} subscribers")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _write_incidents(store: EventStore, count: int, seed: int, log: Log) -> None:
    """ACLED rows generated and checked in a second process, written here as they come."""
    if count <= IN_PROCESS:
        for batch in checked_batches(count, seed):
            store.write_many(
                batch, author=f"file:{ACLED_FILE}", reason=f"import {ACLED_FILE}", validated=True
            )
        return
    ctx = multiprocessing.get_context("spawn")
    queue: Any = ctx.Queue(maxsize=6)
    producer = ctx.Process(target=produce_incidents, args=(count, seed, queue), daemon=True)
    producer.start()
    written = 0
    next_report = 100_000
    try:
        while (batch := queue.get()) is not None:
            if isinstance(batch, str):
                raise RuntimeError(f"generated ACLED row failed its checks: {batch}")
            store.write_many(
                batch,
                author=f"file:{ACLED_FILE}",
                reason=f"import {ACLED_FILE}",
                validated=True,
            )
            written += len(batch)
            if written >= next_report:
                log(f"  {written:,} of {count:,} incidents written")
                next_report += 100_000
    finally:
        producer.join(timeout=30)
        if producer.is_alive():
            producer.kill()


def checked_batches(count: int, seed: int) -> Iterator[list[dict[str, Any]]]:
    """The world's incidents, mapped and checked as `sitrep import` does, in chunks.

    Raises ValueError naming the first row that fails a check.
    """
    from storage.acled import check_row

    batch: list[dict[str, Any]] = []
    for row in incident_rows(count, seed):
        record, errors = check_row(row)
        if errors:
            raise ValueError(f"{row['event_id_cnty']}: {'; '.join(str(e) for e in errors)}")
        batch.append(record)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def produce_incidents(count: int, seed: int, queue: Any) -> None:
    """The second process: checked chunks into the queue, then None (or the error's text)."""
    try:
        for batch in checked_batches(count, seed):
            queue.put(batch)
    except ValueError as exc:
        queue.put(str(exc))
        return
    queue.put(None)
