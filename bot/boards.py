"""Keeping pinned status boards up to date: the delivery engine's second kind of send.

Boards that a change made stale (storage.board) are redrawn in the engine's lane of the bot's
one pacer and in its send slots, so an edit counts against the same 30 a second, 1 a second
per chat and 20 a minute per group as every alert. Errors are handled as alerts' are: 429 pauses everything,
403 deactivates the chat, a 400 is recorded and not retried, network trouble backs off.
Every store call (what is stale, the board's words, the records of posts and edits) runs on
the engine's own store thread (storage.offload), never on the event loop.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.http import AiohttpRequest
from bot.settings import Settings
from handlers.board import at_once, board_markup, draw, pin, post
from handlers.i18n import use_language
from storage.board import Board, BoardStore
from storage.chats import ChatStore
from storage.events import EventStore
from storage.offload import StoreThread
from storage.timeparse import utc_now, zone_or_error

if TYPE_CHECKING:
    from bot.delivery import DeliveryEngine, Stores

log = logging.getLogger("sitrep.boards")
MAX_BACKOFF = 60
# Redraws are debounced: a board is edited once its store has been still for QUIET seconds,
# or at the latest MAX_WAIT seconds after it first went stale, so an import of 100,000
# incidents in many transactions edits it once or a few times, not once per batch or row.
# A new board (none posted yet, or deleted) is posted at once.
QUIET = 2.0
MAX_WAIT = 20.0


class BoardKeeper:
    """Redraws stale boards, one paced send each, through the engine that owns it; its store
    calls run on that engine's store thread (`db`), with the thread's store objects."""

    def __init__(
        self,
        bot: Bot,
        db: StoreThread[Stores],
        clock: Callable[[], datetime],
        default_zone: str,
    ):
        self.bot = bot
        self.db = db
        self.clock = clock  # the store's (UTC) clock: what a board says is upcoming
        self.default_zone = default_zone
        self.in_flight: set[int] = set()
        self.drawn = 0
        # chat -> (the `wanted` last seen, when first seen stale, when `wanted` last moved)
        self.settling: dict[int, tuple[int, float, float]] = {}
        # chat -> (wanted, message id) of a board posted but not yet recorded (store locked):
        # recorded on a later pass, never posted again meanwhile.
        self.unrecorded: dict[int, tuple[int, int]] = {}

    def _settled(self, board: Board, now: float) -> float | None:
        """None when the board may be redrawn now, else the time it may."""
        if board.message_id is None:
            return None
        seen = self.settling.get(board.chat_id)
        if seen is None:
            seen = (board.wanted, now, now)
        elif seen[0] != board.wanted:
            seen = (board.wanted, seen[1], now)
        self.settling[board.chat_id] = seen
        ready = min(seen[2] + QUIET, seen[1] + MAX_WAIT)
        return None if now >= ready else ready

    async def _record_unrecorded(self) -> None:
        for chat_id, (wanted, message_id) in list(self.unrecorded.items()):
            try:
                await self.db.run(partial(_drawn, chat_id, wanted, message_id))
            except sqlite3.OperationalError:
                return
            del self.unrecorded[chat_id]

    async def cycle(self, engine: DeliveryEngine) -> tuple[int, float | None]:
        """Start a redraw for each stale board whose chat is free; (started, next free time)."""
        started, next_free = 0, None
        await self._record_unrecorded()
        for board in await self.db.run(lambda s: s.boards.due()):
            if engine.stopping:
                break
            if board.chat_id in self.in_flight or board.chat_id in self.unrecorded:
                continue
            settles_at = self._settled(board, engine.clock())
            if settles_at is not None:
                next_free = settles_at if next_free is None else min(next_free, settles_at)
                continue
            free_at = engine.pacer.chat_free_at(board.chat_id)
            if free_at > engine.clock():
                next_free = free_at if next_free is None else min(next_free, free_at)
                continue
            await engine.slots.acquire()
            if engine.stopping:
                engine.slots.release()
                break
            self.in_flight.add(board.chat_id)
            engine.spawn(self._redraw(board, engine))
            started += 1
        return started, next_free

    async def _redraw(self, board: Board, engine: DeliveryEngine) -> None:
        try:
            await self._attempt(board, engine)
        except Exception as exc:  # a bug must not kill the engine
            log.exception("redrawing the board in chat %d failed", board.chat_id)
            engine.last_error = repr(exc)[:200]
        finally:
            self.in_flight.discard(board.chat_id)
            self.settling.pop(board.chat_id, None)
            engine.slots.release()

    def _markup(self, board: Board, default_language: str, s: Stores) -> str:
        """The board's words as its chat reads them: its zone, and its language (its
        /language, else SITREP_LANGUAGE), as its alerts are. Runs on the store's thread."""
        zone = zone_or_error(board.zone or self.default_zone)
        lang = s.chats.settings(board.chat_id).language or default_language
        return board_markup(s.store, zone, self.clock(), lang)

    async def _attempt(self, board: Board, engine: DeliveryEngine) -> None:
        chat_id = board.chat_id
        # `board.wanted` was read before rendering: a change landing after it keeps it due.
        markup = await self.db.run(lambda s: self._markup(board, engine.default_language, s))
        posting = False

        async def begin_post() -> bool:
            nonlocal posting
            posting = await self.db.run(lambda s: s.boards.begin_post(chat_id))
            return posting

        try:
            await engine.paced(chat_id)
            message_id, posted = await draw(self.bot, chat_id, board.message_id, markup, begin_post)
        except NetworkError as exc:
            if isinstance(exc, BadRequest):  # Telegram answered: a post did not happen
                if posting:
                    await self.db.run(lambda s: s.boards.not_posted(chat_id))
                log.error("board in chat %d rejected: %s", chat_id, exc)
                error = f"400: {exc}"
                await self.db.run(lambda s: s.boards.failed(chat_id, board.wanted, error))
                engine.last_error = error
                return
            # A post that timed out may have been delivered: it stays unresolved, and the
            # next attempt counts it as a possible stray (storage.board).
            backoff = timedelta(seconds=min(MAX_BACKOFF, 2 ** (board.attempts + 1)))
            at, why = self.clock() + backoff, str(exc)
            await self.db.run(lambda s: s.boards.retry_later(chat_id, at, why))
            return
        except (RetryAfter, Forbidden, ChatMigrated) as exc:
            if posting:
                await self.db.run(lambda s: s.boards.not_posted(chat_id))
            if isinstance(exc, RetryAfter):
                engine.rate_limited(exc)
            elif isinstance(exc, Forbidden):
                log.info("chat %d removed the bot (%s): its board is deactivated", chat_id, exc)
                reason = str(exc)
                await self.db.run(lambda s: s.chats.deactivate(chat_id, reason))
            else:
                new_chat_id = exc.new_chat_id
                await self.db.run(lambda s: s.chats.migrate(chat_id, new_chat_id))
            return
        if message_id is None:
            error = (
                "not posted again: two posts of this board may have reached the chat "
                "unrecorded (a kill or a timeout); /board posts a new one"
            )
            log.error("board in chat %d %s", chat_id, error)
            await self.db.run(lambda s: s.boards.failed(chat_id, board.wanted, error))
            engine.last_error = error
            return
        self.drawn += 1
        try:
            await self.db.run(partial(_drawn, chat_id, board.wanted, message_id))
        except sqlite3.OperationalError as exc:  # locked: recorded on a later pass
            log.warning("board in chat %d drawn, not recorded (%s)", chat_id, exc)
            if posted:
                self.unrecorded[chat_id] = (board.wanted, message_id)
        if posted:
            await pin(self.bot, chat_id, message_id)


def _drawn(chat_id: int, wanted: int, message_id: int, s: Stores) -> None:
    s.boards.drawn(chat_id, wanted, message_id)


async def board_for_channel(settings: Settings, store: EventStore, *, off: bool) -> str:
    """`sitrep board [--off]`: post and pin (or stop) the board of SITREP_CHANNEL; what was done.

    Posted from here, in the command's own process; the running bot edits it afterwards.
    """
    boards = BoardStore(store.db)
    name = settings.channel
    ref: int | str = int(name) if name.lstrip("-").isdigit() else name
    async with Bot(settings.token, base_url=settings.api_base_url, request=AiohttpRequest()) as bot:
        chat = await bot.get_chat(ref)
        if off:
            message_id = boards.stop(chat.id)
            if message_id is None:
                return f"{name} has no status board"
            try:
                await bot.unpin_chat_message(chat.id, message_id)
            except BadRequest as exc:
                log.info("could not unpin the board in %s: %s", name, exc)
            return f"stopped the status board in {name} (message {message_id}, unpinned)"
        run = at_once(boards, store)
        # In the channel's language (its /language, else SITREP_LANGUAGE), as the bot redraws it.
        with use_language(ChatStore(store.db).settings(chat.id).language or settings.language):
            pinned = await post(
                bot, run, chat.id, settings.zone, utc_now(), chat.type, chat.title or ""
            )
        board = boards.get(chat.id)
        message_id = board.message_id if board else None
        if not pinned:
            return (
                f"posted the status board in {name} (message {message_id}) but could not pin "
                "it: make the bot an administrator allowed to pin (channels: to edit) messages"
            )
        return f"posted and pinned the status board in {name} (message {message_id})"
