"""Remembering the chats that talk to the bot, so alerts know where to go."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from handlers.common import deps


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
            chats.deactivate(chat.id, f"bot {status} in this chat")
            return
    chats.touch(chat.id, chat.type, chat.title or "")
