"""Writing events: one path for every write, from a curator's single correction to a
100,000-row import. Each write keeps a revision and raises the sequence number; all of a
call's writes commit together or not at all, and the change hooks run inside the transaction.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import Any

from sqlite_utils import Database

from storage.db import after_commit, write_transaction
from storage.model import (
    CONTENT_FIELDS,
    Event,
    FieldError,
    InvalidEvent,
    cite,
    normalise,
    validate,
)
from storage.queries import EventNotFound, EventQueries
from storage.revisions import Revision, diff, initial_revisions, insert_revisions
from storage.rows import quoted, row_from_record
from storage.staging import abandon, open_batch, publish, renew
from storage.timeparse import iso_utc

log = logging.getLogger("sitrep.storage")


@dataclass(frozen=True, slots=True)
class Change:
    """One event written: what it was, what it is now, and the row as stored."""

    old: Mapping[str, Any] | None  # None for a new event
    new: dict[str, Any]
    revision: Revision  # the latest: the one this change made, or a new event's last
    row: Mapping[str, Any]  # the events row: its UTC bounds and area keys as indexed

    @property
    def event_id(self) -> str:
        return str(self.new["id"])

    @property
    def kind(self) -> str:
        return str(self.new["kind"])


@dataclass
class Committed:
    """What one committed write changed: the ids of the events written, by kind."""

    ids: dict[str, list[str]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[str]:
        return self.ids.get(kind, [])


# A hook runs inside the write's transaction, so derived work (alerts) commits with the change.
ChangeHook = Callable[[Database, Change], None]
# A listener hears of a write once it is committed (never of one rolled back): work outside
# the database, such as the bot's reminder jobs, follows the change itself.
CommitListener = Callable[[Committed], None]
# One write of a bulk job: (the stored record or None for a new one, the new, its revisions).
Write = tuple[Mapping[str, Any] | None, dict[str, Any], list[Revision]]
# Records per batch in a bulk write; progress is reported at each multiple.
WRITE_CHUNK = 1000
# Below this many rows a batch is written row by row: the staging table pays off only in bulk.
STAGING_FROM = 50
# The connection-private table a bulk write stages its rows in (see EventWrites._write_batch).
STAGING_NAME = "sitrep_bulk_rows"
STAGING = f"temp.{STAGING_NAME}"
STAGING_SHAPE = "SELECT * FROM main.events WHERE 0"
# An import of more new events than this is written as a batch (storage.staging): a step of
# BATCH_STEP rows per transaction, each well under a second, unseen until it is published.
BATCH_FROM = 5000
BATCH_STEP = 2000


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


@dataclass
class BulkResult:
    """What one write did: the ids created and the revisions of the events it changed."""

    created: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)


def check(record: dict[str, Any]) -> dict[str, Any]:
    """The normalised record, or InvalidEvent listing every problem."""
    rec = normalise(record)
    errors = validate(rec)
    if errors:
        raise InvalidEvent(errors)
    return rec


def _refuse_unknown(changes: dict[str, Any]) -> None:
    unknown = [k for k in changes if k not in CONTENT_FIELDS]
    if unknown:
        raise InvalidEvent([FieldError(k, "not_changeable") for k in unknown])


class EventWrites(EventQueries):
    """The writes of the event store: `create` and `update` are one-item `write_many`s."""

    change_hooks: list[ChangeHook]
    listeners: list[CommitListener]
    batch_from = BATCH_FROM
    batch_step = BATCH_STEP

    def check(self, record: dict[str, Any]) -> dict[str, Any]:
        """The normalised record, or InvalidEvent listing every problem."""
        return check(record)

    def create(
        self,
        record: dict[str, Any],
        *,
        author: str,
        reason: str = "created",
        source: dict[str, Any] | None = None,
    ) -> Event:
        """Insert a new event (with its given revisions, if any) and return it."""
        rec = check(record)  # before the write lock: a bad record never waits for it
        with write_transaction(self.db):
            result = self.write_many(
                [rec], author=author, reason=reason, source=source, validated=True
            )
            return self.get(result.created[0])

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
        _refuse_unknown(changes)
        with write_transaction(self.db):
            current = self.get(ref)  # by id or number; EventNotFound
            event_id = current["id"]
            if source:
                # A change's source becomes a source of the record, behind what it changed.
                merged = check({**current, **changes, "revisions": None})
                changed = [k for k in diff(dict(current), merged) if k != "sources"]
                changes = {**changes, "sources": cite(merged["sources"], source, changed)}
            result = self.write_many(
                [], [(event_id, changes)], author=author, reason=reason, source=source
            )
        return result.revisions[0] if result.revisions else None

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
        """Create and update events in one transaction: all of it or none of it.

        A record given numbers, sequence or revisions keeps them; other new events are
        numbered after the highest number. Each (id, changes) pair makes one revision when
        something differs, nothing otherwise; updates address events by id only. Change hooks
        run for every write, inside the transaction. `progress(done)` is called at each
        thousand events written. `validated=True` skips re-checking creates that are already
        normalised and valid (as `plan_import` returns them).
        """
        bulk = len(creates) + len(updates) >= STAGING_FROM
        with gc_paused() if bulk else nullcontext():
            news = list(creates) if validated else [check(r) for r in creates]
            result = BulkResult()
            if not news and not updates:
                return result
            with self._cache() if bulk else nullcontext(), write_transaction(self.db):
                now = self.clock()
                numbers = self._place_new(news)
                changed = self._changes(updates, author, reason, source, now, result)
                # New records are copied (numbered, sequenced) a batch at a time, so a
                # 100,000-event import never holds a second copy of all of them.
                writes = chain(
                    self._creations(news, numbers, author, reason, source, now, result), changed
                )
                committed = Committed()
                done = 0
                while batch := list(islice(writes, WRITE_CHUNK)):
                    self._write_batch(batch, now)
                    for _, new, _ in batch:
                        committed.ids.setdefault(new["kind"], []).append(new["id"])
                    done += len(batch)
                    if progress and done % WRITE_CHUNK == 0:
                        progress(done)
                if bulk:
                    self.db.conn.execute(f"DROP TABLE IF EXISTS {STAGING}")
                if committed.ids:
                    after_commit(self.db, lambda: self._tell_listeners(committed))
        return result

    def write_batch(
        self,
        creates: Sequence[dict[str, Any]],
        updates: Sequence[tuple[str, dict[str, Any]]] = (),
        *,
        label: str,
        author: str,
        reason: str = "",
        progress: Callable[[int], None] | None = None,
    ) -> BulkResult:
        """`write_many` of validated records for an import: all of it or none of it, for
        readers as for the store, but without holding the write lock for the whole of it.

        Up to `batch_from` new events are one transaction. More are an import batch
        (storage.staging) labelled `label`: written `batch_step` at a time, each step its own
        transaction, unseen by readers; then the changes to stored events and the batch's
        publication are one last transaction. A failure deletes what the batch wrote (a kill
        leaves it for the next import to delete); readers see none of it either way. Raises
        ImportBusy when another batch is being written.
        """
        if len(creates) <= self.batch_from:
            return self.write_many(
                creates, updates, author=author, reason=reason, progress=progress, validated=True
            )
        result = BulkResult()
        committed = Committed()
        # A number given in the file is kept; those given to the rest start above all of them.
        above = max((r["number"] for r in creates if r.get("number") is not None), default=0)
        with gc_paused():
            batch = open_batch(self.db, label, author, self.clock())
            try:
                for start in range(0, len(creates), self.batch_step):
                    step = creates[start : start + self.batch_step]
                    with self._cache(), write_transaction(self.db):
                        now = self.clock()
                        renew(self.db, batch, len(step), now)
                        numbers = self._place_new(list(step), above=above)
                        writes = list(
                            self._creations(step, numbers, author, reason, None, now, result)
                        )
                        self._write_batch(writes, now, staged=batch)
                    for _, new, _ in writes:
                        committed.ids.setdefault(new["kind"], []).append(new["id"])
                    if progress:
                        progress(start + len(step))
                with write_transaction(self.db):
                    changed = self.write_many([], updates, author=author, reason=reason)
                    publish(self.db, batch, self.clock())
                    after_commit(self.db, lambda: self._tell_listeners(committed))
                result.revisions = changed.revisions
            except BaseException:
                self._give_up(batch)
                raise
            finally:
                self.db.conn.execute(f"DROP TABLE IF EXISTS {STAGING}")
        return result

    def _give_up(self, batch: int) -> None:
        try:
            abandon(self.db, batch, self.clock())
        except Exception:  # the store is locked or gone: the next import deletes it
            log.exception(
                "import batch %s given up; its rows are deleted by the next import", batch
            )

    def _tell_listeners(self, committed: Committed) -> None:
        for listener in list(self.listeners):
            listener(committed)

    def _creations(
        self,
        news: Sequence[dict[str, Any]],
        numbers: list[int],
        author: str,
        reason: str,
        source: dict[str, Any] | None,
        now: datetime,
        result: BulkResult,
    ) -> Iterator[Write]:
        """(None, new record, its revisions) for each new event."""
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
        """(old, new, [revision]) for each update that changes something."""
        at = iso_utc(now)
        olds: dict[str, Mapping[str, Any]] = dict(self.contents(ref for ref, _ in updates))
        changed: list[Write] = []
        for ref, changes in updates:
            _refuse_unknown(changes)
            old = olds.get(ref)
            if old is None:
                raise EventNotFound(ref)
            new = check({**old, **changes, "revisions": None})
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

    def _write_batch(self, batch: list[Write], now: datetime, *, staged: int | None = None) -> None:
        """Rows, revisions, then hooks, for up to a thousand writes (or a batch's step: rows
        marked with the import batch `staged`).

        In bulk, rows go through a temporary table and reach `events` in one INSERT ...
        SELECT (or UPDATE ... FROM) statement: the FTS triggers still fire for every row, but
        FTS5 then flushes its pending index once per statement instead of once per row, which
        made a row-at-a-time bulk insert about four times slower.
        """
        rows = [row_from_record(new, now) for _, new, _ in batch]
        if staged is not None:
            for row in rows:
                row["batch"] = staged
        inserts = [row for row, (old, _, _) in zip(rows, batch, strict=True) if old is None]
        changes = [row for row, (old, _, _) in zip(rows, batch, strict=True) if old is not None]
        if len(inserts) >= STAGING_FROM:
            self._through_staging(inserts, insert=True)
        else:
            self._write_rows(inserts, insert=True)
        if len(changes) >= STAGING_FROM and len({r["id"] for r in changes}) == len(changes):
            self._through_staging(changes, insert=False)
        else:
            self._write_rows(changes, insert=False)  # few, or the same event twice: in order
        insert_revisions(self.db, (rev for _, _, revs in batch for rev in revs))
        for row, (old, new, revs) in zip(rows, batch, strict=True):
            change = Change(old, new, revs[-1], row)
            for hook in self.change_hooks:
                hook(self.db, change)

    def _through_staging(self, rows: list[dict[str, Any]], *, insert: bool) -> None:
        conn = self.db.conn
        names = list(rows[0])
        columns = ", ".join(quoted(n) for n in names)
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
            sets = ", ".join(f"{quoted(n)} = s.{quoted(n)}" for n in names if n != "id")
            conn.execute(
                f"UPDATE main.events SET {sets} FROM {STAGING} AS s WHERE main.events.id = s.id"
            )

    def _write_rows(self, rows: list[dict[str, Any]], *, insert: bool) -> None:
        if not rows:
            return
        names = list(rows[0])
        if insert:
            sql = (
                f"INSERT INTO events ({', '.join(quoted(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            self.db.conn.executemany(sql, [[row[n] for n in names] for row in rows])
        else:
            sets = ", ".join(f"{quoted(n)} = ?" for n in names if n != "id")
            self.db.conn.executemany(
                f"UPDATE events SET {sets} WHERE id = ?",
                [[row[n] for n in names if n != "id"] + [row["id"]] for row in rows],
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

    def _place_new(self, news: list[dict[str, Any]], *, above: int = 0) -> list[int]:
        """The number of each new record: its own, or the next after the highest (and after
        `above`). Raises InvalidEvent, before anything is written, when an id exists or a
        number is taken."""
        if not news:
            return []
        problems: list[FieldError] = []
        seen: set[str] = set()
        for rec in news:
            if rec["id"] in seen:
                problems.append(FieldError("id", "given_twice", {"value": rec["id"]}))
            seen.add(rec["id"])
        problems += [FieldError("id", "id_exists", {"value": i}) for i in self.contents(seen)]
        given = [r["number"] for r in news if r.get("number") is not None]
        if len(set(given)) != len(given):
            problems.append(FieldError("number", "number_twice"))
        problems += [
            FieldError("number", "number_taken", {"value": n})
            for n in sorted(self.numbers_taken(given))
        ]
        if problems:
            raise InvalidEvent(problems)
        following = max([self.next_number() - 1, above, *given]) + 1
        numbers: list[int] = []
        for rec in news:
            number = rec.get("number")
            if number is None:
                number, following = following, following + 1
            numbers.append(number)
        return numbers
