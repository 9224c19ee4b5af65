"""What every handler needs: the store and settings from bot_data, the reader's zone, replies."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.render import AuthorFace, curator_face, public_face, split_message
from storage.chats import ChatStore, is_private
from storage.events import EventStore
from storage.timeparse import utc_now

log = logging.getLogger(__name__)
DEPS_KEY = "sitrep"
# answerCallbackQuery shows 0-200 characters of plain text (no parse mode); more is a 400.
CALLBACK_TEXT_LIMIT = 200
_TAG = re.compile(r"<[^>]*>")
T = TypeVar("T")


class Workers(Protocol):
    """Runs store work off the event loop (bot.workers.StoreWorkers)."""

    async def run(self, work: Callable[[Deps], T], *, heavy: bool = False) -> T: ...


@dataclass
class SendRetry:
    """How a reply that failed on the network is tried again: the waits between tries
    (within a few seconds: the reader is waiting), and what waits (tests pass their own)."""

    delays: tuple[float, ...] = (0.5, 1.0, 2.0)
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep


SEND_RETRY = SendRetry()


@dataclass
class Deps:
    """The handlers' view of the running bot: put in bot_data by the application builder."""

    store: EventStore
    chats: ChatStore
    default_zone: ZoneInfo
    default_language: str = "en"  # SITREP_LANGUAGE
    admins: frozenset[int] = frozenset()
    # Public names curators chose in SITREP_ADMINS (`9001:Newsroom desk`), by user id.
    aliases: Mapping[int, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = utc_now
    # Called after a write in this process, so alerts go out without waiting for a poll.
    wake_delivery: Callable[[], None] = lambda: None
    # Called when who gets talks alerts, or when, changed: reminder jobs are planned again.
    subscriptions_changed: Callable[[], object] = lambda: None
    # Called with a chat id when its digest time (or zone) changed: its job is planned again.
    digest_changed: Callable[[int], object] = lambda chat_id: None
    curators_chat: int | None = None
    # SITREP_PUBLIC_URL: where the web pages are, for links to a record's page; "" for none.
    public_url: str = ""
    # Removes secrets (the token) from any text that could leave the process.
    redact: Callable[[str], str] = lambda text: text
    extra: dict[str, Any] = field(default_factory=dict)
    # Worker threads with connections of their own, for store work off the loop (see
    # off_loop); None for a store that cannot be opened twice (in memory): work runs inline.
    workers: Workers | None = None


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    found = context.bot_data[DEPS_KEY]
    assert isinstance(found, Deps)
    return found


async def off_loop(d: Deps, work: Callable[[Deps], T], *, heavy: bool = False) -> T:
    """`work(d)` off the event loop, on a worker thread whose Deps has the same settings but
    a store (and chats) over that thread's own connection; its result, or its exception.

    Every write, and every read that scans (a chart, an export), goes through here: SQLite
    blocks, and a write waits for the lock another process (an import) may hold, while the
    loop must keep answering readers. `heavy` work (long reads) runs on a thread of its own,
    so it never queues behind a write waiting for the lock. `work` must use only the Deps
    it is given, never objects bound to the loop's connection.
    """
    if d.workers is None:
        return work(d)
    return await d.workers.run(work, heavy=heavy)


async def offload(
    context: ContextTypes.DEFAULT_TYPE, work: Callable[[Deps], T], *, heavy: bool = False
) -> T:
    """A handler's store work off the loop: `await offload(context, lambda d: d.chats...)`."""
    return await off_loop(deps(context), work, heavy=heavy)


def reader_zone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ZoneInfo:
    """The zone to show times in: the chat's own setting, else SITREP_TZ."""
    d = deps(context)
    chat = update.effective_chat
    if chat is None:
        return d.default_zone
    name = d.chats.settings(chat.id).zone
    if name:
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            log.warning("chat %d has an unusable zone %r", chat.id, name)
    return d.default_zone


async def may_change_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat, anyone; in a group, only its administrators (asked, cached 60 s)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if is_private(chat.type):
        return True
    cache: dict[tuple[int, int], tuple[bool, float]] = context.bot_data.setdefault("admins", {})
    key = (chat.id, user.id)
    now = time.monotonic()
    hit = cache.get(key)
    if hit and hit[1] > now:
        return hit[0]
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
        allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    except TelegramError as exc:
        log.warning("could not check admin rights in chat %d: %s", chat.id, exc)
        return False
    if len(cache) > 10_000:
        cache.clear()
    cache[key] = (allowed, now + 60)
    return allowed


def sees_authors(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether this reply may name who made each change: only to a curator, and only in a
    private chat (a group's members would read the reply too)."""
    user, chat = update.effective_user, update.effective_chat
    return (
        user is not None
        and chat is not None
        and is_private(chat.type)
        and user.id in deps(context).admins
    )


def author_face(update: Update, context: ContextTypes.DEFAULT_TYPE) -> AuthorFace:
    """The view of authors this reply gets: a curator's own, or readers' (alias or "editor")."""
    if sees_authors(update, context):
        return curator_face
    return public_face(deps(context).aliases)


def reader_today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> date:
    return deps(context).clock().astimezone(reader_zone(update, context)).date()


async def reply(
    update: Update,
    markup: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send HTML to the chat the update came from, split to Telegram's length limit.

    A part that fails on the network is sent again after a short wait (SendRetry); one that
    still fails leaves the reader a short note that the answer did not get through."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(markup)
    sent: Message | None = None
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            markup_kb = keyboard if last else None
            if message is not None and i == 0:
                send = partial(message.reply_html, part, reply_markup=markup_kb, do_quote=False)
            else:
                send = partial(chat.send_message, part, parse_mode="HTML", reply_markup=markup_kb)
            sent = await with_retry(send)
    except NetworkError as exc:
        await tell_failed(chat.id, update.get_bot(), exc)
        raise
    return sent


async def edit(update: Update, markup: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Replace a list message in place (page turns); an unchanged page is not an error."""
    query = update.callback_query
    if query is None:
        return
    part = split_message(markup)[0]
    try:
        # An edit may be repeated after a timeout: if the first did arrive, the repeat is
        # "not modified", which is success here.
        await with_retry(
            partial(query.edit_message_text, part, parse_mode="HTML", reply_markup=keyboard),
            repeat_timeout=True,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    except NetworkError as exc:
        if update.effective_chat is not None:
            await tell_failed(update.effective_chat.id, update.get_bot(), exc)
        raise


async def with_retry(call: Callable[[], Awaitable[T]], *, repeat_timeout: bool = False) -> T:
    """`call()`, tried again after each of SEND_RETRY's waits while it fails on the network.

    Never again after BadRequest (the same request fails the same way), nor after a 429 or
    a 403 (not network failures). A timeout may mean Telegram did it: a send is then not
    repeated, since a duplicate answer is worse than one the reader may already have; an
    edit (`repeat_timeout`) is, since doing it twice changes nothing."""
    for delay in SEND_RETRY.delays:
        try:
            return await call()
        except BadRequest:
            raise
        except TimedOut:
            if not repeat_timeout:
                raise
        except NetworkError as exc:
            log.warning("a reply failed on the network (%s); again in %.1f s", exc, delay)
        await SEND_RETRY.sleep(delay)
    return await call()


async def tell_failed(chat_id: int, bot: Any, error: NetworkError) -> None:
    """Tell the reader their answer was lost, once the network lets it through (with the
    same retries); only log it when even that fails. Not after a timeout: that answer may
    well have arrived."""
    if isinstance(error, TimedOut | BadRequest):
        return
    try:
        await with_retry(partial(bot.send_message, chat_id, text("reply_failed")))
    except TelegramError as exc:
        log.warning("could not tell chat %d that its answer was lost: %s", chat_id, exc)


def command_args(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    """The command's words, with any unpaired surrogate (not valid UTF-8) dropped."""
    return [clean for arg in context.args or [] if (clean := without_surrogates(arg))]


def ignored(command: str, words: list[str]) -> str:
    """A short note before the answer for words a command does not take; '' when none.

    A command never drops what it was given without saying so: the reader may have meant
    something by it (`/start please`, `/subscriptions talks`).
    """
    if not words:
        return ""
    shown = html.escape(" ".join(words)[:60], quote=False)
    return f"<i>{text('ignored_words', command=command, words=shown)}</i>\n\n"


def without_surrogates(value: str) -> str:
    return value.encode("utf-8", "ignore").decode("utf-8")


def toast_text(message: str, limit: int = CALLBACK_TEXT_LIMIT) -> str:
    """A catalogue text (HTML, values escaped) as a callback answer shows it: plain text,
    tags gone and entities decoded, within ``limit`` UTF-16 units (as Telegram counts)."""
    plain = " ".join(html.unescape(_TAG.sub("", message)).split())
    if _utf16(plain) <= limit:
        return plain
    kept, used = [], 0
    for char in plain:
        used += _utf16(char)
        if used > limit - 1:  # room for the ellipsis
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _utf16(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


async def answer(query: CallbackQuery, message: str = "", *, alert: bool = False) -> None:
    """Answer a button press, with a toast (or an alert box) when there is something to say.
    Retried on the network as replies are; a toast that never got through is told as a
    lost answer (a repeat after a timeout would be refused: a query is answered once)."""
    try:
        if message:
            await with_retry(partial(query.answer, toast_text(message), show_alert=alert))
        else:
            await with_retry(query.answer)
    except NetworkError as exc:
        if query.message is not None:
            await tell_failed(query.message.chat.id, query.get_bot(), exc)
        raise
