"""Readers during an import: `sitrep run` as a process against the stand-in over HTTP, an
ACLED import of 100,000 rows in another process, and readers sending /talks throughout.

Each /talks is timed from the update being queued at the stand-in until its reply arrives
there; one not answered within LOST_AFTER seconds counts as lost. Beside them, a probe
connection in this process tries to take the write lock (BEGIN IMMEDIATE, no busy wait)
every few milliseconds: the longest stretch it could not is the longest write-lock hold
the import made (to within the probe's step).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.commands import percentile
from bench.datasets import remove_db
from bench.importing import ROWS, acled_file
from bench.live import TimedFake, bot_env, close_live, open_live
from standin import SentMessage

READERS = 20
EVERY = 0.25  # seconds between two readers' /talks
LOST_AFTER = 30.0
PROBE_STEP = 0.005


@dataclass
class ImportReaders:
    rows: int
    import_seconds: float
    latencies: list[float] = field(default_factory=list)  # answered /talks, seconds
    lost: int = 0
    longest_hold: float = 0.0  # seconds the write lock was held without a break
    holds_over_1s: int = 0

    @property
    def sent(self) -> int:
        return len(self.latencies) + self.lost

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


class LockProbe(threading.Thread):
    """Measures how long, at a stretch, another connection could not take the write lock."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.holds: list[float] = []

    def run(self) -> None:
        conn = sqlite3.connect(self.db, isolation_level=None, timeout=0)
        blocked_since: float | None = None
        try:
            while not self.stop.is_set():
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                    if blocked_since is not None:
                        self.holds.append(time.monotonic() - blocked_since)
                        blocked_since = None
                except sqlite3.OperationalError:
                    if blocked_since is None:
                        blocked_since = time.monotonic()
                self.stop.wait(PROBE_STEP)
        finally:
            if blocked_since is not None:
                self.holds.append(time.monotonic() - blocked_since)
            conn.close()


def run(work: Path, rows: int = ROWS, log: Callable[[str], None] = print) -> ImportReaders:
    csv_path = acled_file(rows)
    db = work / "import-readers.db"
    remove_db(db)
    live = open_live(db)
    fake = live.fake
    try:
        live.start()
        live.wait_polling()
        chats = [7000 + i for i in range(READERS)]
        for chat in chats:  # known readers: each has written once before the import
            fake.start_bot(chat)
            fake.push(fake.message_update("/start", chat_id=chat))
        if not fake.wait_for_blocking(lambda _: all(fake.messages_for(c) for c in chats), 60):
            raise RuntimeError("the readers were not answered before the import")
        probe = LockProbe(db)
        probe.start()
        started = time.monotonic()
        importer = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "import", str(csv_path)],
            env=bot_env(db, live.url),
            cwd=db.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        result = ImportReaders(rows, 0.0)
        pending: list[tuple[int, int, float]] = []  # chat, replies before, queued at
        i = 0
        while importer.poll() is None:
            chat = chats[i % READERS]
            i += 1
            pending.append((chat, len(fake.messages_for(chat)), time.monotonic()))
            fake.push(fake.message_update("/talks", chat_id=chat))
            time.sleep(EVERY)
            pending = _collect(fake, pending, result, wait=False)
        result.import_seconds = time.monotonic() - started
        _collect(fake, pending, result, wait=True)
        probe.stop.set()
        probe.join()
        if importer.returncode != 0:
            err = importer.stderr.read().decode() if importer.stderr else ""
            raise RuntimeError(f"the import failed: {err[-2000:]}")
        result.longest_hold = max(probe.holds, default=0.0)
        result.holds_over_1s = sum(1 for h in probe.holds if h > 1.0)
    finally:
        close_live(live)
        remove_db(db)
    log(
        f"import-readers: {result.rows:,}-row ACLED import in {result.import_seconds:.1f} s; "
        f"/talks answered {len(result.latencies)} of {result.sent}, "
        f"p50 {result.p(0.5) * 1000:.0f} ms, p99 {result.p(0.99) * 1000:.0f} ms, "
        f"max {max(result.latencies, default=0) * 1000:.0f} ms; "
        f"longest write-lock hold {result.longest_hold:.1f} s"
    )
    return result


def _collect(
    fake: TimedFake, pending: list[tuple[int, int, float]], result: ImportReaders, *, wait: bool
) -> list[tuple[int, int, float]]:
    """Time the /talks answered so far (each reply's arrival at the stand-in); with `wait`,
    wait up to LOST_AFTER for the rest, and count what never came as lost."""
    still: list[tuple[int, int, float]] = []
    for chat, before, queued in pending:
        replies = fake.messages_for(chat)
        if len(replies) <= before and wait:
            fake.wait_for_blocking(
                _more_than(fake, chat, before), max(0.0, queued + LOST_AFTER - time.monotonic())
            )
            replies = fake.messages_for(chat)
        if len(replies) > before:
            result.latencies.append(replies[before].at - queued)
        elif wait or time.monotonic() - queued > LOST_AFTER:
            result.lost += 1
        else:
            still.append((chat, before, queued))
    return still


def _more_than(fake: TimedFake, chat: int, count: int) -> Callable[[list[SentMessage]], bool]:
    return lambda _: len(fake.messages_for(chat)) > count
