"""validate() and normalise(): every rule names the field it is about."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.model import (
    FIELDS,
    MAX_TEXT,
    FieldError,
    blank_event,
    normalise,
    validate,
)
from tests.storage.records import MAKERS, incident, statement, talks
from tests.words import english


def errors_of(record: dict[str, Any]) -> list[FieldError]:
    return validate(normalise(record))


def fields_of(record: dict[str, Any]) -> set[str]:
    return {e.field for e in errors_of(record)}


# --- good records ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["talks", "incident", "statement"])
def test_a_minimal_record_of_each_kind_is_valid(kind):
    assert errors_of(MAKERS[kind]()) == []


@pytest.mark.parametrize(
    "record",
    [
        talks(status="postponed", end="2026-03-11"),
        talks(status="held", start="2026-03-10T10:00+04:00", time_precision="exact"),
        talks(status="cancelled", start="2026-03", time_precision="month"),
        talks(start="2026-03", time_precision="approximate"),
        talks(start="2026-03-10", end="2026-03-10"),  # a one-day round
        talks(start="2026-03-10T10:00+04:00", end="2026-03-10T18:00+04:00"),
        incident(status="confirmed", killed={"count": 0, "qualifier": "exact"}),
        incident(killed={"count": 12, "qualifier": "at_least"}, injured=None),
        incident(injured={"count": 10_000_000, "qualifier": "about"}),
        incident(latitude=48.46, longitude=35.04),
        incident(latitude=90, longitude=-180),
        incident(latitude=-90.0, longitude=180.0),
        incident(parties=["Russia", "Ukraine"], tags=["drone-strike"], related=["kyiv-2026-02"]),
        incident(sources=[{"name": "Wire", "url": "", "published": "2026-01-10"}]),
        incident(sources=[{"name": "Wire", "url": None, "quote": "text"}]),
        incident(sources=[{"name": "Wire", "url": "http://example.org/a?b=c#d"}]),
        statement(status=""),
        statement(status=None, channel=None, note=None),
        statement(title="  padded title  "),
        statement(number=7, sequence=0, revisions=[]),
    ],
)
def test_valid_variations_have_no_errors(record):
    assert errors_of(record) == []


def test_field_error_reads_as_field_then_message():
    error = FieldError("killed", "count_negative", {"count": -1})
    assert english(error) == "killed: the count must not be negative (-1)"
    assert str(error) == "killed: count_negative (count=-1)"


# --- one rule at a time ------------------------------------------------------------------


RULES: list[tuple[str, dict[str, Any], str]] = [
    # (name, record, the one field its errors must name)
    ("unknown field", talks(colour="red"), "colour"),
    ("id with a space", talks(id="bad id"), "id"),
    ("empty id", talks(id=""), "id"),
    ("id starting with a dash", talks(id="-talks"), "id"),
    ("id too long", talks(id="a" * 101), "id"),
    ("id not text", talks(id=42), "id"),
    ("missing id", talks(id=None), "id"),
    ("id with non-ASCII", talks(id="київ-2026"), "id"),
    ("number zero", talks(number=0), "number"),
    ("number negative", talks(number=-3), "number"),
    ("number bool", talks(number=True), "number"),
    ("number text", talks(number="3"), "number"),
    ("sequence negative", talks(sequence=-1), "sequence"),
    ("sequence float", talks(sequence=1.0), "sequence"),
    ("unknown kind", talks(kind="battle"), "kind"),
    ("missing kind", talks(kind=None), "kind"),
    ("talks with an incident status", talks(status="reported"), "status"),
    ("talks without status", talks(status=None), "status"),
    ("incident with a talks status", incident(status="scheduled"), "status"),
    ("incident without status", incident(status=None), "status"),
    ("statement with a status", statement(status="held"), "status"),
    ("statement without speaker", statement(speaker=""), "speaker"),
    ("statement with blank speaker", statement(speaker="   "), "speaker"),
    ("statement without quote", statement(quote=""), "quote"),
    ("statement with null quote", statement(quote=None), "quote"),
    ("missing title", talks(title=""), "title"),
    ("blank title", talks(title="   "), "title"),
    ("title too long", talks(title="x" * 201), "title"),
    ("summary not text", talks(summary=["a"]), "summary"),
    ("missing start", talks(start=None), "start"),
    ("empty start", talks(start=""), "start"),
    ("impossible start", talks(start="2026-02-30"), "start"),
    ("naive start", talks(start="2026-03-10T10:00", time_precision="approximate"), "start"),
    ("impossible end", talks(end="2026-13-01"), "end"),
    ("end before start", talks(start="2026-03-10", end="2026-03-09"), "end"),
    (
        "instant end before instant start",
        talks(start="2026-03-10T10:00Z", end="2026-03-10T09:59Z", time_precision="exact"),
        "end",
    ),
    ("unknown timezone", talks(timezone="Mars/Olympus_Mons"), "timezone"),
    ("empty timezone", talks(timezone=""), "timezone"),
    ("null timezone", talks(timezone=None), "timezone"),
    ("exact precision without time", talks(time_precision="exact"), "time_precision"),
    ("day precision with a month", talks(start="2026-03"), "time_precision"),
    ("unknown precision", talks(time_precision="roughly"), "time_precision"),
    ("killed on talks", talks(killed={"count": 1, "qualifier": "exact"}), "killed"),
    ("injured on a statement", statement(injured={"count": 1, "qualifier": "exact"}), "injured"),
    ("negative count", incident(killed={"count": -1, "qualifier": "exact"}), "killed"),
    ("fractional count", incident(killed={"count": 2.5, "qualifier": "about"}), "killed"),
    ("float count", incident(killed={"count": 3.0, "qualifier": "exact"}), "killed"),
    ("bool count", incident(injured={"count": True, "qualifier": "exact"}), "injured"),
    ("string count", incident(killed={"count": "12", "qualifier": "at_least"}), "killed"),
    ("missing count", incident(killed={"qualifier": "at_least"}), "killed"),
    ("implausible count", incident(killed={"count": 10_000_001, "qualifier": "about"}), "killed"),
    ("bad qualifier", incident(killed={"count": 3, "qualifier": "roughly"}), "killed"),
    ("missing qualifier", incident(injured={"count": 3}), "injured"),
    ("bare number", incident(killed=12), "killed"),
    ("extra casualty key", incident(killed={"count": 1, "qualifier": "exact", "x": 1}), "killed"),
    ("no sources", talks(sources=[]), "sources"),
    ("null sources", talks(sources=None), "sources"),
    ("sources not a list", talks(sources={"name": "Wire"}), "sources"),
    ("source not a mapping", talks(sources=["Wire"]), "sources[1]"),
    ("source without name", talks(sources=[{"url": "https://example.org"}]), "sources[1].name"),
    ("source with blank name", talks(sources=[{"name": "  "}]), "sources[1].name"),
    ("source name too long", talks(sources=[{"name": "n" * 201}]), "sources[1].name"),
    (
        "javascript url",
        talks(sources=[{"name": "W", "url": "javascript:alert(1)"}]),
        "sources[1].url",
    ),
    ("ftp url", talks(sources=[{"name": "W", "url": "ftp://example.org/x"}]), "sources[1].url"),
    (
        "url with a space",
        talks(sources=[{"name": "W", "url": "https://example.org/a b"}]),
        "sources[1].url",
    ),
    ("url not text", talks(sources=[{"name": "W", "url": 5}]), "sources[1].url"),
    ("unknown source key", talks(sources=[{"name": "W", "link": "x"}]), "sources[1]"),
    (
        "bad published date",
        talks(sources=[{"name": "W", "published": "yesterday"}]),
        "sources[1].published",
    ),
    ("source quote not text", talks(sources=[{"name": "W", "quote": 5}]), "sources[1].quote"),
    (
        "second source bad",
        talks(sources=[{"name": "W"}, {"name": "V", "url": "javascript:x"}]),
        "sources[2].url",
    ),
    ("latitude without longitude", incident(latitude=48.4), "latitude"),
    ("longitude without latitude", incident(longitude=35.0), "latitude"),
    ("latitude above range", incident(latitude=90.5, longitude=35.0), "latitude"),
    ("latitude below range", incident(latitude=-91, longitude=35.0), "latitude"),
    ("longitude out of range", incident(latitude=48.0, longitude=180.01), "longitude"),
    ("latitude not a number", incident(latitude="48.4", longitude=35.0), "latitude"),
    ("latitude bool", incident(latitude=True, longitude=35.0), "latitude"),
    ("latitude NaN", incident(latitude=float("nan"), longitude=35.0), "latitude"),
    ("longitude infinite", incident(latitude=48.0, longitude=float("inf")), "longitude"),
    ("parties as text", talks(parties="Ukraine"), "parties"),
    ("empty tag", talks(tags=[""]), "tags"),
    ("too many tags", talks(tags=[f"t{i}" for i in range(51)]), "tags"),
    ("related not an id", talks(related=["not an id!"]), "related"),
    ("people with a number", talks(people=["A", 3]), "people"),
    ("revisions not a list", talks(revisions="none"), "revisions"),
]


@pytest.mark.parametrize(("record", "field"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_rule_reports_errors_naming_only_its_field(record, field):
    errors = errors_of(record)
    assert {e.field for e in errors} == {field}, errors
    assert all(e.code for e in errors)
    assert all(english(e) for e in errors)


@pytest.mark.parametrize("key", sorted(MAX_TEXT))
def test_every_text_field_has_a_length_limit(key):
    limit = MAX_TEXT[key]
    assert errors_of(statement(**{key: "x" * limit})) == []
    assert fields_of(statement(**{key: "x" * (limit + 1)})) == {key}


def test_end_before_start_message_names_both_dates():
    (error,) = errors_of(talks(start="2026-03-10", end="2026-03-09"))
    assert "2026-03-09" in english(error)
    assert "2026-03-10" in english(error)


def test_end_is_compared_in_the_places_zone():
    # 10 March in Dubai begins at 20:00Z on 9 March. An end at 23:00 on the 9th in New York
    # (04:00Z on the 10th) is after that start, although its own calendar day is the 9th.
    assert errors_of(talks(start="2026-03-10", end="2026-03-09T23:00-05:00")) == []
    # ...whereas an end at 19:00Z on the 9th is before Dubai's 10 March begins.
    assert fields_of(talks(start="2026-03-10", end="2026-03-09T19:00Z")) == {"end"}


def test_several_problems_are_all_reported():
    record = talks(
        id="bad id",
        status="reported",
        title="",
        start="2026-02-30",
        timezone="Nowhere/City",
        killed={"count": -1, "qualifier": "exact"},
        latitude=100,
        sources=[],
        colour="red",
    )
    fields = fields_of(record)
    assert fields >= {
        "id",
        "status",
        "title",
        "start",
        "timezone",
        "killed",
        "latitude",
        "sources",
        "colour",
    }


def test_several_problems_in_casualties_and_sources_are_all_reported():
    record = incident(
        killed={"count": "many", "qualifier": "lots"},
        sources=[{"url": "javascript:x"}, "bad", {"name": "ok", "published": "soon"}],
    )
    messages = [english(e) for e in errors_of(record)]
    assert sum(m.startswith("killed:") for m in messages) == 2
    assert {m.split(":")[0] for m in messages} == {
        "killed",
        "sources[1].name",
        "sources[1].url",
        "sources[2]",
        "sources[3].published",
    }


# --- normalise ---------------------------------------------------------------------------


def test_normalise_fills_every_field_and_keeps_unknown_keys():
    out = normalise({"id": "x", "colour": "red"})
    assert set(out) == set(FIELDS) | {"colour"}
    assert out["colour"] == "red"
    assert out["parties"] == []
    assert out["timezone"] == "UTC"


def test_normalise_strips_text_and_turns_nulls_into_empty_values():
    out = normalise(
        {"title": "  Title \n", "speaker": " S ", "note": None, "channel": None, "tags": None}
    )
    assert out["title"] == "Title"
    assert out["speaker"] == "S"
    assert out["note"] == ""
    assert out["channel"] == ""
    assert out["tags"] == []


def test_normalise_does_not_share_list_defaults_between_records():
    first = normalise({})
    first["tags"].append("x")
    assert normalise({})["tags"] == []
    assert blank_event()["tags"] == []


def test_normalise_does_not_change_its_input():
    record = talks(title="  spaced  ")
    normalise(record)
    assert record["title"] == "  spaced  "


# --- arbitrary text ----------------------------------------------------------------------


@settings(database=None)
@given(title=st.text(max_size=250), summary=st.text(max_size=60), place=st.text(max_size=150))
def test_arbitrary_text_in_title_summary_place_never_raises(title, summary, place):
    errors = errors_of(incident(title=title, summary=summary, place=place))
    assert all(isinstance(e, FieldError) for e in errors)
    assert {e.field for e in errors} <= {"title", "place"}
    title_ok = 0 < len(title.strip()) <= MAX_TEXT["title"]
    place_ok = len(place.strip()) <= MAX_TEXT["place"]
    assert (errors == []) == (title_ok and place_ok)


# --- bugs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "field"),
    [(talks(id="talks-test\n"), "id"), (talks(related=["kyiv-2026\n"]), "related")],
)
def test_an_id_with_a_trailing_newline_is_refused(record, field):
    assert field in fields_of(record)


def test_unknown_keys_of_mixed_types_are_reported_not_raised():
    record = {**talks(), 1: "one", "colour": "red"}
    assert fields_of(record) == {"1", "colour"}


@pytest.mark.parametrize("zone", ["Europe", "America", "Etc"])
def test_a_timezone_naming_a_zone_directory_is_an_error_not_an_exception(zone):
    assert fields_of(talks(timezone=zone)) == {"timezone"}


@pytest.mark.parametrize(
    ("supports", "valid"),
    [
        (["killed"], True),
        ([], True),
        (["killed", "injured"], True),
        (["nonsense"], False),
        ("killed", False),
        (["sources"], False),
    ],
)
def test_a_source_may_say_which_fields_it_supports(supports: Any, valid: bool) -> None:
    rec = incident(sources=[{"name": "DTEK", "supports": supports}])
    problems = [e.field for e in validate(normalise(rec))]
    assert (problems == []) is valid
    assert valid or problems == ["sources[1].supports"]
