"""Operating the bot: damaged files, backups while running, restore, status, SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.system.conftest import LiveBot


def test_a_corrupted_database_is_refused_with_a_clear_message(live: LiveBot) -> None:
    live.db.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8192)
    proc = live.start()
    assert proc.wait(timeout=30) != 0
    log = live.log.read_text()
    assert str(live.db) in log and "backup" in log
    assert "Traceback" not in log


def test_backup_while_running_restore_refused_until_stopped(live: LiveBot, tmp_path: Path) -> None:
    proc = live.start()
    live.wait_ready()
    assert live.cli("reschedule", "3", "--start", "2026-02-06").returncode == 0
    copy = tmp_path / "copy.db"
    done = live.cli("backup", str(copy))
    assert done.returncode == 0, done.stderr
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT start FROM events WHERE number = 3").fetchone()[0] == "2026-02-06"
    check.close()

    refused = live.cli("restore", str(copy))
    assert refused.returncode != 0 and "in use" in refused.stderr

    status = live.cli("status")
    assert status.returncode == 0 and "events         12" in status.stdout

    started = time.monotonic()
    assert live.stop(proc, signal.SIGTERM) == 0
    assert time.monotonic() - started < 10
    assert live.cli("reschedule", "3", "--start", "2026-02-09").returncode == 0
    restored = live.cli("restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    exported = live.cli("history", "3").stdout
    assert "2026-02-06" in exported and "2026-02-09" not in exported


def test_cli_history_and_revert(live: LiveBot) -> None:
    live.seed()
    assert live.cli("reschedule", "3", "--start", "2026-02-06", "--reason", "moved").returncode == 0
    reverted = live.cli("revert", "3", "--to", "0")
    assert reverted.returncode == 0, reverted.stderr
    history = live.cli("history", "abu-dhabi-trilateral-2026-02").stdout
    assert "#3" in history and "revert to revision 0" in history
    export = live.cli("export").stdout
    assert '"start": "2026-02-01"' in export


def test_help_documents_every_command() -> None:
    from bot.cli import COMMANDS

    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for name in COMMANDS:
        assert name in out
        assert f"sitrep {name}" in readme, f"README does not document `sitrep {name}`"
