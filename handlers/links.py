"""Addresses of the public web pages (SITREP_PUBLIC_URL), for replies, alerts and calendars."""

from __future__ import annotations

import html

from handlers.catalogue import text

FEED_PATH = "/calendar/talks.ics"


def record_url(public_url: str, number: int) -> str | None:
    """The web page of record #number, or None when no public address is configured."""
    return f"{public_url}/event/{int(number)}" if public_url else None


def feed_url(public_url: str) -> str | None:
    """The live talks calendar, or None when no public address is configured."""
    return f"{public_url}{FEED_PATH}" if public_url else None


def page_link(url: str, lang: str | None = None) -> str:
    """'Web page: <a href=…>…</a>' as one line of Telegram HTML, in `lang` (default: the
    language of the update or send being handled)."""
    href = html.escape(url, quote=True)
    return text("web_page_link", lang, url=href, shown=html.escape(url, quote=False))


def with_page_link(markup: str, public_url: str, number: int, lang: str | None = None) -> str:
    """A reply with the record's web page as its last line, when there is a public address."""
    url = record_url(public_url, number)
    return f"{markup}\n\n{page_link(url, lang)}" if url else markup
