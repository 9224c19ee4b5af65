"""The talks calendar (iCalendar, RFC 5545): a file for /calendar and `sitrep export --format
ics`, and the live feed the web server serves.

One VEVENT per talks round whose day is known. Its UID comes from the record's id and never
changes; SEQUENCE is the record's sequence, so a calendar that has the round updates it in
place when it moves. DTSTAMP and LAST-MODIFIED are when the store last changed the record
(RFC 5545 3.8.7.2: without a METHOD they mean the same), so an unchanged store gives a
byte-identical file and the feed's ETag holds.

Precision decides the form: `day` gives all-day DATE values with the exclusive end RFC 5545
asks for (4-5 Feb: DTSTART 20260204, DTEND 20260206); `exact` gives date-times with the
venue's TZID and its VTIMEZONE. Rounds known only to the month, or only approximately, are
left out: a calendar entry needs a day, and a placeholder on the 1st or across the whole
month would say more than is known. They appear once a day is announced; /talks and the web
pages list them meanwhile.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from icalendar import Calendar
from telegram import InputFile, Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import command_args, deps, ignored, offload
from handlers.i18n import current_language
from handlers.links import feed_url, record_url
from handlers.localized import localized, mark
from handlers.render import moved_line, party_names, status_word
from storage.events import EventStore
from storage.model import Event, Source
from storage.public import TalksRound, talks_rounds
from storage.timeparse import TimeFormatError, When, parse_when, zone_or_error

FILE_NAME = "talks.ics"
PRODID = "-//sitrep//talks calendar//EN"
UID_DOMAIN = "sitrep"
_TAG = re.compile(r"<[^>]*>")
# How often a subscribed calendar should look again (RFC 7986 REFRESH-INTERVAL; X-PUBLISHED-TTL
# is the older, non-standard name some clients still read).
REFRESH = timedelta(hours=1)


def plain(markup: str) -> str:
    """Catalogue HTML as plain text (calendars show DESCRIPTION as text)."""
    return html.unescape(_TAG.sub("", markup))


def _exclusive_end(value: When, zone: ZoneInfo) -> datetime:
    """The first moment after a day, in the venue's zone."""
    return value.end_utc(zone).astimezone(zone)


def event_times(rec: Event) -> tuple[date | datetime, date | datetime | None] | None:
    """(DTSTART, DTEND) for a round, or None when its day is not known.

    `day`: all-day dates, the end exclusive. `exact`: date-times in the venue's zone; a timed
    start with a day-only end runs to the end of that day; no end gives no DTEND (the round
    is a moment, and no length is made up for it).
    """
    precision = rec.get("time_precision")
    if precision not in ("day", "exact"):
        return None
    try:
        zone = zone_or_error(rec.get("timezone") or "UTC")
        first = parse_when(rec["start"])
        end_text = rec.get("end")
        last = parse_when(end_text) if end_text else None
    except (TimeFormatError, ValueError, KeyError):
        return None
    if first.resolution == "month" or (last is not None and last.resolution == "month"):
        return None
    if precision == "exact" and first.instant is not None:
        start = first.instant.astimezone(zone)
        if last is None:
            return start, None
        end = last.instant.astimezone(zone) if last.instant else _exclusive_end(last, zone)
        return start, end

    def local_day(value: When) -> date:
        return value.instant.astimezone(zone).date() if value.instant else value.day

    day = local_day(first)
    end_day = local_day(last) if last else day
    return day, max(day, end_day) + timedelta(days=1)


def _stamp(updated_at: str) -> datetime:
    return datetime.strptime(updated_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _location(rec: Event) -> str:
    parts: list[str] = []
    for part in (rec.get("place"), rec.get("region"), rec.get("country")):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _source_line(src: Source) -> str:
    line = str(src.get("name") or "")
    if src.get("published"):
        line += f" ({src['published']})"
    if src.get("url"):
        line += f": {src['url']}"
    return f"• {line}"


def description(item: TalksRound, lang: str, public_url: str) -> str:
    """Status, the move, parties, summary, sources with their links, and the record's page."""
    rec = item.record
    zone = zone_or_error(rec.get("timezone") or "UTC")
    lines = [f"{text('label_status', lang)}: {plain(status_word(rec.get('status')))}"]
    if moved := moved_line(rec, item.revisions, zone):
        lines.append(plain(moved))
    if rec.get("parties"):
        lines.append(f"{text('label_parties', lang)}: {party_names(rec['parties'], lang)}")
    if rec.get("summary"):
        lines += ["", shown_text(rec, "summary", lang)]
    sources = rec.get("sources") or []
    if sources:
        lines += ["", f"{text('label_sources', lang)}:"]
        lines += [_source_line(s) for s in sources]
    url = record_url(public_url, rec["number"])
    if url:
        lines += ["", plain(text("calendar_record_page", lang, url=url))]
    return "\n".join(lines)


def shown_text(rec: Event, field: str, lang: str) -> str:
    """A curated text in the calendar's language, as plain text, with its untranslated mark."""
    return localized(rec, field, lang)[0] + plain(mark(rec, field, lang))


def _vevent(item: TalksRound, lang: str, public_url: str) -> icalendar.Event | None:
    rec = item.record
    times = event_times(rec)
    if times is None:
        return None
    start, end = times
    event = icalendar.Event()
    event.add("uid", f"{rec['id']}@{UID_DOMAIN}")
    event.add("sequence", int(rec.get("sequence") or 0))
    stamp = _stamp(item.updated_at)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    cancelled = rec.get("status") == "cancelled"
    title = shown_text(rec, "title", lang)
    summary = plain(text("calendar_cancelled", lang, title=title)) if cancelled else None
    event.add("summary", summary or title)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    if location := _location(rec):
        event.add("location", location)
    event.add("description", description(item, lang, public_url))
    url = record_url(public_url, rec["number"])
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # news to know about, not time the reader is busy
    return event


def talks_calendar(
    rounds: Sequence[TalksRound], *, lang: str | None = None, public_url: str = ""
) -> bytes:
    """The talks calendar as iCalendar bytes (CRLF lines, UTF-8), in `lang` (default: the
    language of the update being handled: /calendar in a Ukrainian chat gives Ukrainian)."""
    lang = lang or current_language()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", plain(text("calendar_name", lang)))
    cal.add("x-wr-caldesc", plain(text("calendar_description", lang)))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    days: list[date] = []
    for item in rounds:
        event = _vevent(item, lang, public_url)
        if event is None:
            continue
        cal.add_component(event)
        for key in ("dtstart", "dtend"):
            if key in event:
                value = event.decoded(key)
                days.append(value.date() if isinstance(value, datetime) else value)
    if days:
        # Transitions a year either side of the rounds: enough, and stable while they stay.
        cal.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return cal.to_ical()


def talks_feed(store: EventStore, lang: str, public_url: str) -> tuple[bytes, datetime | None]:
    """The live feed: the calendar, and when the store last changed a talks round."""
    rounds = talks_rounds(store)
    last = max((item.updated_at for item in rounds), default=None)
    return talks_calendar(rounds, lang=lang, public_url=public_url), (
        _stamp(last) if last else None
    )


def calendar_caption(public_url: str, lang: str | None = None) -> str:
    """How to import the file and, with a public address, where the live feed is."""
    caption = text("calendar_caption", lang)
    url = feed_url(public_url)
    if url:
        caption += "\n\n" + text("calendar_caption_feed", lang, url=html.escape(url, quote=False))
    return caption


async def calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The talks calendar as a file, talks.ics, with how to import it."""
    message = update.effective_message
    if message is None:
        return
    d = deps(context)
    body = await offload(
        context,
        lambda d: talks_calendar(talks_rounds(d.store), public_url=d.public_url),
        heavy=True,
    )
    await message.reply_document(
        InputFile(body, filename=FILE_NAME),
        caption=ignored("/calendar", command_args(context)) + calendar_caption(d.public_url),
        do_quote=False,
    )
