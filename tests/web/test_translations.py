"""Web pages and the calendar show curated texts in the page's language, through the same
helper as the chat (handlers.localized): translation, or the original with its mark; a
quote as published with its translation beneath it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from handlers.calendar import talks_calendar
from handlers.catalogue import text
from handlers.web_views import Site, event_page, incidents_page
from storage.events import EventStore
from storage.public import talks_rounds

SITE = Site(ZoneInfo("Europe/Kyiv"), datetime(2026, 2, 2, 12, tzinfo=UTC))
ABU_DHABI = "abu-dhabi-trilateral-2026-02"


def test_a_ukrainian_page_shows_the_translation_and_marks_the_untranslated_note(
    seeded: EventStore,
) -> None:
    body = event_page(seeded, SITE, "uk", "5").body
    assert "<h1>#5 Атака російського дрона на пологовий будинок у Запоріжжі" in body
    assert "Українські служби екстреного реагування" in body
    mark = text("untranslated_mark", "uk")
    assert f"{mark}</h1>" not in body
    assert "Кількість — за даними українських служб" in body and mark not in body
    english = event_page(seeded, SITE, "en", "5").body
    assert "Атака" not in english and mark not in english
    # Without its translation, the note is shown in English, marked.
    seeded.update(
        "zaporizhzhia-maternity-hospital-strike-2026",
        {"translations": {"uk": {"title": "Атака російського дрона"}}},
        author="a",
    )
    body = event_page(seeded, SITE, "uk", "5").body
    assert f"2026. {mark}</p>" in body


def test_a_ukrainian_list_marks_an_untranslated_record(seeded: EventStore) -> None:
    seeded.update("zaporizhzhia-maternity-hospital-strike-2026", {"translations": {}}, author="a")
    body = incidents_page(seeded, SITE, "uk", 1, "", "").body
    mark = text("untranslated_mark", "uk")
    assert f"injures six</a> {mark}</h3>" in body
    assert "Удар російського дрона по автобусу ДТЕК" in body


def test_a_quote_page_shows_the_published_words_then_the_translation(seeded: EventStore) -> None:
    body = event_page(seeded, SITE, "uk", "6").body
    published = body.index("<blockquote>“Ukraine is ready for substantive talks")
    translated = body.index("Україна готова до предметних переговорів, і ми зацікавлені")
    assert published < translated
    assert "“Україна" not in body


def test_the_calendar_in_ukrainian_has_the_translated_title_and_summary(
    seeded: EventStore,
) -> None:
    cal = Calendar.from_ical(talks_calendar(talks_rounds(seeded), lang="uk"))
    [event] = [e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{ABU_DHABI}@sitrep"]
    assert str(event["SUMMARY"]) == "Тристоронні переговори США, Росії та України в Абу-Дабі"
    assert "Тристоронній раунд мирних переговорів" in str(event["DESCRIPTION"])
    cal = Calendar.from_ical(talks_calendar(talks_rounds(seeded), lang="en"))
    [event] = [e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{ABU_DHABI}@sitrep"]
    assert str(event["SUMMARY"]) == "Trilateral US–Russia–Ukraine talks in Abu Dhabi"
