"""Showing dates and times as a reader expects: their zone, the venue's, and honest precision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import text
from storage.timeparse import TimeFormatError, When, parse_when

# Fixed English forms: strftime's %a/%b follow the process locale, which a server may change.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(d: date, *, weekday: bool = True, month: bool = True, year: bool = False) -> str:
    parts = []
    if weekday:
        parts.append(_DAYS[d.weekday()])
    parts.append(str(d.day))
    if month:
        parts.append(_MONTHS[d.month - 1])
    if year:
        parts.append(str(d.year))
    return " ".join(parts)


def _month(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def zone_label(zone: ZoneInfo) -> str:
    """A short human name for a zone: Europe/Kyiv -> Kyiv."""
    return str(zone.key).rsplit("/", 1)[-1].replace("_", " ")


def _parse(value: Any) -> When | None:
    if not value:
        return None
    try:
        return parse_when(str(value))
    except TimeFormatError:
        return None


def _show_year(first: date, today: date | None) -> bool:
    return today is None or first.year != today.year


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
    year = _show_year(first.day, today)
    if first.resolution == "month" or precision == "month":
        shown = _month(first.day)
        if last and (last.day.year, last.day.month) != (first.day.year, first.day.month):
            shown = f"{shown} – {_month(last.day)}"
        return text("around", when=shown) if precision == "approximate" else shown
    if first.resolution == "instant" and first.instant is not None:
        local = first.instant.astimezone(reader_zone)
        shown = f"{_day(local.date(), year=year)}, {_clock(local)}"
        if last and last.instant is not None:
            end_local = last.instant.astimezone(reader_zone)
            if end_local.date() == local.date():
                shown = f"{shown}–{_clock(end_local)}"
            else:
                shown = f"{shown} – {_day(end_local.date(), year=year)}, {_clock(end_local)}"
        shown = f"{shown} ({zone_label(reader_zone)})"
        if last and last.instant is None and last.day != local.date():
            shown = f"{shown} – {_day(last.day, year=year)}"  # a timed start, a day-only end
    elif last and last.day != first.day:
        same_month = (last.day.year, last.day.month) == (first.day.year, first.day.month)
        shown = f"{_day(first.day, month=not same_month)} – {_day(last.day, year=year)}"
    else:
        shown = _day(first.day, year=year)
    if precision == "approximate":
        return text("around", when=shown)
    return shown


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


def compact_span(start: str | None, end: str | None, reader_zone: ZoneInfo) -> str:
    """'1 Feb', '4–5 Feb' or '30 Jan – 2 Feb': the form used in 'was …, now …' lines."""
    first, last = _parse(start), _parse(end)
    if first is None:
        return text("empty_value")
    if first.resolution == "month":
        return _month(first.day)

    def local_day(w: When) -> date:
        return w.instant.astimezone(reader_zone).date() if w.instant else w.day

    a = local_day(first)
    if last is None or local_day(last) == a:
        return _day(a, weekday=False)
    b = local_day(last)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{_day(b, weekday=False)}"
    return f"{_day(a, weekday=False)} – {_day(b, weekday=False)}"
