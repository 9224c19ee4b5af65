"""Reading curators' typed answers: /add's when, where and casualty figures, and the dates
typed in /reschedule and /correct, read the same way.

Each /add reader returns the record's fields, or raises BadInput (or TimeFormatError) with a
message for the curator, who is then asked the same question again. The edits' dates raise
InvalidEvent naming the field, like every other problem of an edit.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import text
from handlers.curation_parse import BadInput, parse_figure, shown
from handlers.problems import of_error
from storage.events import InvalidEvent
from storage.gazetteer import lookup, lookup_region
from storage.model import MAX_TEXT, Event, FieldError
from storage.pending import PendingChange
from storage.problems import CodedError
from storage.timeparse import (
    TimeFormatError,
    parse_when,
    read_typed,
    read_typed_span,
    reads_in_zone,
    zone_or_error,
)

PRECISION_OF = {"instant": "exact", "day": "day", "month": "month"}
SKIP = ("-", "none", "")
# The zone a record gets from its country when the curator names none (shown in the preview,
# and /correct N timezone=... changes it), after the gazetteer's zone for the place or region.
# Anything else gets the chat's zone.
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


def read_when(answer: str, zone: ZoneInfo, now: datetime) -> tuple[str, str | None, str]:
    """'START' or 'START END' -> (start, end, time_precision), read in `zone` (`today`,
    `yesterday`, `tomorrow`, and local times without an offset); TimeFormatError if
    unreadable. /add asks "when?" before "where?": it reads the answer in the chat's zone to
    check it, then again in the record's zone once the place is known."""
    start, end = read_typed_span(answer, zone, now.astimezone(zone).date())
    return start.text, end.text if end else None, PRECISION_OF[start.resolution]


def when_problem(exc: TimeFormatError) -> str:
    """Why a typed date cannot be used, for the curator: the store's problem code worded by
    the catalogue in the chat's language (a local time the clocks skip, no such time of day,
    more than a start and an end, a date that is not one)."""
    return of_error(exc)


def read_where(answer: str, chat_zone: str) -> dict[str, str]:
    """'Place, Region, Country[, Zone]' (or '-') -> place, region, country, timezone, and
    where the zone came from (`zone_from`: given, place, region, country or chat).

    The zone is the one given, else the gazetteer's for the place (or its region), else the
    country's, else the chat's own."""
    if answer.strip().lower() in SKIP:
        return {
            "place": "",
            "region": "",
            "country": "",
            "timezone": chat_zone,
            "zone_from": "chat",
        }
    parts = [p.strip() for p in answer.split(",")]
    zone = None
    if len(parts) == 4 or (len(parts) > 1 and "/" in parts[-1]):
        try:
            zone = str(zone_or_error(parts[-1]).key)
        except CodedError as exc:
            raise BadInput(of_error(exc)) from None
        parts = parts[:-1]
    if len(parts) > 3:
        raise BadInput(text("cur_add_bad_where"))
    place, region, country = [*parts, "", "", ""][:3]
    for name, value in (("place", place), ("region", region), ("country", country)):
        if len(value) > MAX_TEXT[name]:
            raise BadInput(text("cur_too_long", what=name, length=len(value), limit=MAX_TEXT[name]))
    found = {"place": place, "region": region, "country": country}
    if zone:
        return {**found, "timezone": zone, "zone_from": "given"}
    known = (lookup(place) if place else None, lookup_region(region) if region else None)
    for origin, entry in zip(("place", "region"), known, strict=True):
        if entry is not None:
            return {**found, "timezone": entry.zone, "zone_from": origin}
    by_country = COUNTRY_ZONES.get(" ".join(country.casefold().split()))
    if by_country:
        return {**found, "timezone": by_country, "zone_from": "country"}
    return {**found, "timezone": chat_zone, "zone_from": "chat"}


def read_casualties(answer: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """'KILLED / INJURED' (either may be 'none'), or 'none' for both."""
    killed, slash, injured = answer.partition("/")
    if not slash and killed.strip().lower() not in (*SKIP, "unknown", "?"):
        raise BadInput(text("cur_add_bad_casualties", answer=shown(answer)))
    return parse_figure("killed", killed), parse_figure("injured", injured)


# --- dates typed in an edit (/reschedule, /correct start= end=) ------------------------------

DATE_FIELDS = ("start", "end")


@dataclass(frozen=True)
class EditDates:
    """An edit's typed dates as the store's text, and the zone they were read in: `origin`
    says where it came from (given in the command, the record's own, or the chat's)."""

    values: dict[str, str | None]
    zone: str
    origin: str
    in_zone: bool  # a value needed the zone (a day word, a local time): the preview says so

    def noted(self, pending: PendingChange) -> PendingChange:
        """The preview of this edit, telling which zone its local times were read in."""
        return replace(pending, read_in=(self.origin, self.zone)) if self.in_zone else pending


def edit_zone(given: str | None, event: Event, chat_zone: ZoneInfo) -> tuple[ZoneInfo, str]:
    """The zone an edit's local times mean, and where it came from: the zone typed in the same
    command (`timezone=`), else the record's own, else (a record whose zone is unreadable)
    the chat's. A typed zone that is not one is the edit's problem, named by field."""
    if given:
        try:
            return zone_or_error(given), "given"
        except CodedError as exc:
            raise InvalidEvent([FieldError.of("timezone", exc)]) from None
    try:
        return zone_or_error(str(event.get("timezone") or "")), "record"
    except CodedError:
        return chat_zone, "chat"


def read_edit_dates(
    typed: dict[str, str | None],
    event: Event,
    chat_zone: ZoneInfo,
    now: datetime,
    given_zone: str | None = None,
) -> EditDates:
    """`{"start": ..., "end": ...}` as typed in /reschedule or /correct, read as /add reads a
    date (`today`, `tomorrow 14:00`, a local time without an offset) in `edit_zone`'s zone;
    forms that need no zone are kept as typed for the store to check. InvalidEvent names
    each field whose local time cannot be (a skipped hour, no such time of day)."""
    zone, origin = edit_zone(given_zone, event, chat_zone)
    today = now.astimezone(zone).date()
    values: dict[str, str | None] = {}
    errors: list[FieldError] = []
    for field, value in typed.items():
        try:
            values[field] = read_typed(value, zone, today) if value else None
        except TimeFormatError as exc:
            errors.append(FieldError.of(field, exc))
    if errors:
        raise InvalidEvent(errors)
    in_zone = any(reads_in_zone(value) for value in typed.values() if value)
    return EditDates(values, str(zone.key), origin, in_zone)


def corrected_dates(
    changes: dict[str, Any], event: Event, chat_zone: ZoneInfo, now: datetime
) -> EditDates | None:
    """/correct's start= and end= read like /add's dates, in the zone of `timezone=` when the
    same command gives one; `changes` gets the store's text for them. A new start without
    `time_precision=` sets it from what was typed (a time: exact, a day: day, a month:
    month), as /reschedule does, unless the record's precision is approximate."""
    typed = {field: changes[field] for field in DATE_FIELDS if changes.get(field)}
    if not typed:
        return None
    dates = read_edit_dates(typed, event, chat_zone, now, changes.get("timezone"))
    changes.update(dates.values)
    start = dates.values.get("start")
    if start and "time_precision" not in changes and event["time_precision"] != "approximate":
        with suppress(TimeFormatError):  # the store names what is wrong with the start
            changes["time_precision"] = PRECISION_OF[parse_when(start).resolution]
    return dates
