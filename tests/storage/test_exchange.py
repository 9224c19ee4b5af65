"""The project's own JSON/YAML format: seed, export, all-or-nothing import."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from storage.db import connect
from storage.events import EventStore
from storage.exchange import (
    FileFormatError,
    ImportRejected,
    apply_import,
    dump_json,
    export_events,
    parse_records,
    plan_import,
    read_records,
)
from storage.seed import load_seed_if_empty, seed_text
from tests.storage.records import incident, statement, talks
from tests.words import english

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


def import_records(store, raw, *, name="import.json", author="file:test", reason="test import"):
    records, plan = plan_import(store, raw, name)
    apply_import(store, records, plan, author=author, reason=reason)
    return plan


def revision_count(store: EventStore) -> int:
    return int(store.db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0])


def bulk(n: int) -> list[dict]:
    return [
        incident(
            id=f"bulk-{i:04d}",
            title=f"Strike {i}",
            start=f"2026-01-{i % 28 + 1:02d}",
            killed={"count": i % 7, "qualifier": "at_least"},
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def fresh(clock):
    db = connect(":memory:")
    yield EventStore(db, clock=clock)
    db.close()


# --- the seed ----------------------------------------------------------------------------


def test_seed_loads_twelve_events_once(store):
    assert load_seed_if_empty(store) == 12
    assert (store.count("talks"), store.count("incident"), store.count("statement")) == (3, 2, 7)
    assert load_seed_if_empty(store) == 0
    assert store.count() == 12


def test_seed_is_not_loaded_into_a_store_that_has_events(store):
    store.create(talks(), author="a")
    assert load_seed_if_empty(store) == 0
    assert store.count() == 1


def test_seed_abu_dhabi_round_keeps_its_dates_and_history(seeded):
    event = seeded.get(ABU_DHABI)
    assert event["number"] == 3
    assert (event["start"], event["end"]) == ("2026-02-04", "2026-02-05")
    assert event["status"] == "postponed"
    assert event["timezone"] == "Asia/Dubai"
    assert event["sequence"] == 1
    revisions = seeded.revisions(ABU_DHABI)
    assert [r.sequence for r in revisions] == [0, 1]
    first, second = revisions
    # No invented clock times: both were written when the seed was loaded (the test clock);
    # the postponement carries the date the article allows, at its precision.
    assert first.at == second.at == "2026-01-20T12:00:00Z"
    assert (first.happened, first.happened_precision) == (None, None)
    assert (second.happened, second.happened_precision) == ("2026-01-31", "approximate")
    assert first.source is None
    assert second.changes["start"] == {"old": "2026-02-01", "new": "2026-02-04"}
    assert second.changes["end"] == {"old": None, "new": "2026-02-05"}
    assert second.author == "curator:seed"
    assert second.source is not None
    assert second.source["name"].startswith("Volodymyr Zelensky")


def test_seed_abu_dhabi_round_as_first_announced(seeded):
    then = seeded.state_at(ABU_DHABI, 0)
    assert (then["start"], then["end"], then["status"]) == ("2026-02-01", None, "scheduled")


def test_seed_events_without_history_get_a_created_revision_by_the_seed(seeded):
    (rev,) = seeded.revisions("dtek-bus-strike-dnipro-2026")
    assert (rev.sequence, rev.author, rev.reason) == (0, "file:seed.yaml", "seed data")
    assert seeded.get("dtek-bus-strike-dnipro-2026")["killed"] == {
        "count": 12,
        "qualifier": "at_least",
    }


def test_seed_numbers_are_those_in_the_file(seeded):
    raw = parse_records(seed_text(), "seed.yaml")
    assert [e["number"] for e in export_events(seeded)] == [r["number"] for r in raw]
    assert [e["id"] for e in export_events(seeded)] == [r["id"] for r in raw]


# --- export and re-import ----------------------------------------------------------------


def test_export_import_export_is_identical(seeded, fresh, clock):
    clock.advance(days=3)
    seeded.update(
        "dtek-bus-strike-dnipro-2026",
        {"killed": {"count": 15, "qualifier": "about"}, "status": "confirmed"},
        author="curator:ed",
        reason="officials confirmed",
        source={"name": "Wire", "url": "https://example.org/x", "published": "2026-01-23"},
    )
    seeded.create(
        incident(id="with-coords", latitude=48.46, longitude=35.04, related=[ABU_DHABI]),
        author="a",
    )
    first = dump_json(export_events(seeded))
    import_records(fresh, json.loads(first), name="export.json")
    second = dump_json(export_events(fresh))
    assert second == first
    assert fresh.get("dtek-bus-strike-dnipro-2026")["sequence"] == 1
    assert fresh.revisions("dtek-bus-strike-dnipro-2026")[1].author == "curator:ed"


def test_export_is_json_in_number_order_with_every_field(seeded):
    exported = json.loads(dump_json(export_events(seeded)))
    assert [e["number"] for e in exported] == list(range(1, 13))
    assert all("revisions" in e and "sequence" in e and "sources" in e for e in exported)
    assert "US–Russia–Ukraine" in dump_json(export_events(seeded))  # not \\u escaped


@pytest.mark.parametrize("source", ["seed", "export"])
def test_reimporting_the_same_records_changes_nothing(seeded, source):
    raw = (
        parse_records(seed_text(), "seed.yaml")
        if source == "seed"
        else json.loads(dump_json(export_events(seeded)))
    )
    before = dump_json(export_events(seeded))
    revisions_before = revision_count(seeded)
    plan = import_records(seeded, raw)
    assert (plan.created, plan.updated, plan.unchanged) == ([], {}, 12)
    assert revision_count(seeded) == revisions_before
    assert dump_json(export_events(seeded)) == before


def test_a_changed_field_in_a_reimport_is_one_new_revision_by_the_author(seeded, clock):
    raw = parse_records(seed_text(), "seed.yaml")
    target = next(r for r in raw if r["id"] == "zaporizhzhia-maternity-hospital-strike-2026")
    target["injured"] = {"count": 7, "qualifier": "at_least"}
    before = {e["id"]: len(e["revisions"]) for e in export_events(seeded)}
    clock.advance(days=2)

    records, plan = plan_import(seeded, raw, "fix.yaml")
    assert plan.created == []
    assert plan.unchanged == 11
    assert plan.updated == {
        target["id"]: {
            "injured": {
                "old": {"count": 6, "qualifier": "exact"},
                "new": {"count": 7, "qualifier": "at_least"},
            }
        }
    }
    apply_import(seeded, records, plan, author="curator:alice", reason="new figure")

    after = {e["id"]: len(e["revisions"]) for e in export_events(seeded)}
    assert after == {**before, target["id"]: before[target["id"]] + 1}
    last = seeded.revisions(target["id"])[-1]
    assert (last.sequence, last.author, last.reason, last.at) == (
        1,
        "curator:alice",
        "new figure",
        "2026-01-22T12:00:00Z",
    )
    assert list(last.changes) == ["injured"]
    assert seeded.get(target["id"])["injured"] == {"count": 7, "qualifier": "at_least"}


def test_import_keeps_the_files_numbers_and_numbers_the_rest_after_them(store):
    import_records(store, [talks(id="unnumbered"), talks(id="numbered", number=1)])
    assert store.get("numbered")["number"] == 1
    assert store.get("unnumbered")["number"] == 2


def test_import_creates_new_events_beside_existing_ones(seeded):
    plan = import_records(seeded, [incident(id="new-one")], author="curator:bob")
    assert plan.created == ["new-one"]
    new = seeded.get("new-one")
    assert new["number"] == 13
    assert seeded.revisions("new-one")[0].author == "curator:bob"


def test_apply_import_is_all_or_nothing(store):
    records, plan = plan_import(store, bulk(20), "bulk.json")
    calls = []

    def fail_on_the_tenth(db, change):
        calls.append(change.event_id)
        if len(calls) == 10:
            raise RuntimeError("disk full")

    store.change_hooks.append(fail_on_the_tenth)
    with pytest.raises(RuntimeError):
        apply_import(store, records, plan, author="a", reason="r")
    assert store.count() == 0
    assert revision_count(store) == 0


def test_apply_import_reports_progress_every_thousand(store):
    records, plan = plan_import(store, bulk(1000), "bulk.json")
    progress: list[int] = []
    apply_import(store, records, plan, author="a", reason="r", progress=progress.append)
    assert progress == [1000]
    assert store.count() == 1000


# --- rejected imports --------------------------------------------------------------------


def test_one_bad_casualty_figure_in_a_thousand_rejects_the_import_naming_it(seeded):
    raw = bulk(1000)
    raw.insert(636, incident(id="bad-figure", killed={"count": -4, "qualifier": "exact"}))
    before = dump_json(export_events(seeded))
    with pytest.raises(ImportRejected) as caught:
        plan_import(seeded, raw, "big.json")
    (problem,) = caught.value.problems
    assert (problem.file, problem.index, problem.event_id) == ("big.json", 637, "bad-figure")
    assert [e.field for e in problem.errors] == ["killed"]
    assert "big.json: record 637 (id bad-figure): killed:" in english(problem)
    assert str(caught.value) == "1 invalid record(s)"
    assert dump_json(export_events(seeded)) == before


def test_every_invalid_record_is_listed(store):
    raw = [
        talks(id="ok-1"),
        talks(id="bad id"),
        talks(id="ok-2"),
        incident(id="no-title", title=""),
        "not a record",
        statement(id="no-quote", quote="", killed={"count": 1, "qualifier": "exact"}),
        talks(id="ok-3"),
    ]
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, raw, "f.yaml")
    problems = caught.value.problems
    assert [(p.index, p.event_id) for p in problems] == [
        (2, "bad id"),
        (4, "no-title"),
        (5, ""),
        (6, "no-quote"),
    ]
    assert [{e.field for e in p.errors} for p in problems] == [
        {"id"},
        {"title"},
        {"record"},
        {"quote", "killed"},
    ]
    assert "record 5 (id ?): record: is not a mapping" in english(problems[2])
    assert str(caught.value) == "4 invalid record(s)"
    assert store.count() == 0


def test_start_index_shifts_the_reported_positions(store):
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, [talks(id="a"), talks(id="b", title="")], "x.csv", start_index=2)
    assert [p.index for p in caught.value.problems] == [3]


def test_duplicate_ids_in_one_file_are_rejected(store):
    raw = [talks(id="twice"), talks(id="other"), talks(id="twice", title="Again")]
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, raw, "f.json")
    (problem,) = caught.value.problems
    assert (problem.index, problem.event_id) == (3, "twice")
    assert [e.field for e in problem.errors] == ["id"]
    assert "record 1" in english(problem.errors[0])
    assert store.count() == 0


def test_a_number_taken_by_an_existing_event_is_rejected(seeded):
    with pytest.raises(ImportRejected) as caught:
        plan_import(seeded, [incident(id="new", number=3)], "f.json")
    (problem,) = caught.value.problems
    assert [e.field for e in problem.errors] == ["number"]
    assert "taken" in english(problem.errors[0])


def test_a_number_used_twice_in_one_file_is_rejected(store):
    raw = [incident(id="a", number=50), incident(id="b", number=51), incident(id="c", number=50)]
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, raw, "f.json")
    (problem,) = caught.value.problems
    assert (problem.index, problem.event_id) == (3, "c")
    assert [e.field for e in problem.errors] == ["number"]
    assert "record 1" in english(problem.errors[0])


def test_an_existing_event_may_keep_its_number_in_a_reimport(seeded):
    raw = [r for r in parse_records(seed_text(), "seed.yaml") if r["number"] == 3]
    plan = import_records(seeded, raw)
    assert plan.unchanged == 1


def test_a_new_record_with_an_all_digit_id_does_not_overwrite_another_event(seeded):
    before = seeded.get(ABU_DHABI)
    with pytest.raises(ImportRejected) as caught:
        plan_import(seeded, [incident(id="3")], "f.json")
    assert [e.field for e in caught.value.problems[0].errors] == ["id"]
    assert seeded.get(ABU_DHABI) == before


@pytest.mark.parametrize(
    "revisions",
    [
        [{"author": "x"}],  # no sequence, no at
        ["not a mapping"],
        [{"sequence": -1, "at": "2026-01-01T00:00:00Z", "changes": {}}],
        [
            {"sequence": 0, "at": "2026-01-01T00:00:00Z", "changes": {}},
            {"sequence": 0, "at": "2026-01-02T00:00:00Z", "changes": {}},
        ],
    ],
)
def test_a_malformed_history_is_rejected_when_planning(store, revisions):
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, [talks(id="fine"), talks(id="bad-history", revisions=revisions)], "f")
    assert [p.event_id for p in caught.value.problems] == ["bad-history"]


def test_an_imported_history_ahead_of_the_sequence_does_not_break_updates(store):
    history = [
        {"sequence": 0, "at": "2026-01-01T00:00:00Z", "author": "a", "changes": {}},
        {"sequence": 1, "at": "2026-01-02T00:00:00Z", "author": "a", "changes": {}},
    ]
    try:
        import_records(store, [talks(sequence=0, revisions=history)])
    except ImportRejected:
        return  # refusing the inconsistent record is a fine answer too
    rev = store.update("talks-test", {"title": "Changed"}, author="a")
    assert rev is not None
    assert rev.sequence == 2


def test_a_malformed_history_writes_nothing(store):
    with pytest.raises(ImportRejected):
        plan_import(
            store, [talks(id="fine"), talks(id="bad-history", revisions=[{"author": "x"}])], "f"
        )
    assert store.count() == 0


# --- file formats ------------------------------------------------------------------------


def test_unquoted_yaml_dates_are_read_as_text(store):
    text = """
- id: yaml-dates
  kind: talks
  title: Round with YAML dates
  status: scheduled
  start: 2026-02-04
  end: 2026-02-05
  timezone: Asia/Dubai
  sources:
    - name: Wire
      published: 2026-02-01
"""
    import_records(store, parse_records(text, "dates.yaml"))
    event = store.get("yaml-dates")
    assert (event["start"], event["end"]) == ("2026-02-04", "2026-02-05")
    assert event["sources"] == [{"name": "Wire", "published": "2026-02-01"}]
    assert json.loads(dump_json(export_events(store)))[0]["start"] == "2026-02-04"


def test_unquoted_yaml_timestamps_keep_their_offset(store):
    text = """
- id: yaml-instant
  kind: talks
  title: Round at a time
  status: scheduled
  start: 2026-02-04T10:00:00+04:00
  time_precision: exact
  timezone: Asia/Dubai
  sources: [{name: Wire}]
"""
    import_records(store, parse_records(text, "instant.yaml"))
    assert store.get("yaml-instant")["start"] == "2026-02-04T10:00:00+04:00"
    assert store.talks().events[0]["id"] == "yaml-instant"


def test_an_unquoted_yaml_timestamp_without_offset_is_rejected(store):
    text = """
- id: naive
  kind: talks
  title: Naive time
  status: scheduled
  start: 2026-02-04 10:00:00
  time_precision: exact
  timezone: Asia/Dubai
  sources: [{name: Wire}]
"""
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, parse_records(text, "naive.yaml"), "naive.yaml")
    errors = caught.value.problems[0].errors
    assert "start" in {e.field for e in errors}
    assert any("offset" in english(e) for e in errors)


def test_a_json_file_with_an_events_key(store, tmp_path):
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"version": 1, "events": [talks(), incident()]}), encoding="utf-8")
    raw = read_records(path)
    assert [r["id"] for r in raw] == ["talks-test", "incident-test"]
    import_records(store, raw)
    assert store.count() == 2


def test_a_yaml_file_with_an_events_key(tmp_path):
    path = tmp_path / "wrapped.yaml"
    path.write_text("events:\n  - id: a\n  - id: b\n", encoding="utf-8")
    assert read_records(path) == [{"id": "a"}, {"id": "b"}]


def test_a_json_list_without_json_suffix_is_read(tmp_path):
    path = tmp_path / "events.txt"
    path.write_text(json.dumps([talks()]), encoding="utf-8")
    assert read_records(path) == [talks()]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("42", "x.yaml"),
        ("just some words", "x.yaml"),
        ("", "x.yaml"),
        ("id: a\nkind: talks\n", "x.yaml"),
        ('{"id": "a"}', "x.json"),
        ('{"events": "none"}', "x.json"),
        ("null", "x.json"),
    ],
)
def test_a_file_that_is_not_a_list_raises_file_format_error(text, name):
    with pytest.raises(FileFormatError, match="expected a list"):
        parse_records(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("- id: a\n  title: [unclosed\n", "x.yaml"),
        ("- id: a\n bad: indent\n", "x.yaml"),
        ("key: 'unterminated\n", "x.yaml"),
        ('[{"id": "a",]', "x.json"),
        ("[unclosed", "x.yaml"),  # starts like JSON
        ("- a\n", "x.json"),  # a .json name is read as JSON
    ],
)
def test_invalid_yaml_or_json_raises_file_format_error(text, name):
    with pytest.raises(FileFormatError, match="not valid JSON or YAML") as caught:
        parse_records(text, name)
    assert str(caught.value).startswith(name)


def test_an_unreadable_file_raises_file_format_error(tmp_path):
    with pytest.raises(FileFormatError, match="cannot read"):
        read_records(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("- title: Kyïv\n".encode("latin-1"))
    with pytest.raises(FileFormatError, match="cannot read"):
        read_records(latin)


def test_export_records_carry_no_derived_columns(seeded):
    exported = export_events(seeded)[0]
    for column in ("start_utc", "end_utc", "region_key", "place_key", "updated_at"):
        assert column not in exported
    assert datetime.fromisoformat(exported["revisions"][0]["at"].replace("Z", "+00:00")) == (
        datetime(2026, 1, 20, 12, tzinfo=UTC)
    )
