"""The catalogue in every language: same keys, same placeholders, valid Telegram HTML, CLDR
plurals, Babel dates, and English where a translation is missing."""

from __future__ import annotations

import string
from datetime import date
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from handlers.catalogue import CATALOGUES, EN, plural, plural_key, text
from handlers.i18n import DEFAULT_LANGUAGE, LANGUAGES, use_language
from handlers.render import MAX_MESSAGE
from handlers.when import compact_span, duration, format_span
from standin import check_telegram_html, visible_length

KYIV = ZoneInfo("Europe/Kyiv")
FORMATTER = string.Formatter()
# Keys that are CLDR patterns or styles for Babel, not messages.
PATTERNS = {"date_weekday", "date_month", "date_month_year", "date_clock", "duration_length"}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in FORMATTER.parse(template) if field}


def messages(lang: str) -> dict[str, set[str]]:
    """Each message (plural forms joined under their base) and its placeholders."""
    found: dict[str, set[str]] = {}
    for key, template in CATALOGUES[lang].items():
        base = plural_key(key)
        # A plural form may leave the count implicit ("moved once").
        shown = placeholders(template) - ({"count"} if base else set())
        found.setdefault(base or key, set()).update(shown)
    return found


def test_the_languages_are_the_locale_files() -> None:
    files = {
        entry.name.removesuffix(".py")
        for entry in resources.files("handlers.locales").iterdir()
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    }
    assert set(LANGUAGES) == files == set(CATALOGUES)
    assert {"en", "uk"} <= files
    assert LANGUAGES[0] == DEFAULT_LANGUAGE


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_key_in_every_language_with_the_same_placeholders(lang: str) -> None:
    english, other = messages(DEFAULT_LANGUAGE), messages(lang)
    assert sorted(set(english) - set(other)) == [], "untranslated"
    assert sorted(set(other) - set(english)) == [], "not in English"
    different = {k: (english[k], other[k]) for k in english if english[k] != other[k]}
    assert different == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_has_the_forms_its_language_needs(lang: str) -> None:
    needed = set(Locale.parse(lang).plural_form.tags) | {"other"}
    bases = {plural_key(k) for k in CATALOGUES[lang]} - {None}
    assert bases, "no plural messages"
    for base in bases:
        forms = {k.rpartition(".")[2] for k in CATALOGUES[lang] if plural_key(k) == base}
        assert forms == needed, base


def sample(template: str) -> dict[str, str]:
    # Placeholders are filled with escaped HTML: a bit of markup and an escaped character.
    return {name: f"<b>{name}</b> &amp; 12" for name in placeholders(template)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_renders_to_valid_telegram_html(lang: str) -> None:
    for key, template in CATALOGUES[lang].items():
        if key in PATTERNS:
            continue
        shown = template.format(**sample(template))
        assert check_telegram_html(shown) is None, (lang, key, shown)
        assert 0 < visible_length(shown) <= MAX_MESSAGE, (lang, key)
        if key.startswith(("button_", "cur_button_", "cur_add_button_", "language_name")):
            assert visible_length(shown) <= 64, (lang, key)
        if key.startswith("cmd_"):
            assert 1 <= len(shown) <= 256, (lang, key)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 разів"),
        (1, "1 раз"),
        (2, "2 рази"),
        (5, "5 разів"),
        (11, "11 разів"),
        (21, "21 раз"),
        (22, "22 рази"),
        (25, "25 разів"),
        (101, "101 раз"),
    ],
)
def test_ukrainian_plural_forms(count: int, expected: str) -> None:
    assert plural("alert_moves", count, "uk") == f"Цей раунд переносили {expected}."


def test_english_plural_forms() -> None:
    assert plural("alert_moves", 1, "en") == "This round has moved once."
    assert plural("alert_moves", 2, "en") == "This round has moved 2 times."
    assert plural("alert_moves", 21, "en") == "This round has moved 21 times."
    assert plural("moved_times", 1000, "en") == " (moved 1,000 times)"


def test_the_current_language_picks_the_catalogue() -> None:
    assert text("talks_header") == "<b>Peace talks</b>"
    with use_language("uk"):
        assert text("talks_header") == "<b>Мирні переговори</b>"
        assert plural("alert_moves", 5).endswith("5 разів.")
    assert text("talks_header", "uk") == "<b>Мирні переговори</b>"


def test_a_missing_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    # A test-only language with one message and one plural form of its own.
    partial = {"talks_header": "<b>Rozmowy</b>", "alert_moves.other": "Przeniesiono {count}."}
    monkeypatch.setitem(CATALOGUES, "pl", partial)
    assert text("talks_header", "pl") == "<b>Rozmowy</b>"
    assert text("talks_empty", "pl") == EN["talks_empty"]
    assert text("event_not_found", "pl", ref="#9").startswith("There is no record #9")
    # Polish needs `few` for 2; without it the language's own `other` form is used.
    assert plural("alert_moves", 2, "pl") == "Przeniesiono 2."
    # A plural message the language lacks entirely: English, with English rules.
    assert plural("moved_times", 2, "pl") == " (moved 2 times)"


def test_dates_come_from_babel_in_each_language() -> None:
    today = date(2026, 1, 20)
    with use_language("en"):
        assert format_span("2026-02-04", "2026-02-05", "day", reader_zone=KYIV, today=today) == (
            "Wed 4 – Thu 5 Feb"
        )
        assert compact_span("2026-02-04", "2026-02-05", KYIV, today) == "4–5 Feb"
        assert compact_span("2026-02-01", None, KYIV, today) == "1 Feb"
        assert format_span("2026-01", None, "month", reader_zone=KYIV) == "Jan 2026"
        assert duration(1440) == "1d" and duration(60) == "1h" and duration(90) == "90m"
    with use_language("uk"):
        assert format_span("2026-02-04", "2026-02-05", "day", reader_zone=KYIV, today=today) == (
            "ср 4 – чт 5 лютого"
        )
        assert compact_span("2026-02-04", "2026-02-05", KYIV, today) == "4–5 лютого"
        assert compact_span("2026-02-01", None, KYIV, today) == "1 лютого"
        assert compact_span("2026-01-30", "2026-02-02", KYIV, today) == "30 січня – 2 лютого"
        # A month alone is named in the nominative, a day's month in the genitive.
        assert format_span("2026-01", None, "month", reader_zone=KYIV) == "січень 2026"
        assert format_span("2026-02-04", None, "approximate", reader_zone=KYIV, today=today) == (
            "приблизно ср 4 лютого"
        )
        assert duration(1440) == "1 дн." and duration(60) == "1 год"
