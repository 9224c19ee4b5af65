"""Reading and writing events. Every write keeps a revision and raises the sequence number."""

from __future__ import annotations

import gc
import heapq
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
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
INSERT_REVISION = (
    "INSERT INTO revisions (event_id, sequence, at, author, reason, changes, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# One write of a bulk job: (the stored record or None for a new one, the new, its revisions).
Write = tuple[dict[str, Any] | None, dict[str, Any], list["Revision"]]
# Ids per `IN (...)` query: well under SQLite's 32,766 host parameters.
LOOKUP_CHUNK = 500
# Records per batch in a bulk write; progress is reported at each multiple.
WRITE_CHUNK = 1000
# The connection-private table a bulk write stages its rows in (see EventStore._write_batch).
STAGING_NAME = "sitrep_bulk_rows"
STAGING = f"temp.{STAGING_NAME}"
STAGING_SHAPE = "SELECT * FROM main.events WHERE 0"
# An area is matched against these columns, by prefix.
AREA_COLUMNS = ("region_key", "place_key")
# Past this many distinct regions (or places) sharing an area's prefix, `latest` reads in time
# order and filters instead of reading each region's own index.
MAX_AREA_KEYS = 24
# Above every character: `key <= value < key + PREFIX_END` is "value starts with key".
PREFIX_END = "\U0010ffff"


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for the length of a bulk job.

    Bulk jobs hold a few hundred thousand small, acyclic dicts; the collector's full passes over
    them cost more than the job's own work. Restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
class BulkResult:
    """What one bulk write did: the ids created and the revisions of the events it changed."""

    created: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)


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


@lru_cache(maxsize=8192)
def _utc_span(start: str, end: str | None, timezone: str) -> tuple[str, str]:
    """The indexed UTC bounds of a start and end read in a zone (few distinct values in bulk)."""
    zone = zone_or_error(timezone)
    first = parse_when(start)
    last = parse_when(end) if end else first
    return iso_utc(first.start_utc(zone)), iso_utc(last.end_utc(zone))


_fold = lru_cache(maxsize=8192)(fold)
_iso_utc = lru_cache(maxsize=16)(iso_utc)
# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


@lru_cache(maxsize=8192)
def _encode_texts(texts: tuple[str, ...]) -> str:
    return _encode(list(texts))


_PLAIN_FIELDS = tuple(key for key in CONTENT_FIELDS if key not in ("killed", "injured"))
_plain_values = itemgetter(*_PLAIN_FIELDS)


def _content_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A record's content as the events table stores it (JSON text, split casualty figures)."""
    row = dict(zip(_PLAIN_FIELDS, _plain_values(rec), strict=True))
    for key in JSON_COLUMNS:
        value = rec[key]
        if not value:
            row[key] = "[]"
        elif all(type(v) is str for v in value):
            row[key] = _encode_texts(tuple(value))  # parties and tags repeat a lot
        else:
            row[key] = _encode(value)
    for key in ("killed", "injured"):
        value = rec.get(key)
        row[key] = value["count"] if value else None
        row[f"{key}_qualifier"] = value["qualifier"] if value else None
    return row


def _row_from_record(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    start_utc, end_utc = _utc_span(rec["start"], rec.get("end") or None, rec["timezone"])
    row = _content_row(rec)
    row.update(
        id=rec["id"],
        number=rec["number"],
        sequence=rec["sequence"],
        start_utc=start_utc,
        end_utc=end_utc,
        region_key=_fold(rec["region"]),
        place_key=_fold(rec["place"]),
        updated_at=_iso_utc(now),
    )
    return row


# The stored columns that hold curated content, in a fixed order (see `stored_form`).
CONTENT_COLUMNS = (*_PLAIN_FIELDS, "killed", "killed_qualifier", "injured", "injured_qualifier")
_stored_values = itemgetter(*CONTENT_COLUMNS)


def stored_form(rec: dict[str, Any]) -> tuple[Any, ...]:
    """A valid record's content exactly as the events table would hold it.

    Equal stored forms mean equal content, so a re-import can skip decoding rows that match;
    unequal ones may still be equal content (JSON written with its keys in another order), so
    they are compared field by field.
    """
    return tuple(_stored_values(_content_row(rec)))


def record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The export form of a database row (without revisions)."""
    rec: dict[str, Any] = {key: row[key] for key in CONTENT_FIELDS}
    for key in JSON_COLUMNS:
        text = rec[key]
        rec[key] = [] if text == "[]" else json.loads(text)
    for key in ("killed", "injured"):
        count = rec[key]
        if count is not None:
            rec[key] = {"count": count, "qualifier": row[f"{key}_qualifier"]}
    rec["id"] = row["id"]
    rec["number"] = row["number"]
    rec["sequence"] = row["sequence"]
    return rec


# The columns record_from_row reads: bulk lookups fetch only these.
RECORD_COLUMNS = (
    "id",
    "number",
    "sequence",
    *CONTENT_FIELDS,
    "killed_qualifier",
    "injured_qualifier",
)


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
        # ASCII digits only: "²".isdigit() is True, but it is no number of ours.
        if text.isascii() and text.isdigit() and len(text) < 16:
            rows = self._rows("SELECT * FROM events WHERE number = ?", (int(text),))
        else:
            rows = self._rows("SELECT * FROM events WHERE id = ?", (text,))
        if not rows:
            raise EventNotFound(text)
        return record_from_row(rows[0])

    def revisions(self, event_id: str) -> list[Revision]:
        return self.revisions_of([event_id]).get(event_id, [])

    def revisions_of(self, event_ids: Sequence[str]) -> dict[str, list[Revision]]:
        """The revisions of several events, in sequence order, in one query (a list page)."""
        if not event_ids:
            return {}
        marks = ", ".join("?" for _ in event_ids)
        rows = self._rows(
            f"SELECT * FROM revisions WHERE event_id IN ({marks}) ORDER BY event_id, sequence",
            event_ids,
        )
        out: dict[str, list[Revision]] = {}
        for r in rows:
            out.setdefault(r["event_id"], []).append(
                Revision(
                    event_id=r["event_id"],
                    sequence=r["sequence"],
                    at=r["at"],
                    author=r["author"],
                    reason=r["reason"],
                    changes=json.loads(r["changes"]),
                    source=json.loads(r["source"]) if r["source"] else None,
                )
            )
        return out

    def _page_of(self, rowids: list[int], offset: int, limit: int) -> Page:
        """The page at `offset` of a list of rowids (read as far as one past the page).

        Queries find the rowids in index order and stop there; only the page's own rows are
        then read whole.
        """
        wanted = rowids[offset : offset + limit]
        if not wanted:
            return Page([], False, offset)
        marks = ", ".join("?" for _ in wanted)
        rows = self._rows(f"SELECT rowid AS _rowid, * FROM events WHERE rowid IN ({marks})", wanted)
        by_rowid = {r.pop("_rowid"): r for r in rows}
        events = [record_from_row(by_rowid[i]) for i in wanted if i in by_rowid]
        return Page(events, len(rowids) > offset + limit, offset)

    def _rowids(self, sql: str, params: list[Any]) -> list[int]:
        return [row[0] for row in self.db.conn.execute(sql, params)]

    def talks(self, offset: int = 0, limit: int = 5) -> Page:
        """Talks rounds: those not yet over first (soonest first), then past ones, newest first."""
        now = iso_utc(self.clock())
        wanted = offset + limit + 1
        # Two queries, each in index order and stopping at the page's end, instead of one
        # that sorts every round: the few upcoming, then past rounds only as far as needed.
        ids = self._rowids(
            "SELECT rowid FROM events WHERE kind = 'talks' AND end_utc > ? "
            "ORDER BY start_utc, number LIMIT ?",
            [now, wanted],
        )
        if len(ids) < wanted:
            # `+end_utc`: filter in the (kind, start_utc, number, end_utc) index, read in order.
            ids += self._rowids(
                "SELECT rowid FROM events WHERE kind = 'talks' AND +end_utc <= ? "
                "ORDER BY start_utc DESC, number DESC LIMIT ?",
                [now, wanted - len(ids)],
            )
        return self._page_of(ids, offset, limit)

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
        """Incidents or statements, newest first, optionally in an area and a period.

        An area matches the start of a region or a place, case-insensitively: "dnipro" finds
        the city of Dnipro and Dnipropetrovsk Oblast.
        """
        wanted = offset + limit + 1
        # `+end_utc` keeps the period a filter inside the ordered index, never its driver: a
        # range on end_utc would find every match of the period and sort them all.
        period, params = ("", []) if since is None else (" AND +end_utc > ?", [iso_utc(since)])
        order = "ORDER BY start_utc DESC, number DESC LIMIT ?"
        if not area:
            ids = self._rowids(
                f"SELECT rowid FROM events WHERE kind = ?{period} {order}",
                [kind, *params, wanted],
            )
            return self._page_of(ids, offset, limit)
        key = fold(area.encode("utf-8", "ignore").decode("utf-8"))
        ranges = [(column, self._keys_with_prefix(kind, column, key)) for column in AREA_COLUMNS]
        if any(values is None for _, values in ranges):
            # A prefix shared by very many regions and places matches much of the store:
            # read in time order and filter, which soon fills a page.
            high = key + PREFIX_END
            ids = self._rowids(
                f"SELECT rowid FROM events WHERE kind = ?{period} AND "
                "((region_key >= ? AND region_key < ?) OR (place_key >= ? AND place_key < ?)) "
                + order,
                [kind, *params, key, high, key, high, wanted],
            )
            return self._page_of(ids, offset, limit)
        # Each exact region or place is read newest first in its own index, as far as the
        # page's end; the lists are merged (an event can match by region and by place).
        lists = [
            self.db.conn.execute(
                "SELECT start_utc, number, rowid FROM events "
                f"WHERE kind = ? AND {column} = ?{period} {order}",
                [kind, value, *params, wanted],
            ).fetchall()
            for column, values in ranges
            for value in values or ()
        ]
        ids = []
        for _start, _number, rowid in heapq.merge(*lists, reverse=True):
            if rowid not in ids:
                ids.append(rowid)
                if len(ids) == wanted:
                    break
        return self._page_of(ids, offset, limit)

    def _keys_with_prefix(self, kind: str, column: str, prefix: str) -> list[str] | None:
        """The distinct values of `column` that start with `prefix`, among events of `kind`;
        None when there are more than MAX_AREA_KEYS. One index probe per value found."""
        found: list[str] = []
        after, op = prefix, ">="
        while len(found) <= MAX_AREA_KEYS:
            row = self.db.conn.execute(
                f"SELECT {column} FROM events WHERE kind = ? AND {column} {op} ? "
                f"AND {column} < ? ORDER BY {column} LIMIT 1",
                (kind, after, prefix + PREFIX_END),
            ).fetchone()
            if row is None:
                return found
            found.append(row[0])
            after, op = row[0], ">"
        return None

    def search(self, words: str, offset: int = 0, limit: int = 5) -> Page:
        """Full-text search over titles, summaries, quotes, places and people, most recently
        added first (highest number first).

        Not by relevance: ranking reads every match (hundreds of thousands for "drone" in a
        large store); in rowid order the index is read only as far as the page's end.
        """
        # No lone surrogates (not UTF-8) and no NUL (it ends an FTS5 string early).
        clean = words.encode("utf-8", "ignore").decode("utf-8").replace("\x00", " ")
        terms = [w for w in clean.replace('"', " ").split() if w]
        if not terms:
            return Page([], False, offset)
        # Each word quoted: user text never becomes FTS5 syntax.
        match = " ".join(f'"{t}"' for t in terms[:20])
        ids = self._rowids(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            [match, offset + limit + 1],
        )
        return self._page_of(ids, offset, limit)

    def iter_all(self) -> Iterator[dict[str, Any]]:
        """Every event in number order, with its revisions, as exported."""
        for row in self._rows("SELECT * FROM events ORDER BY number"):
            rec = record_from_row(row)
            rec["revisions"] = [r.to_dict() for r in self.revisions(rec["id"])]
            yield rec

    def contents(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored records (without revisions) of those ids that exist, by id.

        By id only, never by number; one query per few hundred ids, for bulk imports.
        """
        unique = list(dict.fromkeys(ids))
        found: dict[str, dict[str, Any]] = {}
        columns = ", ".join(_q(c) for c in RECORD_COLUMNS)
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            cursor = self.db.conn.execute(
                f"SELECT {columns} FROM events WHERE id IN ({marks})", chunk
            )
            for values in cursor:
                rec = record_from_row(dict(zip(RECORD_COLUMNS, values, strict=True)))
                found[rec["id"]] = rec
        return found

    def stored_forms(self, ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """The stored content (see `stored_form`) of those ids that exist, by id."""
        unique = list(dict.fromkeys(ids))
        found: dict[str, tuple[Any, ...]] = {}
        columns = ", ".join(_q(c) for c in ("id", *CONTENT_COLUMNS))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            cursor = self.db.conn.execute(
                f"SELECT {columns} FROM events WHERE id IN ({marks})", chunk
            )
            for values in cursor:
                found[values[0]] = tuple(values[1:])
        return found

    def numbers_taken(self, numbers: Iterable[int]) -> set[int]:
        """Those of `numbers` that events already have."""
        unique = list(dict.fromkeys(numbers))
        taken: set[int] = set()
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            cursor = self.db.conn.execute(
                f"SELECT number FROM events WHERE number IN ({marks})", chunk
            )
            taken.update(int(r[0]) for r in cursor)
        return taken

    # --- writing -------------------------------------------------------------------------

    def _next_number(self) -> int:
        return int(
            self.db.conn.execute("SELECT coalesce(max(number), 0) + 1 FROM events").fetchone()[0]
        )

    def _insert_revision(self, rev: Revision) -> None:
        self.db.conn.execute(INSERT_REVISION, _revision_params(rev))

    def _write_row(self, rec: dict[str, Any], *, insert: bool) -> None:
        self._write_rows([_row_from_record(rec, self.clock())], insert=insert)

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
        with self._write_transaction():
            if self._exists(rec["id"]):
                raise InvalidEvent([FieldError("id", f"{rec['id']} already exists")])
            if rec.get("number") is None:
                rec["number"] = self._next_number()
            elif self._number_taken(rec["number"]):
                raise InvalidEvent([FieldError("number", f"{rec['number']} is already taken")])
            revisions = initial_revisions(rec, iso_utc(self.clock()), author, reason, source)
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
        with self._write_transaction():
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

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """See storage.db.write_transaction: the write lock taken up front."""
        with write_transaction(self.db):
            yield

    def write_many(
        self,
        creates: Sequence[dict[str, Any]],
        updates: Sequence[tuple[str, dict[str, Any]]] = (),
        *,
        author: str,
        reason: str = "",
        source: dict[str, Any] | None = None,
        progress: Callable[[int], None] | None = None,
        validated: bool = False,
    ) -> BulkResult:
        """Create and update many events in one transaction: all of it or none of it.

        Each record means what it means to `create` (given numbers, sequence and revisions
        kept; other new events numbered after the highest number) and each (id, changes) pair
        what it means to `update` (one revision when something differs, nothing otherwise).
        Updates address events by id only. Change hooks run for every write, inside the
        transaction. `progress(done)` is called at each thousand events written.
        `validated=True` skips re-checking creates that are already normalised and valid
        (as `plan_import` returns them).
        """
        with gc_paused():
            news = list(creates) if validated else [self.check(r) for r in creates]
            result = BulkResult()
            if not news and not updates:
                return result
            with self._cache(), self._write_transaction():
                now = self.clock()
                numbers = self._place_new(news)
                changed = self._changes(updates, author, reason, source, now, result)
                # New records are copied (numbered, sequenced) a batch at a time, so a
                # 100,000-event import never holds a second copy of all of them.
                writes = chain(
                    self._creations(news, numbers, author, reason, source, now, result), changed
                )
                done = 0
                while batch := list(islice(writes, WRITE_CHUNK)):
                    self._write_batch(batch, now)
                    done += len(batch)
                    if progress and done % WRITE_CHUNK == 0:
                        progress(done)
                self.db.conn.execute(f"DROP TABLE IF EXISTS {STAGING}")
        return result

    def _creations(
        self,
        news: list[dict[str, Any]],
        numbers: list[int],
        author: str,
        reason: str,
        source: dict[str, Any] | None,
        now: datetime,
        result: BulkResult,
    ) -> Iterator[Write]:
        """(None, new record, its revisions) for each new event, as `create` would make them."""
        at = iso_utc(now)
        for record, number in zip(news, numbers, strict=True):
            rec = {**record, "number": number}
            revisions = initial_revisions(rec, at, author, reason, source)
            result.created.append(rec["id"])
            yield None, rec, revisions

    def _changes(
        self,
        updates: Sequence[tuple[str, dict[str, Any]]],
        author: str,
        reason: str,
        source: dict[str, Any] | None,
        now: datetime,
        result: BulkResult,
    ) -> list[Write]:
        """(old, new, [revision]) for each update that changes something, as `update` would."""
        at = iso_utc(now)
        olds = self.contents(ref for ref, _ in updates)
        changed: list[Write] = []
        for ref, changes in updates:
            unknown = [k for k in changes if k not in CONTENT_FIELDS]
            if unknown:
                raise InvalidEvent([FieldError(k, "cannot be changed this way") for k in unknown])
            old = olds.get(ref)
            if old is None:
                raise EventNotFound(ref)
            new = self.check({**old, **changes, "revisions": None})
            delta = diff(old, new)
            if not delta:
                continue
            new["sequence"] = old["sequence"] + 1
            rev = Revision(old["id"], new["sequence"], at, author, reason, delta, source)
            # A second change to the same event in one call builds on the first.
            olds[ref] = {k: v for k, v in new.items() if k != "revisions"}
            changed.append((old, new, [rev]))
            result.revisions.append(rev)
        return changed

    def _write_batch(self, batch: list[Write], now: datetime) -> None:
        """Rows, revisions, then hooks, for up to a thousand writes.

        Rows go through a temporary table and reach `events` in one INSERT ... SELECT (or
        UPDATE ... FROM) statement: the FTS triggers still fire for every row, but FTS5 then
        flushes its pending index once per statement instead of once per row, which made a
        row-at-a-time bulk insert about four times slower.
        """
        conn = self.db.conn
        inserts = [_row_from_record(new, now) for old, new, _ in batch if old is None]
        changes = [_row_from_record(new, now) for old, new, _ in batch if old is not None]
        if inserts:
            self._through_staging(inserts, insert=True)
        if changes and len({r["id"] for r in changes}) == len(changes):
            self._through_staging(changes, insert=False)
        elif changes:
            self._write_rows(changes, insert=False)  # the same event twice: in order
        conn.executemany(
            INSERT_REVISION, [_revision_params(rev) for _, _, revs in batch for rev in revs]
        )
        for old, new, revs in batch:
            for hook in self.change_hooks:
                hook(self.db, old, new, revs[-1].to_dict())

    def _through_staging(self, rows: list[dict[str, Any]], *, insert: bool) -> None:
        conn = self.db.conn
        names = list(rows[0])
        columns = ", ".join(_q(n) for n in names)
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING_NAME} AS {STAGING_SHAPE}")
        conn.execute(f"DELETE FROM {STAGING}")
        conn.executemany(
            f"INSERT INTO {STAGING} ({columns}) VALUES ({', '.join('?' for _ in names)})",
            [[row[n] for n in names] for row in rows],
        )
        if insert:
            conn.execute(
                f"INSERT INTO main.events ({columns}) "
                f"SELECT {columns} FROM {STAGING} ORDER BY rowid"
            )
        else:
            sets = ", ".join(f"{_q(n)} = s.{_q(n)}" for n in names if n != "id")
            conn.execute(
                f"UPDATE main.events SET {sets} FROM {STAGING} AS s WHERE main.events.id = s.id"
            )

    @contextmanager
    def _cache(self) -> Iterator[None]:
        """A larger page cache for the length of a bulk write: index pages stay in memory.

        Only this connection's cache size changes, and it is put back afterwards.
        """
        conn = self.db.conn
        previous = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -65536")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cache_size = {int(previous)}")

    def _place_new(self, news: list[dict[str, Any]]) -> list[int]:
        """The number of each new record: its own, or the next after the highest. Raises
        InvalidEvent, before anything is written, when an id exists or a number is taken."""
        problems: list[FieldError] = []
        seen: set[str] = set()
        for rec in news:
            if rec["id"] in seen:
                problems.append(FieldError("id", f"{rec['id']} is given twice"))
            seen.add(rec["id"])
        problems += [FieldError("id", f"{i} already exists") for i in self.contents(seen)]
        given = [r["number"] for r in news if r.get("number") is not None]
        if len(set(given)) != len(given):
            problems.append(FieldError("number", "the same number is given twice"))
        problems += [
            FieldError("number", f"{n} is already taken") for n in sorted(self.numbers_taken(given))
        ]
        if problems:
            raise InvalidEvent(problems)
        following = max([self._next_number() - 1, *given]) + 1
        numbers: list[int] = []
        for rec in news:
            number = rec.get("number")
            if number is None:
                number, following = following, following + 1
            numbers.append(number)
        return numbers

    def _write_rows(self, rows: list[dict[str, Any]], *, insert: bool) -> None:
        if not rows:
            return
        names = list(rows[0])
        if insert:
            sql = (
                f"INSERT INTO events ({', '.join(_q(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            self.db.conn.executemany(sql, [[row[n] for n in names] for row in rows])
        else:
            sets = ", ".join(f"{_q(n)} = ?" for n in names if n != "id")
            self.db.conn.executemany(
                f"UPDATE events SET {sets} WHERE id = ?",
                [[row[n] for n in names if n != "id"] + [row["id"]] for row in rows],
            )

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


def _revision_params(rev: Revision) -> tuple[Any, ...]:
    return (
        rev.event_id,
        rev.sequence,
        rev.at,
        rev.author,
        rev.reason,
        _encode(rev.changes) if rev.changes else "{}",
        _encode(rev.source) if rev.source else None,
    )


def initial_revisions(
    rec: dict[str, Any], at: str, author: str, reason: str, source: dict[str, Any] | None
) -> list[Revision]:
    """A new event's history: the one it brings (an import keeps it), else its creation.

    Sets `rec["sequence"]` to match when the record does not give one.
    """
    given = rec.get("revisions") or []
    if given:
        revisions = [_revision_from_dict(rec["id"], r) for r in given]
        if rec.get("sequence") is None:
            rec["sequence"] = max(r.sequence for r in revisions)
        return revisions
    rec["sequence"] = rec.get("sequence") or 0
    return [Revision(rec["id"], rec["sequence"], at, author, reason, {}, source)]


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


__all__ = [
    "BOOKKEEPING",
    "BulkResult",
    "EventNotFound",
    "EventStore",
    "InvalidEvent",
    "Page",
    "Revision",
]
