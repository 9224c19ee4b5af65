"""The text of an alert: what changed, old -> new, in the reader's zone, why and says who."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.catalogue import plural, text
from handlers.i18n import renders_in
from handlers.links import with_page_link
from handlers.localized import language_now, localized, mark
from handlers.render import (
    casualty,
    change_word,
    claim_status_word,
    clip,
    dates_changed,
    esc,
    figure_lines,
    said_lines,
    status_word,
    when,
    where,
)
from handlers.when import duration
from storage import moves
from storage.model import Event
from storage.outbox import Alert


def _old_value(changes: dict[str, Any], key: str, event: Event) -> Any:
    return changes[key]["old"] if key in changes else event.get(key)


def _new_value(changes: dict[str, Any], key: str, event: Event) -> Any:
    """The value the alert announces: from the change itself, not the record as it is now
    (it may have changed again before this alert went out)."""
    return changes[key]["new"] if key in changes else event.get(key)


def alert_title(event: Event, lang: str) -> str:
    """The record's title in the reader's language, escaped, with its untranslated mark."""
    title, _ = localized(event, "title", lang)
    return esc(title) + mark(event, "title", lang)


def _talks_change(alert: Alert, event: Event, zone: ZoneInfo, today: date, lang: str) -> list[str]:
    changes = alert.payload.get("changes", {})
    old = {k: _old_value(changes, k, event) for k in moves.SCHEDULE_KEYS}
    new = {k: _new_value(changes, k, event) for k in moves.SCHEDULE_KEYS}
    # The kind was decided when the change was written, against the round's whole history;
    # an alert written before kinds were kept is classified from its own change.
    change = moves.classify(old, new)
    kind = alert.payload.get("change") or (change.kind if change else None)
    if change is not None and alert.payload.get("to_first"):
        change = replace(change, to_first=True)
    word = change_word(change, kind)
    dates = any(k in changes for k in ("start", "end", "time_precision"))
    lines: list[str] = []
    if dates:
        what = dates_changed(word, old, new, zone, today)
    elif "status" in changes:
        what = text(
            "alert_talks_status",
            status=esc(word),
            old=esc(status_word(changes["status"]["old"])),
        )
    else:
        what = esc(word)
    lines.append(text("alert_talks_change", title=alert_title(event, lang), what=what))
    if where(event):
        lines.append(where(event))
    venue_keys = [k for k in ("place", "region", "country") if k in changes]
    if venue_keys:
        old_venue = ", ".join(str(changes[k]["old"] or "") for k in venue_keys)
        new_venue = ", ".join(str(changes[k]["new"] or "") for k in venue_keys)
        lines.append(text("alert_talks_venue", old=esc(old_venue), new=esc(new_venue)))
    count = int(alert.payload.get("moves") or 0)
    # A time set or changed on the same days is no move: it does not recount the moves.
    dates = dates and kind not in ("time_set", "time_changed")
    if count == 1 and dates:
        lines.append(plural("alert_moves", 1))
    elif count > 1 and dates:
        lines.append(plural("alert_moves", count))
    return lines


def _why(alert: Alert) -> list[str]:
    # Clipped: a reason typed on the command line has no length limit, and an alert over
    # 4,096 characters would be refused by Telegram for every chat.
    lines = []
    if alert.payload.get("reason"):
        lines.append(text("alert_why", reason=esc(clip(str(alert.payload["reason"]), 500))))
    source = alert.payload.get("source") or {}
    if isinstance(source, dict) and source.get("name"):
        lines.append(text("alert_source", source=esc(clip(str(source["name"]), 200))))
    return lines


def _incident_lines(event: Event, zone: ZoneInfo, today: date) -> list[str]:
    lines = [f"{when(event, zone, today)} · {where(event) or text('empty_value')}"]
    return lines + figure_lines(event)


def _claim_status(alert: Alert, event: Event, lang: str) -> list[str]:
    """A claim's new status, as the change set it (the record may have moved on since)."""
    change = alert.payload.get("changes", {}).get("claim") or {}
    new, old = change.get("new") or {}, change.get("old") or {}
    lines = [
        text(
            "alert_claim_status",
            status=esc(claim_status_word(new.get("status"))),
            speaker=esc(event.get("speaker") or event["title"]),
        ),
        *said_lines(event, 1000, lang),
    ]
    if old.get("status"):
        lines.append(text("alert_claim_was", old=esc(claim_status_word(old["status"]))))
    return lines + _why(alert)


@renders_in
def render_alert(
    alert: Alert,
    event: Event,
    zone: ZoneInfo,
    today: date,
    public_url: str = "",
    lang: str | None = None,
    now: datetime | None = None,
) -> str:
    """The HTML of one alert for a reader in `zone` who reads `lang` (by default the
    language of the send); with a public address, the record's web page as its last line."""
    lang = language_now(lang)
    title = alert_title(event, lang)
    lines: list[str]
    if alert.kind == "talks_change":
        lines = _talks_change(alert, event, zone, today, lang) + _why(alert)
    elif alert.kind == "talks_new":
        lines = [
            text("alert_talks_new", title=title),
            f"{when(event, zone, today, now)} · {where(event) or text('empty_value')}",
        ]
        if event.get("parties"):
            lines.append(esc(", ".join(event["parties"])))
    elif alert.kind == "reminder":
        offset = duration(int(alert.payload.get("minutes", 0)))
        lines = [
            text("alert_reminder", offset=esc(offset), title=title),
            f"{when(event, zone, today, now)} · {where(event) or text('empty_value')}",
        ]
    elif alert.kind == "incident_new":
        lines = [text("alert_incident_new", title=title), *_incident_lines(event, zone, today)]
    elif alert.kind == "incident_correction":
        lines = [text("alert_incident_correction", title=title)]
        for key in ("killed", "injured"):
            change = alert.payload.get("changes", {}).get(key)
            if change:
                lines.append(
                    text(
                        "alert_casualty_change",
                        label=text(f"label_{key}"),
                        old=esc(casualty(change["old"]) or text("empty_value")),
                        new=esc(casualty(change["new"]) or text("empty_value")),
                    )
                )
        lines += _why(alert)
    elif alert.kind == "claim_status":
        lines = _claim_status(alert, event, lang)
    else:  # statement_new
        channel = (
            f" ({text('label_channel')} {esc(event['channel'])})" if event.get("channel") else ""
        )
        lines = [
            text("alert_statement_new", speaker=esc(event.get("speaker") or ""), channel=channel),
            *said_lines(event, 1500, lang),
        ]
    lines.append(text("alert_more", number=event["number"]))
    return with_page_link("\n".join(lines), public_url, event["number"])
