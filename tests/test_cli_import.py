"""`sitrep import` in-process: ACLED CSV and the own format, all-or-nothing, dry runs, progress."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import bot.cli as cli
from bench.gen_acled import generate, generate_rows, to_csv
from bot.cli import main
from bot.terminal import ProgressLine
from storage.acled import check_row
from storage.db import connect
from storage.events import EventStore
from storage.staging import open_batch
from storage.timeparse import utc_now
from tests.cli import run
from tests.storage.records import incident


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "sitrep.db"
    monkeypatch.setenv("SITREP_DB", str(path))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def export(capsys) -> str:
    code, out, _ = run(capsys, "export")
    assert code == 0
    return out


def count(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def acled_file(tmp_path) -> Path:
    path = tmp_path / "acled-1000.csv"
    generate(1000, seed=21, path=path)
    return path


# --- all or nothing ----------------------------------------------------------------------


def test_one_bad_fatalities_value_in_a_thousand_rows_rejects_the_file(
    capsys, db_path, tmp_path, acled_file
):
    first = tmp_path / "first.csv"
    first.write_text(to_csv(list(generate_rows(20, seed=4, first_id=900_000))), encoding="utf-8")
    assert run(capsys, "import", str(first))[0] == 0
    before = export(capsys)

    rows = rows_of(acled_file)
    rows[636]["fatalities"] = "12a"
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(rows), encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad))

    ident = f"acled-{rows[636]['event_id_cnty']}"
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0] == (
        f"bad.csv: row 638 (id {ident}): fatalities: '12a' is not a whole number: "
        "use 12, 12+ (at least) or ~12 (about)"
    )
    assert lines[-1].endswith("1 invalid record(s); nothing was imported")
    assert len(lines) == 2
    assert export(capsys) == before
    assert count(db_path, "events") == 20


def test_every_invalid_row_is_on_stderr(capsys, db_path, tmp_path, acled_file):
    rows = rows_of(acled_file)
    rows[9]["event_date"] = "2023-02-29"
    rows[99]["latitude"] = "123.4"
    rows[499]["source"] = ""
    rows[998]["event_id_cnty"] = rows[0]["event_id_cnty"]
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(rows), encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad))
    assert code != 0
    reported = [line.split(":")[1].strip() for line in err.splitlines()[:-1]]
    assert reported == [
        f"row 11 (id acled-{rows[9]['event_id_cnty']})",
        f"row 101 (id acled-{rows[99]['event_id_cnty']})",
        f"row 501 (id acled-{rows[499]['event_id_cnty']})",
        f"row 1000 (id acled-{rows[0]['event_id_cnty']})",
    ]
    assert "event_date: impossible date" in err
    assert "latitude: 123.4 is not between -90 and 90" in err
    assert "source: names no source" in err
    assert "event_id_cnty: duplicate of row 2" in err
    assert "4 invalid record(s)" in err
    assert not db_path.exists() or count(db_path, "events") == 0


def test_an_event_created_while_importing_rolls_the_whole_import_back(
    capsys, db_path, acled_file, monkeypatch
):
    planned = cli.plan_acled_import

    def plan_then_a_curator_adds_one(store, path, **kwargs):
        plan = planned(store, path, **kwargs)
        record, _ = check_row(rows_of(path)[500])
        store.create(record, author="tg:1")
        return plan

    monkeypatch.setattr(cli, "plan_acled_import", plan_then_a_curator_adds_one)
    code, out, err = run(capsys, "import", str(acled_file))
    assert (code, out) == (1, "")
    assert "already exists" in err
    assert "nothing was imported" in err
    assert (count(db_path, "events"), count(db_path, "revisions")) == (1, 1)


def test_the_same_race_in_an_import_written_in_steps_leaves_nothing(
    capsys, db_path, acled_file, monkeypatch
):
    monkeypatch.setattr(EventStore, "batch_from", 100)  # 1,000 rows: ten steps of 100
    monkeypatch.setattr(EventStore, "batch_step", 100)
    planned = cli.plan_acled_import

    def plan_then_a_curator_adds_one(store, path, **kwargs):
        plan = planned(store, path, **kwargs)
        record, _ = check_row(rows_of(path)[500])  # written by the sixth step
        store.create(record, author="tg:1")
        return plan

    monkeypatch.setattr(cli, "plan_acled_import", plan_then_a_curator_adds_one)
    code, out, err = run(capsys, "import", str(acled_file))
    assert (code, out) == (1, "")
    assert "already exists" in err and "nothing was imported" in err
    assert (count(db_path, "events"), count(db_path, "revisions")) == (1, 1)
    with sqlite3.connect(db_path) as conn:
        batches = conn.execute("SELECT state, rows FROM import_batches").fetchall()
    assert batches == [("abandoned", 500)]
    code, out, err = run(capsys, "status")  # deleted whole: nothing left to show
    assert code == 0 and "import batch" not in out


def test_an_import_while_another_is_being_written_is_refused_and_shown(capsys, db_path, acled_file):
    store = EventStore(connect(db_path))
    batch = open_batch(store.db, "other.csv", "file:other.csv", utc_now())
    code, out, err = run(capsys, "status")
    assert f"import batch   {batch}: other.csv, 0 rows unseen, being written" in out
    code, out, err = run(capsys, "import", str(acled_file))
    assert (code, out) == (1, "")
    assert "another import is being written: other.csv" in err
    assert count(db_path, "events") == 0


# --- re-imports --------------------------------------------------------------------------


def test_reimporting_the_same_file_writes_nothing(capsys, db_path, acled_file):
    code, out, _ = run(capsys, "import", str(acled_file))
    assert (code, out.strip()) == (0, f"imported {acled_file}: 1000 new, 0 changed, 0 unchanged")
    before = export(capsys)
    revisions, changes = count(db_path, "revisions"), _total_changes(db_path)

    code, out, _ = run(capsys, "import", str(acled_file))
    assert (code, out.strip()) == (0, f"imported {acled_file}: 0 new, 0 changed, 1000 unchanged")
    assert count(db_path, "revisions") == revisions == 1000
    assert _total_changes(db_path) == changes
    assert export(capsys) == before


def _total_changes(db_path: Path) -> tuple[int, str]:
    """What a write would move: the row count of every table and the latest update time."""
    with sqlite3.connect(db_path) as conn:
        counts = sum(
            conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
            ).fetchall()
        )
        updated = conn.execute("SELECT max(updated_at) FROM events").fetchone()[0]
    return counts, updated


def test_a_changed_row_is_exactly_one_new_revision_by_the_file(capsys, db_path, acled_file):
    assert run(capsys, "import", str(acled_file))[0] == 0
    rows = rows_of(acled_file)
    rows[41]["fatalities"] = str(int(rows[41]["fatalities"]) + 3)
    newer = acled_file.with_name("acled-newer.csv")
    newer.write_text(to_csv(rows), encoding="utf-8")

    code, out, _ = run(capsys, "import", str(newer), "--reason", "ACLED weekly update")
    assert (code, out.strip()) == (0, f"imported {newer}: 0 new, 1 changed, 999 unchanged")
    assert count(db_path, "revisions") == 1001
    ident = f"acled-{rows[41]['event_id_cnty']}"
    event = next(e for e in json.loads(export(capsys)) if e["id"] == ident)
    assert event["sequence"] == 1
    assert event["killed"]["count"] == int(rows[41]["fatalities"])
    latest = event["revisions"][-1]
    assert (latest["author"], latest["reason"]) == ("file:acled-newer.csv", "ACLED weekly update")
    assert list(latest["changes"]) == ["killed"]


def test_a_dry_run_lists_the_changes_and_writes_nothing(capsys, db_path, acled_file):
    assert run(capsys, "import", str(acled_file))[0] == 0
    before = export(capsys)
    rows = rows_of(acled_file)
    rows[0]["notes"] += " Updated."
    added = next(generate_rows(1, seed=99, first_id=5_000_000))
    newer = acled_file.with_name("newer.csv")
    newer.write_text(to_csv([*rows, added]), encoding="utf-8")

    code, out, _ = run(capsys, "import", str(newer), "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        f"new      acled-{added['event_id_cnty']}",
        f"change   acled-{rows[0]['event_id_cnty']}: summary",
        "dry run: 1 new, 1 changed, 999 unchanged; nothing written",
    ]
    assert export(capsys) == before
    assert count(db_path, "revisions") == 1000


# --- formats -----------------------------------------------------------------------------


def test_the_format_follows_the_header_unless_forced(capsys, db_path, tmp_path):
    text = generate(5, seed=8)
    disguised = tmp_path / "acled-export.txt"
    disguised.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", str(disguised), "--format", "own", "--dry-run")
    assert code != 0
    assert "expected a list of events" in err
    code, out, _ = run(capsys, "import", str(disguised), "--dry-run")
    assert (code, out.splitlines()[-1]) == (
        0,
        "dry run: 5 new, 0 changed, 0 unchanged; nothing written",
    )
    code, out, _ = run(capsys, "import", str(disguised), "--format", "acled")
    assert (code, count(db_path, "events")) == (0, 5)


def test_forcing_acled_on_another_file_names_what_is_missing(capsys, db_path, tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps([incident()]), encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--format", "acled")
    assert code != 0
    assert "not an ACLED export: no column event_id_cnty" in err
    plain_csv = tmp_path / "other.csv"
    plain_csv.write_text("id,title\na,b\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(plain_csv))
    assert code != 0
    assert "without ACLED's columns" in err


def test_the_own_format_still_imports_and_reimports(capsys, db_path, tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps([incident(id="own-1"), incident(id="own-2")]), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path))
    assert (code, out.strip()) == (0, f"imported {path}: 2 new, 0 changed, 0 unchanged")
    code, out, _ = run(capsys, "import", str(path))
    assert out.strip() == f"imported {path}: 0 new, 0 changed, 2 unchanged"
    assert count(db_path, "revisions") == 2


def test_import_help_mentions_acled(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "--format {own,acled}" in out
    assert "ACLED" in out


# --- the progress line -------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_quiet_at_first_then_redraws_in_place():
    now = [0.0]
    stream = Terminal()
    line = ProgressLine(stream, clock=lambda: now[0])
    now[0] = 0.5
    line("reading lines", 1000, 100_000)
    assert stream.getvalue() == ""  # short imports print nothing
    now[0] = 2.5
    line("reading lines", 51_000, 100_000)
    now[0] = 2.55
    line("reading lines", 52_000, 100_000)  # too soon after the last redraw
    now[0] = 3.0
    line("writing rows", 100_000, 100_000)
    line.finish()
    first = "reading lines: 51,000/100,000 (51%), 25,000/s"  # rate since the first report
    last = "writing rows: 100,000/100,000 (100%)"  # the new phase has no rate yet
    assert stream.getvalue() == f"\r{first}\r{last.ljust(len(first))}\n"


def test_no_progress_line_when_stderr_is_not_a_terminal(capsys, db_path, acled_file):
    _, _, err = run(capsys, "import", str(acled_file))
    assert "\r" not in err
