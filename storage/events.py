"""Reading and writing events. Every write keeps a revision and raises the sequence number."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.model import (
    BOOKKEEPING,
    CONTENT_FIELDS,
    LIST_FIELDS,
    FieldError,
    fold,
    normalise,
    validate,
)
from storage.outbox import record_alert
from storage.timeparse import iso_utc, parse_when, utc_now, zone_or_error

JSON_COLUMNS = (*LIST_FIELDS, "sources")
# A hook run inside the write's transaction, so derived work (alerts) commits with the change.
ChangeHook = Callable[[Database, dict[str, Any] | None, dict[str, Any], dict[str, Any]], None]


class EventNotFound(LookupError):
    """No event has that id or number."""


class InvalidEvent(ValueError):
    """A record failed validation; `errors` lists every problem."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Page:
    """One page of a list, and whether another follows."""

    events: list[dict[str, Any]]
    has_more: bool
    offset: int = 0


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


def _row_from_record(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    zone = zone_or_error(rec["timezone"])
    start = parse_when(rec["start"])
    end = parse_when(rec["end"]) if rec.get("end") else start
    row = {key: rec[key] for key in CONTENT_FIELDS if key not in ("killed", "injured")}
    for key in JSON_COLUMNS:
        row[key] = json.dumps(rec[key], ensure_ascii=False)
    for key in ("killed", "injured"):
        value = rec.get(key)
        row[key] = value["count"] if value else None
        row[f"{key}_qualifier"] = value["qualifier"] if value else None
    row.update(
        id=rec["id"],
        number=rec["number"],
        sequence=rec["sequence"],
        start_utc=iso_utc(start.start_utc(zone)),
        end_utc=iso_utc(end.end_utc(zone)),
        region_key=fold(rec["region"]),
        place_key=fold(rec["place"]),
        updated_at=iso_utc(now),
    )
    return row


def record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The export form of a database row (without revisions)."""
    rec: dict[str, Any] = {}
    for key in CONTENT_FIELDS:
        if key in ("killed", "injured"):
            count = row[key]
            rec[key] = (
                None if count is None else {"count": count, "qualifier": row[f"{key}_qualifier"]}
            )
        elif key in JSON_COLUMNS:
            rec[key] = json.loads(row[key])
        else:
            rec[key] = row[key]
    rec["id"] = row["id"]
    rec["number"] = row["number"]
    rec["sequence"] = row["sequence"]
    return rec


def content_of(rec: dict[str, Any]) -> dict[str, Any]:
    return {key: rec.get(key) for key in CONTENT_FIELDS}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as {field: {"old": ..., "new": ...}}, in field order."""
    return {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in CONTENT_FIELDS
        if old.get(key) != new.get(key)
    }


class EventStore:
    """The events and their revisions, over one sqlite-utils connection."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now):
        self.db = db
        self.clock = clock
        # The outbox is part of every write path: a change and its alert commit together.
        self.change_hooks: list[ChangeHook] = [self._record_alert]
        self.alerts_muted = False

    def _record_alert(
        self,
        db: Database,
        old: dict[str, Any] | None,
        new: dict[str, Any],
        revision: dict[str, Any],
    ) -> None:
        if not self.alerts_muted:
            record_alert(db, old, new, revision, now=self.clock())

    @contextmanager
    def muted(self) -> Iterator[None]:
        """Writes in this block raise no alerts (the seed data of a new store)."""
        previous, self.alerts_muted = self.alerts_muted, True
        try:
            yield
        finally:
            self.alerts_muted = previous

    # --- reading -------------------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self, kind: str | None = None) -> int:
        if kind:
            row = self.db.conn.execute("SELECT count(*) FROM events WHERE kind = ?", (kind,))
        else:
            row = self.db.conn.execute("SELECT count(*) FROM events")
        return int(row.fetchone()[0])

    def get(self, ref: str | int) -> dict[str, Any]:
        """The event with this id or short number; raises EventNotFound."""
        text = str(ref).strip().lstrip("#")
        if text.isdigit() and len(text) < 16:
            rows = self._rows("SELECT * FROM events WHERE number = ?", (int(text),))
        else:
            rows = self._rows("SELECT * FROM events WHERE id = ?", (text,))
        if not rows:
            raise EventNotFound(text)
        return record_from_row(rows[0])

    def revisions(self, event_id: str) -> list[Revision]:
        rows = self._rows(
            "SELECT * FROM revisions WHERE event_id = ? ORDER BY sequence",
            (event_id,),
        )
        return [
            Revision(
                event_id=r["event_id"],
                sequence=r["sequence"],
                at=r["at"],
                author=r["author"],
                reason=r["reason"],
                changes=json.loads(r["changes"]),
                source=json.loads(r["source"]) if r["source"] else None,
            )
            for r in rows
        ]

    def _page(self, sql: str, params: list[Any], offset: int, limit: int) -> Page:
        rows = self._rows(f"{sql} LIMIT ? OFFSET ?", [*params, limit + 1, offset])
        return Page([record_from_row(r) for r in rows[:limit]], len(rows) > limit, offset)

    def talks(self, offset: int = 0, limit: int = 5) -> Page:
        """Talks rounds: those not yet over first (soonest first), then past ones, newest first."""
        now = iso_utc(self.clock())
        return self._page(
            "SELECT * FROM events WHERE kind = 'talks' "
            "ORDER BY (end_utc <= ?), CASE WHEN end_utc > ? THEN start_utc END, start_utc DESC",
            [now, now],
            offset,
            limit,
        )

    def is_upcoming(self, rec: dict[str, Any], now: datetime) -> bool:
        """True while a round has not ended (by the latest moment its dates can mean)."""
        zone = zone_or_error(rec["timezone"])
        last = parse_when(rec["end"] or rec["start"])
        return last.end_utc(zone) > now

    def latest(
        self,
        kind: str,
        *,
        area: str | None = None,
        since: datetime | None = None,
        offset: int = 0,
        limit: int = 5,
    ) -> Page:
        """Incidents or statements, newest first, optionally in an area and a period."""
        where, params = ["kind = ?"], [kind]
        if since is not None:
            where.append("end_utc > ?")
            params.append(iso_utc(since))
        if area:
            key = fold(area)
            # Prefix ranges keep both place indexes usable: "dnipro" finds the city of
            # Dnipro and Dnipropetrovsk Oblast.
            where.append(
                "((region_key >= ? AND region_key < ?) OR (place_key >= ? AND place_key < ?))"
            )
            params += [key, key + "\U0010ffff", key, key + "\U0010ffff"]
        return self._page(
            f"SELECT * FROM events WHERE {' AND '.join(where)} "
            "ORDER BY start_utc DESC, number DESC",
            params,
            offset,
            limit,
        )

    def search(self, words: str, offset: int = 0, limit: int = 5) -> Page:
        """Full-text search over titles, summaries, quotes, places and people, best first."""
        terms = [w for w in words.replace('"', " ").split() if w]
        if not terms:
            return Page([], False, offset)
        # Each word quoted: user text never becomes FTS5 syntax.
        match = " ".join(f'"{t}"' for t in terms[:20])
        sql = (
            "SELECT events.* FROM events JOIN events_fts ON events.rowid = events_fts.rowid "
            "WHERE events_fts MATCH ? ORDER BY events_fts.rank"
        )
        return self._page(sql, [match], offset, limit)

    def iter_all(self) -> Iterator[dict[str, Any]]:
        """Every event in number order, with its revisions, as exported."""
        for row in self._rows("SELECT * FROM events ORDER BY number"):
            rec = record_from_row(row)
            rec["revisions"] = [r.to_dict() for r in self.revisions(rec["id"])]
            yield rec

    # --- writing -------------------------------------------------------------------------

    def _next_number(self) -> int:
        return int(
            self.db.conn.execute("SELECT coalesce(max(number), 0) + 1 FROM events").fetchone()[0]
        )

    def _insert_revision(self, rev: Revision) -> None:
        self.db.conn.execute(
            "INSERT INTO revisions (event_id, sequence, at, author, reason, changes, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rev.event_id,
                rev.sequence,
                rev.at,
                rev.author,
                rev.reason,
                json.dumps(rev.changes, ensure_ascii=False),
                json.dumps(rev.source, ensure_ascii=False) if rev.source else None,
            ),
        )

    def _write_row(self, rec: dict[str, Any], *, insert: bool) -> None:
        row = _row_from_record(rec, self.clock())
        names = list(row)
        if insert:
            sql = (
                f"INSERT INTO events ({', '.join(_q(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            self.db.conn.execute(sql, [row[n] for n in names])
        else:
            sets = ", ".join(f"{_q(n)} = ?" for n in names if n != "id")
            self.db.conn.execute(
                f"UPDATE events SET {sets} WHERE id = ?",
                [row[n] for n in names if n != "id"] + [row["id"]],
            )

    def check(self, record: dict[str, Any]) -> dict[str, Any]:
        """The normalised record, or InvalidEvent listing every problem."""
        rec = normalise(record)
        errors = validate(rec)
        if errors:
            raise InvalidEvent(errors)
        return rec

    def create(
        self,
        record: dict[str, Any],
        *,
        author: str,
        reason: str = "created",
        source: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Insert a new event (with its given revisions, if any) and return it."""
        rec = self.check(record)
        with self.db.atomic():
            if self._exists(rec["id"]):
                raise InvalidEvent([FieldError("id", f"{rec['id']} already exists")])
            if rec.get("number") is None:
                rec["number"] = self._next_number()
            elif self._number_taken(rec["number"]):
                raise InvalidEvent([FieldError("number", f"{rec['number']} is already taken")])
            given = rec.get("revisions") or []
            if given:
                revisions = [_revision_from_dict(rec["id"], r) for r in given]
                if rec.get("sequence") is None:
                    rec["sequence"] = max(r.sequence for r in revisions)
            else:
                rec["sequence"] = rec.get("sequence") or 0
                revisions = [
                    Revision(
                        rec["id"],
                        rec["sequence"],
                        iso_utc(self.clock()),
                        author,
                        reason,
                        {},
                        source,
                    )
                ]
            self._write_row(rec, insert=True)
            for rev in revisions:
                self._insert_revision(rev)
            for hook in self.change_hooks:
                hook(self.db, None, rec, revisions[-1].to_dict())
        return rec

    def update(
        self,
        ref: str | int,
        changes: dict[str, Any],
        *,
        author: str,
        reason: str = "",
        source: dict[str, Any] | None = None,
    ) -> Revision | None:
        """Apply field changes as one revision; None when nothing actually changes."""
        unknown = [k for k in changes if k not in CONTENT_FIELDS]
        if unknown:
            raise InvalidEvent([FieldError(k, "cannot be changed this way") for k in unknown])
        with self.db.atomic():
            old = self.get(ref)
            new = self.check({**old, **changes, "revisions": None})
            delta = diff(old, new)
            if not delta:
                return None
            new["sequence"] = old["sequence"] + 1
            rev = Revision(
                old["id"], new["sequence"], iso_utc(self.clock()), author, reason, delta, source
            )
            self._write_row(new, insert=False)
            self._insert_revision(rev)
            for hook in self.change_hooks:
                hook(self.db, old, new, rev.to_dict())
        return rev

    def _exists(self, event_id: str) -> bool:
        return bool(
            self.db.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
        )

    def _number_taken(self, number: int) -> bool:
        return bool(
            self.db.conn.execute("SELECT 1 FROM events WHERE number = ?", (number,)).fetchone()
        )

    def state_at(self, ref: str | int, sequence: int) -> dict[str, Any]:
        """The event's content as it stood at `sequence`, undoing later revisions."""
        rec = self.get(ref)
        revs = self.revisions(rec["id"])
        if not any(r.sequence == sequence for r in revs):
            raise EventNotFound(f"{rec['id']} has no revision {sequence}")
        state = content_of(rec)
        for rev in sorted(revs, key=lambda r: -r.sequence):
            if rev.sequence <= sequence:
                break
            for key, change in rev.changes.items():
                if key in state:
                    state[key] = change.get("old")
        return state


def _q(name: str) -> str:
    return f'"{name}"'


def _revision_from_dict(event_id: str, raw: dict[str, Any]) -> Revision:
    if not isinstance(raw, dict):
        raise InvalidEvent([FieldError("revisions", "each revision must be a mapping")])
    try:
        seq = raw["sequence"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError
        changes = raw.get("changes") or {}
        if not isinstance(changes, dict):
            raise ValueError
        return Revision(
            event_id=event_id,
            sequence=seq,
            at=str(raw["at"]),
            author=str(raw.get("author") or "unknown"),
            reason=str(raw.get("reason") or ""),
            changes=changes,
            source=raw.get("source") or None,
        )
    except (KeyError, ValueError):
        raise InvalidEvent(
            [FieldError("revisions", "each needs sequence (0 or more), at, author, changes")]
        ) from None


__all__ = ["BOOKKEEPING", "EventNotFound", "EventStore", "InvalidEvent", "Page", "Revision"]
