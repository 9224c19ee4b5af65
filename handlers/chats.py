"""Remembering the chats that talk to the bot, so alerts know where to go."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from handlers.common import deps, offload
from handlers.i18n import current_language, negotiate, set_language
from storage.chats import is_private


def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language a chat reads: its own choice; else, in a private chat, its user's
    Telegram client's (`from.language_code`: `uk` gives Ukrainian); else SITREP_LANGUAGE."""
    d = deps(context)
    chat, user = update.effective_chat, update.effective_user
    if chat is not None:
        chosen = d.chats.settings(chat.id).language
        if chosen:
            return chosen
        if not is_private(chat.type):
            return d.default_language
    return negotiate(user.language_code if user else None, d.default_language)


async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one place an update's language is set: every reply to it renders in it."""
    set_language(chat_language(update, context))


async def remember_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record the chat; a chat that had blocked the bot and writes again is active again.

    Telegram tells the bot when it is blocked or removed (my_chat_member): that update must
    deactivate the chat, not count as the chat talking to the bot.
    """
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return
    chats = deps(context).chats
    member = update.my_chat_member
    if member is not None:
        status = member.new_chat_member.status
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            reason = f"bot {status} in this chat"
            await offload(context, lambda d: d.chats.deactivate(chat.id, reason))
            return
    title = chat.title or ""
    # A private chat keeps the language it started in (its user's client's), so alerts and
    # reminders sent to it unasked read the same.
    language = current_language() if is_private(chat.type) else None
    # Every update passes here: a chat already known as it is costs one read, and no write.
    if chats.needs_touch(chat.id, title, language):
        await offload(context, lambda d: d.chats.touch(chat.id, chat.type, title, language))
