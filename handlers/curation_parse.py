"""Reading curators' command text: the reason after a dash, field=value pairs, casualty figures
(in the one figure syntax of storage.figures: `12`, `12+`, `~12`).

Every failure is a `BadInput` whose message is catalogue HTML with the curator's text escaped,
ready to send as it is.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from handlers.catalogue import text
from handlers.render import clip, esc
from storage.figures import FigureError, read_figure
from storage.model import QUALIFIERS, TRANSLATABLE, TRANSLATION_LANGUAGES, URL_PATTERN, Event
from storage.pending import MAX_REASON
from storage.timeparse import is_clock, is_typed_day

# Where the reason starts: an em dash, "--" or an en dash (what some keyboards make of "--"),
# standing alone or at the start of a word, outside quotes; or a hyphen standing alone.
REASON_MARKS = ("—", "--", "–")
TEXT_FIELDS = (
    "title",
    "summary",
    "place",
    "region",
    "country",
    "note",
    "channel",
    "speaker",
    "quote",
    "paraphrase",
)
# A translation is set field by field: `uk.title="…"` (an empty value removes it).
TRANSLATION_FIELDS = tuple(
    f"{lang}.{field}" for lang in TRANSLATION_LANGUAGES for field in TRANSLATABLE
)
CORRECTABLE = (
    "killed",
    "injured",
    "killed_qualifier",
    "injured_qualifier",
    *TEXT_FIELDS,
    "time_precision",
    "status",
    "start",
    "end",
    "timezone",
    *TRANSLATION_FIELDS,
)
EMPTY_WORDS = ("none", "unknown", "-", "?", "")
MAX_SOURCE_NAME = 200
_SHOWN = 60  # characters of a curator's value quoted back in an error


class BadInput(ValueError):
    """The command cannot be read; the message is ready-to-send HTML."""


@dataclass(frozen=True)
class Command:
    """A curator's command: its words (quotes resolved), the reason, the source if given."""

    words: list[str]
    reason: str
    source: dict[str, Any] | None


def shown(value: str) -> str:
    """A curator's value, clipped and escaped, for quoting back in a message."""
    return f"<code>{esc(clip(value, _SHOWN))}</code>"


def _reason_start(raw: str) -> tuple[int, int] | None:
    """(start, length) of the first reason mark outside quotes that begins a word."""
    quote = ""
    for i, char in enumerate(raw):
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "\"'" and (i == 0 or raw[i - 1].isspace() or raw[i - 1] == "="):
            quote = char
            continue
        if i and not raw[i - 1].isspace():
            continue
        for mark in REASON_MARKS:
            if raw.startswith(mark, i):
                return i, len(mark)
        # A lone hyphen too (a phone keyboard's dash), but not a value's leading minus.
        if char == "-" and (i + 1 == len(raw) or raw[i + 1].isspace()):
            return i, 1
    return None


def parse_source(value: str) -> dict[str, Any]:
    """'Name [https://link]' -> {"name": ..., "url": ...}; BadInput when unusable."""
    words = value.split()
    url = None
    if words and re.match(r"^https?://", words[-1], re.IGNORECASE):
        url = words.pop()
        if not URL_PATTERN.match(url):
            raise BadInput(text("cur_bad_url", url=shown(url)))
    name = " ".join(words)
    if not name:
        raise BadInput(text("cur_bad_source"))
    if len(name) > MAX_SOURCE_NAME:
        raise BadInput(text("cur_too_long", what="source", length=len(name), limit=MAX_SOURCE_NAME))
    return {"name": name, "url": url} if url else {"name": name}


def split_reason(raw: str) -> tuple[str, str, dict[str, Any] | None]:
    """(arguments, reason, source) from `ARGS — REASON | SOURCE`."""
    found = _reason_start(raw)
    if found is None:
        return raw, "", None
    start, length = found
    head, tail = raw[:start], raw[start + length :].strip()
    reason, bar, source_text = tail.partition("|")
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise BadInput(text("cur_reason_too_long", length=len(reason), limit=MAX_REASON))
    source = parse_source(source_text.strip()) if bar else None
    return head, reason, source


def parse_command(raw: str) -> Command:
    """Split a command's text after its name into words, reason and source."""
    head, reason, source = split_reason(raw)
    try:
        words = shlex.split(head)
    except ValueError as exc:  # shlex's own words are English: say it in the catalogue's
        key = "cur_quotes_escape" if "escaped" in str(exc) else "cur_quotes_unclosed"
        raise BadInput(text("cur_bad_quotes", problem=text(key))) from None
    return Command(words, reason, source)


# Why a figure could not be read (storage.figures.FigureError.problem) -> catalogue key.
FIGURE_PROBLEMS = {
    "negative": "cur_negative",
    "not_number": "cur_bad_casualty",
    "too_big": "cur_figure_too_big",
    "qualifier": "cur_bad_qualifier",
}


def parse_figure(field: str, value: str) -> dict[str, Any] | None:
    """`12` exactly, `12+` at least, `~12` about, `none` unknown: the one figure syntax
    (storage.figures), its failures told in the curator's language."""
    try:
        return read_figure(value)
    except FigureError as exc:
        key = FIGURE_PROBLEMS[exc.problem]
        raise BadInput(text(key, field=esc(field), value=shown(exc.value))) from None


def field_pairs(words: list[str]) -> list[tuple[str, str]]:
    """`field=value` words as pairs; BadInput for anything else, unknown or repeated fields.
    A time of day after a day is part of it: `start=tomorrow 14:00` as /add reads it."""
    pairs: list[tuple[str, str]] = []
    for word in words:
        last = pairs[-1] if pairs else ("", "")
        if last[0] in ("start", "end") and is_clock(word) and is_typed_day(last[1].strip()):
            pairs[-1] = (last[0], f"{last[1].strip()} {word}")
            continue
        name, equals, value = word.partition("=")
        name = name.strip().lower()
        if not equals:
            raise BadInput(text("cur_not_field_value", word=shown(word)))
        if name not in CORRECTABLE:
            raise BadInput(
                text("cur_unknown_field", field=shown(name), fields=esc(", ".join(CORRECTABLE)))
            )
        if any(name == seen for seen, _ in pairs):
            raise BadInput(text("cur_field_twice", field=esc(name)))
        pairs.append((name, value))
    if not pairs:
        raise BadInput(text("cur_usage_correct", fields=esc(", ".join(CORRECTABLE))))
    return pairs


def corrections(pairs: list[tuple[str, str]], event: Event) -> dict[str, Any]:
    """The field changes the pairs ask for, read against the event as it stands."""
    changes: dict[str, Any] = {}
    for name, value in pairs:
        if name in TRANSLATION_FIELDS:
            lang, _, field = name.partition(".")
            current = changes.get("translations", event.get("translations") or {})
            translations = {k: dict(v) for k, v in current.items()}
            translations.setdefault(lang, {})[field] = value.strip()
            changes["translations"] = translations
        elif name in ("killed", "injured"):
            changes[name] = parse_figure(name, value)
        elif name == "end":
            changes[name] = None if value.strip().lower() in EMPTY_WORDS else value.strip()
        elif name not in ("killed_qualifier", "injured_qualifier"):
            changes[name] = value.strip()
    for name, value in pairs:
        if name in ("killed_qualifier", "injured_qualifier"):
            base = name.removesuffix("_qualifier")
            figure = changes.get(base, event.get(base))
            qualifier = value.strip().lower().replace("-", "_")
            if qualifier not in QUALIFIERS:
                raise BadInput(text("cur_bad_qualifier", field=esc(base), value=shown(value)))
            if not figure:
                raise BadInput(text("cur_no_figure", field=esc(base)))
            changes[base] = {"count": figure["count"], "qualifier": qualifier}
    return changes
