"""Readers while another process imports: every /talks is answered, none lost.

`sitrep run` and `sitrep import` (an ACLED export) as separate processes on one database;
readers known to the bot send /talks, one after another, for as long as the import runs.
Timings are the benchmark's (python -m bench --only import-readers); this asserts only that
each /talks gets its answer (within the harness's 20 s), and that some came while the import
still ran.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.gen_acled import generate
from tests.system.conftest import LiveBot

ROWS = 10_000
READERS = 10


def test_every_talks_is_answered_while_another_process_imports(
    live: LiveBot, tmp_path: Path
) -> None:
    csv_path = tmp_path / "acled.csv"
    generate(ROWS, seed=3, path=csv_path)
    live.start()
    live.wait_ready()
    chats = [3000 + i for i in range(READERS)]
    for chat in chats:  # readers the bot knows: each has written before
        live.ask("/start", chat_id=chat)
    importer = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "import", str(csv_path)],
        env=live.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    asked = during = 0
    try:
        while importer.poll() is None:
            chat = chats[asked % READERS]
            answer = live.ask("/talks", chat_id=chat)  # fails if no answer comes
            assert "Peace talks" in answer.text, answer.text[:200]
            asked += 1
            during += importer.poll() is None  # the import still ran when the answer came
    finally:
        _, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err.decode()[-2000:]
    assert during >= 1, f"none of {asked} /talks was answered while the import ran"
    assert "Peace talks" in live.ask("/talks", chat_id=chats[0]).text
    assert "Kharkiv" in live.ask("/incidents kharkiv", chat_id=chats[1]).text  # imported
