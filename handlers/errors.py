"""The last resort: log the error with its update, and tell the reader something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError
from telegram.ext import ContextTypes

from handlers.catalogue import text

log = logging.getLogger("sitrep.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every unhandled error; answer the reader unless Telegram itself is the problem."""
    error = context.error
    log.error("error while handling update %r", update, exc_info=error)
    if isinstance(error, Forbidden | NetworkError) or not isinstance(update, Update):
        return
    if update.effective_chat is None:
        return
    try:
        await update.effective_chat.send_message(text("internal_error"))
    except Exception:
        log.warning("could not tell chat about the error")
