"""Curated texts in the reader's language: the one place that decides what a reader sees of a
record's title, summary, note, quote and paraphrase.

Records are curated in English (ORIGINAL_LANGUAGE); curators may add translations
(`translations: {"uk": {...}}`, storage.model). A reader whose language has a translation of a
field sees it; otherwise the original, followed by a small mark that it is untranslated.
Quotes are never silently translated: the words as the source published them, always, then
the curator's translation below them, marked as a translation.

Every reader view (lists, /event, alerts) renders these texts through this module; curators'
previews and history show the stored values, both languages side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.catalogue import text
from handlers.i18n import current_language
from storage.model import TRANSLATABLE

# The language curated content is written in.
ORIGINAL_LANGUAGE = "en"


def language_now(lang: str | None = None) -> str:
    """`lang` when given, else the language of the update or send being rendered."""
    return lang or current_language()


def localized(event: Mapping[str, Any], field: str, lang: str) -> tuple[str, bool]:
    """(the text a reader of `lang` sees of `field`, whether it is a translation).

    The original when `lang` is the original language or has no translation of the field.
    """
    if field not in TRANSLATABLE:
        raise ValueError(f"{field!r} is not a translatable field")
    original = str(event.get(field) or "")
    if lang == ORIGINAL_LANGUAGE or not original:
        return original, False
    translated = ((event.get("translations") or {}).get(lang) or {}).get(field)
    if translated:
        return str(translated), True
    return original, False


def untranslated(event: Mapping[str, Any], field: str, lang: str) -> bool:
    """True when a reader of `lang` is shown `field` in the original for want of a translation."""
    shown, translated = localized(event, field, lang)
    return bool(shown) and lang != ORIGINAL_LANGUAGE and not translated


def mark(event: Mapping[str, Any], field: str, lang: str) -> str:
    """The small mark after an untranslated text (with its leading space), or nothing."""
    if untranslated(event, field, lang):
        return " " + text("untranslated_mark", lang)
    return ""


def quote_translation(event: Mapping[str, Any], lang: str) -> str | None:
    """The curator's translation of the quote into `lang`, shown below the published words;
    None when there is none (or the reader reads the original language)."""
    if lang == ORIGINAL_LANGUAGE or not event.get("quote"):
        return None
    translated = ((event.get("translations") or {}).get(lang) or {}).get("quote")
    return str(translated) if translated else None
