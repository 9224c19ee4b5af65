"""What the bot says: one module per area, all registered here in one readable block."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    board,
    calendar,
    charts,
    chats,
    curation,
    curation_add,
    errors,
    language,
    limits,
    quiet,
    reader,
    start,
    subscriptions,
)
from handlers.catalogue import text
from handlers.i18n import DEFAULT_LANGUAGE

# The commands in the order Telegram's menu shows them; each description is the catalogue's
# `cmd_<command>`, in every language.
READER_COMMANDS: tuple[str, ...] = (
    "talks",
    "incidents",
    "statements",
    "claims",
    "event",
    "search",
    "chart",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "calendar",
    "settings",
    "quiet",
    "digest",
    "language",
    "board",
    "help",
    "start",
)


def register(app: Application) -> None:
    """Add every handler, in order; the catch-alls must come last."""
    # Group -3 runs first: the language of this update, read once, for every reply to it.
    app.add_handler(TypeHandler(Update, chats.choose_language), group=-3)
    # Group -2 then: a flooding user's updates stop here.
    app.add_handler(TypeHandler(Update, limits.flood_control), group=-2)
    # Group -1 then records the chat (and revives one that had blocked the bot).
    app.add_handler(TypeHandler(Update, chats.remember_chat), group=-1)
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("help", start.help_command))
    app.add_handler(CommandHandler("talks", reader.talks))
    app.add_handler(CommandHandler("incidents", reader.incidents))
    app.add_handler(CommandHandler("statements", reader.statements))
    app.add_handler(CommandHandler("claims", reader.claims))
    app.add_handler(CommandHandler("event", reader.event))
    # /event_3 is one word to Telegram (so it is tappable): matched by pattern, not by name.
    app.add_handler(MessageHandler(filters.Regex(reader.EVENT_LINK_PATTERN), reader.event_link))
    app.add_handler(CommandHandler("search", reader.search))
    app.add_handler(CommandHandler("chart", charts.chart))
    app.add_handler(CommandHandler("board", board.board_command))
    app.add_handler(CommandHandler("subscribe", subscriptions.subscribe))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe))
    app.add_handler(CommandHandler("subscriptions", subscriptions.subscriptions))
    app.add_handler(CommandHandler("settings", subscriptions.settings))
    app.add_handler(CommandHandler("calendar", calendar.calendar))
    app.add_handler(CommandHandler("quiet", quiet.quiet_command))
    app.add_handler(CommandHandler("digest", quiet.digest_command))
    app.add_handler(CommandHandler("language", language.language_command))
    app.add_handler(CallbackQueryHandler(reader.page_turn, pattern=r"^pg\|"))
    app.add_handler(CallbackQueryHandler(language.language_button, pattern=r"^lang\|"))
    app.add_handler(
        CallbackQueryHandler(subscriptions.subscription_button, pattern=r"^(sub|uns)\|")
    )
    # Curation: curators only (refused politely to others), not in the public command menu;
    # /history is read-only and open to all. The /add conversation must come before the
    # catch-alls, which would otherwise take its typed answers.
    app.add_handler(curation_add.conversation(app.bot_data))
    app.add_handler(CommandHandler("add", curation_add.add_refused))
    app.add_handler(CommandHandler("cancel", curation_add.nothing_to_cancel))
    app.add_handler(CommandHandler("reschedule", curation.reschedule_command))
    app.add_handler(CommandHandler("status", curation.status_command))
    app.add_handler(CommandHandler("correct", curation.correct_command))
    app.add_handler(CommandHandler("revert", curation.revert_command))
    app.add_handler(CommandHandler("claim", curation.claim_command))
    app.add_handler(CommandHandler("history", curation.history_command))
    app.add_handler(CallbackQueryHandler(curation.decide, pattern=r"^cur\|(pub|cancel)\|"))
    # Catch-alls: anything not matched above.
    app.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    app.add_handler(CallbackQueryHandler(start.stale_button))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.TEXT | filters.Sticker.ALL) & ~filters.COMMAND,
            start.plain_text,
        )
    )
    app.add_error_handler(errors.on_error)


def bot_commands(lang: str = DEFAULT_LANGUAGE) -> list[BotCommand]:
    """The command menu in `lang` (setMyCommands, once per language)."""
    return [BotCommand(name, text(f"cmd_{name}", lang)) for name in READER_COMMANDS]
