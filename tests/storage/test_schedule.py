"""reschedule(): new dates for a talks round as one revision, with status defaults."""

from __future__ import annotations

import pytest

from storage.events import EventNotFound, InvalidEvent
from storage.schedule import RescheduleRequest, reschedule
from tests.storage.records import incident, talks

ROUND = "talks-test"


@pytest.fixture
def round_(store):
    """A scheduled round on 10-11 March 2026 in Dubai."""
    store.create(talks(id=ROUND, start="2026-03-10", end="2026-03-11"), author="a")
    return store


def revision_count(store) -> int:
    return int(store.db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0])


def test_moving_a_scheduled_round_later_postpones_it(round_):
    rev = reschedule(
        round_, ROUND, RescheduleRequest("2026-03-20", end="2026-03-21"), author="curator:a"
    )
    assert rev is not None
    assert rev.changes == {
        "status": {"old": "scheduled", "new": "postponed"},
        "start": {"old": "2026-03-10", "new": "2026-03-20"},
        "end": {"old": "2026-03-11", "new": "2026-03-21"},
    }
    event = round_.get(ROUND)
    assert (event["start"], event["end"], event["status"]) == (
        "2026-03-20",
        "2026-03-21",
        "postponed",
    )
    assert event["sequence"] == 1


def test_moving_a_postponed_round_earlier_schedules_it_again(round_):
    round_.update(ROUND, {"status": "postponed"}, author="a")
    reschedule(round_, ROUND, RescheduleRequest("2026-03-05", end="2026-03-06"), author="a")
    event = round_.get(ROUND)
    assert (event["start"], event["end"], event["status"]) == (
        "2026-03-05",
        "2026-03-06",
        "scheduled",
    )


def test_moving_a_postponed_round_later_keeps_it_postponed(round_):
    round_.update(ROUND, {"status": "postponed"}, author="a")
    rev = reschedule(round_, ROUND, RescheduleRequest("2026-04-01"), author="a")
    assert rev is not None
    assert "status" not in rev.changes
    assert round_.get(ROUND)["status"] == "postponed"


def test_moving_a_scheduled_round_earlier_keeps_it_scheduled(round_):
    rev = reschedule(round_, ROUND, RescheduleRequest("2026-03-01"), author="a")
    assert rev is not None
    assert "status" not in rev.changes
    assert round_.get(ROUND)["status"] == "scheduled"


def test_seed_abu_dhabi_round_moved_back_to_1_february_is_scheduled(seeded):
    reschedule(seeded, "#3", RescheduleRequest("2026-02-01"), author="a")
    event = seeded.get(3)
    assert (event["start"], event["end"], event["status"]) == ("2026-02-01", None, "scheduled")
    assert seeded.get(3)["sequence"] == 2


@pytest.mark.parametrize(
    ("start", "status"),
    [("2026-03-20", "held"), ("2026-03-20", "cancelled"), ("2026-03-01", "postponed")],
)
def test_an_explicit_status_is_kept(round_, start, status):
    reschedule(round_, ROUND, RescheduleRequest(start, status=status), author="a")
    assert round_.get(ROUND)["status"] == status


@pytest.mark.parametrize("status", ["held", "cancelled"])
def test_a_held_or_cancelled_round_keeps_its_status_when_moved(round_, status):
    round_.update(ROUND, {"status": status}, author="a")
    reschedule(round_, ROUND, RescheduleRequest("2026-04-01"), author="a")
    assert round_.get(ROUND)["status"] == status


def test_end_is_cleared_when_not_given(round_):
    rev = reschedule(round_, ROUND, RescheduleRequest("2026-03-12"), author="a")
    assert rev is not None
    assert rev.changes["end"] == {"old": "2026-03-11", "new": None}
    assert round_.get(ROUND)["end"] is None


@pytest.mark.parametrize(
    ("start", "precision"),
    [("2026-03-20T10:00+04:00", "exact"), ("2026-03-20", "day"), ("2026-04", "month")],
)
def test_precision_follows_the_new_start(round_, start, precision):
    reschedule(round_, ROUND, RescheduleRequest(start), author="a")
    event = round_.get(ROUND)
    assert (event["start"], event["time_precision"]) == (start, precision)


def test_the_revision_records_author_reason_and_source(round_, clock):
    clock.advance(days=1)
    source = {"name": "Foreign ministry", "url": "https://example.org/moved"}
    reschedule(
        round_,
        ROUND,
        RescheduleRequest(" 2026-03-20 ", reason="venue change", source=source),
        author="curator:b",
    )
    last = round_.revisions(ROUND)[-1]
    assert (last.author, last.reason, last.source, last.at) == (
        "curator:b",
        "venue change",
        source,
        "2026-01-21T12:00:00Z",
    )
    assert round_.get(ROUND)["start"] == "2026-03-20"


def test_rescheduling_to_the_same_dates_returns_none_and_writes_nothing(round_):
    before = round_.get(ROUND)
    assert (
        reschedule(round_, ROUND, RescheduleRequest("2026-03-10", end="2026-03-11"), author="a")
        is None
    )
    assert round_.get(ROUND) == before
    assert revision_count(round_) == 1


def test_seed_round_rescheduled_to_its_current_dates_is_unchanged(seeded):
    request = RescheduleRequest("2026-02-04", end="2026-02-05")
    assert reschedule(seeded, "abu-dhabi-trilateral-2026-02", request, author="a") is None
    assert seeded.get(3)["sequence"] == 1


def test_only_talks_rounds_can_be_rescheduled(store):
    store.create(incident(), author="a")
    before = store.get("incident-test")
    with pytest.raises(InvalidEvent) as caught:
        reschedule(store, "incident-test", RescheduleRequest("2026-02-01"), author="a")
    assert [e.field for e in caught.value.errors] == ["kind"]
    assert store.get("incident-test") == before
    assert revision_count(store) == 1


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (RescheduleRequest("2026-02-30"), "start"),
        (RescheduleRequest("next week"), "start"),
        (RescheduleRequest("2026-03-20T10:00"), "start"),
        (RescheduleRequest(""), "start"),
        (RescheduleRequest("2026-03-20", end="2026-13-01"), "end"),
        (RescheduleRequest("2026-03-20", end="2026-03-19"), "end"),
        (RescheduleRequest("2026-03-20", status="reported"), "status"),
        (RescheduleRequest("2026-03-20", status="done"), "status"),
    ],
)
def test_a_bad_date_or_status_is_refused_and_changes_nothing(round_, request_, field):
    before = round_.get(ROUND)
    with pytest.raises(InvalidEvent) as caught:
        reschedule(round_, ROUND, request_, author="a")
    assert field in {e.field for e in caught.value.errors}
    assert round_.get(ROUND) == before
    assert revision_count(round_) == 1


def test_rescheduling_a_missing_event_raises_event_not_found(store):
    with pytest.raises(EventNotFound):
        reschedule(store, "nope", RescheduleRequest("2026-03-20"), author="a")


@pytest.mark.parametrize(
    ("old_start", "precision", "new_start"),
    [
        ("2026-03-10", "day", "2026-03-10T10:00+04:00"),
        ("2026-03", "month", "2026-03-20"),
    ],
)
def test_giving_a_time_within_the_announced_day_does_not_postpone(
    store, old_start, precision, new_start
):
    store.create(talks(id=ROUND, start=old_start, time_precision=precision), author="a")
    reschedule(store, ROUND, RescheduleRequest(new_start), author="a")
    assert store.get(ROUND)["status"] == "scheduled"
