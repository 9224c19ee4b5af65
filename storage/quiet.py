"""When a chat wants quiet, and when its daily digest falls due: rules on local clock times.

A chat keeps its quiet hours and its digest time as wall-clock times in its own zone
(`23:00-07:00`, `08:00`); these functions read them against a UTC instant. A window may run
across midnight. No database here: storage.held applies the rules to what is delivered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.timeparse import iso_utc

# A change to a round this close (or under way) is news now, even in quiet hours.
URGENT_WITHIN = timedelta(hours=48)

# ASCII digits only: \d matches any script's digits, and int() reads them too.
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DASHES = re.compile(r"\s*[-–—]\s*")


class ClockError(ValueError):
    """Not a time of day, or not a window; `problem` names which, `value` the text at fault."""

    def __init__(self, problem: str, value: str = ""):
        super().__init__(f"{problem}: {value!r}")
        self.problem = problem  # "time" | "window" | "same"
        self.value = value[:20]


def parse_clock(value: str) -> time:
    """'08:00' or '8:00' -> 08:00; ClockError for anything else ('8', '25:00', '08:60')."""
    match = _CLOCK.match(value.strip())
    if match is None:
        raise ClockError("time", value)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ClockError("time", value)
    return time(hour, minute)


def format_clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local time, from `start` (inclusive) to `end` (exclusive)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{format_clock(self.start)}-{format_clock(self.end)}"

    def contains(self, zone: ZoneInfo, at: datetime) -> bool:
        """Whether `at` falls in the window, read on the chat's clock."""
        now = at.astimezone(zone).time().replace(second=0, microsecond=0, tzinfo=None)
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # across midnight

    def ends_after(self, zone: ZoneInfo, at: datetime) -> datetime:
        """The first end of the window after `at`, as an aware instant in `zone`."""
        day = at.astimezone(zone).date()
        for offset in range(3):
            end = datetime.combine(day + timedelta(days=offset), self.end, tzinfo=zone)
            if end > at:
                return end
        raise AssertionError("a daily window ends within two days")  # pragma: no cover


def parse_quiet(value: str) -> QuietHours:
    """'23:00-07:00' (or with an en dash, or spaces) -> QuietHours; ClockError otherwise."""
    parts = _DASHES.split(value.strip())
    if len(parts) != 2 or not all(parts):
        raise ClockError("window", value)
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start == end:
        raise ClockError("same", value)
    return QuietHours(start, end)


def stored_quiet(value: str | None) -> QuietHours | None:
    """A chat's stored window (None: no quiet hours; unreadable: none either)."""
    if not value:
        return None
    try:
        return parse_quiet(value)
    except ClockError:
        return None


def in_quiet(value: str | None, zone: ZoneInfo, at: datetime) -> bool:
    window = stored_quiet(value)
    return window is not None and window.contains(zone, at)


def last_due(at_time: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The latest moment at or before `now` when a daily `at_time` (local) fell due."""
    day = now.astimezone(zone).date()
    for offset in range(3):
        due = datetime.combine(day - timedelta(days=offset), at_time, tzinfo=zone)
        if due <= now:
            return due
    raise AssertionError("a daily time falls due within two days")  # pragma: no cover


def is_urgent(start_utc: str, end_utc: str, now: datetime) -> bool:
    """A round that starts within URGENT_WITHIN of `now`, or is under way (UTC ISO bounds)."""
    return start_utc < iso_utc(now + URGENT_WITHIN) and end_utc > iso_utc(now)
