"""Every user-facing string, by language: one module per language in handlers/locales/
(`en.py`, `uk.py`, …), each a `MESSAGES` dict with the same keys and placeholders.

A third language is one more file there and nothing more: handlers.i18n finds it. Every
render reads the language of the update or send being handled (`current_language()`); a key
missing from a language falls back to English, so a partial translation never leaves a
reader without an answer. Placeholders are filled with already-escaped HTML.

Plural messages are keys ending in a CLDR plural category (`alert_moves.one`,
`alert_moves.few`, …): `plural()` lets Babel pick the category for the count and language.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from handlers.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _load(lang: str) -> dict[str, str]:
    messages = importlib.import_module(f"handlers.locales.{lang}").MESSAGES
    assert isinstance(messages, dict)
    return messages


CATALOGUES: dict[str, dict[str, str]] = {lang: _load(lang) for lang in LANGUAGES}
EN = CATALOGUES[DEFAULT_LANGUAGE]


@cache
def locale(lang: str) -> Locale:
    """Babel's locale for a catalogue language."""
    return Locale.parse(lang)


def text(key: str, lang: str | None = None, **values: Any) -> str:
    """The message `key` in `lang` (default: the current language; falling back to English),
    with placeholders filled."""
    chosen = lang or current_language()
    template = CATALOGUES.get(chosen, EN).get(key) or EN[key]
    return template.format(**values) if values else template


def plural(key: str, count: int, lang: str | None = None, **values: Any) -> str:
    """The form of plural message `key` for `count` in `lang`: Babel (CLDR) picks the
    category (Ukrainian: 1 раз, 2 рази, 5 разів, 21 раз), `{count}` is the number as that
    language writes it. A language lacking the form falls back to its `other`, then English."""
    chosen = lang or current_language()
    if chosen not in CATALOGUES:
        chosen = DEFAULT_LANGUAGE
    category = locale(chosen).plural_form(count)
    catalogue = CATALOGUES[chosen]
    template = catalogue.get(f"{key}.{category}") or catalogue.get(f"{key}.other")
    if template is None:
        chosen, catalogue = DEFAULT_LANGUAGE, EN
        template = EN.get(f"{key}.{locale(chosen).plural_form(count)}") or EN[f"{key}.other"]
    shown = format_decimal(count, locale=locale(chosen))
    return template.format(count=shown, **values)


def plural_key(key: str) -> str | None:
    """The message a plural form belongs to (`alert_moves.few` -> `alert_moves`), else None."""
    base, dot, category = key.rpartition(".")
    return base if dot and category in PLURAL_CATEGORIES else None
