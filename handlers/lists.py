"""The paged lists (talks, incidents, statements, search) and their page-turn buttons.

A page button carries its whole query in callback data (`pg|view|offset|arg`, at most 64
bytes), so it keeps working after a restart. A query too long for that is kept in chat_data
under a short token instead; such a button says so politely if the bot restarted since.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.catalogue import text
from handlers.common import Deps
from handlers.render import esc, list_item
from storage.claims import list_claims
from storage.events import Page

PAGE_SIZE = 5
MAX_CALLBACK = 64
MAX_AREA = 60
MAX_WORDS = 200
_PERIOD = re.compile(r"^(\d{1,4})([hdwmy])$", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_UNITS |= {"m": timedelta(days=30), "y": timedelta(days=365)}
VIEWS = ("talks", "inc", "st", "cl", "q")
_LONGEST = timedelta(days=365 * 100)  # "9999y" would overflow the clock
LONGEST_PERIOD = "100y"


class BadQuery(ValueError):
    """A list's arguments cannot be read; the message is a catalogue text for the reader."""


@dataclass
class View:
    markup: str
    keyboard: InlineKeyboardMarkup | None


def parse_period(token: str) -> timedelta | None:
    match = _PERIOD.match(token)
    if not match:
        return None
    amount = int(match[1])
    span = _UNITS[match[2].lower()] * amount
    if amount == 0 or span > _LONGEST:
        return None
    return span


def period_problem(token: str) -> str:
    """Why a period cannot be used: unreadable, or longer than the longest one."""
    match = _PERIOD.match(token)
    if match and int(match[1]) > 0:
        return text("period_too_long", period=esc(token[:20]), longest=LONGEST_PERIOD)
    return text("bad_period", period=esc(token[:20]))


def looks_like_period(token: str) -> bool:
    """A word that starts with a number is meant as a period (`7d`, `7days`, `-5d`, `12`):
    a bad one is explained, never read as an area name."""
    return bool(re.match(r"^[+-]?\d", token))


def split_incident_args(args: list[str]) -> tuple[str, str]:
    """`dnipro 7d` -> ("dnipro", "7d"); raises BadQuery for a malformed period or long area."""
    period = ""
    area_words = []
    for token in args:
        if looks_like_period(token) and not period:
            if parse_period(token) is None:
                raise BadQuery(period_problem(token))
            period = token.lower()
        else:
            area_words.append(token)
    area = " ".join(area_words).strip()
    if len(area) > MAX_AREA:
        raise BadQuery(text("area_too_long"))
    return area, period


def encode(view: str, offset: int, arg: str, chat_data: dict[Any, Any] | None) -> str:
    data = f"pg|{view}|{offset}|{arg}"
    # An argument of its own starting with "~" would read as a saved token: save it too.
    if len(data.encode("utf-8")) <= MAX_CALLBACK and not arg.startswith("~"):
        return data
    saved: dict[str, str] = {} if chat_data is None else chat_data.setdefault("pages", {})
    if len(saved) > 100:
        saved.clear()
    token = secrets.token_urlsafe(6)
    saved[token] = arg
    return f"pg|{view}|{offset}|~{token}"


def decode(data: str, chat_data: dict[Any, Any] | None) -> tuple[str, int, str]:
    """(view, offset, arg) from callback data; BadQuery when it is not ours or has expired."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != "pg" or parts[1] not in VIEWS:
        raise BadQuery(text("button_expired"))
    view, offset_text, arg = parts[1], parts[2], parts[3]
    if not offset_text.isdigit() or len(offset_text) > 9:
        raise BadQuery(text("button_expired"))
    if arg.startswith("~"):
        saved = (chat_data or {}).get("pages", {})
        if arg[1:] not in saved:
            raise BadQuery(text("button_expired"))
        arg = saved[arg[1:]]
    return view, int(offset_text), arg


def _keyboard(
    view: str, page: Page, arg: str, chat_data: dict[Any, Any] | None, newest_first: bool
) -> InlineKeyboardMarkup | None:
    buttons = []
    prev_label = text("button_prev" if newest_first else "button_prev_plain")
    next_label = text("button_next" if newest_first else "button_next_plain")
    if page.offset > 0:
        back = max(0, page.offset - PAGE_SIZE)
        buttons.append(
            InlineKeyboardButton(prev_label, callback_data=encode(view, back, arg, chat_data))
        )
    if page.has_more:
        forward = page.offset + PAGE_SIZE
        buttons.append(
            InlineKeyboardButton(next_label, callback_data=encode(view, forward, arg, chat_data))
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


def _render(deps: Deps, view: str, page: Page, header: str, zone: ZoneInfo, now: datetime) -> str:
    today = now.astimezone(zone).date()
    blocks = [header]
    section = ""
    # Talks rounds show their moves: one query for the page, not one per round.
    moves = deps.store.revisions_of([r["id"] for r in page.events if r["kind"] == "talks"])
    for rec in page.events:
        revisions = moves.get(rec["id"], [])
        if rec["kind"] == "talks" and view == "talks":
            # Talks come upcoming-first: label where the list crosses into the past. Other
            # lists (a search) make no claim about what is upcoming.
            upcoming = deps.store.is_upcoming(rec, now)
            wanted = "talks_upcoming" if upcoming else "talks_past"
            if wanted != section:
                if page.offset == 0 and not section and not upcoming:
                    blocks.append(f"{text('talks_upcoming')}\n<i>{text('talks_none_upcoming')}</i>")
                blocks.append(text(wanted))
                section = wanted
        blocks.append("\n".join(list_item(rec, revisions, zone, today, now=now)))
    blocks.append(f"<i>{text('more_hint')}</i>")
    return "\n\n".join(blocks)


def build_view(
    deps: Deps,
    view: str,
    offset: int,
    arg: str,
    *,
    zone: ZoneInfo,
    now: datetime,
    chat_data: dict[Any, Any] | None,
) -> View:
    """The page of `view` starting at `offset`; BadQuery when `arg` cannot be read."""
    store = deps.store
    if view == "talks":
        page = store.talks(offset, PAGE_SIZE)
        if not page.events:
            return View(text("talks_empty"), None)
        header = text("talks_header")
    elif view == "inc":
        # "period|area": the period never holds "|", so an area that does stays intact.
        period, _, area = arg.partition("|")
        since = None
        if period:
            delta = parse_period(period)
            if delta is None:
                raise BadQuery(text("bad_period", period=esc(period)))
            since = now - delta
        page = store.latest(
            "incident", area=area or None, since=since, offset=offset, limit=PAGE_SIZE
        )
        filters = ""
        if area:
            filters += text("filter_area", area=esc(area))
        if period:
            filters += text("filter_period", period=esc(period))
        if not page.events:
            return View(text("incidents_empty", filters=filters), None)
        header = text("incidents_header", filters=filters)
    elif view == "st":
        page = store.latest("statement", offset=offset, limit=PAGE_SIZE)
        if not page.events:
            return View(text("statements_empty"), None)
        header = text("statements_header")
    elif view == "cl":
        page = list_claims(store, offset, PAGE_SIZE)
        if not page.events:
            return View(text("claims_empty"), None)
        header = text("claims_header")
    else:
        page = store.search(arg, offset, PAGE_SIZE)
        if not page.events:
            return View(text("search_empty", words=f"<b>{esc(arg)}</b>"), None)
        header = text("search_header", words=esc(arg))
    markup = _render(deps, view, page, header, zone, now)
    keyboard = _keyboard(view, page, arg, chat_data, newest_first=view in ("inc", "st", "cl"))
    return View(markup, keyboard)
