"""Import batches (storage.staging): a large import is written in short transactions that
readers do not see until the last one publishes them all, or none of it when it fails or its
process is killed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage.charts import incidents_per_week, talks_timeline
from storage.claims import list_claims
from storage.db import connect
from storage.events import EventNotFound, EventStore
from storage.exchange import apply_import, plan_import
from storage.outbox import Outbox
from storage.public import store_check, talks_rounds
from storage.staging import STALE_AFTER, ImportBusy
from tests.conftest import Clock
from tests.storage.records import incident, statement, talks

REPO = Path(__file__).resolve().parents[2]


def open_store(path: Path, clock: Clock, *, batch_from: int = 10, step: int = 4) -> EventStore:
    store = EventStore(connect(path), clock=clock)
    store.batch_from, store.batch_step = batch_from, step
    return store


def imported(count: int, **fields: Any) -> list[dict[str, Any]]:
    """Recent incidents in Kharkiv (news: each raises an alert), a talks round and a claim."""
    records = [
        incident(
            id=f"imp-{i}",
            title=f"Imported strike {i}",
            region="Kharkiv Oblast",
            place="Kharkiv",
            start="2026-01-19",
            killed={"count": 2, "qualifier": "exact"},
            **fields,
        )
        for i in range(count)
    ]
    records.append(talks(id="imp-talks", title="Imported talks round", start="2026-03-02"))
    claim = {"status": "unverified", "scope": ["Kharkiv"]}
    records.append(statement(id="imp-claim", title="Imported claim", claim=claim))
    return records


def what_readers_see(store: EventStore) -> dict[str, Any]:
    """Everything a reader can reach, as ids or counts: commands, pages, charts, alerts."""
    since = datetime(2025, 12, 1, tzinfo=UTC)
    return {
        "count": store.count(),
        "incidents": store.count("incident"),
        "latest": [e["id"] for e in store.latest("incident", limit=50).events],
        "in_area": [e["id"] for e in store.latest("incident", area="Kharkiv", limit=50).events],
        "since": [e["id"] for e in store.latest("incident", since=since, limit=50).events],
        "search": [e["id"] for e in store.search("Imported", limit=50).events],
        "talks": [e["id"] for e in store.talks(limit=50).events],
        "claims": [e["id"] for e in list_claims(store, limit=50).events],
        "export": [e["id"] for e in store.iter_all()],
        "weeks": incidents_per_week(store, since=since),
        "timeline": [r.title for r in talks_timeline(store)],
        "web": [r.record["id"] for r in talks_rounds(store)],
        "health": store_check(store.db.conn),
        "knows": store.knows_area("Kharkiv"),
        "alerts": [a.event_id for a in Outbox(store.db).unfanned()],
    }


def test_readers_see_nothing_of_a_batch_until_it_is_published(tmp_path, clock):
    path = tmp_path / "store.db"
    importer, reader = open_store(path, clock), open_store(path, clock)
    reader.create(incident(id="old", title="Earlier strike", start="2026-01-02"), author="a")
    before = what_readers_see(reader)
    records, plan = plan_import(importer, imported(12), "big.json")
    during: list[dict[str, Any]] = []
    staged: list[int] = []

    def between_steps(done: int) -> None:
        during.append(what_readers_see(reader))
        numbers = [n for (n,) in reader.db.conn.execute("SELECT number FROM events")]
        staged.extend(n for n in numbers if n != 1)
        for number in staged:  # the rows are there, and nobody can look one up
            with pytest.raises(EventNotFound):
                reader.get(number)

    apply_import(
        importer, records, plan, author="file:big.json", reason="r", progress=between_steps
    )

    assert len(during) == 4  # 14 new events, four at a time: seen from outside between steps
    assert all(seen == before for seen in during)
    assert len(staged) == 4 + 8 + 12 + 14
    after = what_readers_see(reader)
    assert after["count"] == before["count"] + 14
    assert set(after["search"]) == {f"imp-{i}" for i in range(12)} | {"imp-talks", "imp-claim"}
    assert "imp-talks" in after["web"] and "Imported talks round" in after["timeline"]
    assert "imp-claim" in after["claims"]
    assert sum(week.incidents for week in after["weeks"]) == 13
    assert sum(week.killed for week in after["weeks"]) == 24
    assert sorted(after["alerts"]) == sorted({f"imp-{i}" for i in range(12)} | {"imp-talks"})
    state = reader.db.conn.execute("SELECT state, rows FROM import_batches").fetchall()
    assert state == [("published", 14)]


def test_the_write_lock_is_free_between_steps(tmp_path, clock):
    path = tmp_path / "store.db"
    importer, curator = open_store(path, clock), open_store(path, clock)
    curator.db.conn.execute("PRAGMA busy_timeout = 0")  # a held lock fails at once
    records, plan = plan_import(importer, imported(10), "big.json")
    added: list[int] = []

    def between_steps(done: int) -> None:
        if not added:
            rec = curator.create(talks(id="added-meanwhile", start="2026-04-01"), author="c")
            added.append(rec["number"])

    apply_import(
        importer, records, plan, author="file:big.json", reason="r", progress=between_steps
    )

    numbers = [n for (n,) in curator.db.conn.execute("SELECT number FROM events")]
    assert len(numbers) == len(set(numbers)) == 13
    assert curator.get(added[0])["id"] == "added-meanwhile"


def test_a_failure_in_a_late_step_leaves_nothing(tmp_path, clock):
    path = tmp_path / "store.db"
    store, reader = open_store(path, clock), open_store(path, clock)
    before = what_readers_see(reader)
    records, plan = plan_import(store, imported(12), "big.json")
    written: list[str] = []

    def fail_on_the_tenth(db, change) -> None:
        written.append(change.event_id)
        if len(written) == 10:
            raise RuntimeError("disk full")

    store.change_hooks.append(fail_on_the_tenth)
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(store, records, plan, author="file:big.json", reason="r")

    assert what_readers_see(reader) == before
    assert reader.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert reader.db.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0
    assert reader.db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    assert reader.db.conn.execute("SELECT state FROM import_batches").fetchall() == [("abandoned",)]


def test_numbers_given_in_a_later_step_are_kept_and_never_given_twice(tmp_path, clock):
    store = open_store(tmp_path / "store.db", clock)
    records = imported(12)
    records[10]["number"] = 5
    records[11]["number"] = 3
    planned, plan = plan_import(store, records, "big.json")
    apply_import(store, planned, plan, author="file:big.json", reason="r")
    numbers = {e["id"]: e["number"] for e in store.iter_all()}
    assert numbers["imp-10"] == 5 and numbers["imp-11"] == 3
    assert len(set(numbers.values())) == 14
    assert min(n for i, n in numbers.items() if i not in ("imp-10", "imp-11")) == 6


KILLED_IMPORT = """
import os, signal, sys
from datetime import datetime
from storage.db import connect
from storage.events import EventStore
from storage.exchange import apply_import, plan_import
import json
at = datetime.fromisoformat(sys.argv[2])
store = EventStore(connect(sys.argv[1]), clock=lambda: at)
store.batch_from, store.batch_step = 10, 4
records, plan = plan_import(store, json.load(sys.stdin), "big.json")
def die(done):
    if done >= 8:
        os.kill(os.getpid(), signal.SIGKILL)
apply_import(store, records, plan, author="file:big.json", reason="r", progress=die)
"""


def test_a_killed_import_stays_unseen_and_the_next_import_clears_it(tmp_path, clock):
    import json

    path = tmp_path / "store.db"
    reader = open_store(path, clock)
    before = what_readers_see(reader)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, str(path), clock.now.isoformat()],
        input=json.dumps(imported(12)),
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
    )
    assert run.returncode == -9, run.stderr
    left = reader.db.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert left == 8  # two steps written, then killed
    assert what_readers_see(reader) == before

    clock.advance(seconds=30)  # its heartbeat is recent: it may still be writing
    with pytest.raises(ImportBusy, match=r"big\.json"):
        plan_import(reader, imported(12), "big.json")

    clock.advance(seconds=STALE_AFTER.total_seconds())
    records, plan = plan_import(reader, imported(12), "big.json")
    assert len(plan.created) == 14  # the killed batch's rows were not taken for stored ones
    apply_import(reader, records, plan, author="file:big.json", reason="r")
    assert reader.count() == 14
    states = reader.db.conn.execute("SELECT state FROM import_batches ORDER BY id").fetchall()
    assert states == [("abandoned",), ("published",)]
    assert (
        sum(w.incidents for w in incidents_per_week(reader, since=clock.now - timedelta(days=60)))
        == 12
    )
