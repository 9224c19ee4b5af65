"""Keeping pinned status boards up to date: the delivery engine's second kind of send.

Boards that a change made stale (storage.board) are redrawn in the engine's lane of the bot's
one pacer and in its send slots, so an edit counts against the same 30 a second, 1 a second
per chat and 20 a minute per group as every alert. Errors are handled as alerts' are: 429 pauses everything,
403 deactivates the chat, a 400 is recorded and not retried, network trouble backs off.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.http import AiohttpRequest
from bot.settings import Settings
from handlers.board import at_once, board_markup, draw, post
from storage.board import Board, BoardStore
from storage.chats import ChatStore
from storage.events import EventStore
from storage.timeparse import utc_now, zone_or_error

if TYPE_CHECKING:
    from bot.delivery import DeliveryEngine

log = logging.getLogger("sitrep.boards")
MAX_BACKOFF = 60


class BoardKeeper:
    """Redraws stale boards, one paced send each, through the engine that owns it."""

    def __init__(
        self, bot: Bot, store: EventStore, chats: ChatStore, boards: BoardStore, default_zone: str
    ):
        self.bot = bot
        self.store = store
        self.chats = chats
        self.boards = boards
        self.default_zone = default_zone
        self.in_flight: set[int] = set()
        self.drawn = 0

    async def cycle(self, engine: DeliveryEngine) -> tuple[int, float | None]:
        """Start a redraw for each stale board whose chat is free; (started, next free time)."""
        started, next_free = 0, None
        for board in self.boards.due():
            if engine.stopping:
                break
            if board.chat_id in self.in_flight:
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
            engine.slots.release()

    async def _attempt(self, board: Board, engine: DeliveryEngine) -> None:
        zone = zone_or_error(board.zone or self.default_zone)
        # `board.wanted` was read before rendering: a change landing after it keeps it due.
        markup = board_markup(self.store, zone, self.boards.clock())
        try:
            await engine.paced(board.chat_id)
            message_id = await draw(self.bot, board.chat_id, board.message_id, markup)
        except RetryAfter as exc:
            engine.rate_limited(exc)
            return
        except Forbidden as exc:
            log.info("chat %d removed the bot (%s): its board is deactivated", board.chat_id, exc)
            self.chats.deactivate(board.chat_id, str(exc))
            return
        except ChatMigrated as exc:
            self.chats.migrate(board.chat_id, exc.new_chat_id)
            return
        except BadRequest as exc:
            log.error("board in chat %d rejected: %s", board.chat_id, exc)
            self.boards.failed(board.chat_id, board.wanted, f"400: {exc}")
            engine.last_error = f"400: {exc}"
            return
        except NetworkError as exc:
            backoff = timedelta(seconds=min(MAX_BACKOFF, 2 ** (board.attempts + 1)))
            self.boards.retry_later(board.chat_id, self.boards.clock() + backoff, str(exc))
            return
        self.drawn += 1
        try:
            self.boards.drawn(board.chat_id, board.wanted, message_id)
        except sqlite3.OperationalError as exc:  # locked: drawn again next pass, harmlessly
            log.warning("board in chat %d drawn, not recorded (%s)", board.chat_id, exc)


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
