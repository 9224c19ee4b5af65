"""Revisions: what changed in an event, when, by whom and why, numbered by sequence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from storage.model import CONTENT_FIELDS
from storage.rows import encode

INSERT_REVISION = (
    "INSERT INTO revisions (event_id, sequence, at, author, reason, changes, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class Revision:
    event_id: str
    sequence: int
    at: str
    author: str
    reason: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sequence": self.sequence,
            "at": self.at,
            "author": self.author,
            "reason": self.reason,
            "changes": self.changes,
        }
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
        )


def insert_revisions(db: Database, revisions: Iterable[Revision]) -> None:
    db.conn.executemany(INSERT_REVISION, [rev.params() for rev in revisions])


def read_revisions(db: Database, event_ids: list[str]) -> dict[str, list[Revision]]:
    """The revisions of several events, in sequence order, in one query."""
    if not event_ids:
        return {}
    marks = ", ".join("?" for _ in event_ids)
    cursor = db.conn.execute(
        "SELECT event_id, sequence, at, author, reason, changes, source FROM revisions "
        f"WHERE event_id IN ({marks}) ORDER BY event_id, sequence",
        event_ids,
    )
    out: dict[str, list[Revision]] = {}
    for event_id, sequence, at, author, reason, changes, source in cursor:
        out.setdefault(event_id, []).append(
            Revision(
                event_id=event_id,
                sequence=sequence,
                at=at,
                author=author,
                reason=reason,
                changes=json.loads(changes),
                source=json.loads(source) if source else None,
            )
        )
    return out


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
        revisions = [
            Revision(
                event_id=rec["id"],
                sequence=raw["sequence"],
                at=str(raw["at"]),
                author=str(raw.get("author") or "unknown"),
                reason=str(raw.get("reason") or ""),
                changes=raw.get("changes") or {},
                source=raw.get("source") or None,
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
