"""Updates of one chat in order, different chats' side by side.

Replies are paced (bot.pacing): a chat gets a burst of 3, then 1 a second. Processed one by
one, a reader who sends ten commands at once would hold every other reader's answer behind
his own ten seconds of pacing. So each chat's updates are a chain (in order, as a
conversation needs them), and the chains run concurrently. The flood gate (handlers.limits)
judges each update by when it was received, not when its chain got to it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from handlers.limits import RECEIVED

# PTB holds a slot for every update waiting on its chat's chain: room for a flood of one
# chat without holding up the others (a waiting update is a small task, nothing more).
MAX_CONCURRENT_UPDATES = 1024


class ChatOrderedUpdates(BaseUpdateProcessor):
    """PTB's update processor: one chain of updates per chat."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[int | None, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        RECEIVED.set(time.monotonic())  # for the flood gate: this task's context only
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        try:
            if previous is not None:
                try:
                    await asyncio.shield(previous)
                except BaseException:  # cancelled while waiting: the update is not processed
                    if isinstance(coroutine, Coroutine):
                        coroutine.close()
                    raise
            await coroutine
        finally:
            done.set_result(None)
            if self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close: PTB waits for the updates in progress."""
