"""Web pages show each casualty figure with the source that supports it, as the chat does
("Killed: at least 14 · DTEK"), not the record's first source (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers.web_views import Site, event_page, home_page, incidents_page
from storage.events import EventStore

SITE = Site(ZoneInfo("Europe/Kyiv"), datetime(2026, 2, 2, 12, tzinfo=UTC))
DTEK = "dtek-bus-strike-dnipro-2026"
FIRST_SOURCE = "News report (seed article"


def corrected(store: EventStore) -> EventStore:
    store.update(
        DTEK,
        {"killed": {"count": 14, "qualifier": "at_least"}},
        author="tg:1",
        reason="DTEK update",
        source={"name": "DTEK <energy>", "url": "https://dtek.com"},
    )
    return store


def test_the_incidents_list_shows_the_figures_source(seeded: EventStore) -> None:
    body = incidents_page(corrected(seeded), SITE, "en", 1, "", "").body
    assert "Killed: at least 14 · DTEK &lt;energy&gt;" in body
    assert f"at least 14 · says {FIRST_SOURCE}" not in body
    assert "DTEK <energy>" not in body  # the curated name is escaped


def test_the_home_page_and_the_record_page_show_it_too(seeded: EventStore) -> None:
    store = corrected(seeded)
    assert "Killed: at least 14 · DTEK &lt;energy&gt;" in home_page(store, SITE, "en").body
    page = event_page(store, SITE, "en", "4").body
    assert "<dt>Killed</dt><dd>at least 14 · DTEK &lt;energy&gt;</dd>" in page


def test_figures_from_the_records_own_source_say_who_once(seeded: EventStore) -> None:
    body = incidents_page(seeded, SITE, "en", 1, "", "").body
    assert f"Killed: at least 12 · says {FIRST_SOURCE}" in body
    page = event_page(seeded, SITE, "en", "4").body
    assert f"<dt>Killed</dt><dd>at least 12 · {FIRST_SOURCE}" in page


def test_in_ukrainian_the_figure_line_is_in_ukrainian(seeded: EventStore) -> None:
    body = incidents_page(corrected(seeded), SITE, "uk", 1, "", "").body
    assert "Загиблих: щонайменше 14 · DTEK &lt;energy&gt;" in body
