"""Reader commands: /talks, /incidents, /statements, /event, /search, and page turns."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

from handlers.catalogue import text
from handlers.common import (
    answer,
    author_face,
    command_args,
    deps,
    edit,
    ignored,
    reader_today,
    reader_zone,
    reply,
)
from handlers.links import with_page_link
from handlers.lists import MAX_WORDS, BadQuery, View, build_view, decode, split_incident_args
from handlers.render import esc, full_event
from handlers.subscriptions import unknown_area
from storage.claims import incidents_in_scope
from storage.events import EventNotFound

# "/event_3" or, in a group, "/event_3@sitrep_bot". Registered with the same pattern.
EVENT_LINK_PATTERN = r"^/event_([0-9]{1,15})(?:@([A-Za-z0-9_]{1,64}))?(?:\s|$)"
EVENT_LINK = re.compile(EVENT_LINK_PATTERN.removesuffix(r"(?:\s|$)") + r"\Z")


def _view(
    update: Update, context: ContextTypes.DEFAULT_TYPE, view: str, offset: int, arg: str
) -> View:
    """The page, for this reader's zone and now; BadQuery when the arguments are unreadable."""
    d = deps(context)
    zone, now = reader_zone(update, context), d.clock()
    return build_view(d, view, offset, arg, zone=zone, now=now, chat_data=context.chat_data)


async def _show(
    update: Update, context: ContextTypes.DEFAULT_TYPE, view: str, arg: str, note: str = ""
) -> None:
    try:
        page = _view(update, context, view, 0, arg)
    except BadQuery as exc:
        await reply(update, str(exc))
        return
    await reply(update, f"{note}{page.markup}", page.keyboard)


async def talks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Talks rounds: upcoming first, then recent, with every move shown."""
    await _show(update, context, "talks", "", ignored("/talks", command_args(context)))


async def incidents(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Latest incidents, optionally by area and period: /incidents dnipro 7d."""
    try:
        area, period = split_incident_args(command_args(context))
    except BadQuery as exc:
        await reply(update, str(exc))
        return
    store = deps(context).store
    if area and not store.knows_area(area):
        await reply(update, unknown_area("incidents_area_unknown", area, store.suggest_areas(area)))
        return
    await _show(update, context, "inc", f"{period}|{area}")


async def statements(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Latest statements: who said what, where."""
    await _show(update, context, "st", "", ignored("/statements", command_args(context)))


async def claims(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claims and their status, as curators set it."""
    await _show(update, context, "cl", "", ignored("/claims", command_args(context)))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Full-text search over the store."""
    words = " ".join(command_args(context)).strip()
    if not words:
        await reply(update, text("search_usage"))
        return
    if len(words) > MAX_WORDS:
        await reply(update, text("too_many_words", limit=MAX_WORDS))
        return
    await _show(update, context, "q", words)


async def event(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One record in full: sources, curator note, revision history."""
    args = command_args(context)
    if not args:
        await reply(update, text("event_usage"))
        return
    await _show_event(update, context, args[0][:100], ignored("/event N", args[1:]))


async def event_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/event_3, the form Telegram makes tappable in every list and alert: as /event 3."""
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1) if message else []
    match = EVENT_LINK.match(words[0]) if words else None
    if match is None:
        return
    # In a group, "/event_3@otherbot" is another bot's.
    addressed = match[2]
    if addressed and addressed.lower() != (context.bot.username or "").lower():
        return
    await _show_event(
        update,
        context,
        match[1],
        ignored(words[0], words[1].split()[:20]) if len(words) > 1 else "",
    )


async def _show_event(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ref: str, note: str = ""
) -> None:
    store = deps(context).store
    try:
        rec = store.get(ref)
    except EventNotFound:
        await reply(update, text("event_not_found", ref=f"<code>{esc(ref)}</code>"))
        return
    markup = full_event(
        rec,
        store.revisions(rec["id"]),
        reader_zone(update, context),
        reader_today(update, context),
        author=author_face(update, context),
        in_scope=incidents_in_scope(store, rec),
        related=store.contents(rec.get("related") or [], seen=True),
    )
    await reply(update, with_page_link(f"{note}{markup}", deps(context).public_url, rec["number"]))


async def page_turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of ‹ Newer / Older ›: redraw the list in place."""
    query = update.callback_query
    if query is None:
        return
    try:
        view, offset, arg = decode(query.data or "", context.chat_data)
        page = _view(update, context, view, offset, arg)
    except BadQuery as exc:
        await answer(query, str(exc))
        return
    await answer(query)
    await edit(update, page.markup, page.keyboard)
