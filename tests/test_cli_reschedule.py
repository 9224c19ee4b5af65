"""`sitrep reschedule` reads dates as /reschedule in chat does: local times in the round's zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.cli import run

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sitrep.db"
    monkeypatch.setenv("SITREP_DB", str(path))
    monkeypatch.setenv("SITREP_TZ", "Asia/Tokyo")  # the round's zone decides, not this
    monkeypatch.chdir(tmp_path)  # no stray .env
    db = connect(path)
    load_seed_if_empty(EventStore(db))
    db.close()
    return path


def test_a_local_start_and_end_are_read_in_the_rounds_zone(capsys, db_path):
    code, out, err = run(
        capsys, "reschedule", "3", "--start", "2026-02-06 10:00", "--end", "2026-02-06  16:00"
    )
    assert (code, err) == (0, "")
    assert "3: times read in Asia/Dubai (the round's zone)" in out
    assert "start 2026-02-04 -> 2026-02-06T10:00+04:00" in out
    moved = EventStore(connect(db_path)).get(ABU_DHABI)
    assert (moved["start"], moved["end"], moved["time_precision"]) == (
        "2026-02-06T10:00+04:00",
        "2026-02-06T16:00+04:00",
        "exact",
    )


def test_dates_with_an_offset_say_nothing_of_a_zone(capsys, db_path):
    code, out, _ = run(capsys, "reschedule", "3", "--start", "2026-02-06T10:00+04:00")
    assert code == 0 and "times read in" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("2", "--start", "2026-03-08 02:30"), "does not exist there (America/New_York)"),
        (("3", "--start", "tomorrow garbage"), "start: 'tomorrow garbage' has no such time"),
        (("3", "--start", "2026-02-06", "--end", "2026-02-06 24:00"), "end: '2026-02-06 24:00'"),
        (("999", "--start", "tomorrow"), "no event '999'"),
    ],
)
def test_a_local_time_that_cannot_be_is_refused_and_changes_nothing(capsys, db_path, argv, message):
    before = run(capsys, "export")[1]
    code, _, err = run(capsys, "reschedule", *argv)
    assert code == 1 and message in err
    assert run(capsys, "export")[1] == before
