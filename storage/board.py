"""Pinned status boards: which chats have one, which message it is, and whether it is stale.

Triggers (migration m010) raise a board's `wanted` in the same transaction as the change to a
talks round (or a new incident), whatever process made it; the delivery engine redraws every
board whose `drawn` is behind and records the count it drew. An edit is idempotent, so a
crash between the edit and its record costs one repeated edit ("not modified"), nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import write_transaction
from storage.timeparse import iso_utc, utc_now


@dataclass(frozen=True)
class Board:
    chat_id: int
    message_id: int | None
    wanted: int
    attempts: int
    zone: str | None
    chat_type: str


class BoardStore:
    """The boards table, over one connection."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now):
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        return iso_utc(self.clock())

    def start(self, chat_id: int, chat_type: str, title: str = "") -> None:
        """Keep a board in this chat, posted anew (and pinned) on the next pass."""
        now = self._now()
        with write_transaction(self.db):
            self.db.conn.execute(
                "INSERT OR IGNORE INTO chats (id, type, title, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, chat_type, title, now, now),
            )
            self.db.conn.execute(
                "INSERT INTO boards (chat_id, message_id, wanted, drawn, created_at, updated_at) "
                "VALUES (?, NULL, 1, 0, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "message_id = NULL, wanted = wanted + 1, attempts = 0, not_before = NULL, "
                "error = NULL, updated_at = excluded.updated_at",
                (chat_id, now, now),
            )

    def stop(self, chat_id: int) -> int | None:
        """No more board here; the message id it had (to unpin), None if there was none."""
        with write_transaction(self.db):
            row = self.db.conn.execute(
                "SELECT message_id FROM boards WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            self.db.conn.execute("DELETE FROM boards WHERE chat_id = ?", (chat_id,))
        return None if row is None else row[0]

    def get(self, chat_id: int) -> Board | None:
        row = self.db.conn.execute(
            "SELECT b.chat_id, b.message_id, b.wanted, b.attempts, c.zone, c.type FROM boards b "
            "JOIN chats c ON c.id = b.chat_id WHERE b.chat_id = ?",
            (chat_id,),
        ).fetchone()
        return None if row is None else Board(*row)

    def due(self, limit: int = 50) -> list[Board]:
        """Boards behind the store, in active chats, not waiting out a backoff."""
        rows = self.db.conn.execute(
            "SELECT b.chat_id, b.message_id, b.wanted, b.attempts, c.zone, c.type FROM boards b "
            "JOIN chats c ON c.id = b.chat_id WHERE b.drawn < b.wanted AND c.active = 1 "
            "AND (b.not_before IS NULL OR b.not_before <= ?) ORDER BY b.chat_id LIMIT ?",
            (self._now(), limit),
        ).fetchall()
        return [Board(*r) for r in rows]

    def drawn(self, chat_id: int, wanted: int, message_id: int | None) -> None:
        """The board now shows the store as of `wanted` (a later change keeps it due)."""
        self.db.execute(
            "UPDATE boards SET drawn = max(drawn, ?), message_id = ?, attempts = 0, "
            "not_before = NULL, error = NULL, updated_at = ? WHERE chat_id = ?",
            (wanted, message_id, self._now(), chat_id),
        )

    def failed(self, chat_id: int, wanted: int, error: str) -> None:
        """Telegram refused this drawing (a 400): not retried until the store changes again."""
        self.db.execute(
            "UPDATE boards SET drawn = max(drawn, ?), error = ?, attempts = attempts + 1, "
            "updated_at = ? WHERE chat_id = ?",
            (wanted, error[:500], self._now(), chat_id),
        )

    def retry_later(self, chat_id: int, not_before: datetime, error: str) -> None:
        self.db.execute(
            "UPDATE boards SET not_before = ?, error = ?, attempts = attempts + 1, "
            "updated_at = ? WHERE chat_id = ?",
            (iso_utc(not_before), error[:500], self._now(), chat_id),
        )

    def claim(self, chat_id: int, chat_type: str, title: str = "", hold_seconds: int = 60) -> int:
        """A new board for this chat, being posted by the caller: the engine leaves it alone
        for `hold_seconds` (unless handed back). The version the caller's post will show."""
        now = self.clock()
        held = iso_utc(now + timedelta(seconds=hold_seconds))
        with write_transaction(self.db):
            self.db.conn.execute(
                "INSERT OR IGNORE INTO chats (id, type, title, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, chat_type, title, iso_utc(now), iso_utc(now)),
            )
            self.db.conn.execute(
                "INSERT INTO boards (chat_id, message_id, wanted, drawn, not_before, created_at, "
                "updated_at) VALUES (?, NULL, 1, 0, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "message_id = NULL, wanted = wanted + 1, attempts = 0, not_before = ?, "
                "error = NULL, updated_at = ?",
                (chat_id, held, iso_utc(now), iso_utc(now), held, iso_utc(now)),
            )
            row = self.db.conn.execute(
                "SELECT wanted FROM boards WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        return int(row[0])

    def hand_back(self, chat_id: int) -> None:
        """The caller could not post the board: the engine posts it on its next pass."""
        self.db.execute(
            "UPDATE boards SET not_before = NULL, drawn = 0 WHERE chat_id = ?", (chat_id,)
        )
