"""/quiet, /digest and /settings silent: when and how alerts reach a chat.

The rules (what is held, when a window ends, what a digest covers) live in storage.held and
storage.quiet; this module parses, calls them, and answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Generic, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import Deps, command_args, deps, may_change_chat, offload, reader_zone, reply
from handlers.render import esc
from handlers.when import zone_label
from storage.held import DeliveryPrefs, Holds
from storage.quiet import ClockError, QuietHours, format_clock, parse_clock, parse_quiet

OFF_WORDS = ("off", "none", "stop")
ON_WORDS = ("on", "yes")

T = TypeVar("T")


def holds(context: ContextTypes.DEFAULT_TYPE) -> Holds:
    """The held-alert store over the bot's database (it keeps no state of its own)."""
    return holds_of(deps(context))


def holds_of(d: Deps) -> Holds:
    """The held-alert store over `d`'s connection (a worker's, for a write off the loop)."""
    return Holds(d.store.db, d.clock, str(d.default_zone.key))


def _zone_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return esc(zone_label(reader_zone(update, context)))


def _clock_problem(exc: ClockError, name: str, zone: str) -> str:
    if exc.problem == "time":
        return text(f"{name}_bad_time", value=f"<code>{esc(exc.value)}</code>")
    if exc.problem == "same":
        return text("quiet_same")
    return text(f"{name}_usage", zone=zone)


@dataclass(frozen=True)
class _ChatSetting(Generic[T]):
    """What /quiet and /digest do differently; `_show_set_or_end` does the rest the same way.

    `name` is the command and its catalogue keys' prefix: NAME_none, NAME_show, NAME_set,
    NAME_off, NAME_off_catchup, NAME_usage, NAME_bad_time.
    """

    name: str
    current: Callable[[DeliveryPrefs], T | None]
    shown: Callable[[T], dict[str, str]]  # the escaped values NAME_show and NAME_set name
    parse: Callable[[str], T]  # raises ClockError
    # Writes the setting (None: off) in a worker; true when ending it tells what waited.
    save: Callable[[Holds, int, str, T | None], object]
    changed: Callable[[Deps, int, bool], None]  # the bot's reaction; the bool: it was ended


async def _show_set_or_end(
    update: Update, context: ContextTypes.DEFAULT_TYPE, setting: _ChatSetting[T]
) -> None:
    """Without arguments, show the setting; with off words, end it; else parse and set it.
    Only those who may change the chat set or end it."""
    chat = update.effective_chat
    if chat is None:
        return
    args = command_args(context)
    zone = _zone_name(update, context)
    name = setting.name
    if not args:
        current = setting.current(holds(context).prefs(chat.id))
        if current is None:
            await reply(update, text(f"{name}_none", zone=zone))
        else:
            await reply(update, text(f"{name}_show", zone=zone, **setting.shown(current)))
        return
    if not await may_change_chat(update, context):
        await reply(update, text("admins_only"))
        return
    value = " ".join(args)
    if value.lower() in OFF_WORDS:
        told = await offload(context, lambda d: setting.save(holds_of(d), chat.id, chat.type, None))
        setting.changed(deps(context), chat.id, True)
        await reply(update, text(f"{name}_off_catchup" if told else f"{name}_off"))
        return
    try:
        new = setting.parse(value)
    except ClockError as exc:
        await reply(update, _clock_problem(exc, name, zone))
        return
    await offload(context, lambda d: setting.save(holds_of(d), chat.id, chat.type, new))
    setting.changed(deps(context), chat.id, False)
    await reply(update, text(f"{name}_set", zone=zone, **setting.shown(new)))


def _save_quiet(store: Holds, chat_id: int, chat_type: str, window: QuietHours | None) -> bool:
    """Set or clear the window; true when the chat had one (what it held is told now)."""
    had = store.prefs(chat_id).quiet is not None
    store.set_quiet(chat_id, chat_type, window)
    return had


def _quiet_changed(d: Deps, chat_id: int, ended: bool) -> None:
    d.wake_delivery()  # what the old window held follows the new one: some may be due now


QUIET_HOURS = _ChatSetting[QuietHours](
    name="quiet",
    current=lambda prefs: prefs.quiet,
    shown=lambda window: {"window": esc(str(window)), "end": esc(format_clock(window.end))},
    parse=parse_quiet,
    save=_save_quiet,
    changed=_quiet_changed,
)


def _digest_changed(d: Deps, chat_id: int, ended: bool) -> None:
    d.digest_changed(chat_id)
    if ended:
        d.wake_delivery()  # what the digest gathered is told now


DAILY_DIGEST = _ChatSetting[time](
    name="digest",
    current=lambda prefs: prefs.digest,
    shown=lambda at: {"at": esc(format_clock(at))},
    parse=parse_clock,
    save=lambda store, chat_id, chat_type, at: store.set_digest(chat_id, chat_type, at),
    changed=_digest_changed,
)


async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show, set (/quiet 23:00-07:00) or end (/quiet off) this chat's quiet hours."""
    await _show_set_or_end(update, context, QUIET_HOURS)


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show, set (/digest 08:00) or end (/digest off) this chat's daily digest."""
    await _show_set_or_end(update, context, DAILY_DIGEST)


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
