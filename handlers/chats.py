"""Remembering the chats that talk to the bot, so alerts know where to go."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import deps


async def remember_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record the chat; a chat that had blocked the bot and writes again is active again."""
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return
    deps(context).chats.touch(chat.id, chat.type, chat.title or "")
