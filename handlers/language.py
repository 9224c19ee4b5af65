"""/language: which language this chat reads: buttons, or `/language uk`."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import (
    answer,
    command_args,
    deps,
    edit,
    ignored,
    may_change_chat,
    offload,
    reply,
)
from handlers.i18n import LANGUAGES, set_language, supported
from handlers.render import esc

PREFIX = "lang|"


def _keyboard() -> InlineKeyboardMarkup:
    """One button per language, each named in its own language."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text("language_name", lang), callback_data=PREFIX + lang)
                for lang in LANGUAGES
            ]
        ]
    )


def _choices() -> str:
    return ", ".join(
        text("language_choice", code=lang, name=esc(text("language_name", lang)))
        for lang in LANGUAGES
    )


async def _choose(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> str:
    """Keep the chat's new language; the answer is in that language."""
    chat = update.effective_chat
    assert chat is not None
    chats = deps(context).chats
    if chats.settings(chat.id).language == lang:
        return text("language_same")
    await offload(context, lambda d: d.chats.set_language(chat.id, chat.type, lang))
    # The rest of this update (the answer) reads the new language.
    set_language(lang)
    return text("language_set")


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/language` shows the buttons; `/language uk` sets it (in groups, admins only)."""
    if update.effective_chat is None:
        return
    args = command_args(context)
    if not args:
        shown = text("language_show", language=esc(text("language_name")))
        await reply(update, shown, _keyboard())
        return
    lang = supported(args[0])
    if lang is None:
        unknown = text("language_unknown", language=esc(args[0][:20]), choices=_choices())
        await reply(update, unknown)
        return
    if not await may_change_chat(update, context):
        await reply(update, text("language_admins_only"))
        return
    chosen = await _choose(update, context, lang)  # first: the note is in the new language too
    await reply(update, ignored("/language", args[1:]) + chosen)


async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on a language button: set it (admins only in groups), answer in it."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    lang = supported((query.data or "").removeprefix(PREFIX))
    if lang is None:
        await answer(query, text("button_expired"))
        return
    if not await may_change_chat(update, context):
        await answer(query, text("language_admins_only"))
        return
    done = await _choose(update, context, lang)
    await answer(query)
    await edit(update, done, None)
