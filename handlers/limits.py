"""Flood control for commands: a token bucket per user, checked before any handler runs.

A reader's bursts of up to 15 commands, and a steady command a second, always pass. Past
that, the first refused update gets one "slow down" reply and the rest are dropped quietly
until the bucket refills, so one flooder cannot slow everyone else down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
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

    def take(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, warn): warn is True only for the first refusal of a flood."""
        now = self.clock()
        bucket = self.buckets.get(user_id)
        if bucket is None:
            if len(self.buckets) > 100_000:
                self.buckets = {
                    k: b for k, b in self.buckets.items() if now - b.updated < self.burst
                }
            bucket = self.buckets[user_id] = Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
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
    allowed, warn = gate.take(user.id)
    if allowed:
        return
    if warn:
        log.warning("user %d is flooding: dropping updates until they slow down", user.id)
        if update.callback_query is not None:
            await answer(update.callback_query, text("slow_down"))
        else:
            await reply(update, text("slow_down"))
    raise ApplicationHandlerStop
