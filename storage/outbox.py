"""The outbox: alerts written with the change they announce, and their per-chat deliveries.

A change and its alert commit together (the hook runs inside the write's transaction), so
neither exists without the other. The delivery engine then fans each alert out to the
chats subscribed at that moment, one `deliveries` row per chat, and records every send as
it completes: after a crash only the sends in flight can be repeated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage import moves
from storage.bulk import Change
from storage.db import write_transaction
from storage.held import hold_deliveries
from storage.queries import ALERT_SEEN
from storage.retention import told_json
from storage.timeparse import iso_utc, utc_now

TOPIC_OF_KIND = {"talks": "talks", "incident": "incidents", "statement": "statements"}
SCHEDULE_FIELDS = ("start", "end", "place", "region", "country", "status", "timezone")
CASUALTY_FIELDS = ("killed", "injured")
# New incidents and statements older than this are history being filed, not news to push
# (an ACLED archive import must not page every subscriber 100,000 times).
NEWS_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Alert:
    id: int
    event_id: str
    kind: str
    topic: str
    sequence: int
    payload: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class Delivery:
    alert_id: int
    chat_id: int
    attempts: int
    chat_type: str
    zone: str | None
    silent: bool = False  # the chat asked for every alert without sound
    quiet: str | None = None  # the chat's quiet hours (storage.quiet): silent inside them
    language: str | None = None  # the chat's language; None: the bot's default


@dataclass(frozen=True)
class SentRecord:
    """A send Telegram answered, to be recorded: the delivery and its message."""

    alert_id: int
    chat_id: int
    message_id: int | None


def is_news(change: Change, now: datetime) -> bool:
    """An incident or statement is news while it is recent; an archive import is not."""
    return str(change.row["end_utc"]) >= iso_utc(now - NEWS_WINDOW)


def classify(change: Change, now: datetime) -> str | None:
    """The kind of alert a change deserves, or None when it matters to nobody."""
    kind = change.kind
    if change.old is None:
        if kind != "talks" and not is_news(change, now):
            return None
        return f"{kind}_new"
    changed = set(change.revision.changes)
    if kind == "talks" and changed & set(SCHEDULE_FIELDS):
        return "talks_change"
    if kind == "incident" and changed & set(CASUALTY_FIELDS):
        return "incident_correction"
    if (
        kind == "statement"
        and "claim" in changed
        and claim_status(change.old) != claim_status(change.new)
    ):
        return "claim_status"
    return None


def claim_status(rec: Mapping[str, Any] | None) -> str | None:
    """A statement's claim status, None when it is no claim."""
    claim = (rec or {}).get("claim")
    return claim.get("status") if isinstance(claim, dict) else None


@dataclass(frozen=True)
class _Change:
    sequence: int
    changes: dict[str, dict[str, Any]]


def schedule_change(
    db: Database, new: dict[str, Any], sequence: int | None
) -> moves.ScheduleChange | None:
    """What revision `sequence` did to a round's schedule, with its moves counted."""
    revisions = [
        _Change(seq, json.loads(changes))
        for seq, changes in db.conn.execute(
            "SELECT sequence, changes FROM revisions WHERE event_id = ?", (new["id"],)
        )
    ]
    for step in reversed(moves.history(new, revisions)):
        if step.sequence == sequence:
            return step
    return None


def record_alert(db: Database, change: Change, *, now: datetime | None = None) -> int | None:
    """Write the alert for this change, if it deserves one; its id or None."""
    now = now or utc_now()
    kind = classify(change, now)
    if kind is None:
        return None
    new, revision = change.new, change.revision
    if kind == "incident_correction" and not is_news(change, now):
        # An archive refresh (a weekly ACLED export) corrects old figures by the thousand:
        # tell only if someone was ever told about this incident.
        told = db.conn.execute("SELECT 1 FROM alerts WHERE event_id = ? LIMIT 1", (new["id"],))
        if told.fetchone() is None:
            return None
    # The precision travels with the dates, so "was" reads at the precision it had then.
    relevant: tuple[str, ...] = {
        "talks_change": (*SCHEDULE_FIELDS, "time_precision"),
        "claim_status": ("claim",),
    }.get(kind, CASUALTY_FIELDS)
    payload: dict[str, Any] = {
        "changes": {k: v for k, v in revision.changes.items() if k in relevant},
        "reason": revision.reason or "",
        "source": revision.source,
        "moves": 0,
    }
    if kind == "talks_change":
        # Decided now, against the round's whole history (storage.moves), and kept with the
        # alert: a later change must not alter what this one said.
        step = schedule_change(db, new, revision.sequence)
        if step is not None:
            payload.update(change=step.kind, moves=step.moves, to_first=step.to_first)
    cursor = db.conn.execute(
        "INSERT INTO alerts (event_id, kind, topic, region_key, place_key, sequence, payload, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new["id"],
            kind,
            TOPIC_OF_KIND[new["kind"]],
            # The event's own keys, as indexed: a subscription matches them by prefix.
            change.row["region_key"],
            change.row["place_key"],
            new.get("sequence") or 0,
            json.dumps(payload, ensure_ascii=False),
            iso_utc(now),
        ),
    )
    return cursor.lastrowid


def add_reminder(
    db: Database, event_id: str, minutes_before: int, start: str, now: datetime
) -> int | None:
    """A reminder alert, once per (round, offset, start): a re-fired job adds nothing."""
    key = f"reminder:{event_id}:{minutes_before}:{start}"
    with write_transaction(db):
        row = db.conn.execute("SELECT sequence FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        cursor = db.conn.execute(
            "INSERT OR IGNORE INTO alerts (event_id, kind, topic, sequence, payload, dedupe_key, "
            "created_at) VALUES (?, 'reminder', 'talks', ?, ?, ?, ?)",
            (event_id, row[0], json.dumps({"minutes": minutes_before}), key, iso_utc(now)),
        )
        return cursor.lastrowid if cursor.rowcount else None


class Outbox:
    """Fan-out and delivery bookkeeping for the engine."""

    def __init__(self, db: Database, clock: Any = utc_now, default_zone: str = "Europe/Kyiv"):
        self.db = db
        self.clock = clock
        # The zone a chat without its own reads quiet hours in (SITREP_TZ).
        self.default_zone = default_zone

    def _now(self) -> str:
        return iso_utc(self.clock())

    def unfanned(self, limit: int = 100) -> list[Alert]:
        rows = self.db.conn.execute(
            "SELECT id, event_id, kind, topic, sequence, payload, created_at FROM alerts "
            f"WHERE fanned_out_at IS NULL AND {ALERT_SEEN} ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        return [Alert(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def alert(self, alert_id: int) -> Alert:
        r = self.db.conn.execute(
            "SELECT id, event_id, kind, topic, sequence, payload, created_at FROM alerts "
            "WHERE id = ?",
            (alert_id,),
        ).fetchone()
        return Alert(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6])

    def _audience(self, alert_id: int) -> tuple[str, list[Any], str] | None:
        """The chats an alert goes to, as SQL: (subscribers' query, its parameters, the
        kind), or None when there is no such alert or it was fanned out already."""
        row = self.db.conn.execute(
            "SELECT kind, topic, region_key, place_key, payload, fanned_out_at, event_id "
            "FROM alerts WHERE id = ?",
            (alert_id,),
        ).fetchone()
        if row is None or row[5] is not None:
            return None
        kind, topic, region_key, place_key, payload = row[:5]
        params: list[Any] = [alert_id, topic]
        where = "c.active = 1 AND s.topic = ?"
        if topic == "incidents":
            where += (
                " AND (s.region = '' OR substr(?, 1, length(s.region)) = s.region"
                " OR substr(?, 1, length(s.region)) = s.region)"
            )
            params += [region_key, place_key]
        if kind == "reminder":
            where += " AND instr(',' || c.reminders || ',', ?) > 0"
            params.append(f",{json.loads(payload)['minutes']},")
        query = (
            "SELECT DISTINCT ?, s.chat_id FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
            f"WHERE {where}"
        )
        if kind == "incident_correction":
            # The chats told about the incident hear about its correction too.
            query += (
                " UNION SELECT ?, d.chat_id FROM deliveries d "
                "JOIN alerts a ON a.id = d.alert_id JOIN chats c ON c.id = d.chat_id "
                "WHERE a.event_id = (SELECT event_id FROM alerts WHERE id = ?) "
                "AND d.state = 'sent' AND c.active = 1"
                # And those told in deliveries compacted since (storage.retention).
                " UNION SELECT ?, c.id FROM chats c WHERE c.active = 1 "
                "AND c.id IN (SELECT value FROM json_each(?))"
            )
            params += [alert_id, alert_id, alert_id, told_json(self.db, row[6])]
        return query, params, kind

    def audience(self, alert_id: int) -> int:
        """How many chats fanning this alert out would reach (a curator's preview asks)."""
        found = self._audience(alert_id)
        if found is None:
            return 0
        query, params, _ = found
        return int(self.db.conn.execute(f"SELECT count(*) FROM ({query})", params).fetchone()[0])

    def fan_out(self, alert_id: int, extra_chats: tuple[int, ...] = ()) -> int:
        """Create a pending delivery for every chat that should get this alert; how many."""
        with write_transaction(self.db):
            found = self._audience(alert_id)
            if found is None:
                return 0
            query, params, _ = found
            before = self.db.conn.total_changes
            self.db.conn.execute(
                f"INSERT OR IGNORE INTO deliveries (alert_id, chat_id) {query}", params
            )
            for chat_id in extra_chats:
                self.db.conn.execute(
                    "INSERT OR IGNORE INTO deliveries (alert_id, chat_id) "
                    "SELECT ?, id FROM chats WHERE id = ? AND active = 1",
                    (alert_id, chat_id),
                )
            added = self.db.conn.total_changes - before
            # Quiet hours and digests: some of these wait (storage.held), in this transaction.
            hold_deliveries(self.db, alert_id, self.clock(), self.default_zone)
            self.db.conn.execute(
                "UPDATE alerts SET fanned_out_at = ? WHERE id = ?", (self._now(), alert_id)
            )
        return added

    def pending(self, limit: int = 500, after: tuple[int, int] = (0, 0)) -> list[Delivery]:
        """Deliveries still owed and due now, in (alert, chat) order after `after`."""
        # Talks alerts and reminders first: a schedule change must not queue behind a backlog
        # of incident alerts.
        rows = self.db.conn.execute(
            "SELECT d.alert_id, d.chat_id, d.attempts, c.type, c.zone, c.silent, c.quiet, "
            "c.language FROM deliveries d "
            "JOIN chats c ON c.id = d.chat_id JOIN alerts a ON a.id = d.alert_id "
            "WHERE d.state = 'pending' AND d.held IS NULL AND (d.alert_id, d.chat_id) > (?, ?) "
            "AND (d.not_before IS NULL OR d.not_before <= ?) "
            "ORDER BY a.topic != 'talks', d.alert_id, d.chat_id LIMIT ?",
            (after[0], after[1], self._now(), limit),
        ).fetchall()
        return [Delivery(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in rows]

    def pending_count(self) -> int:
        return int(
            self.db.conn.execute(
                "SELECT count(*) FROM deliveries WHERE state = 'pending'"
            ).fetchone()[0]
        )

    def mark_sent(self, alert_id: int, chat_id: int, message_id: int | None) -> None:
        self.db.execute(
            "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, "
            "attempts = attempts + 1 WHERE alert_id = ? AND chat_id = ?",
            (self._now(), message_id, alert_id, chat_id),
        )

    def mark_sent_many(self, sends: list[SentRecord]) -> None:
        """Record several completed sends in one transaction: all of them, or (when it fails,
        "database is locked") none. Their time is the write's (a batch spans milliseconds)."""
        now = self._now()
        with write_transaction(self.db):
            self.db.conn.executemany(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, "
                "attempts = attempts + 1 WHERE alert_id = ? AND chat_id = ?",
                [(now, s.message_id, s.alert_id, s.chat_id) for s in sends],
            )

    def mark_failed(self, alert_id: int, chat_id: int, error: str) -> None:
        self.db.execute(
            "UPDATE deliveries SET state = 'failed', error = ?, attempts = attempts + 1 "
            "WHERE alert_id = ? AND chat_id = ?",
            (error[:500], alert_id, chat_id),
        )

    def retry_later(self, alert_id: int, chat_id: int, not_before: datetime, error: str) -> None:
        self.db.execute(
            "UPDATE deliveries SET not_before = ?, error = ?, attempts = attempts + 1 "
            "WHERE alert_id = ? AND chat_id = ?",
            (iso_utc(not_before), error[:500], alert_id, chat_id),
        )

    def sent_to(self, chat_id: int) -> list[int]:
        """Alert ids delivered to a chat, oldest first (for tests and `sitrep status`)."""
        rows = self.db.conn.execute(
            "SELECT alert_id FROM deliveries WHERE chat_id = ? AND state = 'sent' ORDER BY alert_id",
            (chat_id,),
        ).fetchall()
        return [r[0] for r in rows]
