"""Operating the bot: damaged files, backups while running, restore, status, SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("configured", [True, False], ids=["configured-secret", "generated-secret"])
def test_webhook_mode_answers_updates_with_the_secret_only(live: LiveBot, configured: bool) -> None:
    import json
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "s3cret-header-value" if configured else ""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--webhook",
            f"https://127.0.0.1:{port}/telegram",
            "--port",
            str(port),
        ],
        env=live.env(SITREP_WEBHOOK_SECRET=secret),  # empty: the bot generates one
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    live.procs.append(proc)
    # python-telegram-bot logs (at DEBUG) once its webhook server listens: each log line is
    # an event, so the test waits for that one instead of knocking until the port opens.
    listening = threading.Event()

    def copy_log() -> None:
        assert proc.stdout is not None
        with proc.stdout, live.log.open("ab") as log:
            for line in proc.stdout:
                log.write(line)
                log.flush()
                if b"Webhook server started" in line:
                    listening.set()
        listening.set()  # the process ended: stop waiting

    copier = threading.Thread(target=copy_log, daemon=True)
    copier.start()
    update = live.fake.message_update("/talks", chat_id=31)
    update["update_id"] = 1

    def post(headers: dict[str, str]) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/telegram",
            data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    assert listening.wait(30) and proc.poll() is None, live.log.read_text()[-2000:]
    if not configured:
        secret = live.fake.webhook_secret  # what the bot told Telegram in setWebhook
        assert len(secret) >= 32
    assert post({}) == 403  # no secret: refused
    assert post({"X-Telegram-Bot-Api-Secret-Token": secret}) == 200
    assert live.fake.wait_for_blocking(lambda _: bool(live.fake.messages_for(31)), 20)
    assert "Abu Dhabi" in live.fake.messages_for(31)[0].text
    assert live.fake.webhook_url.startswith("https://127.0.0.1")
    assert live.stop(proc) == 0
    copier.join(10)  # the log is complete, and the pipe closed
    assert secret not in live.log.read_text()


def test_cli_sync_imports_good_files_and_fails_on_bad_ones(live: LiveBot, tmp_path: Path) -> None:
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "- id: geneva-2026-04\n  kind: talks\n  title: Geneva round\n  status: scheduled\n"
        "  start: '2026-04-02'\n  timezone: Europe/Zurich\n  sources:\n    - name: Reuters\n"
    )
    (folder / "b.json").write_text('[{"id": "x-1", "kind": "incident"}]')
    done = live.cli("sync", str(folder))
    assert done.returncode == 1
    assert "a.yaml: 1 new" in done.stdout and "b.json: NOT imported" in done.stdout
    assert "x-1" in done.stderr and "sources" in done.stderr
    again = live.cli("sync", str(folder))
    assert "a.yaml: 0 new, 0 changed, 1 unchanged" in again.stdout


def test_a_rejected_token_exits_with_one_line_and_no_token(live: LiveBot) -> None:
    revoked = "987654:REVOKED-but-still-secret"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env=live.env(SITREP_TOKEN=revoked),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "rejected" in output
    assert revoked not in output and revoked.split(":")[1] not in output


def test_full_check_after_a_kill_light_check_after_a_clean_stop(live: LiveBot) -> None:
    checked = "with PRAGMA quick_check"
    first = live.start()
    live.wait_ready()
    assert live.log.read_text().count(checked) == 1  # a new file: no clean stop vouches for it
    assert live.stop(first, signal.SIGTERM) == 0
    second = live.start()
    live.wait_ready()
    assert live.log.read_text().count(checked) == 1  # clean stop, same file: light check
    live.stop(second, signal.SIGKILL)
    third = live.start()
    live.wait_ready()
    assert live.log.read_text().count(checked) == 2  # after a kill: the full check again
    assert live.stop(third, signal.SIGTERM) == 0
