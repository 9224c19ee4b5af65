"""The event record: its fields, their allowed values, and validation.

An event is a plain dict in the export format (see README, "Data format"). Validation returns
every problem it finds rather than stopping at the first, so an import can list them all.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from storage.problems import CodedError, describe
from storage.timeparse import TimeFormatError, parse_when, zone_or_error

KINDS = ("talks", "incident", "statement")
STATUSES: dict[str, tuple[str, ...]] = {
    "talks": ("scheduled", "postponed", "held", "cancelled"),
    "incident": ("reported", "confirmed"),
    "statement": (),
}
PRECISIONS = ("exact", "day", "month", "approximate")
QUALIFIERS = ("at_least", "about", "exact")
# A claim's status is set by curators, with a source for anything but "unverified".
CLAIM_STATUSES = ("unverified", "confirmed", "disputed", "false")
CLAIM_KEYS = ("status", "scope", "reason", "source")
MAX_SCOPE = 20
MAX_CLAIM_REASON = 500

# Export order. `number`, `sequence` and `revisions` are bookkeeping, not curated content.
FIELDS = (
    "id",
    "number",
    "kind",
    "title",
    "summary",
    "status",
    "start",
    "end",
    "time_precision",
    "timezone",
    "place",
    "region",
    "country",
    "latitude",
    "longitude",
    "parties",
    "people",
    "killed",
    "injured",
    "speaker",
    "quote",
    "paraphrase",
    "channel",
    "claim",
    "tags",
    "related",
    "sources",
    "note",
    "translations",
    "sequence",
    "revisions",
)
BOOKKEEPING = ("id", "number", "sequence", "revisions")
CONTENT_FIELDS = tuple(f for f in FIELDS if f not in BOOKKEEPING)
LIST_FIELDS = ("parties", "people", "tags", "related")
# A source may say which fields it supports (a correction's source: `supports: [killed]`);
# without `supports` it stands behind the whole record.
SOURCE_KEYS = ("name", "url", "published", "quote", "supports")
SUPPORTABLE = tuple(f for f in CONTENT_FIELDS if f not in ("sources", "note"))
SCHEDULE_FIELDS = ("start", "end", "place", "region", "country", "timezone", "status")

# \Z, not $: "$" also matches before a trailing newline. An id needs a non-digit, so it can
# never be mistaken for an event's short number (/event 3).
ID_PATTERN = re.compile(r"^(?![0-9]+\Z)[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]{1,2000}\Z")
MAX_TEXT = {
    "title": 200,
    "summary": 3000,
    "place": 120,
    "region": 120,
    "country": 80,
    "speaker": 120,
    "quote": 2000,
    "paraphrase": 2000,
    "channel": 120,
    "note": 3000,
}


# Curated content is written in English; these are the languages it may be translated into,
# and the fields a translation may carry (each within its field's own MAX_TEXT). A language
# here also needs its catalogue (handlers/i18n.py LANGUAGES) for readers to see it.
TRANSLATION_LANGUAGES = ("uk",)
TRANSLATABLE = ("title", "summary", "note", "quote", "paraphrase")


class Source(TypedDict, total=False):
    """Where a record's facts come from; only `name` is required."""

    name: str
    url: str | None
    published: str | None
    quote: str | None
    supports: list[str]  # the fields it stands behind; absent: the whole record


class Casualties(TypedDict):
    count: int
    qualifier: str  # one of QUALIFIERS


class ClaimSource(TypedDict, total=False):
    name: str
    url: str | None


class Claim(TypedDict, total=False):
    """A statement that is a claim: its status as curators set it, on whose word, and the
    places, regions or countries it is about. The date it was made is the statement's."""

    status: str  # one of CLAIM_STATUSES; required
    scope: list[str]  # required, 1 to MAX_SCOPE entries
    reason: str
    source: ClaimSource


class Event(TypedDict):
    """A stored, valid event as the store reads it back (the export format's fields).

    Records on their way in (an import file, a curator's draft) are plain dicts until they
    pass validation; what the store returns is an Event, so a misspelt field is a type error.
    """

    id: str
    number: int
    kind: str
    title: str
    summary: str
    status: str | None
    start: str
    end: str | None
    time_precision: str
    timezone: str
    place: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None
    parties: list[str]
    people: list[str]
    killed: Casualties | None
    injured: Casualties | None
    speaker: str
    quote: str  # only words the source prints inside quotation marks, exactly
    paraphrase: str  # reported speech: never shown in quotation marks
    channel: str
    claim: Claim | None
    tags: list[str]
    related: list[str]
    sources: list[Source]
    note: str
    # {"uk": {"title": ..., "summary": ...}}: a curator's translations; {} when none
    translations: dict[str, dict[str, str]]
    sequence: int
    revisions: NotRequired[list[dict[str, Any]]]  # only in an export


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one field of one record: a code and its parameters, which the
    catalogue words (`problem_<code>`) in the language of whoever reads it."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, where: str, exc: CodedError) -> FieldError:
        """The field's problem that a coded error (a date, a zone) names."""
        return cls(where, exc.code, exc.params)

    def __str__(self) -> str:
        return f"{self.field}: {describe(self.code, self.params)}"


class InvalidEvent(ValueError):
    """A record failed validation; `errors` lists every problem."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def blank_event() -> dict[str, Any]:
    """Every content field at its empty value."""
    return {
        "id": None,
        "number": None,
        "kind": None,
        "title": "",
        "summary": "",
        "status": None,
        "start": None,
        "end": None,
        "time_precision": "day",
        "timezone": "UTC",
        "place": "",
        "region": "",
        "country": "",
        "latitude": None,
        "longitude": None,
        "parties": [],
        "people": [],
        "killed": None,
        "injured": None,
        "speaker": "",
        "quote": "",
        "paraphrase": "",
        "channel": "",
        "claim": None,
        "tags": [],
        "related": [],
        "sources": [],
        "note": "",
        "translations": {},
        "sequence": None,
        "revisions": [],
    }


def cite(
    sources: list[dict[str, Any]], source: dict[str, Any], fields: list[str]
) -> list[dict[str, Any]]:
    """The record's sources with `source` added as the one behind `fields` (a correction's
    source). Other sources stop claiming those fields; a source already cited for the whole
    record stays so. The newest supporter of a field comes last."""
    fields = [f for f in fields if f in SUPPORTABLE]
    if not fields or not source.get("name"):
        return list(sources)
    key = (source.get("name"), source.get("url") or None)
    out: list[dict[str, Any]] = []
    same: dict[str, Any] | None = None
    for src in sources:
        if (src.get("name"), src.get("url") or None) == key:
            same = src
            continue
        if isinstance(src.get("supports"), list):
            src = {**src, "supports": [f for f in src["supports"] if f not in fields]}
        out.append(src)
    if same is not None and "supports" not in same:
        # Already behind the whole record: it stays in its place.
        index = sources.index(same)
        return [*out[:index], same, *out[index:]]
    merged = dict(same or {k: v for k, v in source.items() if k in SOURCE_KEYS and v})
    merged["supports"] = list(dict.fromkeys([*(merged.get("supports") or []), *fields]))
    return [*out, merged]


def source_of(rec: Mapping[str, Any], field: str) -> Mapping[str, Any] | None:
    """The source behind a field: the newest that names it, else the first behind the whole
    record."""
    sources = [s for s in rec.get("sources") or [] if isinstance(s, dict)]
    for src in reversed(sources):
        if field in (src.get("supports") or []):
            return src
    return next((s for s in sources if "supports" not in s), None)


def normalise(record: dict[str, Any]) -> dict[str, Any]:
    """Fill absent fields with their empty values; keep unknown keys so validation names them."""
    out = blank_event()
    for key, value in record.items():
        out[key] = value
    for key in ("title", "summary", "place", "region", "country", "speaker", "quote", "paraphrase"):
        if isinstance(out[key], str):
            out[key] = out[key].strip()
    for key in ("channel", "note", "quote", "paraphrase"):
        if out[key] is None:
            out[key] = ""
    for key in LIST_FIELDS:
        if out[key] is None:
            out[key] = []
    out["translations"] = normalise_translations(out["translations"])
    return out


def normalise_translations(value: Any) -> Any:
    """Translations with their texts stripped and empty ones left out (an empty text is no
    translation), so equal content compares equal; anything malformed is kept for validation
    to name."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    for lang, fields in value.items():
        if not isinstance(fields, dict):
            out[lang] = fields
            continue
        kept = {
            name: text.strip() if isinstance(text, str) else text
            for name, text in fields.items()
            if not (isinstance(text, str) and not text.strip()) and text is not None
        }
        if kept:
            out[lang] = kept
    return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_text(rec: dict[str, Any], errors: list[FieldError]) -> None:
    for key, limit in MAX_TEXT.items():
        value = rec.get(key)
        if not isinstance(value, str):
            errors.append(FieldError(key, "not_text"))
        elif len(value) > limit:
            errors.append(FieldError(key, "too_long", {"length": len(value), "limit": limit}))
    if isinstance(rec.get("title"), str) and not rec["title"]:
        errors.append(FieldError("title", "required"))


def _check_times(rec: dict[str, Any], errors: list[FieldError]) -> None:
    zone = None
    try:
        zone = zone_or_error(rec.get("timezone"))  # type: ignore[arg-type]
    except CodedError as exc:
        errors.append(FieldError.of("timezone", exc))
    if rec.get("time_precision") not in PRECISIONS:
        errors.append(FieldError("time_precision", "one_of", {"choices": PRECISIONS}))
    start = end = None
    if rec.get("start") in (None, ""):
        errors.append(FieldError("start", "start_required"))
    else:
        try:
            start = parse_when(rec["start"])
        except TimeFormatError as exc:
            errors.append(FieldError.of("start", exc))
    if rec.get("end") not in (None, ""):
        try:
            end = parse_when(rec["end"])
        except TimeFormatError as exc:
            errors.append(FieldError.of("end", exc))
    if start and rec.get("time_precision") == "exact" and start.resolution != "instant":
        errors.append(FieldError("time_precision", "exact_needs_time"))
    if start and rec.get("time_precision") == "day" and start.resolution == "month":
        errors.append(FieldError("time_precision", "day_needs_day"))
    if start and end and zone and end.end_utc(zone) <= start.start_utc(zone):
        errors.append(FieldError("end", "end_before_start", {"end": end.text, "start": start.text}))


def _check_casualties(rec: dict[str, Any], errors: list[FieldError]) -> None:
    for key in ("killed", "injured"):
        value = rec.get(key)
        if value is None:
            continue
        if rec.get("kind") != "incident":
            errors.append(FieldError(key, "casualties_not_incident"))
            continue
        if not isinstance(value, dict) or set(value) - {"count", "qualifier"}:
            errors.append(FieldError(key, "casualties_form"))
            continue
        count = value.get("count")
        if not isinstance(count, int) or isinstance(count, bool):
            errors.append(FieldError(key, "count_not_whole", {"value": f"{count!r:.40}"}))
        elif count < 0:
            errors.append(FieldError(key, "count_negative", {"count": count}))
        elif count > 10_000_000:
            errors.append(FieldError(key, "count_implausible", {"count": count}))
        if value.get("qualifier") not in QUALIFIERS:
            errors.append(FieldError(key, "qualifier_one_of", {"choices": QUALIFIERS}))


def _check_sources(rec: dict[str, Any], errors: list[FieldError]) -> None:
    sources = rec.get("sources")
    if not isinstance(sources, list) or not sources:
        errors.append(FieldError("sources", "source_required"))
        return
    for i, src in enumerate(sources, 1):
        where = f"sources[{i}]"
        if not isinstance(src, dict):
            errors.append(FieldError(where, "shape", {"keys": SOURCE_KEYS}))
            continue
        unknown = [str(k) for k in src if k not in SOURCE_KEYS]
        if unknown:
            errors.append(FieldError(where, "unknown_keys", {"keys": tuple(sorted(unknown))}))
        supports = src.get("supports")
        if supports is not None and (
            not isinstance(supports, list)
            or not all(isinstance(f, str) and f in SUPPORTABLE for f in supports)
        ):
            errors.append(FieldError(f"{where}.supports", "supports_form"))
        _check_name_and_url(src, where, errors)
        published = src.get("published")
        if published not in (None, ""):
            try:
                parse_when(published)
            except TimeFormatError as exc:
                errors.append(FieldError.of(f"{where}.published", exc))
        quote = src.get("quote")
        if quote is not None and (not isinstance(quote, str) or len(quote) > 2000):
            errors.append(FieldError(f"{where}.quote", "text_at_most", {"limit": 2000}))


def check_claim_source(source: Any, where: str, errors: list[FieldError]) -> None:
    """A source as a change names it: {name, url?}."""
    if not isinstance(source, dict):
        errors.append(FieldError(where, "shape", {"keys": ("name", "url")}))
        return
    unknown = [str(k) for k in source if k not in ("name", "url")]
    if unknown:
        errors.append(FieldError(where, "unknown_keys", {"keys": tuple(sorted(unknown))}))
    _check_name_and_url(source, where, errors)


def _check_name_and_url(source: dict[str, Any], where: str, errors: list[FieldError]) -> None:
    """Any source, a record's or a change's: a name of 1 to 200 characters, maybe a web link."""
    name = source.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors.append(FieldError(f"{where}.name", "source_name", {"limit": 200}))
    url = source.get("url")
    if url not in (None, "") and (not isinstance(url, str) or not URL_PATTERN.match(url)):
        errors.append(FieldError(f"{where}.url", "url_form"))


def _check_claim(rec: dict[str, Any], errors: list[FieldError]) -> None:
    """A claim: {status, scope: [places or regions], reason?, source?} on a statement."""
    claim = rec.get("claim")
    if claim is None:
        return
    if rec.get("kind") != "statement":
        errors.append(FieldError("claim", "claim_not_statement"))
        return
    if not isinstance(claim, dict):
        errors.append(FieldError("claim", "shape", {"keys": CLAIM_KEYS}))
        return
    unknown = [str(k) for k in claim if k not in CLAIM_KEYS]
    if unknown:
        errors.append(FieldError("claim", "unknown_keys", {"keys": tuple(sorted(unknown))}))
    status = claim.get("status")
    if status not in CLAIM_STATUSES:
        errors.append(FieldError("claim.status", "one_of", {"choices": CLAIM_STATUSES}))
    scope = claim.get("scope")
    if (
        not isinstance(scope, list)
        or not scope
        or len(scope) > MAX_SCOPE
        or not all(isinstance(s, str) and 0 < len(s.strip()) <= 120 for s in scope)
    ):
        errors.append(FieldError("claim.scope", "scope_form", {"limit": MAX_SCOPE}))
    reason = claim.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_CLAIM_REASON):
        errors.append(FieldError("claim.reason", "text_at_most", {"limit": MAX_CLAIM_REASON}))
    source = claim.get("source")
    if source is not None:
        check_claim_source(source, "claim.source", errors)
    elif status in CLAIM_STATUSES and status != "unverified":
        errors.append(FieldError("claim.source", "claim_source_required", {"status": status}))


def _check_translations(rec: dict[str, Any], errors: list[FieldError]) -> None:
    """{"uk": {"title": ..., ...}}: known languages, translatable fields, texts within the
    limits of the fields they translate."""
    translations = rec.get("translations")
    if not isinstance(translations, dict):
        errors.append(FieldError("translations", "translations_form"))
        return
    for lang, fields in translations.items():
        where = f"translations.{str(lang)[:20]}"
        if lang not in TRANSLATION_LANGUAGES:
            errors.append(
                FieldError(where, "translation_language", {"choices": TRANSLATION_LANGUAGES})
            )
            continue
        if not isinstance(fields, dict):
            errors.append(FieldError(where, "translation_fields", {"choices": TRANSLATABLE}))
            continue
        for name, value in fields.items():
            if name not in TRANSLATABLE:
                errors.append(
                    FieldError(
                        f"{where}.{str(name)[:40]}", "not_translatable", {"choices": TRANSLATABLE}
                    )
                )
            elif not isinstance(value, str):
                errors.append(FieldError(f"{where}.{name}", "not_text"))
            elif len(value) > MAX_TEXT[name]:
                errors.append(
                    FieldError(
                        f"{where}.{name}",
                        "too_long",
                        {"length": len(value), "limit": MAX_TEXT[name]},
                    )
                )
            elif name in ("quote", "paraphrase") and not rec.get(name):
                errors.append(FieldError(f"{where}.{name}", "translates_nothing", {"name": name}))


def _check_lists(rec: dict[str, Any], errors: list[FieldError]) -> None:
    for key in LIST_FIELDS:
        value = rec.get(key)
        if not isinstance(value, list) or not all(
            isinstance(v, str) and 0 < len(v) <= 120 for v in value
        ):
            errors.append(FieldError(key, "list_form", {"limit": 120}))
        elif len(value) > 50:
            errors.append(FieldError(key, "list_too_long", {"limit": 50}))
    related = rec.get("related")
    if isinstance(related, list):
        for ref in related:
            if isinstance(ref, str) and not ID_PATTERN.match(ref):
                errors.append(FieldError("related", "not_event_id", {"value": ref[:40]}))


def _check_place(rec: dict[str, Any], errors: list[FieldError]) -> None:
    lat, lon = rec.get("latitude"), rec.get("longitude")
    if (lat is None) != (lon is None):
        errors.append(FieldError("latitude", "coordinates_pair"))
    for key, bound in (("latitude", 90), ("longitude", 180)):
        value = rec.get(key)
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
            errors.append(FieldError(key, "not_number"))
        elif not -bound <= value <= bound:
            errors.append(FieldError(key, "out_of_range", {"low": -bound, "high": bound}))


def validate(record: dict[str, Any]) -> list[FieldError]:
    """Every problem with a normalised record, in field order; empty when it is valid."""
    errors: list[FieldError] = []
    unknown = sorted((k for k in record if k not in FIELDS), key=str)
    for key in unknown:
        errors.append(FieldError(str(key)[:40], "not_a_field"))
    ident = record.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        errors.append(FieldError("id", "id_form"))
    number = record.get("number")
    if number is not None and (not _is_int(number) or number < 1 or number > 2**53):
        errors.append(FieldError("number", "positive_whole"))
    sequence = record.get("sequence")
    if sequence is not None and (not _is_int(sequence) or sequence < 0):
        errors.append(FieldError("sequence", "whole_or_zero"))
    kind = record.get("kind")
    if kind not in KINDS:
        errors.append(
            FieldError("kind", "kind_one_of", {"choices": KINDS, "value": f"{kind!r:.40}"})
        )
    else:
        allowed = STATUSES[kind]
        status = record.get("status")
        if allowed and status not in allowed:
            errors.append(FieldError("status", "status_one_of", {"kind": kind, "choices": allowed}))
        if not allowed and status not in (None, ""):
            errors.append(FieldError("status", "no_status", {"kind": kind}))
        if kind == "statement":
            if not record.get("speaker"):
                errors.append(FieldError("speaker", "speaker_required"))
            if not record.get("quote") and not record.get("paraphrase"):
                errors.append(FieldError("quote", "quote_required"))
    _check_text(record, errors)
    _check_times(record, errors)
    _check_place(record, errors)
    _check_casualties(record, errors)
    _check_lists(record, errors)
    _check_sources(record, errors)
    _check_claim(record, errors)
    _check_translations(record, errors)
    _check_revisions(record, errors)
    return errors


REVISION_KEYS = (
    "sequence",
    "at",
    "happened",
    "happened_precision",
    "author",
    "reason",
    "changes",
    "source",
)


def _revision_time_errors(raw: dict[str, Any], where: str) -> list[FieldError]:
    """`at`, when given, is an instant (the time the store changed); `happened` a date, or an
    instant, at a precision (when the change happened in the world, if known)."""
    errors: list[FieldError] = []
    unknown = sorted(str(k) for k in raw if k not in REVISION_KEYS)
    if unknown:
        errors.append(FieldError(where, "unknown_keys", {"keys": tuple(unknown)}))
    at = raw.get("at")
    if at is not None:
        try:
            if not isinstance(at, str) or parse_when(at).resolution != "instant":
                raise TimeFormatError("revision_at")
        except TimeFormatError:
            errors.append(FieldError(f"{where}.at", "revision_at"))
    happened, precision = raw.get("happened"), raw.get("happened_precision")
    if happened is None:
        if precision is not None:
            errors.append(FieldError(f"{where}.happened_precision", "needs_happened"))
        return errors
    try:
        when = parse_when(happened)
    except TimeFormatError as exc:
        errors.append(FieldError.of(f"{where}.happened", exc))
        return errors
    if precision not in (None, *PRECISIONS):
        errors.append(FieldError(f"{where}.happened_precision", "one_of", {"choices": PRECISIONS}))
    elif precision == "exact" and when.resolution != "instant":
        errors.append(FieldError(f"{where}.happened_precision", "exact_needs_time"))
    elif precision == "day" and when.resolution == "month":
        errors.append(FieldError(f"{where}.happened_precision", "day_needs_day"))
    return errors


def _check_revisions(rec: dict[str, Any], errors: list[FieldError]) -> None:
    """The history a record brings (an import keeps it): checked here, once, so a write never
    meets a bad revision half-way through."""
    revisions = rec.get("revisions")
    if revisions is None:
        return
    if not isinstance(revisions, list):
        errors.append(FieldError("revisions", "not_list"))
        return
    sequences: list[int] = []
    for i, raw in enumerate(revisions, 1):
        where = f"revisions[{i}]"
        if not isinstance(raw, dict):
            errors.append(FieldError(where, "shape", {"keys": REVISION_KEYS}))
            continue
        seq = raw.get("sequence")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            errors.append(FieldError(f"{where}.sequence", "whole_or_zero"))
        elif seq in sequences:
            errors.append(FieldError(f"{where}.sequence", "given_twice", {"value": seq}))
        else:
            sequences.append(seq)
        errors += _revision_time_errors(raw, where)
        if not isinstance(raw.get("changes") or {}, dict):
            errors.append(FieldError(f"{where}.changes", "not_mapping"))
        if not isinstance(raw.get("source") or {}, dict):
            errors.append(FieldError(f"{where}.source", "not_mapping"))
    sequence = rec.get("sequence")
    if sequences and isinstance(sequence, int) and sequence < max(sequences):
        # A later update would reuse the latest revision's sequence and fail.
        errors.append(
            FieldError("sequence", "sequence_below", {"value": sequence, "latest": max(sequences)})
        )
