"""Seen from outside: `sitrep run` as a process, a server that speaks the Bot API over HTTP,
and the median round trip of a command from the update being queued to the reply arriving."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from standin import FakeTelegram, ServerThread

AREAS = ("kharkiv", "donetsk", "zaporizhzhia", "dnipro", "kherson", "sumy", "odesa", "kyiv")
KINDS = ("/start", "/incidents", "/incidents AREA")


@dataclass
class Outside:
    events: int
    samples: dict[str, list[float]] = field(default_factory=dict)

    def median(self, kind: str) -> float:
        return statistics.median(self.samples[kind])

    def ratio(self, kind: str) -> float:
        return self.median(kind) / self.median("/start")


def round_trips(
    db: Path, events: int, rounds: int = 200, log: Callable[[str], None] = print
) -> Outside:
    fake = FakeTelegram(token="1:BENCH", username="sitrep_bench_bot")
    server = ServerThread(fake)
    url = server.start()
    env = dict(
        os.environ,
        SITREP_TOKEN=fake.token,
        SITREP_API_BASE_URL=url,
        SITREP_DB=str(db),
        SITREP_LOG_LEVEL="WARNING",
    )
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], env=env, stderr=subprocess.DEVNULL
    )
    rng = random.Random(5)
    result = Outside(events, {kind: [] for kind in KINDS})

    def trip(text: str, chat: int) -> float:
        before = len(fake.messages_for(chat))
        started = time.perf_counter()
        fake.push(fake.message_update(text, chat_id=chat))
        if not fake.wait_for_blocking(lambda _: len(fake.messages_for(chat)) > before, 30):
            raise RuntimeError(f"no answer to {text!r}")
        return time.perf_counter() - started

    try:
        trip("/start", 1)  # up and polling
        for i in range(rounds):
            kinds = list(KINDS)
            rng.shuffle(kinds)
            for kind in kinds:
                text = kind.replace("AREA", rng.choice(AREAS))
                # Readers take turns (the flood gate allows 15 in a burst per reader).
                result.samples[kind].append(trip(text, 1000 + i % 40))
    finally:
        bot.terminate()
        bot.wait(timeout=30)
        server.stop()
    log("outside: " + ", ".join(f"{k} median {result.median(k) * 1000:.2f} ms" for k in KINDS))
    return result
