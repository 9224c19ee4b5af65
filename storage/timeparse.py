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

from storage.problems import CodedError

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
)


MIN_YEAR, MAX_YEAR = 1900, 2100


class TimeFormatError(CodedError):
    """The text is not one of the accepted forms, or names an impossible date; `code` says
    which (the catalogue's `problem_<code>` words it)."""


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
        raise TimeFormatError("date_year", year=when.day.year, low=MIN_YEAR, high=MAX_YEAR)
    return when


def _parse_when(text: str) -> When:
    if not isinstance(text, str):
        raise TimeFormatError("date_not_text")
    value = text.strip()
    try:
        if m := _MONTH.match(value):
            return When(value, "month", date(int(m[1]), int(m[2]), 1))
        if m := _DAY.match(value):
            return When(value, "day", date(int(m[1]), int(m[2]), int(m[3])))
        if _INSTANT.match(value):
            instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return When(value, "instant", instant.date(), instant)
    except ValueError:
        raise TimeFormatError("date_impossible", value=value[:40]) from None
    if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$", value):
        raise TimeFormatError("date_no_offset", value=value[:40])
    raise TimeFormatError("date_form", value=value[:40])


# --- as curators type them in chat ------------------------------------------------------------

# Days named relative to today, in English and Ukrainian (what a curator types in /add).
DAY_WORDS = {
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "сьогодні": 0,
    "вчора": -1,
    "учора": -1,
    "завтра": 1,
}
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_LOCAL = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{1,2}:[0-9]{2})$")


class LocalTimeError(TimeFormatError):
    """A typed value that is not a time in its zone: its code is `time_gap` (the clocks
    skipped it), `time_clock` (no such time of day) or `time_parts` (more than a start and an
    end); `value` is what was typed."""


def is_typed_day(word: str) -> bool:
    """A day as typed in chat (`tomorrow`, `2026-02-06`), which a time of day may follow."""
    return word.lower() in DAY_WORDS or bool(_DAY.match(word))


def is_clock(word: str) -> bool:
    """A time of day as typed (`14:00`, `9:30`), without a date."""
    return bool(_CLOCK.match(word))


def _local_instant(day: date, clock: str, zone: ZoneInfo, typed: str) -> str:
    """A wall-clock time on a day in a zone, as the ISO text with its offset the store keeps.

    A time the clocks skip (spring forward) is refused; a time that happens twice (autumn)
    is the first of the two, as zoneinfo reads it (fold=0).
    """
    match = _CLOCK.match(clock)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise LocalTimeError("time_clock", value=typed[:40], clock=clock[:10])
    local = datetime.combine(day, time(int(match[1]), int(match[2])), tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise LocalTimeError("time_gap", value=typed[:40], zone=zone.key)
    return local.isoformat(timespec="minutes")


def reads_in_zone(value: str) -> bool:
    """Whether `read_typed` needs a zone for this value: a day named relative to today, or a
    local time without an offset (what a preview says the zone of)."""
    text = " ".join(value.split())
    return text.partition(" ")[0].lower() in DAY_WORDS or bool(_LOCAL.match(text))


def read_typed(value: str, zone: ZoneInfo, today: date) -> str:
    """One date as typed in chat, as the store's text: `today`, `yesterday`, `tomorrow` (the
    day in `zone`, whose today is `today`), a local time without an offset (`2026-02-04
    10:00`, read in `zone`), or any form `parse_when` reads, returned as typed."""
    text = " ".join(value.split())
    word, _, clock = text.partition(" ")
    if word.lower() in DAY_WORDS:
        day = today + timedelta(days=DAY_WORDS[word.lower()])
        return _local_instant(day, clock, zone, text) if clock else day.isoformat()
    if match := _LOCAL.match(text):
        try:
            day = date.fromisoformat(match[1])
        except ValueError:
            raise TimeFormatError("date_impossible", value=text[:40]) from None
        return _local_instant(day, match[2], zone, text)
    return text


def typed_parts(text: str) -> list[str]:
    """The dates in `START [END]` as typed in chat: words, a day and the time of day after it
    kept together (`tomorrow 14:00 tomorrow 18:00` is two parts)."""
    words = text.split()
    parts: list[str] = []
    while words:
        word = words.pop(0)
        if words and is_typed_day(word) and is_clock(words[0]):
            word = f"{word} {words.pop(0)}"
        parts.append(word)
    return parts


def read_typed_span(text: str, zone: ZoneInfo, today: date) -> tuple[When, When | None]:
    """`START` or `START END` as typed in chat (each as `read_typed` reads it, a day and its
    time of day together), parsed; TimeFormatError (LocalTimeError) when unreadable, or when
    the end comes before the start."""
    parts = typed_parts(text)
    if not parts:
        raise TimeFormatError("date_missing")
    # Each part is read first, so "the other day" is "not a date" rather than too many parts.
    found = [parse_when(read_typed(part, zone, today)) for part in parts]
    if len(found) > 2:
        raise LocalTimeError("time_parts", value=text[:40])
    start, end = found[0], found[1] if len(found) == 2 else None
    if end is not None and end.end_utc(zone) <= start.start_utc(zone):
        raise TimeFormatError("end_before_start", end=end.text, start=start.text)
    return start, end


def zone_or_error(name: str) -> ZoneInfo:
    """The IANA zone of that name, or a CodedError (a ValueError) saying why not."""
    if not isinstance(name, str) or not name or len(name) > 64 or ".." in name:
        raise CodedError("zone_form")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder: IsADirectoryError
        raise CodedError("zone_unknown", value=name[:64]) from None


def iso_utc(moment: datetime) -> str:
    """A sortable UTC text form used in indexed columns."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_utc(text: str) -> datetime:
    """An instant the store wrote with `iso_utc` (2026-02-04T20:00:00Z), read back as UTC."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
