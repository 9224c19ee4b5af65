"""The zone an edit's typed dates are read in, where the chat cannot reach: a record whose
zone cannot be read (every record passes validation, so no chat command makes one)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from handlers.curation_answers import edit_zone, read_edit_dates
from storage.events import InvalidEvent
from storage.model import Event

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 1, 20, 21, 30, tzinfo=UTC)  # 06:30 on the 21st in Tokyo


def event(**fields: Any) -> Event:
    return cast(Event, {"timezone": "Asia/Dubai", "time_precision": "day", **fields})


def test_the_typed_zone_comes_first_then_the_records() -> None:
    assert edit_zone("Europe/Kyiv", event(), TOKYO) == (ZoneInfo("Europe/Kyiv"), "given")
    assert edit_zone(None, event(), TOKYO) == (ZoneInfo("Asia/Dubai"), "record")


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", None])
def test_a_record_whose_zone_cannot_be_read_reads_times_in_the_chats(zone: str | None) -> None:
    assert edit_zone(None, event(timezone=zone), TOKYO) == (TOKYO, "chat")
    read = read_edit_dates({"start": "today 10:00"}, event(timezone=zone), TOKYO, NOW)
    assert read.values == {"start": "2026-01-21T10:00+09:00"}
    assert (read.zone, read.origin, read.in_zone) == ("Asia/Tokyo", "chat", True)


def test_a_typed_zone_that_is_none_is_the_timezone_fields_problem() -> None:
    with pytest.raises(InvalidEvent) as raised:
        edit_zone("Mars/Olympus", event(), TOKYO)
    assert [(e.field, e.code) for e in raised.value.errors] == [("timezone", "zone_unknown")]


def test_each_unreadable_date_is_named_by_its_field() -> None:
    with pytest.raises(InvalidEvent) as raised:
        read_edit_dates({"start": "today 25:00", "end": "2026-02-31 10:00"}, event(), TOKYO, NOW)
    found = [(e.field, e.code) for e in raised.value.errors]
    assert found == [("start", "time_clock"), ("end", "date_impossible")]
