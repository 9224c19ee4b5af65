"""ChatStore.touch runs on every update: it writes only when something about the chat changed.

Checked against a file store whose write lock another connection holds, as an import in
another process would: a touch that needs no write must not wait for the lock (with no busy
wait at all, it would fail at once with "database is locked").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage.chats import ChatStore
from storage.db import connect
from tests.conftest import Clock


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    found = connect(tmp_path / "sitrep.db")
    found.conn.execute("PRAGMA busy_timeout = 0")  # a wait for the lock fails at once
    yield found
    found.close()


@pytest.fixture
def locked(tmp_path: Path, db: Database) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock (BEGIN IMMEDIATE), released at the end."""
    other = sqlite3.connect(tmp_path / "sitrep.db", isolation_level=None)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def test_touch_of_a_known_chat_takes_no_lock(
    db: Database, locked: sqlite3.Connection, clock: Clock
) -> None:
    chats = ChatStore(db, clock)
    chats.touch(1, "private", language="uk")
    chats.touch(-5, "group", "Newsroom")
    locked.execute("BEGIN IMMEDIATE")
    # Nothing changed: no write, so no wait for the lock another process holds.
    assert chats.touch(1, "private", language="en") is False
    assert chats.touch(-5, "group", "Newsroom") is False
    assert not chats.needs_touch(1, language="uk")
    assert chats.adopt_language(1, "en") is False
    # Something to write: it waits for the lock (here, with no busy wait: it fails).
    assert chats.needs_touch(-5, "Newsroom desk")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        chats.touch(-5, "group", "Newsroom desk")


def test_touch_writes_what_changed(db: Database, clock: Clock) -> None:
    chats = ChatStore(db, clock)
    assert chats.touch(1, "private", language="uk") is False
    assert chats.settings(1).language == "uk"
    chats.touch(-5, "group", "Newsroom")
    chats.touch(-5, "group", "Newsroom desk")
    assert db.conn.execute("SELECT title FROM chats WHERE id = -5").fetchone()[0] == (
        "Newsroom desk"
    )
    chats.deactivate(1, "blocked")
    assert chats.needs_touch(1)
    assert chats.touch(1, "private", language="en") is True  # active again
    assert chats.settings(1).active
    assert chats.settings(1).language == "uk"  # a chosen language is kept
    # A chat known before it had a language gets its user's, once.
    db.conn.execute("UPDATE chats SET language = NULL WHERE id = 1")
    assert chats.needs_touch(1, language="en")
    chats.touch(1, "private", language="en")
    assert chats.settings(1).language == "en"
