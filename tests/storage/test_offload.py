"""StoreThread: store calls on a thread of their own, with a connection of their own."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage.db import connect
from storage.offload import StoreThread


def where(db: Database) -> tuple[int, int]:
    """The thread a call ran on, and which connection it was given."""
    return threading.get_ident(), id(db.conn)


async def test_a_file_store_is_called_on_one_other_thread_with_its_own_connection(
    tmp_path: Path,
) -> None:
    db = connect(tmp_path / "store.db")
    worker = StoreThread(db, lambda own: own, busy_timeout=0.05)
    first, second = await worker.run(where), await worker.run(where)
    assert first == second  # one thread, one connection, call after call
    assert first[0] != threading.get_ident()
    assert first[1] != id(db.conn)
    # Its busy wait is its own, and bounded: a held lock fails its write soon, to the caller.
    assert await worker.run(lambda own: own.execute("PRAGMA busy_timeout").fetchone()[0]) == 50
    other = sqlite3.connect(tmp_path / "store.db")
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await worker.run(lambda own: own.execute("DELETE FROM chats"))
    other.execute("ROLLBACK")
    other.close()
    await worker.close()
    with pytest.raises(RuntimeError, match="closed"):
        await worker.run(where)
    db.close()


async def test_a_store_in_memory_is_called_inline_on_its_own_connection() -> None:
    db = connect(":memory:")
    worker = StoreThread(db, lambda own: own)
    assert worker.inline
    assert await worker.run(where) == (threading.get_ident(), id(db.conn))
