"""Quiet hours and digests in the store: the clock rules, what is held, what a summary says."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.chats import ChatStore
from storage.events import EventStore
from storage.held import Holds, sends_silently, sum_figures
from storage.outbox import Outbox, add_reminder
from storage.quiet import ClockError, QuietHours, is_urgent, last_due, parse_clock, parse_quiet
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock

KYIV = ZoneInfo("Europe/Kyiv")
ABU_DHABI = "abu-dhabi-trilateral-2026-02"


def at_kyiv(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV).astimezone(UTC)


# --- the clock rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("23:00-07:00", "23:00-07:00"),
        ("7:05-9:30", "07:05-09:30"),
        ("23:00 – 07:00", "23:00-07:00"),
        (" 00:00-23:59 ", "00:00-23:59"),
    ],
)
def test_windows_are_read_as_people_write_them(text: str, window: str) -> None:
    assert str(parse_quiet(text)) == window


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("25:00-07:00", "time"),
        ("23:00", "window"),
        ("23:00-", "window"),
        ("23:00-07:00-08:00", "window"),
        ("23:00-23:00", "same"),
        ("23:5-07:00", "time"),
        ("11pm-7am", "time"),
        ("", "window"),
        ("٢٣:٠٠-07:00", "time"),  # other digits are not a clock here
    ],
)
def test_bad_windows_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ClockError) as caught:
        parse_quiet(text)
    assert caught.value.problem == problem


@pytest.mark.parametrize("text", ["8", "08", "24:00", "08:60", "8h", "08:00:00", "-1:00"])
def test_a_digest_time_is_a_24_hour_clock(text: str) -> None:
    with pytest.raises(ClockError):
        parse_clock(text)


def test_a_window_across_midnight() -> None:
    window = parse_quiet("23:00-07:00")
    inside = [at_kyiv(20, 23, 0), at_kyiv(21, 0, 0), at_kyiv(21, 6, 59)]
    outside = [at_kyiv(20, 22, 59), at_kyiv(21, 7, 0), at_kyiv(21, 12, 0)]
    assert all(window.contains(KYIV, at) for at in inside)
    assert not any(window.contains(KYIV, at) for at in outside)
    assert window.ends_after(KYIV, at_kyiv(20, 23, 30)) == at_kyiv(21, 7, 0)
    assert window.ends_after(KYIV, at_kyiv(21, 1, 0)) == at_kyiv(21, 7, 0)


def test_a_window_within_a_day_and_the_zone_it_is_read_in() -> None:
    window = parse_quiet("13:00-15:00")
    noon_utc = datetime(2026, 1, 20, 12, tzinfo=UTC)  # 14:00 in Kyiv, 12:00 in London
    assert window.contains(KYIV, noon_utc)
    assert not window.contains(ZoneInfo("Europe/London"), noon_utc)


def test_the_window_ends_on_the_local_clock_across_a_change_of_time() -> None:
    # Kyiv moves to summer time on 29 March 2026 at 03:00: 07:00 that day is 04:00 UTC.
    window = parse_quiet("23:00-07:00")
    assert window.ends_after(KYIV, at_kyiv(28, 23, 30, month=3)) == datetime(
        2026, 3, 29, 4, tzinfo=UTC
    )


@given(
    st.times(),
    st.times(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
)
def test_a_window_ends_within_a_day_and_is_over_when_it_ends(
    start: time, end: time, naive: datetime
) -> None:
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        return
    window = QuietHours(start, end)
    at = naive.replace(tzinfo=UTC)
    ends = window.ends_after(KYIV, at)
    assert at < ends <= at + timedelta(hours=25)  # 25: a day with a clock change
    assert not window.contains(KYIV, ends)


def test_the_last_digest_due() -> None:
    eight = time(8, 0)
    assert last_due(eight, KYIV, at_kyiv(21, 8, 0)) == at_kyiv(21, 8, 0)
    assert last_due(eight, KYIV, at_kyiv(21, 7, 59)) == at_kyiv(20, 8, 0)
    assert last_due(eight, KYIV, at_kyiv(21, 23, 0)) == at_kyiv(21, 8, 0)


def test_urgent_means_under_way_or_starting_within_48_hours() -> None:
    now = datetime(2026, 2, 2, 0, tzinfo=UTC)
    assert is_urgent("2026-02-03T20:00:00Z", "2026-02-05T20:00:00Z", now)
    assert is_urgent("2026-02-01T00:00:00Z", "2026-02-02T12:00:00Z", now)  # under way
    assert not is_urgent("2026-02-04T00:00:00Z", "2026-02-05T00:00:00Z", now)
    assert not is_urgent("2026-01-30T00:00:00Z", "2026-02-01T00:00:00Z", now)  # over


@pytest.mark.parametrize(
    ("figures", "total"),
    [
        ([None, None], None),
        ([{"count": 3, "qualifier": "exact"}, {"count": 2, "qualifier": "exact"}], (5, "exact")),
        ([{"count": 3, "qualifier": "exact"}, {"count": 2, "qualifier": "about"}], (5, "about")),
        (
            [{"count": 3, "qualifier": "exact"}, {"count": 2, "qualifier": "at_least"}],
            (5, "at_least"),
        ),
        ([{"count": 3, "qualifier": "exact"}, None], (3, "at_least")),  # one not known
    ],
)
def test_casualty_totals_say_how_sure_they_are(figures: list, total: tuple | None) -> None:
    summed = sum_figures(figures)
    assert (None if summed is None else (summed["count"], summed["qualifier"])) == total


def test_silence_is_the_chats_choice_or_its_quiet_hours() -> None:
    night, day = at_kyiv(21, 2, 0), at_kyiv(21, 12, 0)
    assert sends_silently(True, None, None, "Europe/Kyiv", day)
    assert sends_silently(False, "23:00-07:00", None, "Europe/Kyiv", night)
    assert not sends_silently(False, "23:00-07:00", None, "Europe/Kyiv", day)
    assert not sends_silently(False, None, "Europe/Kyiv", "Europe/Kyiv", night)


# --- holding at fan-out --------------------------------------------------------------------


@pytest.fixture
def world(seeded: EventStore, clock: Clock) -> tuple[EventStore, ChatStore, Outbox, Holds]:
    chats = ChatStore(seeded.db, clock)
    return seeded, chats, Outbox(seeded.db, clock), Holds(seeded.db, clock)


def held_rows(store: EventStore) -> list[tuple[int, str | None, str | None]]:
    return store.db.conn.execute(
        "SELECT chat_id, held, held_until FROM deliveries ORDER BY chat_id"
    ).fetchall()


def fan_out_all(outbox: Outbox) -> None:
    for alert in outbox.unfanned():
        outbox.fan_out(alert.id)


def test_each_chat_gets_what_it_asked_for(world, clock: Clock) -> None:
    store, chats, outbox, holds = world
    clock.now = at_kyiv(21, 1, 0)
    for chat_id in (1, 2, 3, 4):
        chats.subscribe(chat_id, "private", "talks")
    holds.set_quiet(2, "private", parse_quiet("23:00-07:00"))
    holds.set_digest(3, "private", time(8, 0))
    holds.set_quiet(4, "private", parse_quiet("12:00-13:00"))  # not now
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-06"), author="t")
    fan_out_all(outbox)
    assert held_rows(store) == [
        (1, None, None),
        (2, "quiet", "2026-01-21T05:00:00Z"),  # 07:00 in Kyiv
        (3, "digest", None),
        (4, None, None),
    ]
    assert [d.chat_id for d in outbox.pending()] == [1, 4]


def test_a_reminder_is_never_held_and_an_urgent_round_not_in_quiet_hours(
    world, clock: Clock
) -> None:
    store, chats, outbox, holds = world
    chats.subscribe(1, "private", "talks")
    chats.subscribe(2, "private", "talks")
    holds.set_quiet(1, "private", parse_quiet("21:00-07:00"))
    holds.set_digest(2, "private", time(8, 0))
    clock.now = datetime(2026, 2, 2, 20, tzinfo=UTC)  # 22:00 Kyiv; the round starts in 24 h
    add_reminder(store.db, ABU_DHABI, 1440, "2026-02-04", clock.now)
    store.update(ABU_DHABI, {"status": "cancelled"}, author="t", reason="off")
    fan_out_all(outbox)
    rows = store.db.conn.execute(
        "SELECT a.kind, d.chat_id, d.held FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "ORDER BY a.id, d.chat_id"
    ).fetchall()
    assert rows == [
        ("reminder", 1, None),
        ("reminder", 2, None),  # a digest reader still gets reminders at their time
        ("talks_change", 1, None),  # urgent: not held, sent silently
        ("talks_change", 2, "digest"),  # a digest holds everything else
    ]


def test_a_round_moved_away_from_tomorrow_is_urgent_too(world, clock: Clock) -> None:
    store, chats, outbox, holds = world
    chats.subscribe(1, "private", "talks")
    holds.set_quiet(1, "private", parse_quiet("21:00-07:00"))
    clock.now = datetime(2026, 2, 2, 20, tzinfo=UTC)
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-03-04"), author="t")
    fan_out_all(outbox)
    assert held_rows(store) == [(1, None, None)]


def test_turning_quiet_off_or_moving_zone_retimes_what_is_held(world, clock: Clock) -> None:
    store, chats, outbox, holds = world
    clock.now = at_kyiv(21, 1, 0)
    chats.subscribe(1, "private", "talks")
    holds.set_quiet(1, "private", parse_quiet("23:00-07:00"))
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-06"), author="t")
    fan_out_all(outbox)
    assert holds.open_due_catchups() == []
    # In New York it is 18:00: outside the window, so what waited is due now.
    chats.set_zone(1, "private", "America/New_York")
    assert held_rows(store) == [(1, "quiet", "2026-01-20T23:00:00Z")]
    chats.set_zone(1, "private", "Europe/Kyiv")
    assert held_rows(store) == [(1, "quiet", "2026-01-21T05:00:00Z")]
    holds.set_quiet(1, "private", None)
    [summary_id] = holds.open_due_catchups()
    assert store.db.conn.execute(
        "SELECT summary_id FROM deliveries WHERE chat_id = 1"
    ).fetchone() == (summary_id,)
    assert holds.open_due_catchups() == []  # gathered once


def test_a_summary_tells_the_latest_schedule_from_before_the_first_change(
    world, clock: Clock
) -> None:
    store, chats, outbox, holds = world
    clock.now = at_kyiv(21, 1, 0)
    for topic in ("talks", "incidents"):
        chats.subscribe(1, "private", topic)
    holds.set_digest(1, "private", time(8, 0))
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-06"), author="t")
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-09"), author="t")
    store.create(
        {
            "id": "new-strike",
            "kind": "incident",
            "title": "New strike",
            "status": "reported",
            "start": "2026-01-20",
            "timezone": "Europe/Kyiv",
            "region": "Kharkiv Oblast",
            "killed": {"count": 1, "qualifier": "exact"},
            "sources": [{"name": "Wire"}],
        },
        author="t",
    )
    # Corrected in the same period: told once, with its figures as they are now.
    store.update("new-strike", {"killed": {"count": 4, "qualifier": "exact"}}, author="t")
    fan_out_all(outbox)
    summary_id = holds.open_digest(1)
    assert summary_id is not None
    content = holds.content(summary_id, store.contents)
    [news] = content.rounds
    assert news.was["start"] == "2026-02-04" and news.event["start"] == "2026-02-09"
    assert news.changes == 2 and not news.announced
    [area] = content.areas
    assert area.area == "Kharkiv Oblast" and area.killed == {"count": 4, "qualifier": "exact"}
    assert content.corrections == [] and content.told == 4
    assert holds.open_digest(1) is None  # nothing since: no digest


def test_missed_digests_are_those_due_since_the_last(world, clock: Clock) -> None:
    _, _, _, holds = world
    clock.now = at_kyiv(20, 14, 0)
    holds.set_digest(1, "private", time(8, 0))
    holds.set_digest(2, "private", time(15, 0))
    assert holds.missed_digests() == []
    clock.now = at_kyiv(20, 16, 0)
    assert holds.missed_digests() == [2]
    holds.open_digest(2)
    assert holds.missed_digests() == []
    clock.now = at_kyiv(21, 8, 30)
    assert holds.missed_digests() == [1]
    # A new time keeps the period (the next digest covers it all); off and on again starts
    # a new one.
    holds.set_digest(1, "private", time(9, 0))
    assert holds.missed_digests() == []
    assert holds.prefs(1).digest_last_at == "2026-01-20T12:00:00Z"
    holds.set_digest(1, "private", None)
    holds.set_digest(1, "private", time(9, 0))
    assert holds.prefs(1).digest_last_at == "2026-01-21T06:30:00Z"


def test_a_blocked_or_migrated_chat_takes_its_summaries_along(world, clock: Clock) -> None:
    store, chats, outbox, holds = world
    clock.now = at_kyiv(21, 1, 0)
    chats.subscribe(-5, "group", "talks")
    chats.subscribe(6, "private", "talks")
    for chat_id in (-5, 6):
        holds.set_digest(chat_id, "group" if chat_id < 0 else "private", time(8, 0))
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-06"), author="t")
    fan_out_all(outbox)
    assert holds.open_digest(-5) and holds.open_digest(6)
    chats.migrate(-5, -1005)
    chats.deactivate(6, "blocked")
    assert [s.chat_id for s in holds.pending_summaries()] == [-1005]
    assert store.db.conn.execute("SELECT state FROM summaries WHERE chat_id = 6").fetchone() == (
        "skipped",
    )


def test_held_queries_read_only_the_rows_they_need(world, clock: Clock) -> None:
    """The engine asks twice a second which quiet windows ended, and every fan-out asks who
    is quiet or on a digest: neither may scan the deliveries or the chats."""
    store, chats, outbox, holds = world
    clock.now = at_kyiv(21, 1, 0)
    chats.subscribe(1, "private", "talks")
    holds.set_quiet(1, "private", parse_quiet("23:00-07:00"))
    reschedule(store, ABU_DHABI, RescheduleRequest("2026-02-06"), author="t")
    [alert] = outbox.unfanned()
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        outbox.fan_out(alert.id)
        holds.open_due_catchups()
    finally:
        store.db.conn.set_trace_callback(None)
    ours = [
        sql
        for sql in statements
        if ("held" in sql or "quiet" in sql or "digest" in sql) and not sql.startswith("INSERT")
    ]
    assert len(ours) >= 3
    for sql in ours:
        plan = " ".join(row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "SCAN deliveries" not in plan and not plan.startswith("SCAN chats"), (sql, plan)
        assert "SCAN chats " not in plan.replace("SCAN chats USING INDEX chats_", ""), plan
        # Starting from the chats that want it, not from every delivery of the alert.
        if "c.quiet IS NOT NULL" in sql:
            assert plan.startswith("SCAN c USING INDEX chats_quiet"), plan
        if "digest IS NOT NULL" in sql:
            assert "chats_digest" in plan, plan
