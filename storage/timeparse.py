"""Dates and times as curators write them: a month, a day, or an instant with its offset.

Stored values keep the curator's text (ISO 8601); queries sort on a UTC instant derived here.
A naive datetime is refused: an instant without an offset means two different things in Kyiv
and in Abu Dhabi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
)


MIN_YEAR, MAX_YEAR = 1900, 2100


class TimeFormatError(ValueError):
    """The text is not one of the accepted forms, or names an impossible date."""


@dataclass(frozen=True)
class When:
    """A parsed point in time at the resolution the curator gave."""

    text: str
    resolution: str  # "month", "day" or "instant"
    day: date  # first day of the month, the day, or the instant's local day
    instant: datetime | None = None  # aware, only for resolution "instant"

    def start_utc(self, zone: ZoneInfo) -> datetime:
        """The earliest UTC moment this value can mean, read in the place's zone."""
        if self.instant is not None:
            return self.instant.astimezone(UTC)
        return datetime.combine(self.day, time(0), tzinfo=zone).astimezone(UTC)

    def end_utc(self, zone: ZoneInfo) -> datetime:
        """The latest UTC moment this value can mean (exclusive), read in the place's zone."""
        if self.instant is not None:
            return self.instant.astimezone(UTC)
        if self.resolution == "month":
            nxt = (self.day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            nxt = self.day + timedelta(days=1)
        return datetime.combine(nxt, time(0), tzinfo=zone).astimezone(UTC)


def parse_when(text: str) -> When:
    """Parse `YYYY-MM`, `YYYY-MM-DD` or an ISO 8601 instant with `Z` or `+HH:MM`.

    Years run from 1900 to 2100: beyond them UTC arithmetic overflows, and no record of this
    store belongs there.
    """
    when = _parse_when(text)
    if not MIN_YEAR <= when.day.year <= MAX_YEAR:
        raise TimeFormatError(f"year {when.day.year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return when


def _parse_when(text: str) -> When:
    if not isinstance(text, str):
        raise TimeFormatError("must be text in ISO 8601 form")
    value = text.strip()
    try:
        if m := _MONTH.match(value):
            return When(value, "month", date(int(m[1]), int(m[2]), 1))
        if m := _DAY.match(value):
            return When(value, "day", date(int(m[1]), int(m[2]), int(m[3])))
        if _INSTANT.match(value):
            instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return When(value, "instant", instant.date(), instant)
    except ValueError as exc:
        raise TimeFormatError(f"impossible date {value!r}: {exc}") from None
    if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$", value):
        raise TimeFormatError(f"{value!r} has no UTC offset: add Z or +HH:MM")
    raise TimeFormatError(
        f"{value[:40]!r} is not a date: use YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM+HH:MM",
    )


def zone_or_error(name: str) -> ZoneInfo:
    """The IANA zone of that name, or ValueError with a readable message."""
    if not isinstance(name, str) or not name or len(name) > 64 or ".." in name:
        raise ValueError("must be an IANA time zone such as Europe/Kyiv")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder: IsADirectoryError
        raise ValueError(f"unknown time zone {name[:64]!r}") from None


def iso_utc(moment: datetime) -> str:
    """A sortable UTC text form used in indexed columns."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_utc(text: str) -> datetime:
    """An instant the store wrote with `iso_utc` (2026-02-04T20:00:00Z), read back as UTC."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
