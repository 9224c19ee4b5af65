"""Alert fan-out through `sitrep run` (a separate process) and the stand-in over HTTP.

(a) Paced: one talks alert to 10,000 subscribers, the stand-in enforcing Telegram's limits
    (30 a second in all, 1 a second per chat, 20 a minute per group; 429 beyond). The first
    20 seconds of sends are counted from the first send, then the bot is stopped.
(c) Change to first send: another process (bench.writer, running storage.schedule.reschedule
    as `sitrep reschedule` does) moves a talks round; the clock runs from its commit to the
    stand-in answering the first sendMessage of the alert. About 20 changes, at random moments
    of the engine's 0.5 s poll.
"""

from __future__ import annotations

import math
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.datasets import remove_db
from bench.live import REPO, LiveBot, close_live, cpu_seconds, open_live
from bench.world import BENCH_NOW, Subscriber, insert_subscribers, subscribers, talks_rounds
from storage.db import connect
from storage.events import EventStore
from storage.timeparse import iso_utc

WINDOW = 20.0


def talks_store(path: Path, population: list[Subscriber]) -> str:
    """A new store at `path`: twenty talks rounds and `population`; the last round's id (the
    one a bench moves)."""
    remove_db(path)
    db = connect(path)
    store = EventStore(db, clock=lambda: BENCH_NOW)
    rounds = talks_rounds(20, seed=3)
    with store.muted():
        store.write_many([r.record for r in rounds], author="os:curator")
    insert_subscribers(db, population, iso_utc(BENCH_NOW))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return str(rounds[-1].record["id"])


def small_store(path: Path, chats: int, *, groups: bool = True) -> str:
    """Twenty talks rounds and `chats` subscribers (60% to talks); the id of a round to move."""
    population = [c for c in subscribers(chats, seed=3) if groups or c.type == "private"]
    return talks_store(path, population)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most events in any sliding window of `window` seconds."""
    ordered = sorted(times)
    best = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class PacedResult:
    recipients: int
    sent_in_window: int
    rate: float
    max_per_second: int
    rate_limited: int
    first_send_after: float  # seconds from the change to the first send


def paced(work: Path, log: Callable[[str], None] = print) -> PacedResult:
    db = work / "fanout.db"
    chats = round(10_000 / 0.6)
    round_id = small_store(db, chats)
    bot = open_live(db, enforce_limits=True)
    try:
        bot.start()
        bot.wait_polling()
        new_day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
        changed = time.monotonic()
        bot.cli("reschedule", round_id, "--start", new_day, "--reason", "benchmark")
        deadline = time.monotonic() + 60
        while not bot.fake.sends_since(changed) and time.monotonic() < deadline:
            time.sleep(0.01)
        sends = bot.fake.sends_since(changed)
        if not sends:
            raise RuntimeError("no alert was sent:\n" + bot.log.read_text()[-3000:])
        first = sends[0]
        time.sleep(max(0.0, first + WINDOW + 0.5 - time.monotonic()))
        bot.stop()
        window = [t for t in bot.fake.sends_since(first) if t < first + WINDOW]
        refused = [e for e in bot.fake.errors_returned if e[2] == 429]
    finally:
        close_live(bot)
    recipients = _recipients(db)
    result = PacedResult(
        recipients,
        len(window),
        len(window) / WINDOW,
        max_in_window(window),
        len(refused),
        first - changed,
    )
    log(
        f"paced fan-out to {recipients:,}: {result.rate:.2f}/s over {WINDOW:.0f} s, "
        f"max {result.max_per_second} in any second, {result.rate_limited} × 429"
    )
    return result


def _recipients(db_path: Path) -> int:
    db = connect(db_path)
    try:
        return int(db.conn.execute("SELECT count(*) FROM deliveries").fetchone()[0])
    finally:
        db.close()


def _wait_delivered(db_path: Path, timeout: float = 10.0) -> None:
    """Until the bot has no sends owed, so the next send is the next alert's."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            owed = conn.execute("SELECT count(*) FROM deliveries WHERE state = 'pending'")
            if owed.fetchone()[0] == 0:
                return
            time.sleep(0.02)
    finally:
        conn.close()
    raise RuntimeError("the previous alert was not delivered within 10 s")


@dataclass
class ChangeResult:
    variant: str
    latencies: list[float]
    idle_cpu_share: float  # of one core, while nothing happens


def change_to_first_send(
    work: Path,
    *,
    changes: int = 20,
    variant: str = "as shipped (0.5 s poll)",
    patch: tuple[str, ...] = (),
    log: Callable[[str], None] = print,
) -> ChangeResult:
    db = work / "change.db"
    # Private chats only: a group's 3 s gap would hold up the sends queued behind it (see
    # results.md), and this measures how soon the engine notices a change.
    round_id = small_store(db, 10, groups=False)
    bot = open_live(db)
    rng = random.Random(5)
    writer: subprocess.Popen[str] | None = None
    latencies: list[float] = []
    try:
        if patch:
            bot.start(sys.executable, "-m", "bench.patched_run", *patch, "run")
        else:
            bot.start()
        bot.wait_polling()
        assert bot.proc is not None
        time.sleep(1.0)  # start-up work done
        cpu_before, idle_from = cpu_seconds(bot.proc.pid), time.monotonic()
        time.sleep(5.0)
        idle = (cpu_seconds(bot.proc.pid) - cpu_before) / (time.monotonic() - idle_from)
        writer = subprocess.Popen(
            [sys.executable, "-m", "bench.writer", str(db)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdin is not None and writer.stdout is not None
        assert writer.stdout.readline().strip() == "READY"
        base = datetime.now(UTC).date() + timedelta(days=10)
        for i in range(changes):
            _wait_delivered(db)
            time.sleep(rng.uniform(1.2, 2.0))  # a random phase of the poll; chats' 1 s gap
            start = (base + timedelta(days=i % 2)).isoformat()
            writer.stdin.write(f"{round_id} {start}\n")
            writer.stdin.flush()
            committed = float(writer.stdout.readline().split()[1])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                sends = bot.fake.sends_since(committed)
                if sends:
                    latencies.append(sends[0] - committed)
                    break
                time.sleep(0.002)
            else:
                raise RuntimeError("no alert within 10 s:\n" + bot.log.read_text()[-3000:])
    finally:
        if writer is not None:
            if writer.stdin:
                writer.stdin.close()
            writer.wait(timeout=30)
        close_live(bot)
    ordered = sorted(latencies)
    log(
        f"change to first send, {variant}: p50 {ordered[len(ordered) // 2] * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms; idle CPU {idle:.1%} of a core"
    )
    return ChangeResult(variant, latencies, idle)


# --- Telegram at a distance -------------------------------------------------------------------

DISTANCES = (0.0, 0.05, 0.15, 0.3)  # round trips to the Bot API, seconds
JITTER = 0.01  # added to each way, uniformly 0..10 ms, when Telegram is at a distance
READERS = 20


@dataclass
class DistanceResult:
    rtt: float
    recipients: int
    delivered: int
    rate: float  # first to last alert send, as the stand-in counted them on arrival
    max_per_second: int
    rate_limited: int
    replies: list[float]  # /talks pushed to the reply's arrival, seconds (with readers)


def distance_store(path: Path, recipients: int) -> str:
    """Twenty talks rounds and `recipients` private chats subscribed to talks (every one of
    them alerted by a move of the last round); the id of that round."""
    population = [
        Subscriber(300_000_000 + i, "private", "", None, "1440,60", (("talks", ""),))
        for i in range(recipients)
    ]
    return talks_store(path, population)


def at_distance(
    work: Path,
    rtt: float,
    *,
    recipients: int = 600,
    readers: int = 0,
    log: Callable[[str], None] = print,
) -> DistanceResult:
    """One alert to `recipients` with the Bot API `rtt` away (plus jitter) and answering 429
    above 30 in any second; with `readers`, that many readers send /talks during it, one
    every 0.5 s from the first alert on, each timed until its reply reaches the stand-in."""
    db = work / f"distance-{int(rtt * 1000)}.db"
    round_id = distance_store(db, recipients)
    bot = open_live(db, enforce_limits=True)
    bot.fake.latency, bot.fake.jitter = rtt, (JITTER if rtt else 0.0)
    first_reader = 400_000_000
    replies: list[float] = []
    try:
        bot.start()
        bot.wait_polling()
        time.sleep(1.0)  # start-up calls done
        new_day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
        changed = time.monotonic()
        bot.cli("reschedule", round_id, "--start", new_day, "--reason", "benchmark")
        deadline = time.monotonic() + 60
        while not _alerts(bot, changed) and time.monotonic() < deadline:
            time.sleep(0.01)
        if not _alerts(bot, changed):
            raise RuntimeError("no alert was sent:\n" + bot.log.read_text()[-3000:])
        asked: list[tuple[int, float]] = []
        for i in range(readers):
            time.sleep(0.5)
            chat = first_reader + i
            asked.append((chat, time.monotonic()))
            bot.fake.push(bot.fake.message_update("/talks", chat_id=chat))
        deadline = time.monotonic() + recipients / 10 + 30
        while len(_alerts(bot, changed)) < recipients and time.monotonic() < deadline:
            time.sleep(0.05)
        for chat, pushed in asked:
            answers = [
                m.at for m in bot.fake.snapshot_sent() if m.chat_id == chat and m.at >= pushed
            ]
            replies.append(min(answers) - pushed if answers else math.inf)
        bot.stop()
        stamps = _alerts(bot, changed)
        refused = sum(1 for e in bot.fake.errors_returned if e[2] == 429)
    finally:
        close_live(bot)
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    result = DistanceResult(
        rtt, recipients, len(stamps), rate, max_in_window(stamps), refused, replies
    )
    line = (
        f"fan-out to {recipients} at {rtt * 1000:.0f} ms: {len(stamps)} sent, {rate:.2f}/s, "
        f"max {result.max_per_second} in any second, {refused} × 429"
    )
    if replies:
        ordered = sorted(replies)
        line += (
            f"; /talks during it: p50 {ordered[len(ordered) // 2]:.2f} s, "
            f"max {ordered[-1]:.2f} s (n={len(ordered)})"
        )
    log(line)
    return result


def _alerts(bot: LiveBot, after: float) -> list[float]:
    """Arrival times of the alert's sends (to subscribers, not readers) since `after`."""
    return sorted(
        m.at
        for m in bot.fake.snapshot_sent()
        if m.method == "sendMessage" and 300_000_000 <= m.chat_id < 400_000_000 and m.at >= after
    )


def distances(work: Path, log: Callable[[str], None] = print) -> list[DistanceResult]:
    runs = [at_distance(work, rtt, log=log) for rtt in DISTANCES]
    runs.append(at_distance(work, 0.15, readers=READERS, log=log))
    return runs
