"""The claims ledger: statements that are claims, their curated status, and what happened since.

A claim is a statement with `claim = {status, scope, reason?, source?}` (see storage.model):
its status (unverified, confirmed, disputed, false) is set by curators, with a source for
anything but unverified; its scope is the places, regions or countries it is about; the date
it was made is the statement's own date. Beside it, readers see the incidents recorded in its
scope since then: facts next to the claim, no verdict beyond the curators' status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from storage.events import EventStore, InvalidEvent, Page, Revision
from storage.model import CLAIM_STATUSES, Event, FieldError
from storage.queries import SEEN
from storage.rows import utc_span
from storage.timeparse import iso_utc, parse_when, zone_or_error

# Incidents shown beside a claim: the latest ones; /incidents AREA lists the rest.
IN_SCOPE_LIMIT = 10


def list_claims(store: EventStore, offset: int = 0, limit: int = 5) -> Page:
    """Statements that are claims, newest first (by when they were made)."""
    rowids = [
        row[0]
        for row in store.db.conn.execute(
            f"SELECT rowid FROM events WHERE claim IS NOT NULL AND {SEEN} "
            "ORDER BY start_utc DESC, number DESC LIMIT ?",
            (offset + limit + 1,),
        )
    ]
    return store._page_of(rowids, offset, limit)


def made_since(rec: Event) -> datetime:
    """The earliest moment the statement's date can mean: the claim was made then or later."""
    return parse_when(rec["start"]).start_utc(zone_or_error(rec["timezone"]))


def incidents_in_scope(store: EventStore, rec: Event, limit: int = IN_SCOPE_LIMIT) -> list[Event]:
    """The incidents recorded in a claim's scope since it was made, newest first.

    A scope entry is an area as /incidents AREA reads it (a region or a place, by any name
    the gazetteer knows, by prefix), or a country by the name records give it ("Ukraine").
    "Since" is generous with imprecise dates: an incident counts while it may have ended
    after the earliest moment the claim can have been made.
    """
    claim = rec.get("claim")
    if not claim:
        return []
    since = made_since(rec)
    found: dict[int, Event] = {}
    for entry in claim.get("scope") or []:
        for event in store.latest("incident", area=entry, since=since, limit=limit).events:
            found[event["number"]] = event
        rowids = [
            row[0]
            for row in store.db.conn.execute(
                # In time order, filtered: a country names most incidents, so a page fills soon.
                "SELECT rowid FROM events WHERE kind = 'incident' AND +end_utc > ? "
                f"AND country = ? COLLATE NOCASE AND {SEEN} ORDER BY start_utc DESC, number DESC LIMIT ?",
                (iso_utc(since), entry.strip(), limit),
            )
        ]
        for event in store._page_of(rowids, 0, limit).events:
            found[event["number"]] = event
    newest_first = sorted(found.values(), key=lambda e: (_start_utc(e), e["number"]), reverse=True)
    return newest_first[:limit]


def _start_utc(event: Event) -> str:
    return utc_span(event["start"], event["end"], event["timezone"])[0]


def claim_with(
    current: Mapping[str, Any],
    status: str,
    *,
    scope: list[str] | None = None,
    reason: str = "",
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The claim a statement will have once its status is set: InvalidEvent when it cannot.

    A new status carries its own reason and source (the old ones described the old status);
    the same status with a new scope or reason keeps what is not given again.
    """
    if current.get("kind") != "statement":
        raise InvalidEvent([FieldError("claim", "claim_not_statement")])
    if status not in CLAIM_STATUSES:
        raise InvalidEvent([FieldError("claim.status", "one_of", {"choices": CLAIM_STATUSES})])
    old = dict(current.get("claim") or {})
    new: dict[str, Any] = {"status": status, "scope": scope or old.get("scope") or []}
    if not new["scope"]:
        raise InvalidEvent([FieldError("claim.scope", "claim_scope_required")])
    same = old.get("status") == status
    if reason or (same and old.get("reason")):
        new["reason"] = reason or old["reason"]
    if source or (same and old.get("source")):
        new["source"] = source or old["source"]
    return new


def set_claim(
    store: EventStore,
    ref: str | int,
    status: str,
    *,
    author: str,
    scope: list[str] | None = None,
    reason: str = "",
    source: dict[str, Any] | None = None,
) -> Revision | None:
    """Set a claim's status (and scope) as one revision; None when nothing changes."""
    current = store.get(ref)
    claim = claim_with(current, status, scope=scope, reason=reason, source=source)
    return store.update(
        current["id"], {"claim": claim}, author=author, reason=reason, source=source
    )


def split_scope(text: str) -> list[str]:
    """'Kyiv, Kharkiv Oblast' -> ['Kyiv', 'Kharkiv Oblast']."""
    return [part.strip() for part in text.split(",") if part.strip()]
