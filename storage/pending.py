"""Curators' changes waiting for Publish: previewed first, written only when confirmed.

A preview is the real write run inside a transaction that is then rolled back, so what the
curator sees (every field old -> new, every validation error) is exactly what Publish would
write. The proposal is kept in `pending_changes` with the event's sequence at that moment;
Publish applies it only if the event has not moved since, and only once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.events import EventNotFound, EventStore, Revision
from storage.model import Event
from storage.outbox import Alert, Outbox
from storage.schedule import RescheduleRequest, reschedule
from storage.timeparse import TimeFormatError, iso_utc, parse_when, utc_now, zone_or_error

ACTIONS = ("reschedule", "status", "correct", "revert", "add", "claim")
# The edits whose new dates are typed by the curator, and so checked like a new record's (a
# revert restores dates that were published before).
DATED_ACTIONS = ("reschedule", "correct")
# A preview left unpublished this long is no longer offered: the curator should look again.
PREVIEW_LIFETIME = timedelta(hours=24)
MAX_REASON = 500
MAX_ID = 100


class NothingChanges(ValueError):
    """The proposed change would leave the event exactly as it is."""


class _DryRun(Exception):
    """Raised inside a preview's transaction so that everything it wrote is rolled back."""


@dataclass(frozen=True)
class Forecast:
    """The alert a change would raise (None: it alerts nobody) and how many chats get it."""

    alert: Alert | None = None
    audience: int = 0
    # A new record as it would be written (its number included), for rendering the alert.
    created: Event | None = None


@dataclass(frozen=True)
class PendingChange:
    id: int
    action: str
    event_id: str | None
    changes: dict[str, Any]  # {field: {"old", "new"}}, or the new record for an add
    reason: str
    source: dict[str, Any] | None
    author: str
    command: str
    chat_id: int
    user_id: int
    created_at: str
    state: str
    base_sequence: int | None
    result_sequence: int | None = None
    # What publishing would tell readers (set on a fresh proposal; not stored).
    forecast: Forecast | None = None
    # Set on a fresh proposal, not stored: why its dates deserve a second look (see
    # `date_doubt`: a new record, or a reschedule or correction that moves its dates), and
    # for a new record the numbers of the records it seems to repeat.
    doubt: str | None = None
    duplicates: tuple[int, ...] = ()
    # Dates typed without an offset (tomorrow, 14:00) were read in a zone: where the zone came
    # from (given, record, chat) and its name; set by whoever read them, not stored.
    read_in: tuple[str, str] | None = None

    def new_values(self) -> dict[str, Any]:
        return {key: value["new"] for key, value in self.changes.items()}


@dataclass(frozen=True)
class Requester:
    """Who asks for a change, where the preview is shown, and the command they typed."""

    author: str
    chat_id: int
    user_id: int
    command: str = ""


@dataclass(frozen=True)
class Published:
    """The outcome of pressing Publish. `outcome` is one of:

    published, not_yours, already_published, already_cancelled, expired, stale, gone, missing.
    """

    outcome: str
    pending: PendingChange | None = None
    revision: int | None = None
    event: Event | None = None
    current_sequence: int | None = None


def slug(title: str, start: str) -> str:
    """An id from a title and its date: 'Missile strike on Kharkiv', 2026-01-19 ->
    missile-strike-on-kharkiv-2026-01-19. Letters without an ASCII form drop out."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "event"
    day = re.sub(r"[^0-9-]", "", start[:10]).strip("-")
    room = MAX_ID - len(day) - 8  # room for "-" + day and a "-NNN" to make it unique
    return f"{words[:room].rstrip('-')}-{day}" if day else words[:room].rstrip("-")


# A new record dated this far ahead is more likely a typo (a wrong year) than news.
FAR_AHEAD_YEARS = 2


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def date_doubt(record: dict[str, Any], now: datetime) -> str | None:
    """Why a record's new dates deserve a second look before Publish, or None:

    - `far`: it starts more than two years from now (any kind);
    - `past`: a talks round still to come (scheduled or postponed) that is already over:
      rounds are added and moved when announced, before they happen, so a past one is most
      likely a wrong date (or history being filed, which the curator confirms by publishing);
    - `future`: an incident or a statement that has not happened yet: these are recorded after
      the fact, so the future is the suspicious direction and the past is normal.
    """
    try:
        zone = zone_or_error(str(record.get("timezone")))
        start = parse_when(str(record.get("start")))
        end = parse_when(str(record["end"])) if record.get("end") else None
    except (TimeFormatError, ValueError):
        return None
    first, last = start.start_utc(zone), (end or start).end_utc(zone)
    if first > _years_later(now, FAR_AHEAD_YEARS):
        return "far"
    if record.get("kind") == "talks":
        to_come = record.get("status") not in ("held", "cancelled")
        return "past" if to_come and last <= now else None
    return "future" if first > now else None


def _row_to_pending(row: tuple[Any, ...]) -> PendingChange:
    return PendingChange(
        id=row[0],
        action=row[1],
        event_id=row[2],
        changes=json.loads(row[3]),
        reason=row[4],
        source=json.loads(row[5]) if row[5] else None,
        author=row[6],
        command=row[7],
        chat_id=row[8],
        user_id=row[9],
        created_at=row[10],
        state=row[11],
        base_sequence=row[12],
        result_sequence=row[13],
    )


_COLUMNS = (
    "id, action, event_id, changes, reason, source, author, command, chat_id, user_id, "
    "created_at, "
    "state, base_sequence, result_sequence"
)


class PendingChanges:
    """Proposals, their previews, and Publish / Cancel, over the event store's connection."""

    def __init__(self, events: EventStore, clock: Callable[[], datetime] = utc_now):
        self.events = events
        self.clock = clock

    @property
    def db(self) -> Database:
        return self.events.db

    # --- proposing ---------------------------------------------------------------------

    def _dry_run(self, write: Callable[[], Any]) -> tuple[Any, Forecast]:
        """What `write` would do, and the alert it would raise and to how many chats, without
        doing it (everything rolled back, the alert included)."""
        result: list[Revision | None] = []
        forecast = Forecast()
        try:
            # write_transaction, not db.atomic(): what the write asked to do after its commit
            # (reminders) is dropped with the rollback. Alerts are not muted: the one it would
            # raise is read, then rolled back with the rest.
            with write_transaction(self.db):
                last = self.db.conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()
                result.append(write())
                outbox = Outbox(self.db, self.clock)
                for (alert_id,) in self.db.conn.execute(
                    "SELECT id FROM alerts WHERE id > ? ORDER BY id", (last[0],)
                ).fetchall():
                    forecast = Forecast(outbox.alert(alert_id), outbox.audience(alert_id))
                raise _DryRun
        except _DryRun:
            pass
        return result[0], forecast

    def _propose_write(
        self,
        action: str,
        ref: str | int,
        write: Callable[[str], Revision | None],
        requester: Requester,
        reason: str,
        source: dict[str, Any] | None,
    ) -> tuple[PendingChange, Event]:
        event = self.events.get(ref)  # EventNotFound for an unknown id
        revision, forecast = self._dry_run(lambda: write(event["id"]))
        if revision is None:
            raise NothingChanges(event["id"])
        pending = self._insert(
            action, event["id"], revision.changes, reason, source, requester, event["sequence"]
        )
        doubt = None
        if action in DATED_ACTIONS and {"start", "end"} & set(revision.changes):
            doubt = date_doubt({**event, **pending.new_values()}, self.clock())
        return replace(pending, forecast=forecast, doubt=doubt), event

    def propose_update(
        self,
        action: str,
        ref: str | int,
        changes: dict[str, Any],
        requester: Requester,
        *,
        reason: str = "",
        source: dict[str, Any] | None = None,
    ) -> tuple[PendingChange, Event]:
        """Preview field changes to an event; InvalidEvent, EventNotFound or NothingChanges."""
        return self._propose_write(
            action,
            ref,
            lambda event_id: self.events.update(
                event_id, changes, author=requester.author, reason=reason, source=source
            ),
            requester,
            reason,
            source,
        )

    def propose_reschedule(
        self, ref: str | int, request: RescheduleRequest, requester: Requester
    ) -> tuple[PendingChange, Event]:
        """Preview new dates for a talks round, with reschedule()'s status defaults."""
        return self._propose_write(
            "reschedule",
            ref,
            lambda event_id: reschedule(self.events, event_id, request, author=requester.author),
            requester,
            request.reason,
            request.source,
        )

    def propose_revert(
        self,
        ref: str | int,
        sequence: int,
        requester: Requester,
        *,
        reason: str = "",
        source: dict[str, Any] | None = None,
    ) -> tuple[PendingChange, Event]:
        """Preview restoring an event's content as it stood at `sequence`, as a new revision."""
        event = self.events.get(ref)
        state = self.events.state_at(event["id"], sequence)
        return self.propose_update(
            "revert", event["id"], state, requester, reason=reason, source=source
        )

    def propose_add(
        self,
        record: dict[str, Any],
        requester: Requester,
        *,
        reason: str = "created",
        source: dict[str, Any] | None = None,
    ) -> PendingChange:
        """Preview a new event: validated now, its id made unique, created on Publish."""
        rec = dict(record)
        rec["id"] = self.unique_id(slug(str(rec.get("title") or ""), str(rec.get("start") or "")))
        checked = self.events.check(rec)  # InvalidEvent listing every problem
        kept = {k: v for k, v in checked.items() if k not in ("number", "sequence", "revisions")}
        created, forecast = self._dry_run(
            lambda: self.events.create(kept, author=requester.author, reason=reason, source=source)
        )
        pending = self._insert("add", None, kept, reason, source, requester, None)
        duplicates = self.events.same_day_duplicates(kept["kind"], kept["title"], kept["start"])
        return replace(
            pending,
            forecast=replace(forecast, created=created),
            doubt=date_doubt(kept, self.clock()),
            duplicates=tuple(duplicates),
        )

    def unique_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`... whichever no event has yet."""
        candidate, n = base, 1
        while self._id_taken(candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _id_taken(self, event_id: str) -> bool:
        return bool(
            self.db.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
        )

    def _insert(
        self,
        action: str,
        event_id: str | None,
        changes: dict[str, Any],
        reason: str,
        source: dict[str, Any] | None,
        requester: Requester,
        base_sequence: int | None,
    ) -> PendingChange:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        cursor = self.db.execute(
            "INSERT INTO pending_changes (action, event_id, changes, reason, source, author, "
            "command, chat_id, user_id, created_at, base_sequence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                action,
                event_id,
                json.dumps(changes, ensure_ascii=False),
                reason[:MAX_REASON],
                json.dumps(source, ensure_ascii=False) if source else None,
                requester.author,
                requester.command[:4096],
                requester.chat_id,
                requester.user_id,
                iso_utc(self.clock()),
                base_sequence,
            ),
        )
        assert cursor.lastrowid is not None
        found = self.get(cursor.lastrowid)
        assert found is not None
        return found

    # --- deciding ----------------------------------------------------------------------

    def get(self, pending_id: int) -> PendingChange | None:
        row = self.db.conn.execute(
            f"SELECT {_COLUMNS} FROM pending_changes WHERE id = ?", (pending_id,)
        ).fetchone()
        return _row_to_pending(row) if row else None

    def _close(self, pending_id: int, state: str, result_sequence: int | None = None) -> None:
        self.db.conn.execute(
            "UPDATE pending_changes SET state = ?, decided_at = ?, result_sequence = ? "
            "WHERE id = ? AND state = 'pending'",
            (state, iso_utc(self.clock()), result_sequence, pending_id),
        )

    def _expired(self, pending: PendingChange) -> bool:
        created = parse_when(pending.created_at).instant
        return created is not None and self.clock() - created > PREVIEW_LIFETIME

    def _check(self, pending_id: int, user_id: int) -> Published | PendingChange:
        pending = self.get(pending_id)
        if pending is None:
            return Published("missing")
        if pending.user_id != user_id:
            return Published("not_yours", pending)
        if pending.state != "pending":
            return Published(f"already_{pending.state}", pending)
        if self._expired(pending):
            self._close(pending.id, "expired")
            return Published("expired", pending)
        return pending

    def publish(self, pending_id: int, user_id: int) -> Published:
        """Write the change (its alert in the same transaction) if it is still what was shown.

        Only the curator who asked may publish it, only once, and only while the event is at
        the sequence the preview was made from. InvalidEvent if it no longer validates.
        """
        with write_transaction(self.db):
            checked = self._check(pending_id, user_id)
            if isinstance(checked, Published):
                return checked
            pending = checked
            if pending.event_id is None:
                return self._publish_add(pending)
            try:
                event = self.events.get(pending.event_id)
            except EventNotFound:
                self._close(pending.id, "expired")
                return Published("gone", pending)
            if event["sequence"] != pending.base_sequence:
                self._close(pending.id, "expired")
                return Published("stale", pending, event=event, current_sequence=event["sequence"])
            revision = self.events.update(
                pending.event_id,
                pending.new_values(),
                author=pending.author,
                reason=pending.reason,
                source=pending.source,
            )
            sequence = revision.sequence if revision else event["sequence"]
            self._close(pending.id, "published", sequence)
            return Published("published", pending, sequence, self.events.get(pending.event_id))

    def _publish_add(self, pending: PendingChange) -> Published:
        record = dict(pending.changes)
        # Another event may have taken the id since the preview: the slug moves on.
        record["id"] = self.unique_id(record["id"])
        created = self.events.create(
            record, author=pending.author, reason=pending.reason or "created", source=pending.source
        )
        self.db.conn.execute(
            "UPDATE pending_changes SET event_id = ? WHERE id = ?", (created["id"], pending.id)
        )
        self._close(pending.id, "published", created["sequence"])
        return Published("published", pending, created["sequence"], created)

    def cancel(self, pending_id: int, user_id: int) -> Published:
        """Discard a preview; only its curator may. Outcome `cancelled` when it was pending."""
        with write_transaction(self.db):
            checked = self._check(pending_id, user_id)
            if isinstance(checked, Published):
                return checked
            self._close(checked.id, "cancelled")
            return Published("cancelled", checked)
