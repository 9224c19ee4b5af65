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
    calendar,
    chats,
    curation,
    curation_add,
    errors,
    limits,
    quiet,
    reader,
    start,
    subscriptions,
)

# (command, description) in the order /help and Telegram's menu show them.
READER_COMMANDS: list[tuple[str, str]] = [
    ("talks", "Talks rounds: upcoming first, and every postponement"),
    ("incidents", "Latest incidents; e.g. /incidents dnipro 7d"),
    ("statements", "Latest statements: who said what, where"),
    ("claims", "Leaders' claims, their status, and what happened since"),
    ("event", "One record in full: /event N"),
    ("search", "Search every record: /search WORDS"),
    ("subscribe", "Alerts: talks moves, incidents, statements"),
    ("unsubscribe", "Stop alerts: /unsubscribe all"),
    ("subscriptions", "What this chat is subscribed to"),
    ("calendar", "The talks in your calendar app (.ics)"),
    ("settings", "Time zone, talks reminders, silent alerts"),
    ("quiet", "Quiet hours: /quiet 23:00-07:00 or off"),
    ("digest", "One message a day: /digest 08:00 or off"),
    ("help", "Every command, with examples"),
    ("start", "What this bot is"),
]


def register(app: Application) -> None:
    """Add every handler, in order; the catch-alls must come last."""
    # Group -2 runs first: a flooding user's updates stop here.
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
    app.add_handler(CommandHandler("subscribe", subscriptions.subscribe))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe))
    app.add_handler(CommandHandler("subscriptions", subscriptions.subscriptions))
    app.add_handler(CommandHandler("settings", subscriptions.settings))
    app.add_handler(CommandHandler("calendar", calendar.calendar))
    app.add_handler(CommandHandler("quiet", quiet.quiet_command))
    app.add_handler(CommandHandler("digest", quiet.digest_command))
    app.add_handler(CallbackQueryHandler(reader.page_turn, pattern=r"^pg\|"))
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


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in READER_COMMANDS]
