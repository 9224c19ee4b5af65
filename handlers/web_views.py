"""The public web pages: the store for readers, rendered on the server with Jinja2.

Plain functions from a store and a request's arguments to a finished page: no HTTP here (the
server is bot/web.py), no script in any page, and nothing curator-only. Records are shown as
the bot shows them, in the words of the bot's catalogue; every curated value is escaped by
Jinja's autoescaping, and catalogue HTML (already escaped where it holds curated values) is
passed through as Markup. Revision authors are shown as readers see them in chat: a
curator's public alias, else "editor" (render.public_face).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from handlers.catalogue import CATALOGUES, text
from handlers.i18n import use_language
from handlers.lists import MAX_AREA, PAGE_SIZE, looks_like_period, parse_period
from handlers.localized import localized, mark, quote_translation
from handlers.render import (
    casualty,
    claim_block,
    clip,
    figure_lines,
    history_lines,
    moved_line,
    party_names,
    public_face,
    reported,
    status_word,
    when,
    where,
)
from handlers.when import zone_label
from storage.claims import incidents_in_scope
from storage.events import EventNotFound, EventStore, Page, Revision
from storage.model import Event, source_of

MAX_PAGE = 100_000
LIST_SUMMARY = 280

_ENV = Environment(
    loader=PackageLoader("handlers", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class WebPage:
    """A finished page: its HTTP status and its HTML."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class BadRequest(ValueError):
    """A page's arguments cannot be read; the message is catalogue HTML for the reader."""


def pick_language(query: str | None, accept: str | None) -> str:
    """`?lang=` when the catalogue has it, else the first Accept-Language it has, else en."""
    if query and query.lower() in CATALOGUES:
        return query.lower()
    for part in (accept or "").split(","):
        code = part.split(";", 1)[0].strip().lower().split("-", 1)[0]
        if code in CATALOGUES:
            return code
    return "en"


def page_number(value: str | None) -> int:
    """`?page=` as a number from 1; BadRequest otherwise."""
    if value is None or value == "":
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value[:7]) <= MAX_PAGE:
        raise BadRequest(text("web_bad_request"))
    return int(value)


def _t(key: str, lang: str, **values: Any) -> Markup:
    """Catalogue HTML, trusted: placeholders must already be escaped."""
    return Markup(text(key, lang, **values))


def _render(template: str, lang: str, status: int = 200, **context: Any) -> WebPage:
    def t(key: str, **values: Any) -> Markup:
        return _t(key, lang, **values)

    body = _ENV.get_template(template).render(lang=lang, t=t, code=status, **context)
    return WebPage(status, body)


@dataclass(frozen=True)
class Site:
    """What every page needs: the zone times are shown in, the clock, curators' aliases."""

    zone: ZoneInfo
    now: datetime
    aliases: Mapping[int, str] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


def _figures(rec: Event, lang: str) -> list[tuple[str, str, str]]:
    """(label, figure, source) triples: killed and injured as the record qualifies them, each
    with the source that supports it (storage.model.source_of, as the bot shows it)."""
    figures = []
    with use_language(lang):
        for key in ("killed", "injured"):
            if shown := casualty(rec["killed"] if key == "killed" else rec["injured"]):
                src = source_of(rec, key)
                figures.append((text(f"label_{key}"), shown, str(src["name"]) if src else ""))
    return figures


def _figure_lines(rec: Event, lang: str) -> list[Markup]:
    """A list item's figures with their sources, in the very lines /incidents shows
    ("Killed: at least 14 · DTEK"): catalogue HTML, curated names escaped by the renderer."""
    with use_language(lang):
        return [Markup(line) for line in figure_lines(rec)]


def record_view(rec: Event, revisions: list[Revision], site: Site, lang: str) -> dict[str, Any]:
    """One record for the templates: curated values raw (Jinja escapes them), catalogue
    phrases built by the bot's own renderers as Markup."""
    moved = moved_line(rec, revisions, site.zone, site.today) if rec["kind"] == "talks" else None
    sources = rec.get("sources") or []
    # Curated texts in the page's language (handlers.localized), each with its mark when
    # shown in the original for want of a translation; a quote stays as published.
    summary, _ = localized(rec, "summary", lang)
    translation = quote_translation(rec, lang)
    return {
        "number": rec["number"],
        "id": rec["id"],
        "kind": rec["kind"],
        "title": localized(rec, "title", lang)[0],
        "title_mark": Markup(mark(rec, "title", lang)),
        "summary": summary,
        "short_summary": clip(summary, LIST_SUMMARY),
        "summary_mark": Markup(mark(rec, "summary", lang)),
        "when": Markup(when(rec, site.zone, site.today)),
        "where": Markup(where(rec)),
        "status": status_word(rec.get("status")),
        "moved": Markup(moved) if moved else None,
        "parties": party_names(rec.get("parties") or [], lang),
        "people": ", ".join(rec.get("people") or []),
        "figures": _figures(rec, lang),
        "figure_lines": _figure_lines(rec, lang),
        "sources": [
            {key: src.get(key) or "" for key in ("name", "url", "published", "quote")}
            for src in sources
        ],
        "speaker": rec.get("speaker") or "",
        "channel": rec.get("channel") or "",
        "quote": " ".join((rec.get("quote") or "").split()),
        "quote_mark": Markup(mark(rec, "quote", lang)),
        "quote_translation": (
            Markup(text("quote_translation", lang, text=Markup.escape(translation)))
            if translation
            else None
        ),
        "reported": Markup(reported(rec, 2000, lang)) if rec.get("paraphrase") else None,
        "tags": ", ".join(rec.get("tags") or []),
        "related": rec.get("related") or [],
        "note": localized(rec, "note", lang)[0],
        "note_mark": Markup(mark(rec, "note", lang)),
    }


def _talks_sections(
    store: EventStore, page: Page, site: Site, lang: str
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Talks split where the list crosses from upcoming into earlier, as /talks does."""
    moves = store.revisions_of([r["id"] for r in page.events])
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    for rec in page.events:
        key = "talks_upcoming" if store.is_upcoming(rec, site.now) else "talks_past"
        if not sections or sections[-1][0] != key:
            if page.offset == 0 and not sections and key == "talks_past":
                sections.append(("talks_upcoming", []))
            sections.append((key, []))
        sections[-1][1].append(record_view(rec, moves.get(rec["id"], []), site, lang))
    return sections


def _link(path: str, **query: Any) -> str:
    shown = {k: v for k, v in query.items() if v not in (None, "", 1)}
    return f"{path}?{urlencode(shown)}" if shown else path


def _pager(
    path: str, page: Page, number: int, lang: str, *, newest_first: bool, **query: Any
) -> dict[str, Any]:
    """Links to the pages either side, labelled as the bot's buttons are."""
    keep = {**query, "lang": lang if lang != "en" else None}
    return {
        "prev": _link(path, **keep, page=number - 1) if number > 1 else None,
        "next": _link(path, **keep, page=number + 1) if page.has_more else None,
        "prev_label": text("button_prev" if newest_first else "button_prev_plain", lang),
        "next_label": text("button_next" if newest_first else "button_next_plain", lang),
    }


def home_page(store: EventStore, site: Site, lang: str) -> WebPage:
    """Upcoming and recent talks, and the latest incidents."""
    talks = store.talks(0, PAGE_SIZE)
    incidents = store.latest("incident", offset=0, limit=PAGE_SIZE)
    return _render(
        "index.html",
        lang,
        title=text("web_home", lang),
        sections=_talks_sections(store, talks, site, lang),
        incidents=[record_view(r, [], site, lang) for r in incidents.events],
        zone=zone_label(site.zone),
    )


def talks_page(store: EventStore, site: Site, lang: str, number: int) -> WebPage:
    """Every talks round, paged like /talks: upcoming first, then earlier ones."""
    page = store.talks((number - 1) * PAGE_SIZE, PAGE_SIZE)
    status = 200 if page.events or number == 1 else 404
    return _render(
        "talks.html",
        lang,
        status,
        title=text("topic_talks", lang),
        sections=_talks_sections(store, page, site, lang),
        pager=_pager("/talks", page, number, lang, newest_first=False),
        zone=zone_label(site.zone),
    )


def incidents_page(
    store: EventStore, site: Site, lang: str, number: int, area: str, period: str
) -> WebPage:
    """Latest incidents, by area and period as /incidents AREA PERIOD; bad input is a 400."""
    area = " ".join(area.split())
    period = period.strip().lower()
    problem = None
    since = None
    if len(area) > MAX_AREA:
        problem = text("area_too_long", lang)
    elif period:
        delta = parse_period(period) if looks_like_period(period) else None
        if delta is None:
            problem = text("bad_period", lang, period=Markup.escape(period[:20]))
        else:
            since = site.now - delta
    filters = ""
    if area:
        filters += text("filter_area", lang, area=Markup.escape(area))
    if period and problem is None:
        filters += text("filter_period", lang, period=Markup.escape(period))
    if problem is not None:
        page = Page([], False, 0)
    else:
        page = store.latest(
            "incident",
            area=area or None,
            since=since,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    status = 400 if problem else 200 if page.events or number == 1 else 404
    return _render(
        "incidents.html",
        lang,
        status,
        title=text("topic_incidents", lang),
        header=Markup(text("incidents_header", lang, filters=filters)),
        empty=Markup(text("incidents_empty", lang, filters=filters)),
        problem=Markup(problem) if problem else None,
        area=area,
        period=period,
        incidents=[record_view(r, [], site, lang) for r in page.events],
        pager=_pager("/incidents", page, number, lang, newest_first=True, area=area, period=period),
        zone=zone_label(site.zone),
    )


def event_page(store: EventStore, site: Site, lang: str, ref: str) -> WebPage:
    """One record in full, as /event N shows it, sources linked; 404 when there is none."""
    try:
        rec = store.get(ref[:100])
    except EventNotFound:
        shown = Markup("<code>{}</code>").format(ref[:100])
        return error_page(404, lang, text("event_not_found", lang, ref=shown))
    revisions = store.revisions(rec["id"])
    claim = None
    if rec.get("claim"):
        lines = claim_block(rec, incidents_in_scope(store, rec), site.zone, site.today, lang)
        claim = [Markup(line) for line in lines]
    return _render(
        "event.html",
        lang,
        title=f"#{rec['number']} {localized(rec, 'title', lang)[0]}",
        r=record_view(rec, revisions, site, lang),
        claim=claim,
        history=[
            Markup(h)
            for h in history_lines(
                rec, revisions, site.zone, site.today, author=public_face(site.aliases)
            )
        ],
        zone=zone_label(site.zone),
    )


def error_page(status: int, lang: str, message: str) -> WebPage:
    """404, 405 and 400 pages: the reason in the catalogue's words, and the way home."""
    return _render("error.html", lang, status, title=str(status), message=Markup(message))
