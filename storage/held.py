"""Alerts held for quiet hours or a daily digest, and the one summary that tells them.

Fan-out creates a delivery for every subscribed chat as always; `hold_deliveries` (in the
same transaction) then marks some of them held: every alert but a reminder for a chat that
reads a daily digest, and, for a chat in its quiet hours, every alert but a reminder or a
change to a round that starts within 48 hours (those go at once, without sound). A held
delivery stays 'pending' in the database, so it survives a restart, and the delivery
engine skips it. When the quiet window ends (or is turned off), or the digest falls due,
the chat's held deliveries are gathered into one summary, which the engine sends; they
are marked sent with it.

What a summary says is decided here too (`Holds.content`): each round's latest schedule
rather than every move, new incidents grouped by area with their totals, new statements,
and corrections.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage.db import write_transaction
from storage.model import Event
from storage.quiet import (
    QuietHours,
    format_clock,
    in_quiet,
    is_urgent,
    last_due,
    parse_clock,
    stored_quiet,
)
from storage.rows import utc_span
from storage.timeparse import TimeFormatError, iso_utc, utc_now, zone_or_error

HELD_QUIET = "quiet"
HELD_DIGEST = "digest"
TALKS_KINDS = ("talks_new", "talks_change")
CORRECTION_KINDS = ("incident_correction", "claim_status")


def chat_zone(name: str | None, default_zone: str) -> ZoneInfo:
    """The zone a chat reads its clock in: its own setting, else the bot's default."""
    for candidate in (name, default_zone):
        if candidate:
            try:
                return zone_or_error(candidate)
            except ValueError:
                continue
    return ZoneInfo("UTC")


def _urgent(
    db: Database, kind: str, event_id: str, payload: Mapping[str, Any], now: datetime
) -> bool:
    """A talks alert about a round under way or starting within 48 hours, as it is now or as
    it was before this change (a round moved away from tomorrow is news tonight too)."""
    if kind not in TALKS_KINDS:
        return False
    row = db.conn.execute(
        'SELECT start, "end", timezone, start_utc, end_utc FROM events WHERE id = ?', (event_id,)
    ).fetchone()
    if row is None:
        return False
    start, end, zone, start_utc, end_utc = row
    if is_urgent(start_utc, end_utc, now):
        return True
    changes = payload.get("changes") or {}
    old = {
        k: (changes[k]["old"] if k in changes else v)
        for k, v in (("start", start), ("end", end), ("timezone", zone))
    }
    if not old["start"]:
        return False
    try:
        old_span = utc_span(str(old["start"]), old["end"], str(old["timezone"] or zone))
    except (TimeFormatError, ValueError):
        return False
    return is_urgent(*old_span, now)


def hold_deliveries(db: Database, alert_id: int, now: datetime, default_zone: str) -> int:
    """Hold this alert's new deliveries for the chats that want it later; how many were held.

    Runs inside the fan-out's transaction, so no delivery is ever seen un-held by the engine.
    """
    row = db.conn.execute(
        "SELECT kind, event_id, payload FROM alerts WHERE id = ?", (alert_id,)
    ).fetchone()
    if row is None or row[0] == "reminder":
        return 0  # a reminder is about a moment: never held (sent silently in quiet hours)
    kind, event_id, payload = row[0], row[1], json.loads(row[2] or "{}")
    held = db.conn.execute(
        "UPDATE deliveries SET held = 'digest' WHERE alert_id = ? AND state = 'pending' "
        "AND held IS NULL AND chat_id IN (SELECT id FROM chats WHERE digest IS NOT NULL)",
        (alert_id,),
    ).rowcount
    # From the (few) chats with quiet hours, not from every delivery of a big fan-out.
    quiet_chats = db.conn.execute(
        "SELECT c.id, c.quiet, c.zone FROM chats c CROSS JOIN deliveries d "
        "ON d.alert_id = ? AND d.chat_id = c.id "
        "WHERE c.quiet IS NOT NULL AND d.held IS NULL AND d.state = 'pending'",
        (alert_id,),
    ).fetchall()
    if not quiet_chats or _urgent(db, kind, event_id, payload, now):
        return held
    updates = []
    for chat_id, quiet, zone_name in quiet_chats:
        window = stored_quiet(quiet)
        zone = chat_zone(zone_name, default_zone)
        if window is not None and window.contains(zone, now):
            updates.append((iso_utc(window.ends_after(zone, now)), alert_id, chat_id))
    db.conn.executemany(
        "UPDATE deliveries SET held = 'quiet', held_until = ? WHERE alert_id = ? AND chat_id = ?",
        updates,
    )
    return held + len(updates)


@dataclass(frozen=True)
class DeliveryPrefs:
    """How a chat wants its alerts."""

    quiet: QuietHours | None = None
    digest: time | None = None
    silent: bool = False
    digest_last_at: str | None = None


@dataclass(frozen=True)
class DigestChat:
    chat_id: int
    at: time
    zone: ZoneInfo
    last_at: str | None


@dataclass(frozen=True)
class Summary:
    """A catch-up or digest owed to a chat, with what the engine needs to send it."""

    id: int
    chat_id: int
    kind: str
    since: str | None
    created_at: str
    parts: list[str] | None
    parts_sent: int
    attempts: int
    chat_type: str
    zone: str | None
    silent: bool
    quiet: str | None
    language: str | None = None  # the chat's language; None: the bot's default


@dataclass
class RoundNews:
    """One talks round, however many times it changed: told with its latest schedule."""

    event: Event
    announced: bool = False  # the round itself is new in this period
    was: dict[str, Any] = field(default_factory=dict)  # fields before the first change told
    changes: int = 0


@dataclass
class AreaNews:
    """New incidents in one area, newest first, with their casualty totals."""

    area: str
    events: list[Event]
    killed: dict[str, Any] | None
    injured: dict[str, Any] | None


@dataclass
class Correction:
    event: Event
    kind: str
    was: dict[str, Any]


@dataclass
class SummaryContent:
    rounds: list[RoundNews]
    areas: list[AreaNews]
    statements: list[Event]
    corrections: list[Correction]
    told: int  # alerts this summary stands for

    @property
    def empty(self) -> bool:
        return not (self.rounds or self.areas or self.statements or self.corrections)


def sum_figures(figures: Iterable[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """Casualty figures added up: exact only when every one is known and exact; 'about' when
    any is about; otherwise (some unknown, or 'at least') at least the sum."""
    values = list(figures)
    known = [f for f in values if f]
    if not known:
        return None
    total = sum(int(f["count"]) for f in known)
    qualifiers = {f["qualifier"] for f in known}
    if len(known) < len(values) or "at_least" in qualifiers:
        qualifier = "at_least"
    elif "about" in qualifiers:
        qualifier = "about"
    else:
        qualifier = "exact"
    return {"count": total, "qualifier": qualifier}


def _area(event: Mapping[str, Any]) -> str:
    return str(event.get("region") or event.get("place") or event.get("country") or "")


def _starts(news: RoundNews) -> tuple[str, int]:
    event = news.event
    try:
        first = utc_span(event["start"], event.get("end"), event["timezone"])[0]
    except (TimeFormatError, ValueError):
        first = ""
    return first, event["number"]


class Holds:
    """Chats' delivery preferences, their held deliveries, and the summaries owed."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utc_now,
        default_zone: str = "Europe/Kyiv",
    ):
        self.db = db
        self.clock = clock
        self.default_zone = default_zone

    # --- preferences ----------------------------------------------------------------------

    def prefs(self, chat_id: int) -> DeliveryPrefs:
        row = self.db.conn.execute(
            "SELECT quiet, digest, silent, digest_last_at FROM chats WHERE id = ?", (chat_id,)
        ).fetchone()
        if row is None:
            return DeliveryPrefs()
        digest = None
        if row[1]:
            try:
                digest = parse_clock(row[1])
            except ValueError:
                digest = None
        return DeliveryPrefs(stored_quiet(row[0]), digest, bool(row[2]), row[3])

    def _ensure_chat(self, chat_id: int, chat_type: str) -> None:
        now = iso_utc(self.clock())
        self.db.conn.execute(
            "INSERT OR IGNORE INTO chats (id, type, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (chat_id, chat_type, now, now),
        )

    def set_quiet(self, chat_id: int, chat_type: str, window: QuietHours | None) -> None:
        """Set or clear a chat's quiet hours; what it holds ends with the new window (at
        once when there is none, or the chat is outside it now)."""
        with write_transaction(self.db):
            self._ensure_chat(chat_id, chat_type)
            self.db.conn.execute(
                "UPDATE chats SET quiet = ?, updated_at = ? WHERE id = ?",
                (str(window) if window else None, iso_utc(self.clock()), chat_id),
            )
            self.retime_quiet(chat_id)

    def retime_quiet(self, chat_id: int) -> int:
        """The held deliveries of a chat follow its window and zone as they are now."""
        row = self.db.conn.execute(
            "SELECT quiet, zone FROM chats WHERE id = ?", (chat_id,)
        ).fetchone()
        now = self.clock()
        until = now
        if row is not None:
            window = stored_quiet(row[0])
            zone = chat_zone(row[1], self.default_zone)
            if window is not None and window.contains(zone, now):
                until = window.ends_after(zone, now)
        return int(
            self.db.conn.execute(
                "UPDATE deliveries SET held_until = ? WHERE chat_id = ? AND held = 'quiet' "
                "AND state = 'pending' AND summary_id IS NULL",
                (iso_utc(until), chat_id),
            ).rowcount
        )

    def set_digest(self, chat_id: int, chat_type: str, at: time | None) -> int | None:
        """Switch a chat to a daily digest at `at` (local), or back to instant alerts (None).

        Switching it on starts the period the first digest covers (a new time for a chat
        already on digests keeps its period); switching it off tells at once, as a digest,
        what the digest held: that summary's id, if there was anything.
        """
        now = iso_utc(self.clock())
        with write_transaction(self.db):
            self._ensure_chat(chat_id, chat_type)
            if at is not None:
                self.db.conn.execute(
                    "UPDATE chats SET digest_last_at = CASE WHEN digest IS NULL THEN ? "
                    "ELSE digest_last_at END, digest = ?, updated_at = ? WHERE id = ?",
                    (now, format_clock(at), now, chat_id),
                )
                return None
            since = self.prefs(chat_id).digest_last_at
            self.db.conn.execute(
                "UPDATE chats SET digest = NULL, updated_at = ? WHERE id = ?", (now, chat_id)
            )
            return self._open(chat_id, HELD_DIGEST, since)

    def set_silent(self, chat_id: int, chat_type: str, silent: bool) -> None:
        with write_transaction(self.db):
            self._ensure_chat(chat_id, chat_type)
            self.db.conn.execute(
                "UPDATE chats SET silent = ?, updated_at = ? WHERE id = ?",
                (int(silent), iso_utc(self.clock()), chat_id),
            )

    # --- opening summaries ----------------------------------------------------------------

    def _open(
        self, chat_id: int, held: str, since: str | None, due: str | None = None
    ) -> int | None:
        """Gather a chat's held deliveries (for quiet hours, those due by `due`) into a new
        summary; its id, or None when nothing was held. Call inside a write transaction."""
        where = "d.chat_id = ? AND d.held = ? AND d.state = 'pending' AND d.summary_id IS NULL"
        params: list[Any] = [chat_id, held]
        if due is not None:
            where += " AND d.held_until <= ?"
            params.append(due)
        first = self.db.conn.execute(
            f"SELECT min(a.created_at) FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
            f"WHERE {where}",
            params,
        ).fetchone()[0]
        if first is None:
            return None
        cursor = self.db.conn.execute(
            "INSERT INTO summaries (chat_id, kind, since, created_at) VALUES (?, ?, ?, ?)",
            (chat_id, held, since or first, iso_utc(self.clock())),
        )
        summary_id = cursor.lastrowid
        self.db.conn.execute(
            f"UPDATE deliveries AS d SET summary_id = ? WHERE {where}", [summary_id, *params]
        )
        return summary_id

    def open_due_catchups(self) -> list[int]:
        """A summary for each chat whose quiet hours ended with deliveries held."""
        due = iso_utc(self.clock())
        # Not DISTINCT: that would read every held row by chat; this reads only the due ones
        # (the engine asks twice a second, and almost always nothing is due).
        rows = self.db.conn.execute(
            "SELECT chat_id FROM deliveries WHERE held = 'quiet' "
            "AND state = 'pending' AND summary_id IS NULL AND held_until <= ?",
            (due,),
        )
        chats = list(dict.fromkeys(r[0] for r in rows))
        opened = []
        for chat_id in chats:
            with write_transaction(self.db):
                summary_id = self._open(chat_id, HELD_QUIET, None, due)
            if summary_id is not None:
                opened.append(summary_id)
        return opened

    def open_digest(self, chat_id: int) -> int | None:
        """The digest falls due: what the chat's digest held since the last one, as a
        summary (None when nothing changed: nothing is sent). The next period starts now."""
        with write_transaction(self.db):
            row = self.db.conn.execute(
                "SELECT digest, digest_last_at FROM chats WHERE id = ? AND active = 1", (chat_id,)
            ).fetchone()
            if row is None or row[0] is None:
                return None
            summary_id = self._open(chat_id, HELD_DIGEST, row[1])
            self.db.conn.execute(
                "UPDATE chats SET digest_last_at = ? WHERE id = ?",
                (iso_utc(self.clock()), chat_id),
            )
        return summary_id

    def digest_chats(self, chat_id: int | None = None) -> list[DigestChat]:
        """Active chats that read a daily digest (or that one chat, if it does)."""
        sql = "SELECT id, digest, zone, digest_last_at FROM chats WHERE digest IS NOT NULL AND active = 1"
        params: tuple[Any, ...] = ()
        if chat_id is not None:
            sql += " AND id = ?"
            params = (chat_id,)
        found = []
        for cid, digest, zone, last_at in self.db.conn.execute(sql, params):
            try:
                at = parse_clock(digest)
            except ValueError:
                continue
            found.append(DigestChat(cid, at, chat_zone(zone, self.default_zone), last_at))
        return found

    def missed_digests(self) -> list[int]:
        """Chats whose digest fell due while no digest was made (the bot was down)."""
        now = self.clock()
        return [
            chat.chat_id
            for chat in self.digest_chats()
            if chat.last_at is None or chat.last_at < iso_utc(last_due(chat.at, chat.zone, now))
        ]

    # --- sending summaries ----------------------------------------------------------------

    def pending_summaries(self, limit: int = 100) -> list[Summary]:
        rows = self.db.conn.execute(
            "SELECT s.id, s.chat_id, s.kind, s.since, s.created_at, s.parts, s.parts_sent, "
            "s.attempts, c.type, c.zone, c.silent, c.quiet, c.language FROM summaries s "
            "JOIN chats c ON c.id = s.chat_id WHERE s.state = 'pending' AND c.active = 1 "
            "AND (s.not_before IS NULL OR s.not_before <= ?) ORDER BY s.id LIMIT ?",
            (iso_utc(self.clock()), limit),
        ).fetchall()
        return [
            Summary(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                json.loads(r[5]) if r[5] else None,
                r[6],
                r[7],
                r[8],
                r[9],
                bool(r[10]),
                r[11],
                r[12],
            )
            for r in rows
        ]

    def save_parts(self, summary_id: int, parts: list[str]) -> None:
        """The rendered parts, kept so a resumed send sends the same text."""
        self.db.execute(
            "UPDATE summaries SET parts = ? WHERE id = ? AND parts IS NULL",
            (json.dumps(parts, ensure_ascii=False), summary_id),
        )

    def mark_part_sent(self, summary_id: int, message_id: int | None) -> bool:
        """One more part delivered; True when that was the last (the summary is sent, and
        the deliveries it tells are sent with it)."""
        now = iso_utc(self.clock())
        with write_transaction(self.db):
            self.db.conn.execute(
                "UPDATE summaries SET parts_sent = parts_sent + 1, attempts = attempts + 1, "
                "message_id = ?, error = NULL WHERE id = ?",
                (message_id, summary_id),
            )
            row = self.db.conn.execute(
                "SELECT parts_sent, parts FROM summaries WHERE id = ?", (summary_id,)
            ).fetchone()
            if row is None or row[0] < len(json.loads(row[1] or "[]")):
                return False
            self.db.conn.execute(
                "UPDATE summaries SET state = 'sent', sent_at = ? WHERE id = ?", (now, summary_id)
            )
            self.db.conn.execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, "
                "attempts = attempts + 1 WHERE summary_id = ? AND state = 'pending'",
                (now, message_id, summary_id),
            )
        return True

    def mark_failed(self, summary_id: int, error: str) -> None:
        with write_transaction(self.db):
            self.db.conn.execute(
                "UPDATE summaries SET state = 'failed', error = ?, attempts = attempts + 1 "
                "WHERE id = ?",
                (error[:500], summary_id),
            )
            self.db.conn.execute(
                "UPDATE deliveries SET state = 'failed', error = ? "
                "WHERE summary_id = ? AND state = 'pending'",
                (error[:500], summary_id),
            )

    def skip(self, summary_id: int, reason: str) -> None:
        """Nothing left to tell (every record it named was deleted): neither it nor its
        deliveries will be sent."""
        with write_transaction(self.db):
            self.db.conn.execute(
                "UPDATE summaries SET state = 'skipped', error = ? WHERE id = ?",
                (reason[:500], summary_id),
            )
            self.db.conn.execute(
                "UPDATE deliveries SET state = 'skipped', error = ? "
                "WHERE summary_id = ? AND state = 'pending'",
                (reason[:500], summary_id),
            )

    def retry_later(self, summary_id: int, not_before: datetime, error: str) -> None:
        self.db.execute(
            "UPDATE summaries SET not_before = ?, error = ?, attempts = attempts + 1 WHERE id = ?",
            (iso_utc(not_before), error[:500], summary_id),
        )

    # --- what a summary says --------------------------------------------------------------

    def content(
        self, summary_id: int, events: Callable[[Iterable[str]], dict[str, Event]]
    ) -> SummaryContent:
        """What the held alerts add up to, with the records as they are now (`events`
        reads them by id: EventStore.contents)."""
        alerts = self.db.conn.execute(
            "SELECT a.kind, a.event_id, a.payload FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.summary_id = ? ORDER BY a.id",
            (summary_id,),
        ).fetchall()
        records = events({event_id for _, event_id, _ in alerts})
        rounds: dict[str, RoundNews] = {}
        incidents: dict[str, Event] = {}
        statements: dict[str, Event] = {}
        corrections: dict[str, Correction] = {}
        for kind, event_id, payload_text in alerts:
            event = records.get(event_id)
            if event is None:
                continue
            changes = json.loads(payload_text or "{}").get("changes") or {}
            if kind in TALKS_KINDS:
                news = rounds.setdefault(event_id, RoundNews(event))
                news.changes += 1
                if kind == "talks_new":
                    news.announced = True
                elif not news.announced:
                    for key, change in changes.items():
                        news.was.setdefault(key, change.get("old"))
            elif kind == "incident_new":
                incidents[event_id] = event
            elif kind == "statement_new":
                statements[event_id] = event
            elif kind in CORRECTION_KINDS:
                if event_id in incidents or event_id in statements:
                    continue  # new in this period: told with its figures as they are now
                fix = corrections.setdefault(event_id, Correction(event, kind, {}))
                for key, change in changes.items():
                    fix.was.setdefault(key, change.get("old"))
        by_area: dict[str, list[Event]] = {}
        for event in incidents.values():
            by_area.setdefault(_area(event), []).append(event)
        areas = [
            AreaNews(
                area,
                sorted(found, key=lambda e: -e["number"]),
                sum_figures(e.get("killed") for e in found),
                sum_figures(e.get("injured") for e in found),
            )
            for area, found in by_area.items()
        ]
        areas.sort(key=lambda a: (-len(a.events), a.area.casefold()))
        return SummaryContent(
            rounds=sorted(rounds.values(), key=_starts),
            areas=areas,
            statements=sorted(statements.values(), key=lambda e: -e["number"]),
            corrections=list(corrections.values()),
            told=len(alerts),
        )


def sends_silently(
    silent: bool, quiet: str | None, zone_name: str | None, default_zone: str, at: datetime
) -> bool:
    """Whether a send to this chat goes without sound: the chat asked for silence, or it is
    in its quiet hours (what still reaches it then: reminders, urgent rounds, a digest)."""
    return silent or in_quiet(quiet, chat_zone(zone_name, default_zone), at)
