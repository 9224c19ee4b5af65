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

from storage import reminders
from storage.charts import incidents_per_week, talks_timeline
from storage.chats import ChatStore
from storage.claims import IN_SCOPE_LIMIT, incidents_in_scope, list_claims
from storage.curated_dir import FolderSync
from storage.db import connect
from storage.events import EventNotFound, EventStore
from storage.exchange import apply_import, plan_import
from storage.migrations import INCIDENT_WEEK
from storage.outbox import Outbox
from storage.public import delivery_health, store_check, talks_rounds
from storage.queries import SEEN
from storage.staging import STALE_AFTER, BatchLost, ImportBusy, abandon, open_batch, unpublished
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
            country="Ukraine",
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
        "owed": delivery_health(store.db.conn, store.clock()).oldest_pending_at,
        "reminders": [r.event_id for r in reminders.plan(store.db, store.clock())],
        "suggested": store.suggest_areas("Kharkv"),
        "duplicates": store.same_day_duplicates("incident", "Imported strike 1", "2026-01-19"),
        "related": sorted(store.contents(["imp-1", "imp-talks", "old"], seen=True)),
        "in_scope": [e["id"] for e in incidents_in_scope(store, CLAIM)],
    }


# A claim already stored about Kharkiv: an imported incident in its scope is listed under it
# only once the import is published.
CLAIM = statement(
    id="claim",
    start="2026-01-02",
    claim={"status": "unverified", "scope": ["Kharkiv", "Ukraine"]},
)


def rollup_is_exact(store: EventStore) -> None:
    """The incident rollup and a recount of the incidents readers see agree, row for row."""
    kept = store.db.conn.execute(
        "SELECT monday, region_key, place_key, incidents, killed, injured FROM incident_weeks "
        "ORDER BY 1, 2, 3"
    ).fetchall()
    recount = store.db.conn.execute(
        f"SELECT {INCIDENT_WEEK.format(r='events')}, region_key, place_key, count(*), "
        "coalesce(sum(killed), 0), coalesce(sum(injured), 0) FROM events "
        f"WHERE kind = 'incident' AND {SEEN} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()
    assert kept == recount


def test_readers_see_nothing_of_a_batch_until_it_is_published(tmp_path, clock):
    path = tmp_path / "store.db"
    importer, reader = open_store(path, clock), open_store(path, clock)
    reader.create(incident(id="old", title="Earlier strike", start="2026-01-02"), author="a")
    reader.create(CLAIM, author="a")
    wants_reminders(reader)
    before = what_readers_see(reader)
    records, plan = plan_import(importer, imported(12), "big.json")
    during: list[dict[str, Any]] = []
    staged: list[int] = []

    def between_steps(done: int) -> None:
        during.append(what_readers_see(reader))
        numbers = [n for (n,) in reader.db.conn.execute("SELECT number FROM events")]
        staged.extend(n for n in numbers if n > 2)  # 1 and 2 were there before
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
    assert after["owed"] is not None and "imp-talks" in after["reminders"]
    assert "Kharkiv" in after["suggested"] and len(after["duplicates"]) == 1
    assert after["related"] == ["imp-1", "imp-talks", "old"]
    assert before["in_scope"] == [] and len(after["in_scope"]) == IN_SCOPE_LIMIT
    assert set(after["in_scope"]) < {f"imp-{i}" for i in range(12)}
    rollup_is_exact(reader)
    state = reader.db.conn.execute("SELECT state, rows FROM import_batches").fetchall()
    assert state == [("published", 14)]


def wants_reminders(store: EventStore) -> None:
    """A reader subscribed to talks, reminded a day before a round, and to incidents."""
    chats = ChatStore(store.db, clock=store.clock)
    chats.touch(1, "private")
    chats.subscribe(1, "private", "talks")
    chats.subscribe(1, "private", "incidents")
    chats.set_reminders(1, "private", (1440,))


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


def an_import_that_also_corrects(reader: EventStore) -> list[dict[str, Any]]:
    """14 new events, and a correction of an incident already stored in the same week and
    place as the new ones (written by the last transaction, with the publication)."""
    where = {"title": "Earlier strike", "region": "Kharkiv Oblast", "place": "Kharkiv"}
    reader.create(incident(id="old", start="2026-01-20", **where), author="a")
    killed = {"count": 5, "qualifier": "exact"}
    return [*imported(12), incident(id="old", start="2026-01-20", killed=killed, **where)]


def stored_then(reader: EventStore) -> dict[str, Any]:
    """What readers see, the stored correction's target, and the batches still unpublished."""
    return {
        "seen": what_readers_see(reader),
        "old": reader.get("old")["killed"],
        "revisions": len(reader.revisions("old")),
        "unpublished": [b.state for b in unpublished(reader.db)],
    }


def test_a_failure_in_the_publishing_transaction_leaves_nothing(tmp_path, clock):
    path = tmp_path / "store.db"
    store, reader = open_store(path, clock), open_store(path, clock)
    records, plan = plan_import(store, an_import_that_also_corrects(reader), "big.json")
    assert len(plan.created) == 14 and list(plan.updated) == ["old"]
    before = stored_then(reader)

    def fail_on_the_correction(db, change) -> None:
        if change.old is not None:
            raise RuntimeError("disk full")

    store.change_hooks.append(fail_on_the_correction)
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(store, records, plan, author="file:big.json", reason="r")

    assert stored_then(reader) == before
    assert reader.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    rollup_is_exact(reader)


def test_a_batch_given_up_by_another_process_before_it_is_published_is_lost_whole(tmp_path, clock):
    path = tmp_path / "store.db"
    store, other = open_store(path, clock), open_store(path, clock)
    records, plan = plan_import(store, an_import_that_also_corrects(other), "big.json")
    before = stored_then(other)

    def given_up_after_the_last_step(done: int) -> None:
        if done == 14:  # e.g. the importer stalled past STALE_AFTER and another import cleared it
            (batch,) = unpublished(other.db)
            abandon(other.db, batch.id, clock.now)

    with pytest.raises(BatchLost):
        apply_import(
            store, records, plan, author="file:big.json", reason="r",
            progress=given_up_after_the_last_step,
        )  # fmt: skip

    assert stored_then(other) == before
    assert other.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    rollup_is_exact(other)


KILLED_INSIDE = """
import json, os, signal, sys
from datetime import datetime
from storage.db import connect
from storage.events import EventStore
from storage.exchange import apply_import, plan_import
at = datetime.fromisoformat(sys.argv[2])
where = sys.argv[3]
store = EventStore(connect(sys.argv[1]), clock=lambda: at)
store.batch_from, store.batch_step = 10, 4
records, plan = plan_import(store, json.load(sys.stdin), "big.json")
written = []
def die(db, change):
    written.append(change.event_id)
    if (where == "step" and len(written) == 10) or (where == "publish" and change.old):
        os.kill(os.getpid(), signal.SIGKILL)
store.change_hooks.append(die)
apply_import(store, records, plan, author="file:big.json", reason="r")
"""


@pytest.mark.parametrize(("where", "left"), [("step", 8), ("publish", 14)])
def test_a_kill_inside_a_step_or_the_publication_leaves_it_unseen_until_cleared(
    tmp_path, clock, where, left
):
    import json

    path = tmp_path / "store.db"
    reader = open_store(path, clock)
    records = an_import_that_also_corrects(reader)
    before = stored_then(reader)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_INSIDE, str(path), clock.now.isoformat(), where],
        input=json.dumps(records),
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
    )
    assert run.returncode == -9, run.stderr
    assert reader.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1 + left
    assert stored_then(reader)["seen"] == before["seen"]
    rollup_is_exact(reader)

    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    planned, plan = plan_import(reader, records, "big.json")
    assert reader.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert stored_then(reader) == before  # cleared: nothing left, nothing listed
    assert len(plan.created) == 14 and list(plan.updated) == ["old"]
    apply_import(reader, planned, plan, author="file:big.json", reason="r")
    assert reader.count() == 15 and reader.get("old")["killed"]["count"] == 5
    assert unpublished(reader.db) == []
    rollup_is_exact(reader)


def test_the_curated_folder_waits_for_a_batch_being_written_then_imports(tmp_path, clock):
    import json

    path = tmp_path / "store.db"
    bot, importer = open_store(path, clock), open_store(path, clock)
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "talks.json").write_text(json.dumps([talks(id="curated-round")]))
    sync = FolderSync(folder)
    batch = open_batch(importer.db, "big.json", "file:big.json", clock.now)

    (outcome,) = sync.run(bot)
    assert outcome.skipped and not outcome.problems and bot.count() == 0

    abandon(importer.db, batch, clock.now)  # that import failed: the next pass goes ahead
    (outcome,) = sync.run(bot)
    assert (outcome.skipped, outcome.created, bot.count()) == (False, 1, 1)


def test_counting_what_readers_see_keeps_sqlites_quick_count(store):
    """`count(*) ... WHERE rowid NOT IN (unseen)` tests every row: at 200,000 events the
    count took 66 ms instead of 14 (the health probe counts on every call)."""
    for call in (store.count, lambda: store_check(store.db.conn)):
        (sql,) = selects_run_by(store, call)
        assert "Count" in [row[1] for row in store.db.conn.execute(f"EXPLAIN {sql}")]
    (sql,) = selects_run_by(store, lambda: store.count("incident"))
    plan = [row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert "NOT IN" not in sql
    assert any(p.startswith("SEARCH events USING COVERING INDEX events_kind") for p in plan)
    assert "SEARCH events USING INDEX events_batch (batch=?)" in plan  # the unseen only


def selects_run_by(store: EventStore, call: Any) -> list[str]:
    """Every SELECT the store runs for `call`, its parameters bound (SQLite's trace)."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    return [sql for sql in seen if sql.startswith("SELECT")]
