"""/quiet, /digest and /settings silent: when and how alerts reach a chat.

The rules (what is held, when a window ends, what a digest covers) live in storage.held and
storage.quiet; this module parses, calls them, and answers.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import Deps, command_args, deps, may_change_chat, offload, reader_zone, reply
from handlers.render import esc
from handlers.when import zone_label
from storage.held import DeliveryPrefs, Holds
from storage.quiet import ClockError, format_clock, parse_clock, parse_quiet

OFF_WORDS = ("off", "none", "stop")
ON_WORDS = ("on", "yes")


def holds(context: ContextTypes.DEFAULT_TYPE) -> Holds:
    """The held-alert store over the bot's database (it keeps no state of its own)."""
    return holds_of(deps(context))


def holds_of(d: Deps) -> Holds:
    """The held-alert store over `d`'s connection (a worker's, for a write off the loop)."""
    return Holds(d.store.db, d.clock, str(d.default_zone.key))


def _zone_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return esc(zone_label(reader_zone(update, context)))


def _clock_problem(exc: ClockError, usage: str, zone: str) -> str:
    if exc.problem == "time":
        key = "digest_bad_time" if usage == "digest_usage" else "quiet_bad_time"
        return text(key, value=f"<code>{esc(exc.value)}</code>")
    if exc.problem == "same":
        return text("quiet_same")
    return text(usage, zone=zone)


async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show, set (/quiet 23:00-07:00) or end (/quiet off) this chat's quiet hours."""
    chat = update.effective_chat
    if chat is None:
        return
    args = command_args(context)
    zone = _zone_name(update, context)
    store = holds(context)
    if not args:
        window = store.prefs(chat.id).quiet
        if window is None:
            await reply(update, text("quiet_none", zone=zone))
        else:
            await reply(update, text("quiet_show", window=esc(str(window)), zone=zone))
        return
    if not await may_change_chat(update, context):
        await reply(update, text("admins_only"))
        return
    value = " ".join(args)
    if value.lower() in OFF_WORDS:
        had = store.prefs(chat.id).quiet is not None
        await offload(context, lambda d: holds_of(d).set_quiet(chat.id, chat.type, None))
        deps(context).wake_delivery()  # what waited is told now
        await reply(update, text("quiet_off_catchup" if had else "quiet_off"))
        return
    try:
        window = parse_quiet(value)
    except ClockError as exc:
        await reply(update, _clock_problem(exc, "quiet_usage", zone))
        return
    await offload(context, lambda d: holds_of(d).set_quiet(chat.id, chat.type, window))
    deps(context).wake_delivery()
    await reply(
        update,
        text(
            "quiet_set",
            window=esc(str(window)),
            zone=zone,
            end=esc(format_clock(window.end)),
        ),
    )


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show, set (/digest 08:00) or end (/digest off) this chat's daily digest."""
    chat = update.effective_chat
    if chat is None:
        return
    args = command_args(context)
    zone = _zone_name(update, context)
    store = holds(context)
    if not args:
        at = store.prefs(chat.id).digest
        if at is None:
            await reply(update, text("digest_none", zone=zone))
        else:
            await reply(update, text("digest_show", at=esc(format_clock(at)), zone=zone))
        return
    if not await may_change_chat(update, context):
        await reply(update, text("admins_only"))
        return
    value = " ".join(args)
    if value.lower() in OFF_WORDS:
        told = await offload(context, lambda d: holds_of(d).set_digest(chat.id, chat.type, None))
        deps(context).digest_changed(chat.id)
        deps(context).wake_delivery()
        await reply(update, text("digest_off_catchup" if told else "digest_off"))
        return
    try:
        at = parse_clock(value)
    except ClockError as exc:
        await reply(update, _clock_problem(exc, "digest_usage", zone))
        return
    await offload(context, lambda d: holds_of(d).set_digest(chat.id, chat.type, at))
    deps(context).digest_changed(chat.id)
    await reply(update, text("digest_set", at=esc(format_clock(at)), zone=zone))


async def silent_setting(update: Update, context: ContextTypes.DEFAULT_TYPE, value: str) -> None:
    """/settings silent on|off (the caller checked the user may change this chat)."""
    chat = update.effective_chat
    if chat is None:
        return
    word = value.strip().lower()
    if word not in ON_WORDS + OFF_WORDS:
        await reply(update, text("silent_usage"))
        return
    on = word in ON_WORDS
    await offload(context, lambda d: holds_of(d).set_silent(chat.id, chat.type, on))
    await reply(update, text("silent_on" if on else "silent_off"))


def prefs_of(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> DeliveryPrefs:
    return holds(context).prefs(chat_id)


def settings_values(prefs: DeliveryPrefs) -> dict[str, str]:
    """The /settings lines' values for quiet hours, the digest and silent delivery."""
    off = text("setting_off")
    return {
        "quiet": esc(str(prefs.quiet)) if prefs.quiet else off,
        "digest": esc(format_clock(prefs.digest)) if prefs.digest else off,
        "silent": text("setting_on") if prefs.silent else off,
    }
