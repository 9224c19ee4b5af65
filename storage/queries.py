"""Reading events: one record, pages of lists in index order, search, bulk lookups by id."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from storage import gazetteer
from storage.gazetteer import area_key, search_groups
from storage.model import ID_PATTERN, Event
from storage.revisions import Revision, read_revisions
from storage.rows import CONTENT_COLUMNS, RECORD_COLUMNS, quoted, record_from_row
from storage.timeparse import TimeFormatError, iso_utc, parse_when, stored_utc

# Ids per `IN (...)` query: well under SQLite's 32,766 host parameters.
LOOKUP_CHUNK = 500
# An area is matched against these columns, by prefix.
AREA_COLUMNS = ("region_key", "place_key")
# Past this many distinct regions (or places) sharing an area's prefix, `latest` reads in time
# order and filters instead of reading each region's own index.
MAX_AREA_KEYS = 24
# Search: how many of the most recent matches are ranked, and the weight of a word found in
# each indexed column (title, summary, quote, place, region, people, speaker).
SEARCH_RANKED = 1000
SEARCH_WEIGHTS = "10.0, 1.0, 1.0, 5.0, 3.0, 2.0, 2.0"
# Talks rounds in these states are over, whatever their dates say.
CLOSED_STATUSES = ("held", "cancelled")
_CLOSED = "('held', 'cancelled')"
# Above every character: `key <= value < key + PREFIX_END` is "value starts with key".
PREFIX_END = "\U0010ffff"
# The rows of import batches not yet published (storage.staging): empty but while a large
# import is being written. Readers' queries leave them out by rowid, which every index holds,
# so a query that reads only its index still does.
_UNPUBLISHED = "SELECT id FROM import_batches WHERE state != 'published'"
UNSEEN = f"SELECT rowid FROM events WHERE batch IN ({_UNPUBLISHED})"
SEEN = f"rowid NOT IN ({UNSEEN})"
# How many events readers see: every row less the unseen ones. `count(*) ... WHERE {SEEN}`
# would test each row and lose SQLite's quick count of a whole table (about 5 times slower
# at 200,000 events). Of a kind: its index range less its unseen rows, found by their batch
# (`+kind`: not by reading the kind's whole range).
_UNSEEN_COUNT = f"SELECT count(*) FROM events WHERE batch IN ({_UNPUBLISHED})"
SEEN_COUNT = f"SELECT (SELECT count(*) FROM events) - ({_UNSEEN_COUNT})"
SEEN_COUNT_OF_KIND = (
    f"SELECT (SELECT count(*) FROM events WHERE kind = ?) - ({_UNSEEN_COUNT} AND +kind = ?)"
)
# An alert about an unseen event waits for it: the engine fans out only these.
ALERT_SEEN = f"event_id NOT IN (SELECT id FROM events WHERE batch IN ({_UNPUBLISHED}))"


# A typed word this long or longer also finds longer words it begins: Ukrainian inflects
# ("пологов" finds "пологового", "пологовий"), English too ("hospital", "hospitals"). Shorter
# words match whole, so "a" never reads every word that starts with it.
PREFIX_FROM = 4


def fts_match(words: list[str]) -> str:
    """An FTS5 query finding every word (or a word it begins), a place's name by any of its
    spellings.

    Each word and spelling is a quoted string (a '"' in it doubled), so user text never
    becomes FTS5 syntax; the only operator added after one is the prefix `*`.
    """

    def phrase(text: str, prefix: bool) -> str:
        # Trailing punctuation ("пологов*", "Dnipro,") is no part of a word: the tokenizer
        # drops it, so the word before it is the prefix.
        stem = text.rstrip("".join(c for c in text if not c.isalnum())) if prefix else text
        if prefix and len(stem) >= PREFIX_FROM:
            return '"' + stem.replace('"', '""') + '"*'
        return '"' + text.replace('"', '""') + '"'

    def alternative(phrases: tuple[str, ...], prefix: bool) -> str:
        return "(" + " AND ".join(phrase(p, prefix) for p in phrases) + ")"

    # A place's names are matched whole: its spellings are already all there.
    return " AND ".join(
        "(" + " OR ".join(alternative(alt, len(group) == 1) for alt in group) + ")"
        for group in search_groups(words)
    )


class EventNotFound(LookupError):
    """No event has that id or number."""


@dataclass
class Page:
    """One page of a list, and whether another follows."""

    events: list[Event]
    has_more: bool
    offset: int = 0


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Distinct values, a few hundred at a time, in first-seen order."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        yield unique[start : start + LOOKUP_CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


class EventQueries:
    """The reads of the event store, over one sqlite-utils connection."""

    db: Database
    clock: Callable[[], datetime]

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _rowids(self, sql: str, params: list[Any]) -> list[int]:
        return [row[0] for row in self.db.conn.execute(sql, params)]

    def count(self, kind: str | None = None) -> int:
        if kind:
            row = self.db.conn.execute(SEEN_COUNT_OF_KIND, (kind, kind))
        else:
            row = self.db.conn.execute(SEEN_COUNT)
        return int(row.fetchone()[0])

    def get(self, ref: str | int) -> Event:
        """The event with this id or short number; raises EventNotFound."""
        text = str(ref).strip().lstrip("#")
        # ASCII digits only: "²".isdigit() is True, but it is no number of ours.
        if text.isascii() and text.isdigit() and len(text) < 16:
            rows = self._rows(f"SELECT * FROM events WHERE number = ? AND {SEEN}", (int(text),))
        else:
            rows = self._rows(f"SELECT * FROM events WHERE id = ? AND {SEEN}", (text,))
            # Ids are matched without regard to case: lower case first (the usual form, found
            # in the index), then any case (a scan, only for a mistyped or mixed-case id).
            if not rows and text.lower() != text:
                rows = self._rows(f"SELECT * FROM events WHERE id = ? AND {SEEN}", (text.lower(),))
            if not rows and ID_PATTERN.match(text):
                rows = self._rows(
                    f"SELECT * FROM events WHERE id = ? COLLATE NOCASE AND {SEEN}", (text,)
                )
        if not rows:
            raise EventNotFound(text)
        return record_from_row(rows[0])

    def revisions(self, event_id: str) -> list[Revision]:
        return self.revisions_of([event_id]).get(event_id, [])

    def revisions_of(self, event_ids: Sequence[str]) -> dict[str, list[Revision]]:
        """The revisions of several events, in sequence order, in one query (a list page)."""
        return read_revisions(self.db, list(event_ids))

    def _page_of(self, rowids: list[int], offset: int, limit: int) -> Page:
        """The page at `offset` of a list of rowids (read as far as one past the page).

        Queries find the rowids in index order and stop there; only the page's own rows are
        then read whole.
        """
        wanted = rowids[offset : offset + limit]
        if not wanted:
            return Page([], False, offset)
        rows = self._rows(
            f"SELECT rowid AS _rowid, * FROM events WHERE rowid IN ({_marks(wanted)})", wanted
        )
        by_rowid = {r.pop("_rowid"): r for r in rows}
        events = [record_from_row(by_rowid[i]) for i in wanted if i in by_rowid]
        return Page(events, len(rowids) > offset + limit, offset)

    def talks(self, offset: int = 0, limit: int = 5) -> Page:
        """Talks rounds: those still to come first (soonest first), then the rest, newest first.

        A round still to come has not ended and is neither held nor cancelled (see
        `is_upcoming`): a cancelled round with future dates is not upcoming.
        """
        now = iso_utc(self.clock())
        wanted = offset + limit + 1
        # Two queries, each in index order and stopping at the page's end, instead of one
        # that sorts every round: the few upcoming, then past rounds only as far as needed.
        ids = self._rowids(
            # `+end_utc`: the (kind, start_utc, number, end_utc) index, read in order, not the
            # (kind, end_utc) one and a sort.
            "SELECT rowid FROM events WHERE kind = 'talks' AND +end_utc > ? "
            f"AND coalesce(status, '') NOT IN {_CLOSED} AND {SEEN} "
            "ORDER BY start_utc, number LIMIT ?",
            [now, wanted],
        )
        if len(ids) < wanted:
            # `+end_utc`: filter in the (kind, start_utc, number, end_utc) index, read in order.
            ids += self._rowids(
                "SELECT rowid FROM events WHERE kind = 'talks' "
                f"AND (+end_utc <= ? OR coalesce(status, '') IN {_CLOSED}) AND {SEEN} "
                "ORDER BY start_utc DESC, number DESC LIMIT ?",
                [now, wanted - len(ids)],
            )
        return self._page_of(ids, offset, limit)

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

        An area matches the start of a region's or a place's key (storage.gazetteer), in
        either script and any spelling the gazetteer knows: "dnipro" and "Дніпро" find the
        city of Dnipro and Dnipropetrovsk Oblast.
        """
        wanted = offset + limit + 1
        # `+end_utc` keeps the period a filter inside the ordered index, never its driver: a
        # range on end_utc would find every match of the period and sort them all.
        period, params = ("", []) if since is None else (" AND +end_utc > ?", [iso_utc(since)])
        period += f" AND {SEEN}"
        order = "ORDER BY start_utc DESC, number DESC LIMIT ?"
        if not area:
            ids = self._rowids(
                f"SELECT rowid FROM events WHERE kind = ?{period} {order}",
                [kind, *params, wanted],
            )
            return self._page_of(ids, offset, limit)
        key = area_key(area.encode("utf-8", "ignore").decode("utf-8"))
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

    def knows_area(self, area: str, kind: str = "incident") -> bool:
        """Whether `area` names a place the gazetteer knows, or starts a region or place of
        some record of `kind`."""
        clean = area.encode("utf-8", "ignore").decode("utf-8")
        if gazetteer.matches(clean):
            return True
        key = area_key(clean)
        return any(self._keys_with_prefix(kind, column, key) != [] for column in AREA_COLUMNS)

    def suggest_areas(self, area: str, kind: str = "incident", limit: int = 5) -> list[str]:
        """Areas that look like `area` (a typo): places the gazetteer knows and regions and
        places of records; else the regions with the most records."""
        found = [p.names.get("en") or p.key for p in gazetteer.suggest(area, limit)]
        counted: dict[str, tuple[str, int]] = {}
        for column, name, most in (("region_key", "region", 300), ("place_key", "place", 3000)):
            for key, label, count in self.db.conn.execute(
                f"SELECT {column}, min({name}), count(*) FROM events "
                f"WHERE kind = ? AND {column} != '' AND {SEEN} GROUP BY {column} "
                "ORDER BY count(*) DESC LIMIT ?",
                (kind, most),
            ):
                if key not in counted or counted[key][1] < count:
                    counted[key] = (label, count)
        close = difflib.get_close_matches(
            gazetteer.normalise(area), list(counted), n=limit, cutoff=0.6
        )
        found += [counted[key][0] for key in close]
        if not found:
            busiest = sorted(counted.items(), key=lambda item: -item[1][1])
            found = [label for _, (label, _) in busiest[:limit]]
        return list(dict.fromkeys(found))[:limit]

    def _keys_with_prefix(self, kind: str, column: str, prefix: str) -> list[str] | None:
        """The distinct values of `column` that start with `prefix`, among events of `kind`;
        None when there are more than MAX_AREA_KEYS. One index probe per value found."""
        found: list[str] = []
        after, op = prefix, ">="
        while len(found) <= MAX_AREA_KEYS:
            row = self.db.conn.execute(
                f"SELECT {column} FROM events WHERE kind = ? AND {column} {op} ? "
                f"AND {column} < ? AND {SEEN} ORDER BY {column} LIMIT 1",
                (kind, after, prefix + PREFIX_END),
            ).fetchone()
            if row is None:
                return found
            found.append(row[0])
            after, op = row[0], ">"
        return None

    def search(self, words: str, offset: int = 0, limit: int = 5) -> Page:
        """Full-text search over titles, summaries, quotes, places and people, and over the
        records' translations, best match first. A word of PREFIX_FROM letters or more also
        finds the words it begins ("пологов" finds "пологовий"). A place's name, in either
        script or any spelling the gazetteer knows, also finds the spellings records store
        ("Запоріжжя" finds "Zaporizhzhia").

        Only the SEARCH_RANKED most recently added matches are ranked: ranking every match
        reads them all (hundreds of thousands for "drone" in a large store).
        """
        # No lone surrogates (not UTF-8) and no NUL (it ends an FTS5 string early).
        clean = words.encode("utf-8", "ignore").decode("utf-8").replace("\x00", " ")
        terms = [w for w in clean.replace('"', " ").split() if w]
        if not terms:
            return Page([], False, offset)
        match = fts_match(terms[:20])
        # The most recent matches are ranked by relevance, a word in the title or the place
        # weighing more than one in the summary; only that many are read and scored.
        ids = self._rowids(
            "SELECT rowid FROM (SELECT rowid, bm25(events_fts, "
            f"{SEARCH_WEIGHTS}) AS score FROM events_fts WHERE events_fts MATCH ? AND {SEEN} "
            "ORDER BY rowid DESC LIMIT ?) ORDER BY score, rowid DESC LIMIT ?",
            [match, SEARCH_RANKED, offset + limit + 1],
        )
        return self._page_of(ids, offset, limit)

    def iter_all(self) -> Iterator[Event]:
        """Every event in number order, with its revisions, as exported."""
        for row in self._rows(f"SELECT * FROM events WHERE {SEEN} ORDER BY number"):
            rec = record_from_row(row)
            rec["revisions"] = [r.to_dict() for r in self.revisions(rec["id"])]
            yield rec

    def contents(self, ids: Iterable[str], *, seen: bool = False) -> dict[str, Event]:
        """The stored records (without revisions) of those ids that exist, by id; with
        `seen`, only those readers see (not an import batch's still being written).

        By id only, never by number; one query per few hundred ids, for bulk imports.
        """
        found: dict[str, Event] = {}
        columns = ", ".join(quoted(c) for c in RECORD_COLUMNS)
        only_seen = f" AND {SEEN}" if seen else ""
        for chunk in _chunks(ids):
            cursor = self.db.conn.execute(
                f"SELECT {columns} FROM events WHERE id IN ({_marks(chunk)}){only_seen}", chunk
            )
            for values in cursor:
                rec = record_from_row(dict(zip(RECORD_COLUMNS, values, strict=True)))
                found[rec["id"]] = rec
        return found

    def stored_forms(self, ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """The stored content (see storage.rows.stored_form) of those ids that exist, by id."""
        found: dict[str, tuple[Any, ...]] = {}
        columns = ", ".join(quoted(c) for c in ("id", *CONTENT_COLUMNS))
        for chunk in _chunks(ids):
            cursor = self.db.conn.execute(
                f"SELECT {columns} FROM events WHERE id IN ({_marks(chunk)})", chunk
            )
            for values in cursor:
                found[values[0]] = tuple(values[1:])
        return found

    def numbers_taken(self, numbers: Iterable[int]) -> set[int]:
        """Those of `numbers` that events already have."""
        taken: set[int] = set()
        for chunk in _chunks(numbers):
            cursor = self.db.conn.execute(
                f"SELECT number FROM events WHERE number IN ({_marks(chunk)})", chunk
            )
            taken.update(int(r[0]) for r in cursor)
        return taken

    def bounds(self, ids: Iterable[str]) -> dict[str, tuple[datetime, datetime]]:
        """The stored UTC bounds (first and last moment the dates can mean) of those ids that
        exist: computed once, when the event was written, never parsed again."""
        found: dict[str, tuple[datetime, datetime]] = {}
        for chunk in _chunks(ids):
            cursor = self.db.conn.execute(
                f"SELECT id, start_utc, end_utc FROM events WHERE id IN ({_marks(chunk)})", chunk
            )
            for event_id, start_utc, end_utc in cursor:
                found[event_id] = (stored_utc(start_utc), stored_utc(end_utc))
        return found

    def same_day_duplicates(self, kind: str, title: str, start: str) -> list[int]:
        """Numbers of the records of this kind whose title is this one (ignoring case and
        spacing) on the same day: what a new record would most likely duplicate.

        "The same day" is the day as written (the first ten characters of `start`: a local
        day, or an instant's local day); the indexed search looks a day either side in UTC,
        which covers every zone's version of that day.
        """
        try:
            when = parse_when(start)
        except TimeFormatError:
            return []
        wanted = " ".join(title.casefold().split())
        moment = datetime.combine(when.day, time(12), tzinfo=UTC)
        rows = self.db.conn.execute(
            "SELECT number, title, start FROM events WHERE kind = ? AND start_utc >= ? "
            f"AND start_utc < ? AND {SEEN} ORDER BY number",
            (kind, iso_utc(moment - timedelta(hours=36)), iso_utc(moment + timedelta(hours=36))),
        )
        return [
            int(number)
            for number, found, found_start in rows
            if " ".join(str(found).casefold().split()) == wanted
            and str(found_start)[:10] == start.strip()[:10]
        ]

    def next_number(self) -> int:
        """The number a new event gets when it brings none: one past the highest."""
        return int(
            self.db.conn.execute("SELECT coalesce(max(number), 0) + 1 FROM events").fetchone()[0]
        )
