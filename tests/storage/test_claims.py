"""Claims, paraphrase and dated history in the store: validation, scope, alerts."""

from __future__ import annotations

from typing import Any

import pytest

from storage.claims import claim_with, incidents_in_scope, list_claims, set_claim
from storage.events import EventStore, InvalidEvent
from storage.exchange import ImportRejected, apply_import, plan_import
from storage.model import normalise, validate
from tests.storage.records import incident, statement, talks
from tests.words import english

CLAIM: dict[str, Any] = {"status": "unverified", "scope": ["Ukraine"]}
SOURCE = {"name": "Wire", "url": "https://example.org/w"}


def problems(record: dict[str, Any]) -> list[str]:
    return [english(e) for e in validate(normalise(record))]


def test_a_statement_may_be_reported_speech_only() -> None:
    assert problems(statement(quote="", paraphrase="the talks would go ahead")) == []
    [problem] = problems(statement(quote="", paraphrase=""))
    assert problem.startswith("quote: a statement needs a quote")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (incident(claim=dict(CLAIM)), "claim: only statements can be claims"),
        (statement(claim={"status": "maybe", "scope": ["Kyiv"]}), "claim.status"),
        (statement(claim={"status": "unverified", "scope": []}), "claim.scope"),
        (statement(claim={"status": "unverified", "scope": [""]}), "claim.scope"),
        (statement(claim={"status": "disputed", "scope": ["Kyiv"]}), "claim.source: is required"),
        (statement(claim={**CLAIM, "verdict": "lies"}), "claim: unknown keys verdict"),
        (statement(claim={**CLAIM, "source": {"name": ""}}), "claim.source.name"),
        (statement(claim={**CLAIM, "source": {"name": "W", "url": "ftp://x"}}), "claim.source.url"),
        (statement(claim="unverified"), "claim: must be"),
    ],
)
def test_a_bad_claim_is_named(record: dict[str, Any], field: str) -> None:
    assert any(p.startswith(field) for p in problems(record)), problems(record)


def test_a_good_claim_is_valid() -> None:
    assert problems(statement(claim={**CLAIM, "reason": "no word from Moscow"})) == []
    assert problems(statement(claim={"status": "false", "scope": ["Kyiv"], "source": SOURCE})) == []


@pytest.mark.parametrize(
    ("revision", "field"),
    [
        ({"at": "2026-01-31"}, "revisions[1].at: is the time the store changed"),
        ({"at": "yesterday"}, "revisions[1].at"),
        ({"happened": "last week"}, "revisions[1].happened"),
        ({"happened": "2026-01", "happened_precision": "day"}, "revisions[1].happened_precision"),
        ({"happened": "2026-01-31", "happened_precision": "exact"}, "revisions[1].happened_prec"),
        ({"happened_precision": "day"}, "revisions[1].happened_precision: needs `happened`"),
        ({"when": "2026-01-31"}, "revisions[1]: unknown keys when"),
    ],
)
def test_a_revision_dates_itself_honestly(revision: dict[str, Any], field: str) -> None:
    record = talks(revisions=[{"sequence": 0, "author": "a", "changes": {}, **revision}])
    assert any(p.startswith(field) for p in problems(record)), problems(record)


def test_history_filed_without_a_time_gets_the_time_the_store_took_it(store: EventStore) -> None:
    given = [
        {"sequence": 0, "author": "a", "changes": {}},
        {"sequence": 1, "author": "a", "changes": {}, "happened": "2026-01"},
    ]
    records, plan = plan_import(store, [talks(revisions=given, sequence=1)], "t.yaml")
    apply_import(store, records, plan, author="file:t.yaml", reason="t")
    first, second = store.revisions("talks-test")
    assert first.at == second.at == "2026-01-20T12:00:00Z"  # the test clock
    assert (second.happened, second.happened_precision) == ("2026-01", "month")
    with pytest.raises(ImportRejected):
        plan_import(store, [talks(id="other", revisions=[{**given[0], "at": "2026"}])], "t")


def test_in_scope_means_a_region_place_or_country_since_the_claim(store: EventStore) -> None:
    for ident, place, region, country, start, end in [
        ("before", "Kyiv", "Kyiv City", "Ukraine", "2025-12-01", "2025-12-02"),
        ("kyiv", "Kyiv", "Kyiv City", "Ukraine", "2026-01-15", None),
        ("kharkiv", "Kharkiv", "Kharkiv Oblast", "Ukraine", "2026-01-16", None),
        ("belgorod", "Belgorod", "Belgorod Oblast", "Russia", "2026-01-17", None),
    ]:
        store.create(
            incident(id=ident, place=place, region=region, country=country, start=start, end=end),
            author="a",
        )
    claim = statement(start="2026-01-10", claim={"status": "unverified", "scope": ["Kyiv"]})
    rec = store.create(claim, author="a")
    assert [e["id"] for e in incidents_in_scope(store, store.get(rec["id"]))] == ["kyiv"]
    set_claim(store, rec["id"], "unverified", author="a", scope=["kharkiv oblast", "Kyiv"])
    found = incidents_in_scope(store, store.get(rec["id"]))
    assert [e["id"] for e in found] == ["kharkiv", "kyiv"]
    set_claim(store, rec["id"], "unverified", author="a", scope=["ukraine"])
    found = incidents_in_scope(store, store.get(rec["id"]))
    assert [e["id"] for e in found] == ["kharkiv", "kyiv"]  # not Belgorod, not December
    assert incidents_in_scope(store, store.get(rec["id"]), limit=1)[0]["id"] == "kharkiv"
    # Scope names are read through the gazetteer, in either script and old spellings.
    set_claim(store, rec["id"], "unverified", author="a", scope=["Київ", "Kharkov Oblast"])
    found = incidents_in_scope(store, store.get(rec["id"]))
    assert [e["id"] for e in found] == ["kharkiv", "kyiv"]


def test_claims_are_listed_newest_first_and_only_claims(store: EventStore) -> None:
    store.create(statement(id="plain"), author="a")
    store.create(statement(id="old", start="2026-01-01", claim=dict(CLAIM)), author="a")
    store.create(statement(id="new", start="2026-01-05", claim=dict(CLAIM)), author="a")
    page = list_claims(store)
    assert [e["id"] for e in page.events] == ["new", "old"] and not page.has_more


def test_a_new_status_alerts_statement_subscribers_and_a_new_reason_does_not(
    store: EventStore,
) -> None:
    store.create(statement(claim=dict(CLAIM)), author="a")
    alerts = store.db.conn.execute
    before = alerts("SELECT count(*) FROM alerts").fetchone()[0]
    set_claim(store, "statement-test", "unverified", author="a", reason="still no word")
    assert alerts("SELECT count(*) FROM alerts").fetchone()[0] == before
    set_claim(store, "statement-test", "confirmed", author="a", source=SOURCE)
    [(kind, topic)] = alerts("SELECT kind, topic FROM alerts ORDER BY id DESC LIMIT 1").fetchall()
    assert (kind, topic) == ("claim_status", "statements")
    assert alerts("SELECT count(*) FROM alerts").fetchone()[0] == before + 1


def test_a_new_status_brings_its_own_reason_and_source() -> None:
    current = normalise(
        statement(claim={**CLAIM, "status": "false", "reason": "old", "source": SOURCE})
    )
    assert claim_with(current, "false", reason="") == {
        "status": "false",
        "scope": ["Ukraine"],
        "reason": "old",
        "source": SOURCE,
    }
    assert claim_with(current, "disputed") == {"status": "disputed", "scope": ["Ukraine"]}
    with pytest.raises(InvalidEvent):
        claim_with(normalise(statement()), "unverified")  # no scope to start from
