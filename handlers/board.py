"""/board: a pinned status board for a group (and, through `sitrep board`, a channel).

The board shows the next talks rounds and the latest incidents. `/board` posts and pins it;
afterwards the delivery engine (bot/boards.py) edits it in place whenever talks or incidents change,
paced with every other send. The words and the Bot API calls live here, so the command,
the engine and the command line draw the same board.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from telegram import Bot, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import command_args, deps, may_change_chat, offload, reader_zone, reply
from handlers.i18n import current_language, renders_in
from handlers.render import incident_item, split_message, talks_item
from storage.board import BoardStore
from storage.events import EventStore

log = logging.getLogger(__name__)
ROUNDS, INCIDENTS = 3, 3
T = TypeVar("T")


class BoardWork(Protocol):
    """Runs store work for a board (in the bot, off the loop; in the command line, at once)."""

    async def __call__(self, work: Callable[[BoardStore, EventStore], T]) -> T: ...


def at_once(boards: BoardStore, store: EventStore) -> BoardWork:
    """Board work run where it is asked for (the command line's own process)."""

    async def run(work: Callable[[BoardStore, EventStore], T]) -> T:
        return work(boards, store)

    return run


@renders_in
def board_markup(store: EventStore, zone: ZoneInfo, now: datetime, lang: str | None = None) -> str:
    """The board's text: the next rounds and the latest incidents, in the chat's zone and
    language (by default the language of the update or send being handled)."""
    lang = lang or current_language()
    today = now.astimezone(zone).date()
    page = store.talks(0, ROUNDS)
    upcoming = [r for r in page.events if store.is_upcoming(r, now)]
    moves = store.revisions_of([r["id"] for r in upcoming])
    blocks = [text("board_header"), text("board_next_rounds")]
    if upcoming:
        blocks += [
            "\n".join(talks_item(r, moves.get(r["id"], []), zone, today, lang)) for r in upcoming
        ]
    else:
        blocks.append(f"<i>{text('board_none_upcoming')}</i>")
    blocks.append(text("board_latest_incidents"))
    incidents = store.latest("incident", limit=INCIDENTS).events
    if incidents:
        # Without summaries: a board is read at a glance; /event N has the rest.
        blocks += [
            "\n".join(incident_item({**r, "summary": ""}, zone, today, lang)) for r in incidents
        ]
    else:
        blocks.append(f"<i>{text('board_none_incidents')}</i>")
    blocks.append(f"<i>{text('board_footer')}</i>")
    return split_message("\n\n".join(blocks))[0]


async def pin(bot: Bot, chat_id: int, message_id: int) -> bool:
    """Pin the board quietly; False when the bot may not pin here (it still edits it)."""
    try:
        await bot.pin_chat_message(chat_id, message_id, disable_notification=True)
    except BadRequest as exc:
        log.warning("could not pin the board in chat %d: %s", chat_id, exc)
        return False
    return True


def maybe_delivered(error: TelegramError) -> bool:
    """Whether a send that raised `error` may still have reached the chat: a timeout or a
    broken connection (NetworkError), not an answer from Telegram (BadRequest is one too)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def draw(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    markup: str,
    begin_post: Callable[[], Awaitable[bool]],
) -> tuple[int | None, bool]:
    """Bring the board in `chat_id` up to `markup`: edit it in place, or post it when there is
    none yet or it was deleted. (The board's message id, whether it was posted, not yet
    pinned: record it first, then `pin`.) A post is announced by `begin_post` first; when that
    refuses, nothing is sent: (None, False). Other errors propagate."""
    if message_id is not None:
        try:
            await bot.edit_message_text(markup, chat_id, message_id, parse_mode=ParseMode.HTML)
            return message_id, False
        except BadRequest as exc:
            problem = str(exc).lower()
            if "not modified" in problem:
                return message_id, False  # already shows this: nothing to do
            if "message to edit not found" not in problem:
                raise
            log.info("board in chat %d was deleted: posting it again", chat_id)
    if not await begin_post():
        return None, False
    message = await bot.send_message(chat_id, markup, parse_mode=ParseMode.HTML)
    return message.message_id, True


async def post(bot: Bot, run: BoardWork, chat_id: int, zone: ZoneInfo, now: datetime,
               chat_type: str, title: str = "") -> bool:  # fmt: skip
    """Post and pin a new board in `chat_id` and keep it; whether it could be pinned.

    The row is claimed (and the post announced) first, so the engine does not post a second
    board meanwhile; if the post fails, the engine is left to post it on its next pass. Its
    id is recorded before the pin: a kill between the two costs a pin, not a stray board.
    """
    version = await run(lambda boards, _: boards.claim(chat_id, chat_type, title))
    markup = await run(lambda _, store: board_markup(store, zone, now))
    try:
        message = await bot.send_message(chat_id, markup, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        # A timeout or a broken connection may still have delivered it; an answer did not.
        maybe = maybe_delivered(exc)
        await run(lambda boards, _: boards.hand_back(chat_id, maybe_posted=maybe))
        raise
    try:
        await run(lambda boards, _: boards.drawn(chat_id, version, message.message_id))
    except sqlite3.OperationalError:
        # Not recorded (the store is locked past its timeout): its id is known here, so
        # delete it rather than leave a board nobody edits; the engine posts it later.
        with contextlib.suppress(TelegramError):
            await bot.delete_message(chat_id, message.message_id)
        raise
    return await pin(bot, chat_id, message.message_id)


async def board_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/board posts and pins a status board here; /board off stops it."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await reply(update, text("board_groups_only"))
        return
    if not await may_change_chat(update, context):
        await reply(update, text("board_admins_only"))
        return
    d = deps(context)

    async def run(work: Callable[[BoardStore, EventStore], T]) -> T:
        return await offload(context, lambda d: work(BoardStore(d.store.db, d.clock), d.store))

    args = [a.lower() for a in command_args(context)]
    if args == ["off"]:
        message_id = await run(lambda boards, _: boards.stop(chat.id))
        if message_id is None:
            await reply(update, text("board_none"))
            return
        try:
            await context.bot.unpin_chat_message(chat.id, message_id)
        except BadRequest as exc:
            log.info("could not unpin the old board in chat %d: %s", chat.id, exc)
        await reply(update, text("board_stopped"))
        return
    if args:
        await reply(update, text("board_usage"))
        return
    zone = reader_zone(update, context)
    pinned = await post(context.bot, run, chat.id, zone, d.clock(), chat.type, chat.title or "")
    if not pinned:
        await reply(update, text("board_not_pinned"))
