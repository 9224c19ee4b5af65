"""Store work off the event loop: worker threads, each with its own connection to the file.

The loop is for waiting on the network; SQLite calls block, and a write waits for the write
lock that another process (an import) may hold. So handlers and jobs hand their writes and
long reads to `handlers.common.off_loop`, which runs them here:

- writes on one writer thread, in the order they were asked for (a chat's first message is
  recorded before its /subscribe), waiting for the lock as long as it takes (busy_timeout);
- long reads (a chart's aggregation, an export) on a reader thread, so they never queue
  behind a write that is waiting for the lock.

Each thread opens its own connection (sqlite3 connections belong to their thread) and works
on a copy of the bot's Deps whose store and chats use it. A write committed on a worker is
told to the bot's store listeners (the reminder jobs) on the loop, as one made there would be.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from handlers.common import Deps
from storage.bulk import Committed
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore

log = logging.getLogger("sitrep.workers")
T = TypeVar("T")


class StoreWorkers:
    """A writer thread and a reader thread over the store's file, with Deps of their own."""

    def __init__(self, main: Deps, path: str) -> None:
        self.main = main
        self.path = path
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="sitrep-store-write")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="sitrep-store-read")
        self._local = threading.local()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def _deps(self) -> Deps:
        """This thread's Deps, its connection opened on first use."""
        found: Deps | None = getattr(self._local, "deps", None)
        if found is None:
            db = connect(self.path, migrate=False)
            store = EventStore(db, clock=self.main.clock)
            store.listeners.append(self._tell_loop)
            found = replace(self.main, store=store, chats=ChatStore(db, self.main.clock))
            found.workers = None  # work on a worker runs there, never queues for itself
            self._local.deps = found
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
        caller's context (the update's language) and this thread's Deps."""
        if self._closed:
            raise RuntimeError("the store workers are stopped")
        self._loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        executor = self._reader if heavy else self._writer
        return await self._loop.run_in_executor(executor, context.run, lambda: work(self._deps()))

    def _close_here(self) -> None:
        found: Deps | None = getattr(self._local, "deps", None)
        if found is not None:
            found.store.db.close()
            self._local.deps = None

    async def close(self) -> None:
        """Finish the work queued, close each thread's connection on its thread, stop."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        for executor in (self._writer, self._reader):
            await loop.run_in_executor(executor, self._close_here)
            executor.shutdown(wait=True)
