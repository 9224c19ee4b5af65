"""storage.moves: the one rule for what a schedule change is and how many times a round moved."""

from __future__ import annotations

from typing import Any

import pytest

from storage.moves import classify, direction, history, move_count
from storage.revisions import Revision

BASE = {
    "start": "2026-03-10",
    "end": "2026-03-11",
    "time_precision": "day",
    "timezone": "Asia/Dubai",
    "status": "scheduled",
    "place": "Abu Dhabi",
    "region": "Abu Dhabi",
    "country": "United Arab Emirates",
}


def with_(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


@pytest.mark.parametrize(
    ("new", "kind"),
    [
        (with_(start="2026-03-20", end="2026-03-21"), "postponed"),
        (with_(start="2026-03-11", end="2026-03-12"), "postponed"),  # overlapping, later
        (with_(start="2026-03-01", end=None), "brought_forward"),
        (with_(start="2026-03-09", end="2026-03-12"), "dates_changed"),  # longer both ways
        (with_(start="2026-03-10T10:00+04:00", end=None, time_precision="exact"), "time_set"),
        (with_(place="Riyadh", region="Riyadh"), "venue_changed"),
        (with_(status="cancelled"), "cancelled"),
        (with_(status="held"), "held"),
        (with_(status="postponed"), "status_changed"),
    ],
)
def test_the_kind_of_a_change(new: dict[str, Any], kind: str) -> None:
    change = classify(BASE, new)
    assert change is not None and change.kind == kind


def test_reinstated_wins_over_the_dates_that_came_with_it() -> None:
    cancelled = with_(status="cancelled")
    change = classify(cancelled, with_(status="scheduled", start="2026-03-20", end=None))
    assert change is not None and change.kind == "reinstated" and change.is_move


def test_another_time_on_the_same_day_is_a_time_change() -> None:
    timed = with_(start="2026-03-10T10:00+04:00", end=None, time_precision="exact")
    assert direction(timed, {**timed, "start": "2026-03-10T14:00+04:00"}) == "retimed"
    assert direction(timed, {**timed, "start": "2026-03-11T10:00+04:00"}) == "later"


def test_nothing_schedule_related_is_no_change() -> None:
    assert classify(BASE, {**BASE}) is None


def revisions(*steps: dict[str, Any]) -> tuple[dict[str, Any], list[Revision]]:
    """The record after `steps` (each a set of changes) and its revisions."""
    current, revs = dict(BASE), []
    for sequence, step in enumerate(steps, 1):
        delta = {k: {"old": current.get(k), "new": v} for k, v in step.items()}
        revs.append(Revision("r", sequence, "2026-01-01T00:00:00Z", "t", "", delta))
        current.update(step)
    return current, revs


def test_a_revert_names_what_it_returns_to_and_is_not_counted() -> None:
    current, revs = revisions(
        {"start": "2026-03-20", "end": "2026-03-21", "status": "postponed"},
        {"start": "2026-03-24", "end": None},
        {"start": "2026-03-20", "end": "2026-03-21"},  # back to the second schedule
        {"start": "2026-03-10", "end": "2026-03-11", "status": "scheduled"},  # the first
    )
    steps = history(current, revs)
    assert [s.kind for s in steps] == ["postponed", "postponed", "reverted", "reverted"]
    assert [s.moves for s in steps] == [1, 2, 2, 2]
    assert [s.to_first for s in steps] == [False, False, False, True]
    assert move_count(current, revs) == 2


def test_a_time_set_is_precision_and_not_a_move() -> None:
    current, revs = revisions(
        {"start": "2026-03-10T10:00+04:00", "end": None, "time_precision": "exact"}
    )
    [step] = history(current, revs)
    assert step.kind == "time_set" and not step.is_move and step.moves == 0


def test_revisions_that_leave_the_schedule_alone_are_not_in_the_history() -> None:
    current, revs = revisions({"summary": "typo"}, {"start": "2026-04-01", "end": None})
    assert [(s.sequence, s.kind) for s in history(current, revs)] == [(2, "postponed")]
