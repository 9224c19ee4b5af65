"""`sitrep run` as a real process against the stand-in served over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from standin import FakeTelegram, SentMessage, ServerThread
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty

TOKEN = "987654:SECRET-token-never-logged"


@dataclass
class LiveBot:
    fake: FakeTelegram
    url: str
    db: Path
    log: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
        env.update(
            SITREP_TOKEN=TOKEN,
            SITREP_API_BASE_URL=self.url,
            SITREP_DB=str(self.db),
            SITREP_LOG_LEVEL="DEBUG",
            SITREP_TZ="Europe/Kyiv",
        )
        env.update(extra)
        return env

    def start(self, **extra: str) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"],
                env=self.env(**extra),
                stdout=log,
                stderr=log,
            )
        self.procs.append(proc)
        return proc

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def seed(self) -> None:
        """The seeded store `sitrep run` would make, without starting the bot."""
        db = connect(self.db)
        load_seed_if_empty(EventStore(db))
        db.close()

    def wait_ready(self) -> None:
        """The bot is up once it answers: the stand-in wakes waiters on sends, not on polls."""
        self.ask("/start", chat_id=1)
        assert self.fake.commands, "the command menu was not registered at start"

    def ask(self, text: str, *, chat_id: int = 1001, **kwargs: Any) -> SentMessage:
        """Send one update and wait for the bot's (first) answer in that chat."""
        before = len(self.fake.messages_for(chat_id))
        self.fake.push(self.fake.message_update(text, chat_id=chat_id, **kwargs))
        ok = self.fake.wait_for_blocking(
            lambda _: len(self.fake.messages_for(chat_id)) > before, timeout=20
        )
        assert ok, f"no answer to {text!r}\n" + self.log.read_text()[-3000:]
        return self.fake.messages_for(chat_id)[before]

    def stop(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
        proc.send_signal(sig)
        return proc.wait(timeout=20)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveBot]:
    fake = FakeTelegram(token=TOKEN, username="sitrep_live_bot")
    server = ServerThread(fake)
    url = server.start()
    bot = LiveBot(fake, url, tmp_path / "sitrep.db", tmp_path / "bot.log")
    yield bot
    for proc in bot.procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    server.stop()
