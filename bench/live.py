"""`sitrep run` as a separate process against the stand-in served over HTTP on 127.0.0.1.

The stand-in (FakeTelegram in a ServerThread) lives in the benchmark's process and notes the
monotonic time of every Bot API call it answers; CLOCK_MONOTONIC is the same clock in every
process on the machine, so times taken by another process (a writer) compare directly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standin import FakeTelegram, ServerThread
from standin.telegram import JSON, Reply

TOKEN = "987654:BENCH-token"
REPO = Path(__file__).resolve().parent.parent


class TimedFake(FakeTelegram):
    """The stand-in, with the monotonic time of each call it was asked to answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(token=TOKEN, username="sitrep_bench_bot", **kwargs)
        self.call_times: list[tuple[float, str]] = []

    async def handle(self, method: str, params: JSON) -> Reply:
        self.call_times.append((time.monotonic(), method))
        return await super().handle(method, params)

    def first_call(self, method: str, after: float = 0.0) -> float | None:
        for at, name in list(self.call_times):
            if name == method and at >= after:
                return at
        return None

    def sends_since(self, after: float) -> list[float]:
        """Monotonic times at which sendMessage calls were answered with a message."""
        return [m.at for m in self.snapshot_sent() if m.method == "sendMessage" and m.at >= after]


def bot_env(db: Path, url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    # bench.* (patched_run) must import whatever the working directory is.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(
        SITREP_TOKEN=TOKEN,
        SITREP_API_BASE_URL=url,
        SITREP_DB=str(db),
        SITREP_LOG_LEVEL="INFO",
        SITREP_TZ="Europe/Kyiv",
    )
    env.update(extra)
    return env


@dataclass
class LiveBot:
    fake: TimedFake
    server: ServerThread
    url: str
    db: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    extra_env: dict[str, str] = field(default_factory=dict)

    def start(self, *argv: str) -> None:
        """`sitrep run` (or `python -m bench.patched_run ... run`), logging to a file."""
        open_stored_chats(self.fake, self.db)
        command = list(argv) or [sys.executable, "-m", "bot.cli", "run"]
        with self.log.open("ab") as log:
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(
                command,
                env=bot_env(self.db, self.url, **self.extra_env),
                cwd=self.db.parent,  # no stray .env from the repository
                stdout=log,
                stderr=log,
            )

    def wait_polling(self, timeout: float = 120.0) -> float:
        """The monotonic time of the bot's first getUpdates after start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            at = self.fake.first_call("getUpdates", after=self.started_at)
            if at is not None:
                return at
            if self.proc is not None and self.proc.poll() is not None:
                break
            time.sleep(0.005)
        raise RuntimeError("the bot did not start polling:\n" + self.log.read_text()[-3000:])

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A `sitrep` command on the same database, as another process."""
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=bot_env(self.db, self.url),
            cwd=self.db.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def open_stored_chats(fake: FakeTelegram, db: Path) -> None:
    """Every chat the store holds is one Telegram knows: its user started the bot, or the bot
    is in the group. The generated subscribers never wrote, and the stand-in refuses a chat
    it does not know, as Telegram does."""
    if not db.exists():
        return
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for chat_id, kind in conn.execute("SELECT id, type FROM chats"):
            if kind == "private":
                fake.start_bot(chat_id)
            else:
                fake.register_chat(chat_id, kind)


def open_live(db: Path, *, enforce_limits: bool = False, **extra_env: str) -> LiveBot:
    fake = TimedFake(enforce_limits=enforce_limits)
    server = ServerThread(fake)
    url = server.start()
    log = db.with_suffix(".log")
    log.write_bytes(b"")
    return LiveBot(fake, server, url, db, log, extra_env=dict(extra_env))


def close_live(bot: LiveBot) -> None:
    bot.stop()
    bot.server.stop()


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM and the like from /proc/PID/status, in kB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if name.startswith("Vm") and parts and parts[0].isdigit():
            out[name] = int(parts[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
