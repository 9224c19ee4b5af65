"""The talks calendar: what icalendar reads back from the file sitrep writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from handlers.calendar import event_times, talks_calendar
from storage.events import EventStore
from storage.public import talks_rounds
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


def parse(store: EventStore, public_url: str = "") -> Calendar:
    return Calendar.from_ical(talks_calendar(talks_rounds(store), public_url=public_url))


def vevent(cal: Calendar, event_id: str) -> Any:
    found = [e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{event_id}@sitrep"]
    assert len(found) == 1, [str(e["UID"]) for e in cal.walk("VEVENT")]
    return found[0]


def round_record(seeded: EventStore, **changes: Any) -> dict[str, Any]:
    base = {k: v for k, v in seeded.get(ABU_DHABI).items() if k not in ("number", "sequence")}
    return {**base, "id": "kyiv-test-round", "end": None, "revisions": None, **changes}


def test_the_abu_dhabi_round_is_all_day_4_to_5_february(seeded: EventStore) -> None:
    event = vevent(parse(seeded), ABU_DHABI)
    assert event.decoded("DTSTART") == date(2026, 2, 4)
    assert event.decoded("DTEND") == date(2026, 2, 6)  # exclusive: the 5th is included
    assert "VALUE=DATE:20260204" in event.to_ical().decode()
    assert event["SEQUENCE"] == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Abu Dhabi, United Arab Emirates"
    description = str(event["DESCRIPTION"])
    assert "Status: postponed" in description
    # A calendar entry is read at any time: its dates always carry their year.
    assert "postponed: was 1 Feb 2026, now 4–5 Feb 2026" in description
    assert "Parties: Ukraine, Russia, and United States" in description
    assert "News report (seed article" in description


def test_a_record_page_and_source_links_with_a_public_address(seeded: EventStore) -> None:
    seeded.update(
        ABU_DHABI,
        {"sources": [{"name": "Reuters", "url": "https://www.reuters.com/x"}]},
        author="test",
    )
    event = vevent(parse(seeded, "https://sitrep.example.org"), ABU_DHABI)
    assert str(event["URL"]) == "https://sitrep.example.org/event/3"
    description = str(event["DESCRIPTION"])
    assert "Full record: https://sitrep.example.org/event/3" in description
    assert "Reuters: https://www.reuters.com/x" in description
    assert "URL" not in vevent(parse(seeded), ABU_DHABI)


def test_month_and_approximate_rounds_are_left_out(seeded: EventStore) -> None:
    uids = {str(e["UID"]) for e in parse(seeded).walk("VEVENT")}
    assert "trilateral-talks-2026-01@sitrep" not in uids  # "earlier in January"
    assert f"{ABU_DHABI}@sitrep" in uids
    seeded.create(
        round_record(seeded, start="2026-03-10", time_precision="approximate"), author="t"
    )
    uids = {str(e["UID"]) for e in parse(seeded).walk("VEVENT")}
    assert "kyiv-test-round@sitrep" not in uids


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(
    seeded: EventStore, clock: Clock
) -> None:
    before = vevent(parse(seeded), ABU_DHABI)
    clock.advance(hours=1)
    reschedule(seeded, ABU_DHABI, RescheduleRequest("2026-02-06", "2026-02-07"), author="t")
    after = vevent(parse(seeded), ABU_DHABI)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == date(2026, 2, 6)
    assert after.decoded("DTEND") == date(2026, 2, 8)
    assert after.decoded("LAST-MODIFIED") == clock.now.replace(microsecond=0)
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    assert "was 1 Feb 2026, now 6–7 Feb 2026 (moved 2 times)" in str(after["DESCRIPTION"])


def test_exact_times_carry_the_venue_zone_and_its_vtimezone(seeded: EventStore) -> None:
    seeded.create(
        round_record(
            seeded,
            start="2026-03-10T10:00:00+02:00",
            end="2026-03-10T18:30:00+02:00",
            time_precision="exact",
            timezone="Europe/Kyiv",
        ),
        author="t",
    )
    cal = parse(seeded)
    event = vevent(cal, "kyiv-test-round")
    assert "DTSTART;TZID=Europe/Kyiv:20260310T100000" in event.to_ical().decode()
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(hours=2)
    assert event.decoded("DTEND") == datetime(2026, 3, 10, 16, 30, tzinfo=UTC)
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Kyiv"]
    assert cal.get_missing_tzids() == set()


def test_a_cancelled_round_says_so(seeded: EventStore) -> None:
    seeded.update(ABU_DHABI, {"status": "cancelled"}, author="t")
    event = vevent(parse(seeded), ABU_DHABI)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Cancelled: ")


def test_an_unchanged_store_gives_the_same_bytes(seeded: EventStore, clock: Clock) -> None:
    first = talks_calendar(talks_rounds(seeded))
    clock.advance(days=3)
    assert talks_calendar(talks_rounds(seeded)) == first


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        ("2026-02-04", None, "day", (date(2026, 2, 4), date(2026, 2, 5))),
        ("2026-02-04", "2026-02-05", "day", (date(2026, 2, 4), date(2026, 2, 6))),
        ("2026-01-31", "2026-02-02", "day", (date(2026, 1, 31), date(2026, 2, 3))),
        # A moment known only to the day is shown on the venue's day.
        ("2026-02-04T22:30:00Z", None, "day", (date(2026, 2, 5), date(2026, 2, 6))),
        ("2026-02", None, "month", None),
        ("2026-02-04", None, "approximate", None),
    ],
)
def test_event_times(
    start: str, end: str | None, precision: str, expected: tuple[date, date] | None
) -> None:
    rec = {"start": start, "end": end, "time_precision": precision, "timezone": "Asia/Dubai"}
    assert event_times(rec) == expected


def test_a_timed_start_with_a_day_end_runs_to_the_end_of_that_day() -> None:
    rec = {
        "start": "2026-02-04T10:00:00+04:00",
        "end": "2026-02-05",
        "time_precision": "exact",
        "timezone": "Asia/Dubai",
    }
    dubai = ZoneInfo("Asia/Dubai")
    assert event_times(rec) == (
        datetime(2026, 2, 4, 10, tzinfo=dubai),
        datetime(2026, 2, 6, 0, tzinfo=dubai),
    )
