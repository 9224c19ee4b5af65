"""Reading the typed answers of /add: when, where, and casualty figures.

Each reader returns the record's fields, or raises BadInput (or TimeFormatError) with a
message for the curator, who is then asked the same question again.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import text
from handlers.curation_parse import BadInput, parse_figure, shown
from handlers.render import esc
from storage.model import MAX_TEXT
from storage.timeparse import TimeFormatError, parse_when, zone_or_error

PRECISION_OF = {"instant": "exact", "day": "day", "month": "month"}
SKIP = ("-", "none", "")
UTC_ZONE = ZoneInfo("UTC")
# The zone a record gets from its country when the curator names none (shown in the preview,
# and /correct N timezone=... changes it). Anything else gets SITREP_TZ.
COUNTRY_ZONES = {
    "ukraine": "Europe/Kyiv",
    "russia": "Europe/Moscow",
    "belarus": "Europe/Minsk",
    "united arab emirates": "Asia/Dubai",
    "uae": "Asia/Dubai",
    "saudi arabia": "Asia/Riyadh",
    "qatar": "Asia/Qatar",
    "turkey": "Europe/Istanbul",
    "türkiye": "Europe/Istanbul",
    "switzerland": "Europe/Zurich",
    "united states": "America/New_York",
    "usa": "America/New_York",
    "united kingdom": "Europe/London",
    "france": "Europe/Paris",
    "germany": "Europe/Berlin",
    "poland": "Europe/Warsaw",
}


def read_when(answer: str) -> tuple[str, str | None, str]:
    """'START' or 'START END' -> (start, end, time_precision); TimeFormatError if unreadable."""
    try:
        start = parse_when(answer)
        return start.text, None, PRECISION_OF[start.resolution]
    except TimeFormatError:
        first, _, second = answer.partition(" ")
        start = parse_when(first)
        end = parse_when(second)
    # Read in UTC for now: the place (and its zone) comes next, and the preview checks again.
    if end.end_utc(UTC_ZONE) <= start.start_utc(UTC_ZONE):
        raise TimeFormatError(f"the end {end.text} is before the start {start.text}")
    return start.text, end.text, PRECISION_OF[start.resolution]


def read_where(answer: str, default_zone: str) -> dict[str, str]:
    """'Place, Region, Country[, Zone]' (or '-') -> place, region, country and timezone."""
    if answer.strip().lower() in SKIP:
        return {"place": "", "region": "", "country": "", "timezone": default_zone}
    parts = [p.strip() for p in answer.split(",")]
    zone = None
    if len(parts) == 4 or (len(parts) > 1 and "/" in parts[-1]):
        try:
            zone = str(zone_or_error(parts[-1]).key)
        except ValueError as exc:
            raise BadInput(esc(str(exc))) from None
        parts = parts[:-1]
    if len(parts) > 3:
        raise BadInput(text("cur_add_bad_where"))
    place, region, country = [*parts, "", "", ""][:3]
    for name, value in (("place", place), ("region", region), ("country", country)):
        if len(value) > MAX_TEXT[name]:
            raise BadInput(text("cur_too_long", what=name, length=len(value), limit=MAX_TEXT[name]))
    zone = zone or COUNTRY_ZONES.get(" ".join(country.casefold().split()), default_zone)
    return {"place": place, "region": region, "country": country, "timezone": zone}


def read_casualties(answer: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """'KILLED / INJURED' (either may be 'none'), or 'none' for both."""
    killed, slash, injured = answer.partition("/")
    if not slash and killed.strip().lower() not in (*SKIP, "unknown", "?"):
        raise BadInput(text("cur_add_bad_casualties", answer=shown(answer)))
    return parse_figure("killed", killed), parse_figure("injured", injured)
