"""Revisions: what changed in an event, when, by whom and why, numbered by sequence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from storage.model import CONTENT_FIELDS
from storage.rows import encode
from storage.timeparse import TimeFormatError, parse_when

INSERT_REVISION = (
    "INSERT INTO revisions (event_id, sequence, at, author, reason, changes, source, "
    "happened, happened_precision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class Revision:
    """One change to an event.

    `at` is when the store changed (never invented). `happened` is when the change happened in
    the world, when a curator knows it and it differs from `at` (history filed afterwards): a
    date or an instant as `parse_when` reads it, at `happened_precision` (exact, day, month or
    approximate). `author` is the full author (tg:<id> @name, os:<user>, file:<name>), for
    curators' eyes only: readers see `handlers.render.public_author`.
    """

    event_id: str
    sequence: int
    at: str
    author: str
    reason: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: dict[str, Any] | None = None
    happened: str | None = None
    happened_precision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sequence": self.sequence, "at": self.at}
        if self.happened:
            out["happened"] = self.happened
            out["happened_precision"] = self.happened_precision or precision_of(self.happened)
        out.update(author=self.author, reason=self.reason, changes=self.changes)
        if self.source:
            out["source"] = self.source
        return out

    def params(self) -> tuple[Any, ...]:
        """The values of INSERT_REVISION."""
        return (
            self.event_id,
            self.sequence,
            self.at,
            self.author,
            self.reason,
            encode(self.changes) if self.changes else "{}",
            encode(self.source) if self.source else None,
            self.happened,
            (self.happened_precision or precision_of(self.happened)) if self.happened else None,
        )


def insert_revisions(db: Database, revisions: Iterable[Revision]) -> None:
    db.conn.executemany(INSERT_REVISION, [rev.params() for rev in revisions])


def read_revisions(db: Database, event_ids: list[str]) -> dict[str, list[Revision]]:
    """The revisions of several events, in sequence order, in one query."""
    if not event_ids:
        return {}
    marks = ", ".join("?" for _ in event_ids)
    cursor = db.conn.execute(
        "SELECT event_id, sequence, at, author, reason, changes, source, happened, "
        f"happened_precision FROM revisions WHERE event_id IN ({marks}) "
        "ORDER BY event_id, sequence",
        event_ids,
    )
    out: dict[str, list[Revision]] = {}
    for event_id, sequence, at, author, reason, changes, source, happened, precision in cursor:
        out.setdefault(event_id, []).append(
            Revision(
                event_id=event_id,
                sequence=sequence,
                at=at,
                author=author,
                reason=reason,
                changes=json.loads(changes),
                source=json.loads(source) if source else None,
                happened=happened,
                happened_precision=precision,
            )
        )
    return out


def precision_of(when: str) -> str:
    """The precision a date or instant gives by itself: exact, day or month."""
    try:
        resolution = parse_when(when).resolution
    except TimeFormatError:
        return "day"
    return {"instant": "exact", "day": "day", "month": "month"}[resolution]


def content_of(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A record's curated content: every content field, without the bookkeeping."""
    return {key: rec.get(key) for key in CONTENT_FIELDS}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as {field: {"old": ..., "new": ...}}, in field order."""
    return {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in CONTENT_FIELDS
        if old.get(key) != new.get(key)
    }


def undo_to(rec: Mapping[str, Any], revisions: list[Revision], sequence: int) -> dict[str, Any]:
    """A record's content as it stood at `sequence`, undoing the later revisions."""
    state = content_of(rec)
    for rev in sorted(revisions, key=lambda r: -r.sequence):
        if rev.sequence <= sequence:
            break
        for key, change in rev.changes.items():
            if key in state:
                state[key] = change.get("old")
    return state


def initial_revisions(
    rec: dict[str, Any], at: str, author: str, reason: str, source: dict[str, Any] | None
) -> list[Revision]:
    """A new event's history: the one it brings (an import keeps it), else its creation.

    Sets `rec["sequence"]` to match when the record does not give one. The given revisions
    must have passed validation (storage.model.validate checks them).
    """
    given = rec.get("revisions") or []
    if given:
        # A revision without `at` (history filed from a curated file) gets the time the store
        # takes it in: no clock time is invented for it.
        revisions = [
            Revision(
                event_id=rec["id"],
                sequence=raw["sequence"],
                at=str(raw.get("at") or at),
                author=str(raw.get("author") or "unknown"),
                reason=str(raw.get("reason") or ""),
                changes=raw.get("changes") or {},
                source=raw.get("source") or None,
                happened=str(raw["happened"]) if raw.get("happened") else None,
                happened_precision=(
                    str(raw.get("happened_precision") or precision_of(str(raw["happened"])))
                    if raw.get("happened")
                    else None
                ),
            )
            for raw in given
        ]
        if rec.get("sequence") is None:
            rec["sequence"] = max(r.sequence for r in revisions)
        return revisions
    rec["sequence"] = rec.get("sequence") or 0
    return [Revision(rec["id"], rec["sequence"], at, author, reason, {}, source)]


__all__ = [
    "INSERT_REVISION",
    "Revision",
    "content_of",
    "diff",
    "initial_revisions",
    "insert_revisions",
    "read_revisions",
    "undo_to",
]
