"""A record as the events table stores it, and back: JSON text, split casualty figures, keys.

Bulk imports convert a few hundred thousand records: the helpers here cache what repeats
(zones, spans, lists of parties and tags) and build rows with as little work as they can.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, cast

from storage.gazetteer import place_key, region_key
from storage.model import CONTENT_FIELDS, LIST_FIELDS, Event
from storage.timeparse import iso_utc, parse_when, zone_or_error

JSON_COLUMNS = (*LIST_FIELDS, "sources")
CASUALTY_FIELDS = ("killed", "injured")
# A claim is one JSON column, NULL for a statement that is no claim (the /claims index);
# translations likewise, NULL for a record with none.
JSON_OR_NULL = ("claim", "translations")
_PLAIN_FIELDS = tuple(key for key in CONTENT_FIELDS if key not in (*CASUALTY_FIELDS, *JSON_OR_NULL))
_plain_values = itemgetter(*_PLAIN_FIELDS)
# The stored columns that hold curated content, in a fixed order (see `stored_form`).
CONTENT_COLUMNS = (
    *_PLAIN_FIELDS,
    *JSON_OR_NULL,
    "killed",
    "killed_qualifier",
    "injured",
    "injured_qualifier",
)
_stored_values = itemgetter(*CONTENT_COLUMNS)
# The columns record_from_row reads: bulk lookups fetch only these.
RECORD_COLUMNS = (
    "id",
    "number",
    "sequence",
    *CONTENT_FIELDS,
    "killed_qualifier",
    "injured_qualifier",
)

# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
encode = json.JSONEncoder(ensure_ascii=False).encode
_iso_utc = lru_cache(maxsize=16)(iso_utc)


@lru_cache(maxsize=8192)
def utc_span(start: str, end: str | None, timezone: str) -> tuple[str, str]:
    """The indexed UTC bounds of a start and end read in a zone (few distinct values in bulk)."""
    zone = zone_or_error(timezone)
    first = parse_when(start)
    last = parse_when(end) if end else first
    return iso_utc(first.start_utc(zone)), iso_utc(last.end_utc(zone))


@lru_cache(maxsize=8192)
def _encode_texts(texts: tuple[str, ...]) -> str:
    return encode(list(texts))


def _content_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A record's content as the events table stores it (JSON text, split casualty figures)."""
    row = dict(zip(_PLAIN_FIELDS, _plain_values(rec), strict=True))
    for key in JSON_COLUMNS:
        value = rec[key]
        if not value:
            row[key] = "[]"
        elif all(type(v) is str for v in value):
            row[key] = _encode_texts(tuple(value))  # parties and tags repeat a lot
        else:
            row[key] = encode(value)
    for key in CASUALTY_FIELDS:
        value = rec.get(key)
        row[key] = value["count"] if value else None
        row[f"{key}_qualifier"] = value["qualifier"] if value else None
    for key in JSON_OR_NULL:
        value = rec.get(key)
        row[key] = encode(value) if value else None
    return row


# What search reads of a record's translations: the fields it reads of the original (the
# curator's note is not searched, in either language).
SEARCHED_TRANSLATIONS = ("title", "summary", "quote", "paraphrase")


def translations_text(rec: dict[str, Any]) -> str:
    """Every searched translated text of a record, one per line: what full-text search reads
    of them."""
    return "\n".join(
        text
        for fields in (rec.get("translations") or {}).values()
        for name, text in fields.items()
        if name in SEARCHED_TRANSLATIONS
    )


def row_from_record(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The whole events row of a valid, numbered and sequenced record, as written at `now`."""
    start_utc, end_utc = utc_span(rec["start"], rec.get("end") or None, rec["timezone"])
    row = _content_row(rec)
    row.update(
        id=rec["id"],
        number=rec["number"],
        sequence=rec["sequence"],
        start_utc=start_utc,
        end_utc=end_utc,
        region_key=region_key(rec["region"]),
        place_key=place_key(rec["place"]),
        translations_text=translations_text(rec),
        updated_at=_iso_utc(now),
    )
    return row


def stored_form(rec: dict[str, Any]) -> tuple[Any, ...]:
    """A valid record's content exactly as the events table would hold it.

    Equal stored forms mean equal content, so a re-import can skip decoding rows that match;
    unequal ones may still be equal content (JSON written with its keys in another order), so
    they are compared field by field.
    """
    return tuple(_stored_values(_content_row(rec)))


def record_from_row(row: dict[str, Any]) -> Event:
    """The export form of a database row (without revisions)."""
    rec: dict[str, Any] = {key: row[key] for key in CONTENT_FIELDS}
    for key in JSON_COLUMNS:
        text = rec[key]
        rec[key] = [] if text == "[]" else json.loads(text)
    for key in CASUALTY_FIELDS:
        count = rec[key]
        if count is not None:
            rec[key] = {"count": count, "qualifier": row[f"{key}_qualifier"]}
    if rec["claim"] is not None:
        rec["claim"] = json.loads(rec["claim"])
    text = rec["translations"]
    rec["translations"] = json.loads(text) if text else {}
    rec["id"] = row["id"]
    rec["number"] = row["number"]
    rec["sequence"] = row["sequence"]
    return cast(Event, rec)


def quoted(name: str) -> str:
    """A column name as an SQL identifier."""
    return f'"{name}"'
