"""HTML for curators: previews (old -> new, why, says who), outcomes, problems, history."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.alerts import render_alert
from handlers.catalogue import plural, text
from handlers.problems import field_problem
from handlers.render import (
    AuthorFace,
    casualty,
    change_items,
    claim_status_word,
    clip,
    esc,
    history_lines,
)
from storage.events import Revision
from storage.model import Event, FieldError
from storage.pending import PendingChange

# Long texts (a summary, a note) are cut in a preview so it stays one message with its buttons.
PREVIEW_VALUE = 300
ADD_FIELDS = (
    "title",
    "status",
    "start",
    "end",
    "time_precision",
    "timezone",
    "place",
    "region",
    "country",
    "killed",
    "injured",
    "speaker",
    "quote",
    "paraphrase",
    "channel",
)


def value(raw: Any) -> str:
    """One field's value as a curator reads it in a preview."""
    if raw is None or raw == "" or raw == []:
        return text("empty_value")
    if isinstance(raw, dict) and "count" in raw:
        return esc(casualty(raw) or "")
    if isinstance(raw, dict) and "status" in raw and "scope" in raw:
        return esc(clip(claim_text(raw), PREVIEW_VALUE))
    if isinstance(raw, list):
        shown = [str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in raw]
        return esc(clip(", ".join(shown), PREVIEW_VALUE))
    return esc(clip(str(raw), PREVIEW_VALUE))


def claim_text(claim: dict[str, Any]) -> str:
    """A claim as a preview shows it: 'disputed · scope: Ukraine · why: … · source: …'."""
    shown = text(
        "cur_claim_value",
        status=claim_status_word(claim.get("status")),
        scope=", ".join(claim.get("scope") or []),
    )
    if claim.get("reason"):
        shown += text("cur_claim_why", reason=claim["reason"])
    source = claim.get("source") or {}
    if source.get("name"):
        shown += text("cur_claim_source", source=source["name"])
    return shown


def keyboard(pending: PendingChange) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("cur_button_publish"), callback_data=f"cur|pub|{pending.id}"
                ),
                InlineKeyboardButton(
                    text("cur_button_cancel"), callback_data=f"cur|cancel|{pending.id}"
                ),
            ]
        ]
    )


def _why(pending: PendingChange) -> list[str]:
    lines = []
    if pending.reason:
        lines.append(text("cur_preview_why", reason=esc(pending.reason)))
    if pending.source:
        name = esc(pending.source.get("name", ""))
        if pending.source.get("url"):
            name += f" ({esc(pending.source['url'])})"
        lines.append(text("cur_preview_source", source=name))
    return lines


def forecast(pending: PendingChange, event: Event, zone: ZoneInfo, today: date | None) -> list[str]:
    """What readers would be told, as they would read it, and how many chats: or that the
    change alerts nobody, and why."""
    told = pending.forecast
    if told is None:
        return []
    if told.alert is None:
        return [
            text("cur_preview_no_alert_new" if pending.action == "add" else "cur_preview_no_alert")
        ]
    # A new record is shown as it would be written; an edit's changes are {field: {old, new}}.
    if pending.action == "add":
        after = told.created or event
    else:
        after = cast(Event, {**event, **pending.new_values()})
    lines = [text("cur_preview_readers")]
    lines += render_alert(told.alert, after, zone, today or date.min).split("\n")
    if told.audience == 0:
        lines.append(text("cur_preview_no_audience"))
    else:
        lines.append(plural("cur_preview_audience", told.audience))
    return lines


def _dates_read(pending: PendingChange) -> list[str]:
    """Which zone typed local times were read in, and a second look at doubtful new dates."""
    lines = []
    if pending.read_in:
        origin, read_zone = pending.read_in
        lines.append(text(f"cur_edit_zone_{origin}", zone=esc(read_zone)))
    if pending.doubt:
        lines.append(text(f"cur_edit_doubt_{pending.doubt}"))
    return lines


def preview(pending: PendingChange, event: Event, zone: ZoneInfo, today: date | None = None) -> str:
    """A change to an existing event: each field old -> new, then why and the source, which
    zone its typed times were read in and whether its dates look wrong, then what readers
    would be told."""
    lines = [
        text(
            "cur_preview_header",
            action=text(f"cur_action_{pending.action}"),
            number=event["number"],
            title=esc(event["title"]),
        )
    ]
    for field, old, new in change_items(pending.changes):
        lines.append(text("cur_preview_change", field=esc(field), old=value(old), new=value(new)))
    lines += _why(pending)
    lines += _dates_read(pending)
    lines += forecast(pending, event, zone, today)
    lines.append(text("cur_preview_footer"))
    return "\n".join(lines)


def add_preview(
    pending: PendingChange, zone: ZoneInfo, today: date | None, zone_from: str | None = None
) -> str:
    """A new event: every field it will have, its id, and its source; which zone its times
    were read in; a second look at a doubtful date or a likely duplicate; and what readers
    would be told, to how many chats."""
    record = pending.changes
    lines = [
        text(
            "cur_preview_add_header",
            kind=text(f"cur_kind_{record['kind']}"),
            id=esc(record["id"]),
        )
    ]
    for field in ADD_FIELDS:
        if record.get(field) not in (None, "", []):
            lines.append(text("cur_preview_field", field=esc(field), value=value(record[field])))
    for source in record.get("sources") or []:
        name = esc(source.get("name", ""))
        if source.get("url"):
            name += f" ({esc(source['url'])})"
        lines.append(text("cur_preview_source", source=name))
    if zone_from:
        lines.append(text(f"cur_add_zone_{zone_from}", zone=esc(str(record.get("timezone")))))
    if pending.doubt:
        lines.append(text(f"cur_add_doubt_{pending.doubt}"))
    if pending.duplicates:
        links = ", ".join(f"/event_{number}" for number in pending.duplicates)
        lines.append(text("cur_add_duplicate", events=links))
    lines += forecast(pending, cast(Event, record), zone, today)
    lines.append(text("cur_preview_footer"))
    return "\n".join(lines)


def problems(errors: list[FieldError]) -> str:
    items = "\n".join(
        text("cur_problem", problem=esc(clip(field_problem(e, html=False), PREVIEW_VALUE)))
        for e in errors[:20]
    )
    return text("cur_invalid", problems=items)


def history(
    event: Event,
    revisions: list[Revision],
    zone: ZoneInfo,
    today: date | None,
    *,
    author: AuthorFace | None = None,
) -> str:
    """/history N: `author` is the asker's face (readers' by default)."""
    header = text("cur_history_header", number=event["number"], title=esc(event["title"]))
    return "\n".join([header, *history_lines(event, revisions, zone, today, author=author)])


def published(event: Event, sequence: int | None) -> str:
    return text(
        "cur_published", sequence=sequence, number=event["number"], title=esc(event["title"])
    )


def stale(pending: PendingChange, current_sequence: int | None, number: Any) -> str:
    return text(
        "cur_stale",
        number=number,
        sequence=current_sequence,
        command=esc(clip(pending.command, 3000)),
    )
