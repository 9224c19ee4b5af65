"""`sitrep run` on the 1,000,000-event world: start-up time, and peak memory under load.

Start-up: from just before the process is started to the stand-in answering its first
getUpdates, three times on a fresh copy of the file: the first start finds no clean stop
vouching for the file (as after a crash, a restore or a copy) and checks it in full, the
next two follow a clean stop. Beside it what the start does that grows with the file (SQLite's
`PRAGMA quick_check`, as `storage.maintenance.quick_check` runs it) and the interpreter with
the bot's imports alone.

Memory: the bot's VmHWM (peak resident set, /proc/PID/status) after a talks alert fans out to
the world's talks subscribers (60% of 100,000 chats) for 20 seconds while readers send
commands, one new reader a command.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.commands import SEARCHES, TYPED_AREAS
from bench.live import LiveBot, close_live, open_live, proc_status
from storage.db import connect
from storage.maintenance import quick_check

LOAD_SECONDS = 20.0
# Readers who write during the fan-out: chat ids no subscriber of the world has.
READERS = 50_000_000


@dataclass
class StartupResult:
    runs: list[float]
    quick_check: float
    imports: float
    events: int

    @property
    def first(self) -> float:
        """The first start on the copied file: nothing vouches for it, so a full check."""
        return self.runs[0]

    @property
    def restart(self) -> float:
        """The median start after a clean stop (the usual restart)."""
        later = sorted(self.runs[1:]) or self.runs
        return later[len(later) // 2]

    @property
    def median(self) -> float:
        return sorted(self.runs)[len(self.runs) // 2]


def startup(db: Path, runs: int = 3, log: Callable[[str], None] = print) -> StartupResult:
    conn = connect(db)
    events = int(conn.conn.execute("SELECT count(*) FROM events").fetchone()[0])
    conn.close()
    started = time.perf_counter()
    quick_check(db)
    check = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import bot.runner, bot.app, bot.cli"],
        check=True,
    )
    imports = time.perf_counter() - started
    times = []
    bot = open_live(db)
    try:
        for _ in range(runs):
            bot.start()
            first_poll = bot.wait_polling()
            times.append(first_poll - bot.started_at)
            bot.stop()
    finally:
        close_live(bot)
    result = StartupResult(times, check, imports, events)
    log(
        f"start-up at {events:,} events: {', '.join(f'{t:.2f}' for t in times)} s "
        f"(quick_check {check:.2f} s, interpreter and imports {imports:.2f} s)"
    )
    return result


@dataclass
class MemoryResult:
    events: int
    subscribers: int
    recipients: int
    sent: int
    commands: int
    answered: int
    peak_rss_mb: float
    rss_mb: float


def memory(db: Path, talks_round: str, log: Callable[[str], None] = print) -> MemoryResult:
    conn = connect(db)
    events = int(conn.conn.execute("SELECT count(*) FROM events").fetchone()[0])
    subs = int(conn.conn.execute("SELECT count(*) FROM chats").fetchone()[0])
    conn.close()
    bot = open_live(db)
    rng = random.Random(11)
    commands = 0
    try:
        bot.start()
        bot.wait_polling()
        assert bot.proc is not None
        new_day = (datetime.now(UTC) + timedelta(days=12)).date().isoformat()
        changed = time.monotonic()
        bot.cli("reschedule", talks_round, "--start", new_day, "--reason", "benchmark")
        until = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < until:
            bot.fake.push(bot.fake.message_update(_reader_command(rng), chat_id=READERS + commands))
            commands += 1
            time.sleep(0.05)
        time.sleep(1.0)
        status = proc_status(bot.proc.pid)
        messages = [m for m in bot.fake.snapshot_sent() if m.at >= changed]
        readers = range(READERS, READERS + commands)
        sent = sum(1 for m in messages if m.chat_id not in readers)
        answered = len({m.chat_id for m in messages if m.chat_id in readers})
    finally:
        close_live(bot)
    conn = connect(db)
    recipients = int(conn.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0])
    conn.close()
    result = MemoryResult(
        events,
        subs,
        recipients,
        sent,
        commands,
        answered,
        status["VmHWM"] / 1024,
        status["VmRSS"] / 1024,
    )
    log(
        f"memory: peak RSS {result.peak_rss_mb:.0f} MB (now {result.rss_mb:.0f} MB), "
        f"{events:,} events, alert to {recipients:,} chats, {sent} sent, "
        f"{answered}/{commands} commands answered"
    )
    return result


def _reader_command(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return "/talks"
    if roll < 0.5:
        return f"/incidents {rng.choice(TYPED_AREAS)[0]}"
    if roll < 0.7:
        return f"/search {rng.choice(SEARCHES)[0]}"
    if roll < 0.85:
        return f"/event {rng.randint(1, 1_000_000)}"
    return "/incidents"


def talks_round_to_move(db: Path) -> str:
    conn = connect(db)
    try:
        row = conn.conn.execute(
            "SELECT id FROM events WHERE kind = 'talks' ORDER BY start_utc DESC LIMIT 1"
        ).fetchone()
        return str(row[0])
    finally:
        conn.close()


__all__ = ["LiveBot", "memory", "startup", "talks_round_to_move"]
