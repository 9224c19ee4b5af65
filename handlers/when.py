"""Showing dates and times as a reader expects: their zone, the venue's, and honest precision."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.units import format_unit

from handlers.catalogue import locale, text
from handlers.i18n import current_language
from storage.gazetteer import lookup
from storage.timeparse import TimeFormatError, When, parse_when

# Month and weekday names come from Babel (CLDR), in the current language and the case it
# needs ("4 лютого", "лютий 2026"); the catalogue holds only each language's patterns.


def _day(d: date, *, weekday: bool = True, month: bool = True, year: bool = False) -> str:
    parts = []
    if weekday:
        parts.append(text("date_weekday"))
    parts.append("d")
    if month:
        parts.append(text("date_month"))
    if year:
        parts.append("y")
    return format_date(d, " ".join(parts), locale=locale_now())


def _month(d: date) -> str:
    return format_date(d, text("date_month_year"), locale=locale_now())


def _clock(moment: datetime) -> str:
    return format_time(moment, text("date_clock"), locale=locale_now())


def locale_now() -> Locale:
    """Babel's locale for the language being rendered now."""
    return locale(current_language())


def duration(minutes: int) -> str:
    """How long before a round a reminder comes: '24h', '1d', '90m' ('24 год' in Ukrainian)."""
    if minutes % 1440 == 0:
        amount, unit = minutes // 1440, "duration-day"
    elif minutes % 60 == 0:
        amount, unit = minutes // 60, "duration-hour"
    else:
        amount, unit = minutes, "duration-minute"
    length = text("duration_length")
    style = length if length in ("narrow", "short", "long") else "short"
    return format_unit(amount, unit, length=style, locale=locale_now())  # type: ignore[arg-type]


def durations(minutes: tuple[int, ...]) -> str:
    """Several reminder offsets, as the language lists them."""
    return ", ".join(duration(m) for m in minutes)


def zone_label(zone: ZoneInfo) -> str:
    """A short human name for a zone, in the reader's language: Europe/Kyiv -> Kyiv (Київ)."""
    city = str(zone.key).rsplit("/", 1)[-1].replace("_", " ")
    place = lookup(city)
    if place is not None and place.zone == zone.key:
        return place.names.get(current_language()) or city
    return city


def _parse(value: Any) -> When | None:
    if not value:
        return None
    try:
        return parse_when(str(value))
    except TimeFormatError:
        return None


def _show_year(first: date, today: date | None) -> bool:
    return today is None or first.year != today.year


def _years(first: date, last: date | None, today: date | None) -> tuple[bool, bool]:
    """Whether the first and the last day of a range show their year: both when the range
    crosses a year, the last (or only) one when it is not in the reader's current year."""
    if last is None or last.year == first.year:
        return False, _show_year(first, today)
    return True, True


def format_span(
    start: str | None,
    end: str | None,
    precision: str,
    *,
    reader_zone: ZoneInfo,
    today: date | None = None,
) -> str:
    """A date or date range at the precision it was recorded: 'Wed 4 – Thu 5 Feb 2026'."""
    first, last = _parse(start), _parse(end)
    if first is None:
        return text("empty_value")
    last_day = None
    if last is not None:
        last_day = last.instant.astimezone(reader_zone).date() if last.instant else last.day
    first_day = first.instant.astimezone(reader_zone).date() if first.instant else first.day
    year_first, year = _years(first_day, last_day, today)
    if first.resolution == "month" or precision == "month":
        shown = _month(first.day)
        if last and (last.day.year, last.day.month) != (first.day.year, first.day.month):
            shown = f"{shown} – {_month(last.day)}"
        return text("around", when=shown) if precision == "approximate" else shown
    if first.resolution == "instant" and first.instant is not None:
        local = first.instant.astimezone(reader_zone)
        shown = f"{_day(local.date(), year=year_first or year)}, {_clock(local)}"
        if last and last.instant is not None:
            end_local = last.instant.astimezone(reader_zone)
            if end_local.date() == local.date():
                shown = f"{shown}–{_clock(end_local)}"
            else:
                shown = f"{_day(local.date(), year=year_first)}, {_clock(local)}"
                shown = f"{shown} – {_day(end_local.date(), year=year)}, {_clock(end_local)}"
        shown = f"{shown} ({zone_label(reader_zone)})"
        if last and last.instant is None and last.day != local.date():
            shown = f"{shown} – {_day(last.day, year=year)}"  # a timed start, a day-only end
    elif last and last.day != first.day:
        same_month = (last.day.year, last.day.month) == (first.day.year, first.day.month)
        head = _day(first.day, month=not same_month, year=year_first)
        shown = f"{head} – {_day(last.day, year=year)}"
    else:
        shown = _day(first.day, year=year)
    if precision == "approximate":
        return text("around", when=shown)
    return shown


def has_time(schedule: dict[str, Any]) -> bool:
    """Whether a schedule's start has a time of day (not only a day or a month)."""
    parsed = _parse(schedule.get("start"))
    return parsed is not None and parsed.instant is not None


def venue_time(start: str | None, venue_zone: ZoneInfo, reader_zone: ZoneInfo) -> str | None:
    """The venue's local start time, when it has one and differs from the reader's zone."""
    first = _parse(start)
    if first is None or first.instant is None or venue_zone.key == reader_zone.key:
        return None
    local = first.instant.astimezone(venue_zone)
    if local.utcoffset() == first.instant.astimezone(reader_zone).utcoffset():
        return None
    return f"{_clock(local)} {zone_label(venue_zone)}"


def short_date(value: str | None, reader_zone: ZoneInfo, today: date | None = None) -> str:
    """A compact date for 'was 1 Feb, now 4–5 Feb' lines."""
    parsed = _parse(value)
    if parsed is None:
        return text("empty_value")
    if parsed.resolution == "month":
        return _month(parsed.day)
    day = parsed.instant.astimezone(reader_zone).date() if parsed.instant else parsed.day
    return _day(day, weekday=False, year=_show_year(day, today))


def compact_span(
    start: str | None, end: str | None, reader_zone: ZoneInfo, today: date | None = None
) -> str:
    """'1 Feb', '4–5 Feb' or '30 Jan – 2 Feb': the form used in 'was …, now …' lines, with
    the year where the reader could mistake it ('10–11 Feb 2027', '30 Dec 2026 – 2 Jan 2027')."""
    first, last = _parse(start), _parse(end)
    if first is None:
        return text("empty_value")
    if first.resolution == "month":
        return _month(first.day)

    def local_day(w: When) -> date:
        return w.instant.astimezone(reader_zone).date() if w.instant else w.day

    a = local_day(first)
    if last is None or local_day(last) == a:
        return _day(a, weekday=False, year=_show_year(a, today))
    b = local_day(last)
    year_a, year_b = _years(a, b, today)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{_day(b, weekday=False, year=year_b)}"
    return f"{_day(a, weekday=False, year=year_a)} – {_day(b, weekday=False, year=year_b)}"


def nearness(
    start: str | None, end: str | None, reader_zone: ZoneInfo, now: datetime | None
) -> str | None:
    """'today', 'tomorrow' or 'in 3 h' for what starts soon (or is on now); None otherwise."""
    first, last = _parse(start), _parse(end)
    if first is None or now is None or first.resolution == "month":
        return None
    today = now.astimezone(reader_zone).date()
    if first.instant is not None:
        ahead = first.instant - now
        if timedelta(0) < ahead < timedelta(hours=1):
            return text("near_minutes", count=max(1, int(ahead.total_seconds() // 60)))
        if timedelta(0) < ahead < timedelta(hours=12):
            return text("near_hours", count=int(ahead.total_seconds() // 3600))
    day = first.instant.astimezone(reader_zone).date() if first.instant else first.day
    last_day = day
    if last is not None:
        last_day = last.instant.astimezone(reader_zone).date() if last.instant else last.day
    if day <= today <= last_day:
        return text("near_today")
    if day == today + timedelta(days=1):
        return text("near_tomorrow")
    return None


def stamp(value: str | None, reader_zone: ZoneInfo, today: date | None = None) -> str:
    """A moment (a revision's time) in the reader's zone, labelled: 'Sun 1 Feb, 11:00 (Kyiv)'."""
    parsed = _parse(value)
    if parsed is None or parsed.instant is None:
        return text("empty_value")
    local = parsed.instant.astimezone(reader_zone)
    day = _day(local.date(), year=_show_year(local.date(), today))
    return f"{day}, {_clock(local)} ({zone_label(reader_zone)})"
