"""`sitrep board`: the channel's status board, posted and pinned through the Bot API over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from standin import FakeTelegram, ServerThread
from storage.board import BoardStore
from storage.db import connect

CHANNEL = -1001234


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram()
    fake.register_chat(CHANNEL, "channel", "Sitrep news", username="sitrep_news")
    fake.admins[CHANNEL] = {fake.bot_id}
    return fake


@pytest.fixture
def env(fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    db = tmp_path / "sitrep.db"
    with ServerThread(fake) as server:
        monkeypatch.chdir(tmp_path)  # no stray .env
        monkeypatch.setenv("SITREP_TOKEN", fake.token)
        monkeypatch.setenv("SITREP_API_BASE_URL", server.url or "")
        monkeypatch.setenv("SITREP_DB", str(db))
        monkeypatch.setenv("SITREP_CHANNEL", "@sitrep_news")
        monkeypatch.setenv("PTB_TIMEDELTA", "1")
        yield db


def test_sitrep_board_posts_and_pins_in_the_channel_then_stops(
    env: Path, fake: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["board"]) == 0
    posted = [m for m in fake.snapshot_sent() if m.chat_id == CHANNEL]
    assert [m.method for m in posted] == ["sendMessage"]
    assert "status board" in posted[0].text
    assert fake.pinned[CHANNEL] == [posted[0].message_id]
    assert "posted and pinned" in capsys.readouterr().out
    board = BoardStore(connect(env)).get(CHANNEL)
    assert board is not None and board.message_id == posted[0].message_id
    assert main(["board", "--off"]) == 0
    assert fake.pinned[CHANNEL] == []
    assert BoardStore(connect(env)).get(CHANNEL) is None
    assert "stopped" in capsys.readouterr().out


def test_sitrep_board_needs_a_channel(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_CHANNEL", "")
    assert main(["board"]) == 1
