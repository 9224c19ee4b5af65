"""One thread that owns a connection to the store: blocking store calls run there, off the
event loop.

sqlite3 connections belong to the thread that opened them, and a transaction must never be
shared between threads. So the thread opens its own connection to the same file (in WAL mode
it reads beside the bot's other connection and takes its turn for the write lock) and runs
the calls it is given one at a time, in the order they were asked for. Its wait for the write
lock is bounded: a call that finds the lock held longer fails with "database is locked", and
the caller tries again later instead of waiting without end.

A store in memory (tests) cannot be opened twice: its calls then run inline, on the caller's
thread and connection, with the same results.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from sqlite_utils import Database

from storage.db import connect

T = TypeVar("T")
R = TypeVar("R")
# Seconds a write waits for the lock before it gives up and is retried later: long enough for
# another process's short transactions, short enough that a stuck import cannot hold the
# caller's work for long.
BUSY_TIMEOUT = 5.0


def database_file(db: Database) -> str | None:
    """The file behind a connection; None for a store in memory."""
    for _, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(file) or None
    return None


class StoreThread(Generic[T]):
    """Runs `fn(state)` calls on one thread with its own connection; `state` is what `build`
    made over that connection (the store objects the calls need)."""

    def __init__(
        self,
        db: Database,
        build: Callable[[Database], T],
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        name: str = "sitrep-store",
    ) -> None:
        self.path = database_file(db)
        self.busy_timeout = busy_timeout
        self._build = build
        self._own_db: Database | None = None
        self._state: T | None = None
        self._executor: ThreadPoolExecutor | None = None
        if self.path is None:
            self._state = build(db)
        else:
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=name, initializer=self._open
            )

    @property
    def inline(self) -> bool:
        """True when calls run on the caller's thread (a store in memory)."""
        return self.path is None

    def _open(self) -> None:
        assert self.path is not None
        db = connect(self.path, migrate=False)
        db.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        self._own_db = db
        self._state = self._build(db)

    def _call(self, fn: Callable[[T], R]) -> R:
        if self._state is None:
            raise RuntimeError("the store thread is closed")
        return fn(self._state)

    async def run(self, fn: Callable[[T], R]) -> R:
        """`fn(state)`, run on the store's thread with the caller's context (the language of
        the update or send); the event loop goes on meanwhile."""
        if self._executor is None:
            return self._call(fn)
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, context.run, self._call, fn
        )

    def _close_db(self) -> None:
        if self._own_db is not None:
            self._own_db.close()
            self._own_db = None
        self._state = None

    async def close(self) -> None:
        """Close the thread's connection and end the thread (after the calls already asked)."""
        executor, self._executor = self._executor, None
        if executor is None:
            self._state = None
            return
        await asyncio.get_running_loop().run_in_executor(executor, self._close_db)
        executor.shutdown(wait=False)
