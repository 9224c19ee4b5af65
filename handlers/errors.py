"""The last resort: log the error with its update, tell the reader, and tell the curators.

Curators (SITREP_CURATORS_CHAT) hear of each kind of error at most once a minute, so a
failing dependency cannot turn the bot into a spammer of its own staff.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import deps
from handlers.i18n import use_language
from handlers.render import clip, esc
from storage.timeparse import iso_utc

log = logging.getLogger("sitrep.errors")
LAST_API_ERROR = "last_api_error"
REPORT_EVERY = 60.0


def describe(error: BaseException) -> str:
    """'Forbidden: bot was blocked by the user': the kind once, then what Telegram said."""
    kind, said = type(error).__name__, str(error)
    return said if said.startswith(kind) else f"{kind}: {said}"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every unhandled error; answer the reader unless Telegram itself is the problem."""
    error = context.error
    log.error("error while handling update %r", update, exc_info=error)
    if isinstance(error, TelegramError):
        d = deps(context)  # for /healthz: the last error the Bot API answered
        d.extra[LAST_API_ERROR] = (iso_utc(d.clock()), describe(error))
    await _report(context, error)
    if isinstance(error, Forbidden | NetworkError) or not isinstance(update, Update):
        return
    if update.effective_chat is None:
        return
    # A write that waited its bounded time for another process's lock (an import) changed
    # nothing: the reader may simply try again, and should hear that rather than "wrong".
    key = "store_busy" if _store_was_busy(error) else "internal_error"
    try:
        await update.effective_chat.send_message(text(key))
    except TelegramError:
        log.warning("could not tell chat about the error")


def _store_was_busy(error: BaseException | None) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower()


async def _report(context: ContextTypes.DEFAULT_TYPE, error: BaseException | None) -> None:
    d = deps(context)
    if d.curators_chat is None or error is None:
        return
    kind = type(error).__name__
    last: dict[str, float] = context.bot_data.setdefault("error_reports", {})
    now = time.monotonic()
    if now - last.get(kind, -REPORT_EVERY) < REPORT_EVERY:
        return
    last[kind] = now
    detail = esc(clip(d.redact(str(error)), 500))
    # In the curators chat's own language, not the language of the update that failed.
    with use_language(d.chats.settings(d.curators_chat).language or d.default_language):
        report = text("error_report", kind=esc(kind), detail=detail)
    try:
        await context.bot.send_message(d.curators_chat, report)
    except TelegramError as exc:
        log.warning("could not report the error to the curators: %s", exc)
