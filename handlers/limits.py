"""Flood control for commands: a token bucket per user, checked before any handler runs.

A reader's bursts of up to 15 commands, and a steady command a second, always pass. Past
that, the first refused update gets one "slow down" reply and the rest are dropped quietly
until the bucket refills, so one flooder cannot slow everyone else down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.catalogue import text
from handlers.common import answer, reply
from storage.chats import is_private

log = logging.getLogger("sitrep.limits")

BURST = 15.0
REFILL_PER_SECOND = 1.0
LIMITER_KEY = "flood"
# When the update reached the bot (time.monotonic), set by the update processor
# (bot.updates), which may hold an update behind its chat's earlier ones while their paced
# replies go out: the gate judges how fast a user sent, not how fast the bot got round to it.
RECEIVED: ContextVar[float | None] = ContextVar("sitrep_received", default=None)


@dataclass
class Bucket:
    tokens: float
    updated: float
    warned: bool = False


class FloodGate:
    """Per-user buckets; `clock` is injectable so tests need not wait."""

    def __init__(
        self,
        burst: float = BURST,
        rate: float = REFILL_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self.buckets: dict[int, Bucket] = {}

    def take(self, user_id: int, at: float | None = None) -> tuple[bool, bool]:
        """(allowed, warn): warn is True only for the first refusal of a flood. `at`: when
        the update was received, if not now."""
        now = self.clock() if at is None else at
        bucket = self.buckets.get(user_id)
        if bucket is None:
            if len(self.buckets) > 100_000:
                self.buckets = {
                    k: b for k, b in self.buckets.items() if now - b.updated < self.burst
                }
            bucket = self.buckets[user_id] = Bucket(self.burst, now)
        # A user's updates in two chats are judged in two chains: `at` may go back a little.
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.updated = max(bucket.updated, now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn


def _asks_the_bot(update: Update, bot_username: str) -> bool:
    """Button presses, private messages, and commands for this bot count; group chatter and
    commands for other bots do not (the bot never answers those anyway)."""
    if update.callback_query is not None:
        return True
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return False
    if is_private(chat.type):
        return True
    first = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if not first.startswith("/"):
        return False
    _, _, addressee = first.partition("@")
    return not addressee or addressee.lower() == bot_username.lower()


async def flood_control(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop an update from a user who is over the limit (telling them once)."""
    user = update.effective_user
    if user is None or not _asks_the_bot(update, context.bot.username or ""):
        return
    gate: FloodGate = context.bot_data.setdefault(LIMITER_KEY, FloodGate())
    allowed, warn = gate.take(user.id, RECEIVED.get())
    if allowed:
        return
    if warn:
        log.warning("user %d is flooding: dropping updates until they slow down", user.id)
        if update.callback_query is not None:
            await answer(update.callback_query, text("slow_down"))
        else:
            await reply(update, text("slow_down"))
    raise ApplicationHandlerStop
