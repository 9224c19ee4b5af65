"""storage.charts: incidents per week in SQL, and the talks rounds' moves from their history."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.board import BoardStore
from storage.charts import Move, incidents_per_week, talks_timeline
from storage.events import EventStore
from tests.storage.records import incident, talks


def add(store: EventStore, n: int, start: str, **fields: object) -> None:
    store.create(incident(id=f"i{n}", start=start, **fields), author="os:t")


def test_incidents_fall_in_the_monday_to_sunday_week_of_their_local_day(store: EventStore) -> None:
    add(store, 1, "2026-01-05", killed={"count": 3, "qualifier": "exact"})  # a Monday
    add(store, 2, "2026-01-11", injured={"count": 4, "qualifier": "at_least"})  # its Sunday
    add(
        store, 3, "2026-01-12T00:30+02:00", time_precision="exact"
    )  # Monday in Kyiv, still Sunday in UTC
    add(
        store, 4, "2026-02", time_precision="month"
    )  # a month: the week of its first day (Sunday 1 Feb)
    weeks = incidents_per_week(store)
    assert [(w.monday, w.incidents, w.killed, w.injured) for w in weeks] == [
        (date(2026, 1, 5), 2, 3, 4),
        (date(2026, 1, 12), 1, 0, 0),
        (date(2026, 1, 26), 1, 0, 0),
    ]


def test_area_and_period_select_as_the_incident_list_does(store: EventStore) -> None:
    add(store, 1, "2026-01-05", place="Dnipro", region="Dnipropetrovsk Oblast")
    add(store, 2, "2026-01-06", place="Zaporizhzhia", region="Zaporizhzhia Oblast")
    add(store, 3, "2025-06-01", place="Dnipro", region="Dnipropetrovsk Oblast")
    since = datetime(2026, 1, 1, tzinfo=UTC)
    for area in ("dnipro", "Дніпро", "zapor", "nowhere"):
        for period in (None, since):
            listed = store.latest("incident", area=area, since=period, limit=50).events
            charted = incidents_per_week(store, area=area, since=period)
            assert sum(w.incidents for w in charted) == len(listed), (area, period)
    assert incidents_per_week(store, area="nowhere") == []


def test_each_move_of_a_rounds_start_is_on_its_timeline(store: EventStore) -> None:
    store.create(talks(start="2026-03-10"), author="os:t")
    store.update("talks-test", {"start": "2026-03-12", "end": "2026-03-13"}, author="t", reason="a")
    store.update("talks-test", {"summary": "copy edit"}, author="t", reason="b")
    store.update("talks-test", {"start": "2026-03-20", "end": None}, author="t", reason="c")
    (rnd,) = talks_timeline(store)
    assert (rnd.start, rnd.end) == (date(2026, 3, 20), date(2026, 3, 20))
    assert rnd.moves == [
        Move(date(2026, 3, 10), date(2026, 3, 12)),
        Move(date(2026, 3, 12), date(2026, 3, 20)),
    ]


def test_a_talks_change_makes_every_board_stale_in_the_same_write(store: EventStore) -> None:
    store.create(talks(), author="os:t")
    boards = BoardStore(store.db, store.clock)
    boards.start(-100, "supergroup")
    boards.drawn(-100, boards.due()[0].wanted, 7)
    assert boards.due() == []
    store.update("talks-test", {"status": "postponed"}, author="t", reason="x")
    (due,) = boards.due()
    assert due.message_id == 7  # edited in place, not posted again
    boards.drawn(-100, due.wanted, 7)
    store.create(incident(), author="os:t")  # a new incident changes "latest incidents"
    assert len(boards.due()) == 1
