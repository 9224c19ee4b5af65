"""Store work off the event loop: worker threads, each with its own connection to the file.

The loop is for waiting on the network; SQLite calls block, and a write waits for the write
lock that another process (an import) may hold. So handlers and jobs hand their writes and
long reads to `handlers.common.off_loop`, which runs them here:

- writes on one writer thread, in the order they were asked for (a chat's first message is
  recorded before its /subscribe), waiting for the lock at most WRITE_WAIT seconds: past
  that the write fails with "database is locked" and the reader is told the store is busy
  (handlers.errors), rather than left waiting on a long import;
- long reads (a chart's aggregation, an export) on a reader thread, so they never queue
  behind a write that is waiting for the lock.

Each is a storage.offload.StoreThread (the delivery engine's kind): its own connection, and a copy of the bot's Deps whose store and chats use it. A write committed on a worker is
told to the bot's store listeners (the reminder jobs) on the loop, as one made there would be.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from sqlite_utils import Database

from handlers.common import Deps
from storage.bulk import Committed
from storage.chats import ChatStore
from storage.events import EventStore
from storage.offload import StoreThread

log = logging.getLogger("sitrep.workers")
T = TypeVar("T")
# Seconds a reader's write waits for another process's write lock before the reader is told
# the store is busy: a reader waiting longer would think the bot dead.
WRITE_WAIT = 10.0


class StoreWorkers:
    """A writer thread and a reader thread over the store's file, with Deps of their own."""

    def __init__(self, main: Deps, db: Database, *, write_wait: float = WRITE_WAIT) -> None:
        self.main = main
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._writer = StoreThread(
            db, self._deps_over, busy_timeout=write_wait, name="sitrep-store-write"
        )
        self._reader = StoreThread(db, self._deps_over, name="sitrep-store-read")

    def _deps_over(self, db: Database) -> Deps:
        """The bot's Deps with a store and chats over a worker's own connection."""
        store = EventStore(db, clock=self.main.clock)
        store.listeners.append(self._tell_loop)
        found = replace(self.main, store=store, chats=ChatStore(db, self.main.clock))
        found.workers = None  # work on a worker runs there, never queues for itself
        return found

    def _tell_loop(self, committed: Committed) -> None:
        """A worker's commit, told to the bot's own store listeners on the loop."""
        loop, listeners = self._loop, self.main.store.listeners
        if loop is None or loop.is_closed():
            return

        def tell() -> None:
            for listener in list(listeners):
                try:
                    listener(committed)
                except Exception:
                    log.exception("a listener failed after a commit")

        loop.call_soon_threadsafe(tell)

    async def run(self, work: Callable[[Deps], T], *, heavy: bool = False) -> T:
        """`work(deps)` on the writer thread (or the reader thread when `heavy`), with the
        caller's context (the update's language) and that thread's Deps."""
        if self._closed:
            raise RuntimeError("the store workers are stopped")
        self._loop = asyncio.get_running_loop()
        return await (self._reader if heavy else self._writer).run(work)

    async def close(self) -> None:
        """Finish the work queued, close each thread's connection on its thread, stop."""
        if self._closed:
            return
        self._closed = True
        for thread in (self._writer, self._reader):
            await thread.close()
