"""The bulk write path behind imports: same meaning as create/update, one transaction, hooks,
search, alerts; and an ACLED file of a few thousand rows end to end (no timing asserted)."""

from __future__ import annotations

import gc
import json

import pytest

from bench.gen_acled import generate, generate_rows, to_csv
from storage.acled import plan_acled_import
from storage.db import connect
from storage.events import EventStore, InvalidEvent
from storage.exchange import apply_import, dump_json, export_events, plan_import
from tests.storage.records import incident, statement, talks
from tests.words import english


def revision_count(store: EventStore) -> int:
    return int(store.db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0])


def alert_kinds(store: EventStore) -> list[tuple[str, str]]:
    rows = store.db.conn.execute("SELECT event_id, kind FROM alerts ORDER BY id").fetchall()
    return [(r[0], r[1]) for r in rows]


def some_records() -> list[dict]:
    return [
        talks(id="t", number=7),
        incident(id="i", killed={"count": 3, "qualifier": "about"}, latitude=48.4, longitude=35),
        statement(id="s", people=["A Person"], tags=["x", "y"]),
        incident(id="i2", title="Second strike", region="Kharkiv Oblast", place="Kharkiv"),
    ]


# --- the same meaning as create and update -----------------------------------------------


def test_write_many_stores_what_create_would(store, clock):
    one_by_one = EventStore(connect(":memory:"), clock=clock)
    for rec in sorted(some_records(), key=lambda r: "number" not in r):
        one_by_one.create(rec, author="a", reason="r")
    result = store.write_many(some_records(), author="a", reason="r")
    assert result.created == ["t", "i", "s", "i2"]
    assert dump_json(export_events(store)) == dump_json(export_events(one_by_one))
    assert [e["number"] for e in export_events(store)] == [7, 8, 9, 10]
    one_by_one.db.close()


def test_write_many_keeps_given_history_and_numbers_new_events_after_the_highest(seeded):
    history = [
        {"sequence": 0, "at": "2026-01-01T00:00:00Z", "author": "a", "changes": {}},
        {"sequence": 1, "at": "2026-01-02T00:00:00Z", "author": "b", "changes": {"x": 1}},
    ]
    seeded.write_many(
        [talks(id="with-history", revisions=history), incident(id="plain")], author="bulk"
    )
    assert seeded.get("with-history")["sequence"] == 1
    assert [r.author for r in seeded.revisions("with-history")] == ["a", "b"]
    assert [seeded.get(i)["number"] for i in ("with-history", "plain")] == [13, 14]
    (created,) = seeded.revisions("plain")
    assert (created.sequence, created.author) == (0, "bulk")


def test_write_many_updates_are_one_revision_each_and_skip_no_ops(store, clock):
    store.write_many(some_records(), author="a")
    clock.advance(hours=1)
    result = store.write_many(
        [],
        [("i", {"title": "Renamed strike"}), ("s", {"title": "Test statement"}), ("t", {})],
        author="b",
        reason="fix",
    )
    assert [(r.event_id, r.sequence, list(r.changes)) for r in result.revisions] == [
        ("i", 1, ["title"])
    ]
    assert revision_count(store) == 5
    rev = store.revisions("i")[-1]
    assert (rev.author, rev.reason, rev.at) == ("b", "fix", "2026-01-20T13:00:00Z")
    assert store.get("i")["title"] == "Renamed strike"


def test_two_changes_to_one_event_in_one_call_are_two_revisions(store):
    store.write_many([incident(id="i")], author="a")
    store.write_many([], [("i", {"title": "One"}), ("i", {"title": "Two"})], author="b")
    assert [r.changes["title"]["new"] for r in store.revisions("i")[1:]] == ["One", "Two"]
    assert store.get("i")["title"] == "Two"
    assert [e["id"] for e in store.search("Two").events] == ["i"]


def test_a_bulk_write_is_searchable_and_an_update_replaces_the_old_words(store):
    store.write_many(some_records(), author="a")
    assert [e["id"] for e in store.search("Second strike").events] == ["i2"]
    store.write_many([], [("i2", {"title": "Drone attack"})], author="a")
    assert store.search("Second").events == []
    assert [e["id"] for e in store.search("drone").events] == ["i2"]
    assert [e["id"] for e in store.latest("incident", area="kharkiv").events] == ["i2"]


def test_an_existing_id_or_number_rejects_the_whole_write(seeded):
    before = dump_json(export_events(seeded))
    with pytest.raises(InvalidEvent) as caught:
        seeded.write_many(
            [incident(id="fresh"), incident(id="abu-dhabi-trilateral-2026-02")], author="a"
        )
    assert "already exists" in english(caught.value)
    with pytest.raises(InvalidEvent) as caught:
        seeded.write_many([incident(id="fresh", number=1)], author="a")
    assert "already taken" in english(caught.value)
    assert dump_json(export_events(seeded)) == before


def test_a_failing_hook_rolls_back_every_row_revision_and_alert(store):
    def fail_late(db, change):
        if change.event_id == "bulk-1500":
            raise RuntimeError("disk full")

    store.change_hooks.append(fail_late)
    recent = [incident(id=f"bulk-{i}", start="2026-01-19") for i in range(2000)]
    with pytest.raises(RuntimeError):
        store.write_many(recent, author="a")
    assert store.count() == 0
    assert revision_count(store) == 0
    assert alert_kinds(store) == []
    assert not store.db.conn.in_transaction
    assert gc.isenabled()


def test_write_many_inside_a_callers_transaction_is_undone_with_it(store):
    with pytest.raises(RuntimeError), store.db.atomic():
        store.write_many([incident(id="inner")], author="a")
        assert store.count() == 1
        raise RuntimeError("caller changes its mind")
    assert store.count() == 0


def test_progress_is_reported_at_each_thousand_written(store):
    seen: list[int] = []
    store.write_many([incident(id=f"p-{i}") for i in range(2500)], author="a", progress=seen.append)
    assert seen == [1000, 2000]


# --- alerts: recent incidents are news, an archive is not --------------------------------


def test_recent_incidents_alert_and_archive_ones_do_not(store, tmp_path):
    rows = list(generate_rows(3, seed=5))
    rows[0].update(event_id_cnty="UKR9", event_date="2026-01-19")  # the clock says 2026-01-20
    path = tmp_path / "mixed.csv"
    path.write_text(to_csv(rows), encoding="utf-8")
    records, plan = plan_acled_import(store, path)
    apply_import(store, records, plan, author="file:mixed.csv", reason="import")
    assert alert_kinds(store) == [("acled-UKR9", "incident_new")]


def test_a_corrected_archive_figure_alerts_nobody_a_recent_one_alerts_once(store, tmp_path):
    rows = list(generate_rows(2, seed=5))
    rows[0]["event_date"], rows[1]["event_date"] = "2023-05-01", "2026-01-19"  # clock: 20 Jan
    path = tmp_path / "a.csv"
    path.write_text(to_csv(rows), encoding="utf-8")
    records, plan = plan_acled_import(store, path)
    apply_import(store, records, plan, author="file:a.csv", reason="import")
    recent = f"acled-{rows[1]['event_id_cnty']}"
    assert alert_kinds(store) == [(recent, "incident_new")]
    for row in rows:
        row["fatalities"] = str(int(row["fatalities"]) + 4)
    path.write_text(to_csv(rows), encoding="utf-8")
    records, plan = plan_acled_import(store, path)
    apply_import(store, records, plan, author="file:a.csv", reason="import")
    # A weekly archive refresh must not page anyone about 2023; the news item is corrected.
    assert alert_kinds(store) == [(recent, "incident_new"), (recent, "incident_correction")]


# --- a few thousand rows, end to end (correctness only: never a timing assertion) --------


def test_five_thousand_acled_rows_import_whole_numbered_and_searchable(store, tmp_path):
    path = tmp_path / "acled-5000.csv"
    text = generate(5000, seed=11, path=path)
    records, plan = plan_acled_import(store, path)
    assert (len(plan.created), plan.updated, plan.unchanged) == (5000, {}, 0)
    apply_import(store, records, plan, author="file:acled-5000.csv", reason="import")

    assert store.count("incident") == 5000
    assert revision_count(store) == 5000
    numbers = [r[0] for r in store.db.conn.execute("SELECT number FROM events ORDER BY number")]
    assert numbers == list(range(1, 5001))
    # The FTS index agrees with the table, and search finds rows by place and by their notes.
    store.db.conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)")
    kupiansk = text.count(",Kupiansk,")
    assert kupiansk > 0
    assert len(store.search("Kupiansk", limit=10_000).events) == kupiansk
    found = store.search("Kupiansk shelled", limit=1).events[0]
    assert found["place"] == "Kupiansk"
    assert "shelled" in found["summary"]
    kharkiv = store.latest("incident", area="Kharkiv", limit=3).events
    assert kharkiv and all(e["region"] == "Kharkiv" for e in kharkiv)

    _, again = plan_acled_import(store, path)
    assert (again.created, again.updated, again.unchanged) == ([], {}, 5000)


def test_an_export_of_an_acled_import_reimports_identically(store, clock, tmp_path):
    path = tmp_path / "a.csv"
    generate(200, seed=2, path=path)
    records, plan = plan_acled_import(store, path)
    apply_import(store, records, plan, author="file:a.csv", reason="import")
    exported = dump_json(export_events(store))
    fresh = EventStore(connect(":memory:"), clock=clock)
    records, plan = plan_import(fresh, json.loads(exported), "export.json")
    apply_import(fresh, records, plan, author="file:export.json", reason="import")
    assert dump_json(export_events(fresh)) == exported
    fresh.db.close()
