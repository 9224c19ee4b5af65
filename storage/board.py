"""Pinned status boards: which chats have one, which message it is, and whether it is stale.

Triggers (migrations m010, m013) raise a board's `wanted` in the same transaction as the
change to a talks round or an incident, whatever process made it; the delivery engine redraws
every board whose `drawn` is behind and records the count it drew. An edit is idempotent, so
a crash between the edit and its record costs one repeated edit ("not modified"), nothing more.

A post is not: Telegram has no "find my message", so a process killed after sendMessage and
before the new id is recorded (or a send that timed out, which may have been delivered)
leaves a board nobody can edit. Every post is announced first (`begin_post` sets
`posting_since`), and its record or Telegram's refusal clears it. A post that finds it still
set follows one whose fate is unknown: that one counts as a possible stray, and one stray is
accepted (the board is posted again), never two: the engine then stops posting the board and
records why, until an administrator asks for a new one (/board, `sitrep board`). So a chat
shows at most two copies of its board, the second one kept up to date.
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
        """The board now shows the store as of `wanted` (a later change keeps it due); a
        post in progress is resolved: its message is this one."""
        self.db.execute(
            "UPDATE boards SET drawn = max(drawn, ?), message_id = ?, attempts = 0, "
            "not_before = NULL, error = NULL, posting_since = NULL, strays = 0, "
            "updated_at = ? WHERE chat_id = ?",
            (wanted, message_id, self._now(), chat_id),
        )

    def begin_post(self, chat_id: int) -> bool:
        """Announce a post of this board, before sendMessage; False when it must not be
        posted: an earlier post's fate is unknown and one before it already was."""
        with write_transaction(self.db):
            row = self.db.conn.execute(
                "SELECT posting_since, strays FROM boards WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            if row is None:
                return False  # stopped meanwhile
            posting_since, strays = row
            if posting_since is not None:
                if strays >= 1:
                    return False
                strays += 1
            self.db.conn.execute(
                "UPDATE boards SET posting_since = ?, strays = ?, updated_at = ? WHERE chat_id = ?",
                (self._now(), strays, self._now(), chat_id),
            )
        return True

    def not_posted(self, chat_id: int) -> None:
        """Telegram refused the post (it answered): it did not reach the chat."""
        self.db.execute("UPDATE boards SET posting_since = NULL WHERE chat_id = ?", (chat_id,))

    def posting(self, chat_id: int) -> tuple[str | None, int]:
        """(when the unresolved post began or None, possible strays) for this chat's board."""
        row = self.db.conn.execute(
            "SELECT posting_since, strays FROM boards WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        return (None, 0) if row is None else (row[0], int(row[1]))

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
        for `hold_seconds` (unless handed back). The version the caller's post will show.

        The post is announced here (`posting_since`). An administrator's request starts
        afresh: a copy an earlier, interrupted post may have left is not counted against it.
        """
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
            self.db.conn.execute(
                "UPDATE boards SET posting_since = ?, strays = 0 WHERE chat_id = ?",
                (iso_utc(now), chat_id),
            )
            row = self.db.conn.execute(
                "SELECT wanted FROM boards WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        return int(row[0])

    def hand_back(self, chat_id: int, *, maybe_posted: bool) -> None:
        """The caller could not post the board: the engine posts it on its next pass. When
        the send may still have reached the chat (a timeout), the post stays unresolved."""
        self.db.execute(
            "UPDATE boards SET not_before = NULL, drawn = 0, "
            "posting_since = CASE WHEN ? THEN posting_since END WHERE chat_id = ?",
            (maybe_posted, chat_id),
        )
