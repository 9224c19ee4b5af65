"""/subscribe, /unsubscribe, /subscriptions and /settings: what a chat is told, and how."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers import quiet
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
from handlers.render import esc, place_name
from handlers.when import durations, zone_label
from storage.board import BoardStore
from storage.chats import (
    MAX_REGION,
    MAX_REMINDERS,
    TOPICS,
    Subscription,
    parse_reminders,
)
from storage.gazetteer import UnknownZone

ALIASES = {
    "talks": "talks",
    "talk": "talks",
    "incidents": "incidents",
    "incident": "incidents",
    "statements": "statements",
    "statement": "statements",
}


def unknown_area(key: str, area: str, suggestions: list[str]) -> str:
    """'No incidents are recorded in X …' with areas to try instead."""
    shown = ", ".join(f"<code>{esc(a)}</code>" for a in suggestions) or text("empty_value")
    return text(key, area=f"<b>{esc(area)}</b>", areas=shown)


def describe(sub: Subscription) -> str:
    if sub.topic == "incidents" and sub.region_label:
        return text("what_incidents_in", area=esc(sub.region_label))
    return text(f"what_{sub.topic}")


def _sub_token(sub: Subscription) -> str:
    """A short stable handle for a subscription, so any area name fits in callback data."""
    return hashlib.sha1(f"{sub.topic}|{sub.region}".encode()).hexdigest()[:10]


def _menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> InlineKeyboardMarkup:
    chat = update.effective_chat
    assert chat is not None
    have = {s.topic for s in deps(context).chats.subscriptions(chat.id) if not s.region}
    buttons = [
        InlineKeyboardButton(
            text("button_on" if topic in have else "button_off", topic=text(f"topic_{topic}")),
            callback_data=f"sub|{topic}",
        )
        for topic in TOPICS
    ]
    return InlineKeyboardMarkup([buttons])


def _subscriptions_view(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, InlineKeyboardMarkup | None]:
    chat = update.effective_chat
    assert chat is not None
    subs = deps(context).chats.subscriptions(chat.id)
    if not subs:
        return text("subscriptions_none"), None
    items = "\n".join(text("subscription_item", what=describe(s)) for s in subs)
    rows = [
        [
            InlineKeyboardButton(
                text("button_remove", what=_short(s)), callback_data=f"uns|{_sub_token(s)}"
            )
        ]
        for s in subs
    ]
    return text("subscriptions_list", items=items), InlineKeyboardMarkup(rows)


def _short(sub: Subscription) -> str:
    label = text(f"topic_{sub.topic}")
    return f"{label}: {sub.region_label}" if sub.region_label else label


def _parse(args: list[str]) -> tuple[str | None, str] | None:
    """(topic or None for all, area) from the arguments, or None when unreadable."""
    if not args:
        return None
    word = args[0].lower()
    area = " ".join(args[1:]).strip()
    if word == "all" and not area:
        return None, ""
    topic = ALIASES.get(word)
    if topic is None:
        return None
    return topic, area


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn alerts on: a menu without arguments, or /subscribe TOPIC [AREA] | all."""
    chat = update.effective_chat
    if chat is None:
        return
    args = command_args(context)
    if not args:
        await reply(update, text("subscribe_menu"), _menu(update, context))
        return
    if not await may_change_chat(update, context):
        await reply(update, text("admins_only"))
        return
    if args[0].lower() == "all" and len(args) == 1:
        await offload(context, lambda d: [d.chats.subscribe(chat.id, chat.type, t) for t in TOPICS])
        deps(context).subscriptions_changed()
        await reply(update, text("subscribed_all"))
        return
    parsed = _parse(args)
    if parsed is None or parsed[0] is None:
        await reply(update, text("subscribe_usage"))
        return
    topic, area = parsed[0], parsed[1]
    if area and topic != "incidents":
        await reply(update, text("region_only_incidents"))
        return
    if len(area) > MAX_REGION:
        await reply(update, text("area_too_long"))
        return
    store = deps(context).store
    if area and not store.knows_area(area):
        # A subscription to a place no record is in would stay silent for ever.
        await reply(update, unknown_area("subscribe_area_unknown", area, store.suggest_areas(area)))
        return
    sub = Subscription(topic, area, area)
    added = await offload(context, lambda d: d.chats.subscribe(chat.id, chat.type, topic, area))
    deps(context).subscriptions_changed()
    await reply(update, text("subscribed" if added else "already_subscribed", what=describe(sub)))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn alerts off: /unsubscribe TOPIC [AREA] | all; without arguments, the list."""
    chat = update.effective_chat
    if chat is None:
        return
    args = command_args(context)
    if not args:
        markup, keyboard = _subscriptions_view(update, context)
        await reply(update, f"{markup}\n\n{text('unsubscribe_usage')}", keyboard)
        return
    if not await may_change_chat(update, context):
        await reply(update, text("admins_only"))
        return
    if args[0].lower() == "all" and len(args) == 1:
        await offload(context, lambda d: d.chats.unsubscribe(chat.id, None))
        deps(context).subscriptions_changed()
        await reply(update, text("unsubscribed_all"))
        return
    parsed = _parse(args)
    if parsed is None or parsed[0] is None:
        await reply(update, text("unsubscribe_usage"))
        return
    topic, area = parsed[0], parsed[1]
    sub = Subscription(topic, area, area)
    removed = await offload(context, lambda d: d.chats.unsubscribe(chat.id, topic, area or None))
    deps(context).subscriptions_changed()
    await reply(update, text("unsubscribed" if removed else "not_subscribed", what=describe(sub)))


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What this chat is subscribed to, with a button to stop each."""
    markup, keyboard = _subscriptions_view(update, context)
    await reply(update, ignored("/subscriptions", command_args(context)) + markup, keyboard)


async def subscription_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the topic menu (sub|TOPIC) or on a remove button (uns|TOKEN)."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    if not await may_change_chat(update, context):
        await answer(query, text("admins_only"), alert=True)
        return
    action, _, value = (query.data or "").partition("|")
    chats = deps(context).chats
    if action == "sub" and value in TOPICS:
        have = {s.topic for s in chats.subscriptions(chat.id) if not s.region}
        if value in have:
            await offload(context, lambda d: d.chats.unsubscribe(chat.id, value, ""))
            note = text("unsubscribed", what=text(f"what_{value}"))
        else:
            await offload(context, lambda d: d.chats.subscribe(chat.id, chat.type, value))
            note = text("subscribed", what=text(f"what_{value}"))
        deps(context).subscriptions_changed()
        await answer(query, note)
        await edit(update, text("subscribe_menu"), _menu(update, context))
        return
    if action == "uns":
        match = [s for s in chats.subscriptions(chat.id) if _sub_token(s) == value]
        if not match:
            await answer(query, text("button_expired"))
            return
        gone = match[0]
        await offload(context, lambda d: d.chats.unsubscribe(chat.id, gone.topic, gone.region))
        deps(context).subscriptions_changed()
        await answer(query, text("unsubscribed", what=describe(match[0])))
        markup, keyboard = _subscriptions_view(update, context)
        await edit(update, markup, keyboard)
        return
    await answer(query, text("button_expired"))


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show or change this chat's time zone and talks reminders."""
    chat = update.effective_chat
    if chat is None:
        return
    chats = deps(context).chats
    args = command_args(context)
    if args:
        if not await may_change_chat(update, context):
            await reply(update, text("admins_only"))
            return
        what, value = args[0].lower(), " ".join(args[1:]).strip()
        try:
            if what in ("zone", "tz", "timezone") and value:
                name = await offload(context, lambda d: d.chats.set_zone(chat.id, chat.type, value))
                deps(context).digest_changed(chat.id)  # a digest falls due on the chat's clock
                deps(context).wake_delivery()  # so do quiet hours: what they held may be due
                await reply(update, text("settings_zone_set", zone=esc(name)))
                return
            if what == "silent":
                await quiet.silent_setting(update, context, value)
                return
            if what in ("reminders", "reminder") and value:
                try:
                    minutes = parse_reminders(value)
                except ValueError:
                    await reply(update, text("settings_reminders_bad", limit=MAX_REMINDERS))
                    return
                await offload(context, lambda d: d.chats.set_reminders(chat.id, chat.type, minutes))
                deps(context).subscriptions_changed()
                shown = durations(minutes) or text("reminders_off")
                await reply(update, text("settings_reminders_set", reminders=esc(shown)))
                return
        except UnknownZone as exc:
            await reply(update, _unknown_zone(exc))
            return
        except ValueError as exc:
            await reply(update, text("settings_bad", problem=esc(str(exc)[:200])))
            return
        await reply(update, text("settings_usage"))
        return
    current = chats.settings(chat.id)
    zone = current.zone or str(deps(context).default_zone.key)
    reminders = durations(current.reminders) or text("reminders_off")
    shown = text(
        "settings_show",
        zone=esc(f"{zone} ({zone_label_of(zone)})"),
        reminders=esc(reminders),
        **quiet.settings_values(quiet.prefs_of(context, chat.id)),
        language=esc(text("language_name")),
    )
    if chat.type != ChatType.PRIVATE:
        has_board = BoardStore(deps(context).store.db).get(chat.id) is not None
        shown += text("settings_board_on" if has_board else "settings_board_off")
    await reply(update, shown)


def _unknown_zone(exc: UnknownZone) -> str:
    """The answer to a zone we cannot read, with the places and zones it may have meant."""
    shown = esc(exc.text[:64])
    items = [
        text("zone_suggestion", name=esc(place_name(place)), zone=esc(place.zone))
        for place in exc.places
    ]
    items += [text("zone_suggestion", name=esc(zone), zone=esc(zone)) for zone in exc.zones]
    if not items:
        return text("settings_zone_unknown", zone=shown)
    return text("settings_zone_suggest", zone=shown, items="\n".join(items))


def zone_label_of(name: str) -> str:
    return zone_label(ZoneInfo(name))
