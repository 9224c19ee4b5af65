"""/start, /help, and the answers to anything the bot does not understand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import answer, command_args, deps, ignored, reader_zone, reply
from handlers.render import esc
from handlers.when import zone_label
from storage.chats import is_private


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot is and where to begin."""
    await reply(update, ignored("/start", command_args(context)) + text("start"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command with an example."""
    zone = reader_zone(update, context)
    user = update.effective_user
    # Curators see their own commands too; everyone else sees /history only.
    is_curator = user is not None and user.id in deps(context).admins
    extra = text("help_curator" if is_curator else "help_history")
    note = ignored("/help", command_args(context))
    await reply(update, note + text("help", zone=esc(zone_label(zone)), extra=extra))


def _addressed_to_us(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a group, only a command that names this bot is ours to answer when unknown."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or is_private(chat.type):
        return True
    first_word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    username = (context.bot.username or "").lower()
    return bool(username) and first_word.lower().endswith(f"@{username}")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have: say so, and point to /help."""
    message = update.effective_message
    if message is None or not _addressed_to_us(update, context):
        return
    command = (message.text or "/").split(maxsplit=1)[0].split("@", 1)[0]
    await reply(update, text("unknown_command", command=esc(command[:64])))


async def plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text or stickers in a private chat get a pointer to /help; groups are left alone."""
    await reply(update, text("plain_text"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data we do not recognise (old, or forged): answer, change nothing."""
    if update.callback_query is not None:
        await answer(update.callback_query, text("button_expired"))
