"""HTML for events. Every curated value passes through `esc`; tags never span lines, so a long
reply can be split at any line break and each part is still valid Telegram HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import text
from handlers.when import compact_span, format_span, venue_time
from storage.events import Revision
from storage.model import Event, Source
from storage.timeparse import zone_or_error

MAX_MESSAGE = 4096
LIST_SUMMARY = 280


def esc(value: Any) -> str:
    return html.escape(str(value), quote=False)


def clip(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _zone(rec: Event) -> ZoneInfo:
    try:
        return zone_or_error(rec.get("timezone") or "UTC")
    except ValueError:
        return ZoneInfo("UTC")


def status_word(status: str | None) -> str:
    return text(f"status_{status}") if status else ""


def casualty(value: Mapping[str, Any] | None) -> str | None:
    if not value:
        return None
    if value["count"] == 0 and value["qualifier"] == "at_least":
        return text("casualty_none_reported")  # "at least 0" says nothing; this does
    return text(f"casualty_{value['qualifier']}", count=value["count"])


def where(rec: Event) -> str:
    parts = [rec.get("place"), rec.get("region"), rec.get("country")]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(esc(p) for p in seen)


def when(rec: Event, reader_zone: ZoneInfo, today: date | None) -> str:
    shown = format_span(
        rec.get("start"),
        rec.get("end"),
        rec.get("time_precision") or "day",
        reader_zone=reader_zone,
        today=today,
    )
    shown = esc(shown)
    if rec.get("kind") == "talks":
        local = venue_time(rec.get("start"), _zone(rec), reader_zone)
        if local:
            venue = text("venue_time", time=esc(local), place=esc(rec.get("place") or ""))
            shown = f"{shown}; {venue}"
    return shown


def schedule_moves(revisions: list[Revision]) -> list[Revision]:
    return [r for r in revisions if "start" in r.changes or "end" in r.changes]


def moved_line(rec: Event, revisions: list[Revision], reader_zone: ZoneInfo) -> str | None:
    """'postponed: was 1 Feb, now 4–5 Feb (moved 2 times)' for a round whose dates changed."""
    moves = schedule_moves(revisions)
    if not moves:
        return None
    # The dates as first announced: undo every revision back to (and including) the first
    # move; a move that changed only the end must not borrow today's start.
    first_schedule = {"start": rec.get("start"), "end": rec.get("end")}
    for rev in sorted(revisions, key=lambda r: -r.sequence):
        if rev.sequence < moves[0].sequence:
            break
        for key in first_schedule:
            if key in rev.changes:
                first_schedule[key] = rev.changes[key].get("old")
    old_start, old_end = first_schedule["start"], first_schedule["end"]
    status = rec.get("status")
    word = status_word(status) if status in ("postponed", "cancelled") else "moved"
    line = text(
        "moved",
        status=esc(word),
        old=esc(compact_span(old_start, old_end, reader_zone)),
        new=esc(compact_span(rec.get("start"), rec.get("end"), reader_zone)),
    )
    if len(moves) > 1:
        line += text("moved_times", count=len(moves))
    return line


def first_source(rec: Event) -> str | None:
    sources = rec.get("sources") or []
    return esc(sources[0]["name"]) if sources else None


def _label(key: str, value: str) -> str:
    return f"<i>{text(key)}:</i> {value}"


def talks_item(
    rec: Event, revisions: list[Revision], zone: ZoneInfo, today: date | None
) -> list[str]:
    lines = [f"<b>#{rec['number']} {esc(rec['title'])}</b>"]
    lines.append(f"{when(rec, zone, today)} · {where(rec) or text('empty_value')}")
    status = status_word(rec.get("status"))
    moved = moved_line(rec, revisions, zone)
    lines.append(moved if moved else _label("label_status", esc(status)))
    if rec.get("parties"):
        lines.append(_label("label_parties", esc(", ".join(rec["parties"]))))
    return lines


def incident_item(rec: Event, zone: ZoneInfo, today: date | None) -> list[str]:
    lines = [f"<b>#{rec['number']} {esc(rec['title'])}</b>"]
    lines.append(f"{when(rec, zone, today)} · {where(rec) or text('empty_value')}")
    if rec.get("summary"):
        lines.append(esc(clip(rec["summary"], LIST_SUMMARY)))
    figures = []
    if killed := casualty(rec.get("killed")):
        figures.append(f"{text('label_killed')}: {killed}")
    if injured := casualty(rec.get("injured")):
        figures.append(f"{text('label_injured')}: {injured}")
    source = first_source(rec)
    if source:
        figures.append(text("says_who", source=source))
    if figures:
        lines.append(" · ".join(figures))
    return lines


def statement_item(rec: Event, zone: ZoneInfo, today: date | None) -> list[str]:
    lines = [f"<b>#{rec['number']} {esc(rec['speaker'] or rec['title'])}</b>"]
    said = when(rec, zone, today)
    if rec.get("channel"):
        said += f" · {text('label_channel')} {esc(rec['channel'])}"
    lines.append(said)
    lines.append(f"“{esc(clip(rec.get('quote') or '', LIST_SUMMARY))}”")
    return lines


def list_item(
    rec: Event, revisions: list[Revision], zone: ZoneInfo, today: date | None
) -> list[str]:
    if rec["kind"] == "talks":
        return talks_item(rec, revisions, zone, today)
    if rec["kind"] == "statement":
        return statement_item(rec, zone, today)
    return incident_item(rec, zone, today)


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return text("empty_value")
    if isinstance(value, dict) and "count" in value:
        return esc(casualty(value) or "")
    if isinstance(value, list):
        return esc(
            clip(
                ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value),
                80,
            )
        )
    return esc(clip(str(value), 80))


def history_lines(revisions: list[Revision]) -> list[str]:
    lines = []
    for rev in revisions:
        if rev.changes:
            what = "; ".join(
                text(
                    "history_change",
                    field=esc(k),
                    old=_value(v.get("old")),
                    new=_value(v.get("new")),
                )
                for k, v in rev.changes.items()
            )
        else:
            what = text("history_created")
        line = text(
            "history_line",
            sequence=rev.sequence,
            at=esc(rev.at[:16].replace("T", " ")),
            author=esc(rev.author),
            what=what,
        )
        if rev.reason:
            line += text("history_reason", reason=esc(clip(rev.reason, 300)))
        if rev.source and rev.source.get("name"):
            line += text("history_source", source=esc(rev.source["name"]))
        lines.append(line)
    return lines


def source_line(src: Source) -> str:
    name = esc(src.get("name", ""))
    url = src.get("url")
    head = f'<a href="{html.escape(url, quote=True)}">{name}</a>' if url else name
    if src.get("published"):
        head += f" ({esc(src['published'])})"
    quote = src.get("quote")
    if quote:
        head += f": “{esc(clip(quote, 600))}”"
    return f"• {head}"


def full_event(rec: Event, revisions: list[Revision], zone: ZoneInfo, today: date | None) -> str:
    """The whole record: what, when, where, figures, sources, curator note and history."""
    lines = [f"<b>#{rec['number']} {esc(rec['title'])}</b>"]
    if rec.get("summary"):
        lines.append(esc(rec["summary"]))
    lines.append("")
    lines.append(_label("label_when", when(rec, zone, today)))
    if where(rec):
        lines.append(_label("label_where", where(rec)))
    if rec.get("status"):
        lines.append(_label("label_status", esc(status_word(rec["status"]))))
    if moved := moved_line(rec, revisions, zone):
        lines.append(moved)
    if rec.get("parties"):
        lines.append(_label("label_parties", esc(", ".join(rec["parties"]))))
    if rec.get("people"):
        lines.append(_label("label_people", esc(", ".join(rec["people"]))))
    if killed := casualty(rec.get("killed")):
        lines.append(_label("label_killed", esc(killed)))
    if injured := casualty(rec.get("injured")):
        lines.append(_label("label_injured", esc(injured)))
    if rec.get("kind") == "statement":
        said_by = esc(rec.get("speaker") or "")
        if rec.get("channel"):
            said_by += f" ({text('label_channel')} {esc(rec['channel'])})"
        lines.append(_label("label_said_by", said_by))
        # One line: replies are split at line breaks, and a cut inside <blockquote> would
        # leave two halves Telegram refuses.
        quote = " ".join((rec.get("quote") or "").split())
        lines.append(f"<blockquote>{esc(quote)}</blockquote>")
    if rec.get("tags"):
        lines.append(_label("label_tags", esc(", ".join(rec["tags"]))))
    if rec.get("related"):
        lines.append(_label("label_related", esc(", ".join(rec["related"]))))
    lines.append(_label("label_id", f"<code>{esc(rec['id'])}</code>"))
    lines.append("")
    lines.append(f"<b>{text('label_sources')}</b>")
    lines.extend(source_line(s) for s in rec.get("sources") or [])
    if rec.get("note"):
        lines.append("")
        lines.append(f"<b>{text('label_note')}</b>")
        lines.append(esc(rec["note"]))
    if revisions:
        lines.append("")
        lines.append(f"<b>{text('label_history')}</b>")
        lines.extend(history_lines(revisions))
    return "\n".join(lines)


_TAG = re.compile(r"<[^>]*>")


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: tags removed, entities decoded, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def split_message(markup: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at line breaks into parts Telegram accepts; a single overlong line loses its tags."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in markup.split("\n"):
        length = visible_length(line)
        if length > limit:
            plain = html.unescape(_TAG.sub("", line))
            # Half the limit in characters stays under it in UTF-16 units, emoji included.
            step = limit // 2
            pieces = [plain[i : i + step] for i in range(0, len(plain), step)]
            for piece in pieces:
                if current:
                    parts.append("\n".join(current))
                    current, size = [], 0
                parts.append(esc(piece))
            continue
        if current and size + length + 1 > limit:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += length + 1
    if current:
        parts.append("\n".join(current))
    cleaned = [p.strip("\n") for p in parts]
    return [p for p in cleaned if p.strip()] or [text("empty_value")]
