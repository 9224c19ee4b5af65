"""The text of a catch-up after quiet hours, and of a daily digest: what the held alerts add
up to (storage.held decides that), in the reader's zone, split within Telegram's limit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import plural, text
from handlers.i18n import current_language
from handlers.localized import localized, mark
from handlers.render import (
    casualty,
    claim_status_word,
    clip,
    dates_changed,
    esc,
    said_lines,
    shown_place,
    split_message,
    status_word,
    when,
    where,
)
from handlers.when import format_span
from storage.held import AreaNews, Correction, RoundNews, SummaryContent
from storage.quiet import QuietHours

# Enough to see what happened without turning one catch-up into a dozen messages; the
# totals always count everything.
MAX_PER_AREA = 5
MAX_STATEMENTS = 10
MAX_CORRECTIONS = 10
TITLE = 120


def _title(event: Any) -> str:
    """A record's title in the reader's language, escaped, with its untranslated mark."""
    lang = current_language()
    return esc(clip(localized(event, "title", lang)[0], TITLE)) + mark(event, "title", lang)


def _count(key: str, count: int) -> str:
    return plural(key, count)


def _since(value: str | None, zone: ZoneInfo, today: date) -> str:
    if not value:
        return text("empty_value")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone)
    return format_span(
        moment.isoformat(timespec="minutes"), None, "exact", reader_zone=zone, today=today
    )


def _round(news: RoundNews, zone: ZoneInfo, today: date, digest: bool) -> list[str]:
    """A round as it stands now; what changed is told against how it stood before the first
    change this summary tells of, not move by move."""
    event = news.event
    title, number = _title(event), event["number"]
    status = event.get("status")
    key = "summary_round_new" if news.announced else "summary_round"
    lines = [
        text(key, number=number, title=title),
        f"{when(event, zone, today)} · {where(event) or text('empty_value')}",
    ]
    was = news.was
    if "start" in was or "end" in was:
        word = status_word(status) if status in ("postponed", "cancelled") else text("moved_word")
        old = {
            "start": was.get("start", event.get("start")),
            "end": was.get("end", event.get("end")),
            "time_precision": was.get("time_precision"),
        }
        lines.append(dates_changed(word, old, event, zone, today))
    elif "status" in was and was["status"] != status:
        old_status = esc(status_word(was["status"]))
        lines.append(text("alert_talks_status", status=esc(status_word(status)), old=old_status))
    else:
        lines.append(text("summary_round_status", status=esc(status_word(status))))
    venue = [k for k in ("place", "region", "country") if k in was and was[k] != event.get(k)]
    if venue:
        lines.append(
            text(
                "alert_talks_venue",
                old=esc(", ".join(str(was[k] or "") for k in venue)),
                new=esc(", ".join(str(event.get(k) or "") for k in venue)),
            )
        )
    if news.changes > 1:
        key = "summary_round_changes_digest" if digest else "summary_round_changes"
        lines.append(text(key, count=news.changes))
    return lines


def _figures(area: AreaNews) -> str:
    shown = []
    if killed := casualty(area.killed):
        shown.append(f"{text('label_killed')}: {killed}")
    if injured := casualty(area.injured):
        shown.append(f"{text('label_injured')}: {injured}")
    return "".join(f" · {esc(item)}" for item in shown)


def _area(area: AreaNews) -> list[str]:
    name = shown_place(area.area, region=True) if area.area else text("summary_no_area")
    lines = [
        text(
            "summary_area",
            area=esc(name),
            count=_count("summary_area_count", len(area.events)),
            figures=_figures(area),
        )
    ]
    for event in area.events[:MAX_PER_AREA]:
        lines.append(text("summary_item", number=event["number"], title=_title(event)))
    rest = len(area.events) - MAX_PER_AREA
    if rest > 0:
        if area.area:
            lines.append(text("summary_area_more", count=rest, area=esc(clip(area.area, 60))))
        else:
            lines.append(text("summary_more", count=rest))
    return lines


def _correction(fix: Correction) -> str:
    event = fix.event
    if fix.kind == "claim_status":
        claim = event.get("claim") or {}
        old = fix.was.get("claim") or {}
        return text(
            "summary_claim",
            number=event["number"],
            speaker=esc(clip(event.get("speaker") or "", TITLE)) or _title(event),
            status=esc(claim_status_word(claim.get("status"))),
            old=esc(claim_status_word(old.get("status")) or text("empty_value")),
        )
    what = []
    for key in ("killed", "injured"):
        if key in fix.was:
            what.append(
                text(
                    "alert_casualty_change",
                    label=text(f"label_{key}"),
                    old=esc(casualty(fix.was[key]) or text("empty_value")),
                    new=esc(casualty(event.get(key)) or text("empty_value")),
                )
            )
    return text(
        "summary_correction",
        number=event["number"],
        title=_title(event),
        what="; ".join(what),
    )


def _capped(items: list[Any], limit: int) -> tuple[list[Any], int]:
    return items[:limit], max(0, len(items) - limit)


def render_summary(
    kind: str,
    content: SummaryContent,
    zone: ZoneInfo,
    today: date,
    *,
    since: str | None = None,
    window: QuietHours | None = None,
) -> list[str]:
    """The parts of one catch-up (kind 'quiet') or digest ('digest') message, in order."""
    count = _count("summary_count", content.told)
    if kind == "digest":
        lines = [text("summary_digest_header", count=count, since=esc(_since(since, zone, today)))]
    elif window is not None:
        lines = [text("summary_quiet_header", window=esc(str(window)), count=count)]
    else:
        lines = [text("summary_quiet_header_plain", count=count)]
    if content.rounds:
        lines += ["", text("summary_talks")]
        for news in content.rounds:
            lines += _round(news, zone, today, kind == "digest")
    if content.areas:
        lines += ["", text("summary_incidents")]
        for area in content.areas:
            lines += _area(area)
    if content.statements:
        lines += ["", text("summary_statements")]
        shown, rest = _capped(content.statements, MAX_STATEMENTS)
        for event in shown:
            said = (said_lines(event, 200) or [_title(event)])[0]
            speaker = esc(clip(event.get("speaker") or "", TITLE)) or _title(event)
            lines.append(
                text("summary_statement", number=event["number"], speaker=speaker, said=said)
            )
        if rest:
            lines.append(text("summary_more", count=rest))
    if content.corrections:
        lines += ["", text("summary_corrections")]
        shown, rest = _capped(content.corrections, MAX_CORRECTIONS)
        lines += [_correction(fix) for fix in shown]
        if rest:
            lines.append(text("summary_more", count=rest))
    lines += ["", text("summary_footer")]
    return split_message("\n".join(lines))
