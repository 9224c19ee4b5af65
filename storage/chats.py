"""Chats that talk to the bot, what they subscribed to, and their reading settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.gazetteer import area_key, zone_named
from storage.held import Holds
from storage.timeparse import iso_utc, utc_now

TOPICS = ("talks", "incidents", "statements")
DEFAULT_REMINDERS = (1440, 60)
MAX_REMINDERS = 4
MAX_REGION = 60
_OFFSET = re.compile(r"^(\d{1,4})([mhd])$")
_MINUTES = {"m": 1, "h": 60, "d": 1440}


@dataclass(frozen=True)
class Subscription:
    topic: str
    region: str = ""  # area key (storage.gazetteer.area_key), "" = everywhere
    region_label: str = ""


@dataclass(frozen=True)
class ChatSettings:
    zone: str | None
    reminders: tuple[int, ...]
    active: bool
    language: str | None = None  # None: not chosen (a group reads SITREP_LANGUAGE)


def parse_reminders(text: str) -> tuple[int, ...]:
    """'24h,1h' -> (1440, 60); 'off' -> (); ValueError for anything else."""
    value = text.strip().lower()
    if value in ("off", "none", "0"):
        return ()
    minutes: set[int] = set()
    for part in value.replace(" ", ",").split(","):
        if not part:
            continue
        match = _OFFSET.match(part)
        if not match:
            raise ValueError(f"{part[:20]!r} is not a time such as 24h, 90m or 2d")
        amount = int(match[1]) * _MINUTES[match[2]]
        if not 5 <= amount <= 14 * 1440:
            raise ValueError("reminders go from 5m to 14d before a round")
        minutes.add(amount)
    if not minutes:
        raise ValueError("give times such as 24h,1h, or off")
    if len(minutes) > MAX_REMINDERS:
        raise ValueError(f"at most {MAX_REMINDERS} reminders")
    return tuple(sorted(minutes, reverse=True))


def format_minutes(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def reminder_offsets(db: Database) -> set[int]:
    """Every reminder offset, in minutes, that some active talks subscriber wants."""
    rows = db.conn.execute(
        "SELECT DISTINCT c.reminders FROM chats c JOIN subscriptions s ON s.chat_id = c.id "
        "WHERE s.topic = 'talks' AND c.active = 1"
    ).fetchall()
    return {int(x) for (value,) in rows for x in value.split(",") if x}


def is_private(chat_type: str) -> bool:
    """A private chat (one person) rather than a group, supergroup or channel: the one rule
    for both, by the type Telegram gives (a group's id is negative too, but that is not the
    rule)."""
    return chat_type == "private"


class ChatStore:
    """Chats, subscriptions and settings over the same connection as the events."""

    def __init__(self, db: Database, clock: Any = utc_now):
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        now: datetime = self.clock()
        return iso_utc(now)

    def touch(
        self, chat_id: int, chat_type: str, title: str = "", language: str | None = None
    ) -> bool:
        """Record that a chat talked to us; reactivates a chat that had blocked the bot, keeps
        a new title, and keeps `language` for a chat that has none yet.

        Reads first and writes only when something changed: this runs on every update, and
        a write waits for the write lock (an import in another process may hold it).
        Returns True when the chat was inactive and is active again.
        """
        if not self.needs_touch(chat_id, title, language):
            return False
        now = self._now()
        with write_transaction(self.db):
            row = self.db.conn.execute(
                "SELECT active FROM chats WHERE id = ?", (chat_id,)
            ).fetchone()
            if row is None:
                self.db.conn.execute(
                    "INSERT INTO chats (id, type, title, created_at, updated_at, language) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (chat_id, chat_type, title[:200], now, now, language),
                )
                return False
            if title:
                self.db.conn.execute(
                    "UPDATE chats SET title = ?, updated_at = ? WHERE id = ? AND title != ?",
                    (title[:200], now, chat_id, title[:200]),
                )
            if language:
                self.db.conn.execute(
                    "UPDATE chats SET language = ? WHERE id = ? AND language IS NULL",
                    (language, chat_id),
                )
            if row[0] == 0:
                self.db.conn.execute(
                    "UPDATE chats SET active = 1, inactive_reason = '', updated_at = ? "
                    "WHERE id = ?",
                    (now, chat_id),
                )
                return True
        return False

    def needs_touch(self, chat_id: int, title: str = "", language: str | None = None) -> bool:
        """Whether `touch` would write: a new chat, an inactive one, a changed title, or a
        language to keep for a chat without one. One indexed read."""
        row = self.db.conn.execute(
            "SELECT active, title, language FROM chats WHERE id = ?", (chat_id,)
        ).fetchone()
        if row is None or row[0] == 0:
            return True
        return bool(title and row[1] != title[:200]) or bool(language and row[2] is None)

    def settings(self, chat_id: int) -> ChatSettings:
        row = self.db.conn.execute(
            "SELECT zone, reminders, active, language FROM chats WHERE id = ?", (chat_id,)
        ).fetchone()
        if row is None:
            return ChatSettings(None, DEFAULT_REMINDERS, True)
        reminders = tuple(int(x) for x in row[1].split(",") if x)
        return ChatSettings(row[0], reminders, bool(row[2]), row[3])

    def set_language(self, chat_id: int, chat_type: str, language: str) -> None:
        """The language this chat reads from now on (/language)."""
        self.touch(chat_id, chat_type)
        self.db.execute(
            "UPDATE chats SET language = ?, updated_at = ? WHERE id = ?",
            (language, self._now(), chat_id),
        )

    def adopt_language(self, chat_id: int, language: str) -> bool:
        """Keep `language` for a chat that has none yet (a private chat's first update, read
        from its user's Telegram client); True if it was kept. Writes only then."""
        row = self.db.conn.execute("SELECT language FROM chats WHERE id = ?", (chat_id,)).fetchone()
        if row is None or row[0] is not None:
            return False
        cursor = self.db.execute(
            "UPDATE chats SET language = ? WHERE id = ? AND language IS NULL",
            (language, chat_id),
        )
        return cursor.rowcount > 0

    def set_zone(self, chat_id: int, chat_type: str, zone: str) -> str:
        """Set the chat's zone from an IANA name or a place (Київ, Washington); the IANA name
        set. UnknownZone, with suggestions, when it is neither."""
        name = zone_named(zone)
        self.touch(chat_id, chat_type)
        with write_transaction(self.db):
            self.db.conn.execute(
                "UPDATE chats SET zone = ?, updated_at = ? WHERE id = ?",
                (name, self._now(), chat_id),
            )
            # Quiet hours are read on the chat's clock: what they hold ends by the new one.
            Holds(self.db, self.clock).retime_quiet(chat_id)
        return str(name)

    def set_reminders(self, chat_id: int, chat_type: str, minutes: tuple[int, ...]) -> None:
        self.touch(chat_id, chat_type)
        self.db.execute(
            "UPDATE chats SET reminders = ?, updated_at = ? WHERE id = ?",
            (",".join(str(m) for m in minutes), self._now(), chat_id),
        )

    def deactivate(self, chat_id: int, reason: str) -> None:
        """Stop sending to a chat (blocked, removed); its pending deliveries are skipped."""
        with write_transaction(self.db):
            self.db.conn.execute(
                "UPDATE chats SET active = 0, inactive_reason = ?, updated_at = ? WHERE id = ?",
                (reason[:200], self._now(), chat_id),
            )
            self.db.conn.execute(
                "UPDATE deliveries SET state = 'skipped', error = ? "
                "WHERE chat_id = ? AND state = 'pending'",
                (f"chat inactive: {reason[:100]}", chat_id),
            )
            self.db.conn.execute(
                "UPDATE summaries SET state = 'skipped', error = ? "
                "WHERE chat_id = ? AND state = 'pending'",
                (f"chat inactive: {reason[:100]}", chat_id),
            )

    def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its subscriptions and pending alerts follow it."""
        with write_transaction(self.db):
            exists = self.db.conn.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,)).fetchone()
            if exists:
                self.db.conn.execute(
                    "INSERT OR IGNORE INTO subscriptions "
                    "SELECT ?, topic, region, region_label, created_at FROM subscriptions "
                    "WHERE chat_id = ?",
                    (new_id, old_id),
                )
                self.db.conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))
            else:
                self.db.conn.execute(
                    "UPDATE chats SET id = ?, type = 'supergroup', updated_at = ? WHERE id = ?",
                    (new_id, self._now(), old_id),
                )
            # Every delivery moves, sent ones too: corrections go to the chats told before.
            # Where the new id already has that alert, its row wins and the old one goes.
            self.db.conn.execute(
                "UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            self.db.conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (old_id,))
            # Compacted deliveries name the old id: they are read through this.
            self.db.conn.execute(
                "INSERT OR REPLACE INTO chat_moves (old_id, new_id) VALUES (?, ?)", (old_id, new_id)
            )
            self.db.conn.execute(
                "UPDATE summaries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )

    # --- subscriptions --------------------------------------------------------------------

    def subscriptions(self, chat_id: int) -> list[Subscription]:
        rows = self.db.conn.execute(
            "SELECT topic, region, region_label FROM subscriptions WHERE chat_id = ? "
            "ORDER BY CASE topic WHEN 'talks' THEN 0 WHEN 'incidents' THEN 1 ELSE 2 END, region",
            (chat_id,),
        ).fetchall()
        return [Subscription(*row) for row in rows]

    def subscribe(self, chat_id: int, chat_type: str, topic: str, region_label: str = "") -> bool:
        """Add a subscription; False when the chat already had it."""
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic[:20]!r}")
        label = " ".join(region_label.split())
        if len(label) > MAX_REGION:
            raise ValueError("region name too long")
        if label and topic != "incidents":
            raise ValueError("only incidents can be filtered by region")
        self.touch(chat_id, chat_type)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO subscriptions (chat_id, topic, region, region_label, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (chat_id, topic, area_key(label), label, self._now()),
        )
        return cursor.rowcount > 0

    def unsubscribe(self, chat_id: int, topic: str | None, region_label: str | None = None) -> int:
        """Remove matching subscriptions (all when topic is None); how many were removed."""
        if topic is None:
            cursor = self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        elif region_label is None:
            cursor = self.db.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?", (chat_id, topic)
            )
        else:
            cursor = self.db.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ? AND region = ?",
                (chat_id, topic, area_key(region_label)),
            )
        return int(cursor.rowcount)

    def subscriber_count(self) -> int:
        return int(
            self.db.conn.execute("SELECT count(DISTINCT chat_id) FROM subscriptions").fetchone()[0]
        )

    def every_chat(self) -> list[tuple[int, str]]:
        """(id, type) of every chat the bot has met, for the offline stand-in to know them."""
        rows = self.db.conn.execute("SELECT id, type FROM chats ORDER BY id").fetchall()
        return [(int(chat_id), str(kind)) for chat_id, kind in rows]
