"""One figure syntax (storage.figures): `12`, `12+`, `~12` mean the same in chat, in imported
files and in ACLED's fatalities column (issue 15)."""

from __future__ import annotations

import pytest

from storage.acled import check_row
from storage.events import EventStore
from storage.exchange import ImportRejected, apply_import, plan_import
from storage.figures import FigureError, read_figure
from tests.storage.records import incident
from tests.storage.test_acled import row
from tests.words import english


@pytest.mark.parametrize(
    "typed, figure",
    [
        ("12", {"count": 12, "qualifier": "exact"}),
        ("12+", {"count": 12, "qualifier": "at_least"}),
        ("~12", {"count": 12, "qualifier": "about"}),
        (" ~ 12 ", {"count": 12, "qualifier": "about"}),
        ("at least 12", {"count": 12, "qualifier": "at_least"}),
        ("at_least:12", {"count": 12, "qualifier": "at_least"}),
        ("about:12", {"count": 12, "qualifier": "about"}),
        ("About 12", {"count": 12, "qualifier": "about"}),
        ("exact:12", {"count": 12, "qualifier": "exact"}),
        ("0", {"count": 0, "qualifier": "exact"}),
        (12, {"count": 12, "qualifier": "exact"}),
        ({"count": 3, "qualifier": "about"}, {"count": 3, "qualifier": "about"}),
        ("none", None),
        ("unknown", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_one_syntax(typed: object, figure: object) -> None:
    assert read_figure(typed) == figure


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("-3", "negative"),
        ("many", "not_number"),
        ("12++", "not_number"),
        ("2.5", "not_number"),
        ("99999999999", "not_number"),
        ("20000000", "too_big"),
        ("roughly:3", "qualifier"),
        (True, "not_number"),
        (2.5, "not_number"),
    ],
)
def test_bad_figures_say_why(typed: object, problem: str) -> None:
    with pytest.raises(FigureError) as caught:
        read_figure(typed)
    assert caught.value.problem == problem


def test_a_plain_number_is_what_the_caller_says_it_is() -> None:
    assert read_figure("7", bare="at_least") == {"count": 7, "qualifier": "at_least"}
    assert read_figure("~7", bare="at_least") == {"count": 7, "qualifier": "about"}


@pytest.mark.parametrize(
    "given, stored",
    [
        ("12+", {"count": 12, "qualifier": "at_least"}),
        ("~12", {"count": 12, "qualifier": "about"}),
        ("12", {"count": 12, "qualifier": "exact"}),
        (12, {"count": 12, "qualifier": "exact"}),
        ({"count": 12, "qualifier": "about"}, {"count": 12, "qualifier": "about"}),
    ],
)
def test_an_imported_file_takes_the_same_syntax(
    store: EventStore, given: object, stored: object
) -> None:
    records, plan = plan_import(store, [incident(killed=given, injured="none")], "f.json")
    apply_import(store, records, plan, author="file:f.json", reason="test")
    assert store.get("incident-test")["killed"] == stored
    assert store.get("incident-test")["injured"] is None


def test_a_bad_figure_in_a_file_is_named_and_nothing_is_imported(store: EventStore) -> None:
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, [incident(killed="lots", injured="-2")], "f.json")
    [problem] = caught.value.problems
    assert [e.field for e in problem.errors] == ["killed", "injured"]
    assert "not a whole number" in english(problem.errors[0])
    assert "negative" in english(problem.errors[1])
    assert store.count() == 0


@pytest.mark.parametrize(
    "fatalities, killed",
    [
        ("3", {"count": 3, "qualifier": "at_least"}),  # ACLED's counts are conservative
        ("~3", {"count": 3, "qualifier": "about"}),
        ("3+", {"count": 3, "qualifier": "at_least"}),
    ],
)
def test_acleds_fatalities_column_reads_the_same_syntax(fatalities: str, killed: object) -> None:
    record, errors = check_row(row(fatalities=fatalities))
    assert errors == []
    assert record["killed"] == killed
