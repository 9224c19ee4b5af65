"""Imports as a curator runs them: `sitrep import` and `sitrep export`, each a new process.

An ACLED export of 100,000 rows (bench.gen_acled, cached beside the worlds) into an empty
database; the same file again (nothing changed, so nothing is written); then the store's own
format: `sitrep export` to JSON and `sitrep import` of that file into a new database. Times
are wall-clock and include the interpreter's start (about half a second).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.datasets import DATA_DIR, remove_db
from bench.gen_acled import generate
from bench.live import bot_env
from bench.world import GENERATOR_VERSION

ROWS = 100_000


@dataclass
class ImportResult:
    rows: int
    acled_seconds: float
    reimport_seconds: float
    export_seconds: float
    own_seconds: float
    export_bytes: int


def acled_file(rows: int = ROWS) -> Path:
    path = DATA_DIR / f"acled-{rows}-v{GENERATOR_VERSION}.csv"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        generate(rows, seed=2, path=partial)
        partial.replace(path)
    return path


def _sitrep(db: Path, *args: str, stdout: object = subprocess.DEVNULL) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=bot_env(db, "http://127.0.0.1:9/bot"),
        cwd=db.parent,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        check=True,
    )
    return time.perf_counter() - started


def run(work: Path, log: Callable[[str], None] = print) -> ImportResult:
    csv_path = acled_file()
    db, own_db, exported = work / "import.db", work / "import-own.db", work / "export.json"
    remove_db(db)
    remove_db(own_db)
    first = _sitrep(db, "import", str(csv_path))
    log(f"ACLED import, {ROWS:,} rows into an empty store: {first:.1f} s")
    again = _sitrep(db, "import", str(csv_path))
    log(f"ACLED re-import, unchanged: {again:.1f} s")
    with exported.open("wb") as out:
        export = _sitrep(db, "export", stdout=out)
    log(f"export: {export:.1f} s, {exported.stat().st_size / 1e6:.0f} MB")
    own = _sitrep(own_db, "import", str(exported))
    log(f"own-format import into a new store: {own:.1f} s")
    size = exported.stat().st_size
    exported.unlink()
    remove_db(db)
    remove_db(own_db)
    return ImportResult(ROWS, first, again, export, own, size)
