"""ACLED's CSV export, read as incidents.

ACLED (the Armed Conflict Location & Event Data project) exports one row per event, 31 columns,
header first. Each row becomes one incident:

- id ``acled-<event_id_cnty>`` (``acled-UKR100000``), kind incident, status "reported";
- title "<sub_event_type> in <location>" (event_type when there is no sub-event type; admin1,
  then country, when there is no location); summary = notes;
- start = event_date, which ACLED writes ``YYYY-MM-DD`` (its Excel exports: ``24 February
  2022``). ACLED's time_precision codes become our time_precision:

    1  the source gives the day                     -> ``day``; start = that day
    2  the source gives a span of days, up to about -> ``approximate``; start = the day
       a week, and ACLED codes one day within it       ACLED chose, which is not exact
    3  only the month is known                      -> ``month``; start = ``YYYY-MM``

- place = location, region = admin1 (the oblast), country; latitude and longitude;
- timezone from the country (Ukraine, iso 804: Europe/Kyiv; neighbours their own zone; UTC
  otherwise);
- parties = actor1 and actor2 (those given); tags = event_type, then the ';'-separated tags;
- killed = {count: fatalities, qualifier: at_least}: ACLED's fatality figures are conservative
  estimates. injured is left empty: ACLED does not count the injured;
- sources = one per ';'-separated name in `source`, name only (ACLED gives no links), published
  = the event's day (its month for precision 3). No quote: the notes are ACLED's words, not
  the source's, and sitrep shows a source's quote as said by that source;
- note: that the record comes from ACLED, and its time_precision, geo_precision and
  source_scale, in words.

Not carried over: year (it repeats event_date), disorder_type, the associated actors, the inter
and interaction codes, civilian_targeting, region (iso only picks the time zone), admin2, admin3
and timestamp. A re-import compares content, so a row ACLED re-stamped without changing
anything sitrep keeps is unchanged.

An invalid row is reported with its line number in the file (the header is line 1), its id and
the ACLED column at fault; one invalid row rejects the whole file.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from storage.bulk import gc_paused
from storage.events import EventStore
from storage.exchange import Candidate, FileFormatError, ImportPlan, plan_candidates
from storage.figures import FigureError, read_figure
from storage.model import ID_PATTERN, MAX_TEXT, FieldError, normalise, validate
from storage.problems import CodedError

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
# A header with these is ACLED's; a forced `--format acled` needs all of REQUIRED.
SIGNATURE = frozenset({"event_id_cnty", "event_date", "event_type", "fatalities"})
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
)

PRECISION = {"1": "day", "2": "approximate", "3": "month"}
PRECISION_WORDS = {
    "1": "the day is known",
    "2": "within a few days or a week of this date",
    "3": "only the month is known",
}
GEO_WORDS = {
    "1": "the exact town or place",
    "2": "near the named place, or part of its district",
    "3": "only the wider region is known",
}
ZONE_OF_ISO = {
    804: "Europe/Kyiv",
    643: "Europe/Moscow",
    112: "Europe/Minsk",
    498: "Europe/Chisinau",
    642: "Europe/Bucharest",
    616: "Europe/Warsaw",
    348: "Europe/Budapest",
    703: "Europe/Bratislava",
    268: "Asia/Tbilisi",
}
ZONE_OF_COUNTRY = {
    "Ukraine": "Europe/Kyiv",
    "Russia": "Europe/Moscow",
    "Belarus": "Europe/Minsk",
    "Moldova": "Europe/Chisinau",
    "Romania": "Europe/Bucharest",
    "Poland": "Europe/Warsaw",
    "Hungary": "Europe/Budapest",
    "Slovakia": "Europe/Bratislava",
    "Georgia": "Asia/Tbilisi",
}
# Our field -> the ACLED column it comes from, so every problem names what the curator can fix.
COLUMN_OF = {
    "id": "event_id_cnty",
    "title": "sub_event_type",
    "summary": "notes",
    "start": "event_date",
    "time_precision": "time_precision",
    "timezone": "iso",
    "place": "location",
    "region": "admin1",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
    "parties": "actor1/actor2",
    "tags": "tags",
    "killed": "fatalities",
    "sources": "source",
}
MONTHS = {
    name: number
    for number, month in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
    for name in (month, month[:3], month[:4])  # "Sept" too
}
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LONG_DAY = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")

Progress = Callable[[str, int, int], None]


def is_acled_header(names: Iterable[str]) -> bool:
    """True when a CSV header is ACLED's."""
    return SIGNATURE.issubset(n.strip().lower() for n in names)


def detect_format(path: Path) -> str:
    """'acled' for a CSV file with ACLED's header, otherwise 'own' (JSON or YAML)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline(64 * 1024)
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{path}: cannot read: {exc}") from None
    try:
        header = next(csv.reader([first]), [])
    except csv.Error:
        header = []
    if is_acled_header(header):
        return "acled"
    if path.suffix.lower() == ".csv":
        raise FileFormatError(
            f"{path}: a CSV file without ACLED's columns ({', '.join(sorted(SIGNATURE))}); "
            "sitrep reads ACLED exports and its own JSON or YAML"
        )
    return "own"


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Each data row with the line it starts on (the header is line 1), blank lines skipped."""
    lines = _read_values(path)
    _, header = next(lines)
    return [(line, _as_row(header, values)) for line, values in lines]


def _read_values(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(1, the header), then each row's values with the line it starts on, read as needed:
    a 100,000-row export held in memory at once costs a few hundred megabytes."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise FileFormatError(
                    f"{path}: not an ACLED export: no column {', '.join(missing)}"
                )
            yield 1, header
            line = reader.line_num + 1
            for values in reader:
                if values:
                    yield line, values
                line = reader.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FileFormatError(f"{path}: cannot read as CSV: {exc}") from None


def _count_lines(path: Path) -> int:
    """Lines in the file, for progress (a row with line breaks in its notes spans several)."""
    try:
        with path.open("rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read: {exc}") from None


def _as_row(header: list[str], values: list[str]) -> dict[str, str]:
    row = dict(zip(header, values, strict=False))
    if len(values) != len(header):
        row["__width__"] = f"{len(values)},{len(header)}"
    return row


def parse_event_date(text: str) -> date:
    """ACLED's event_date: ``2024-03-12`` or, from its Excel exports, ``12 March 2024``."""
    value = text.strip()
    if m := _ISO_DAY.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _LONG_DAY.fullmatch(value)) and m[2].lower() in MONTHS:
        year, month, day = int(m[3]), MONTHS[m[2].lower()], int(m[1])
    else:
        raise CodedError("acled_date_form", value=value[:40])
    try:
        return date(year, month, day)
    except ValueError:
        raise CodedError("date_impossible", value=value[:40]) from None


def _split(text: str) -> list[str]:
    """';'-separated names, trimmed, empty ones and repeats dropped, in order."""
    return list(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))


def _zone(iso: str, country: str) -> str:
    code = iso.strip()
    if code.isdigit() and int(code) in ZONE_OF_ISO:
        return ZONE_OF_ISO[int(code)]
    return ZONE_OF_COUNTRY.get(country, "UTC")


def _coordinates(row: Mapping[str, str], errors: list[FieldError]) -> tuple[Any, Any]:
    """latitude and longitude as numbers; both None when either is missing or wrong."""
    values: list[float | None] = []
    wrong = False
    for key, bound in (("latitude", 90), ("longitude", 180)):
        text = row.get(key, "")
        number: float | None = None
        if text:
            try:
                number = float(text)
            except ValueError:
                errors.append(FieldError(key, "value_not_number", {"value": text[:40]}))
                wrong = True
            else:
                if not math.isfinite(number) or not -bound <= number <= bound:
                    errors.append(
                        FieldError(
                            key,
                            "value_out_of_range",
                            {"value": text[:40], "low": -bound, "high": bound},
                        )
                    )
                    wrong = True
        values.append(number)
    lat, lon = values
    if not wrong and (lat is None) != (lon is None):
        errors.append(FieldError("latitude", "coordinates_pair"))
    if wrong or lat is None or lon is None:
        return None, None
    return lat, lon


def _fatalities(text: str, errors: list[FieldError]) -> dict[str, Any] | None:
    """The fatalities column in the one figure syntax (storage.figures): a plain number is
    "at least" here, as ACLED calls its counts conservative; `~12` or `12+` say so themselves."""
    value = text.strip()
    if not value:
        errors.append(FieldError("fatalities", "fatalities_required"))
        return None
    try:
        figure = read_figure(value.removeprefix("+"), bare="at_least")
    except FigureError as exc:
        errors.append(FieldError.of("fatalities", exc))
        return None
    if figure is None:
        errors.append(FieldError("fatalities", "fatalities_required"))
    return figure


def _note(row: Mapping[str, str], code: str, shortened: bool) -> str:
    geo = row.get("geo_precision", "")
    scale = row.get("source_scale", "")
    parts = [
        f"From ACLED (event {row.get('event_id_cnty', '')}). ACLED's fatality figures "
        "are conservative estimates, hence 'at least'.",
        f"Date precision {code}: {PRECISION_WORDS.get(code, 'unknown')}.",
        f"Geo precision {geo or '?'}: {GEO_WORDS.get(geo, 'not given')}.",
        f"Source scale: {scale or 'not given'}.",
    ]
    if shortened:
        parts.append(f"ACLED's notes are shortened to {MAX_TEXT['summary']:,} characters.")
    return " ".join(parts)


def row_to_record(row: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """A normalised incident from one ACLED row, and what is wrong with the row's values by
    column (the store's validation of the result is `model_errors`)."""
    # Stripped once; a missing column reads as empty.
    try:
        v: defaultdict[str, str] = defaultdict(
            str, zip(row, map(str.strip, row.values()), strict=True)
        )
    except TypeError:  # a None value (csv.DictReader's filler for short rows)
        v = defaultdict(str, {k: t.strip() for k, t in row.items() if t})

    errors: list[FieldError] = []
    if "__width__" in row:
        fields, _, header = row["__width__"].partition(",")
        errors.append(FieldError("row", "row_width", {"fields": fields, "header": header}))
    cnty = v["event_id_cnty"]
    ident = f"acled-{cnty}" if cnty else ""
    if not cnty:
        errors.append(FieldError("event_id_cnty", "required"))
    elif not ID_PATTERN.match(ident):
        errors.append(FieldError("event_id_cnty", "acled_id_form"))
    code = v["time_precision"]
    if code not in PRECISION:
        errors.append(FieldError("time_precision", "acled_precision", {"value": code[:10]}))
    start: str | None = None
    try:
        day = parse_event_date(v["event_date"])
        start = day.strftime("%Y-%m") if code == "3" else day.isoformat()
    except CodedError as exc:
        errors.append(FieldError.of("event_date", exc))
    lat, lon = _coordinates(v, errors)
    killed = _fatalities(v["fatalities"], errors)
    names = _split(v["source"])
    if not names:
        errors.append(FieldError("source", "acled_no_source"))
    kind_of_event = v["sub_event_type"] or v["event_type"]
    if not kind_of_event:
        errors.append(FieldError("event_type", "required"))
    where = v["location"] or v["admin1"] or v["country"]
    notes = v["notes"]
    limit = MAX_TEXT["summary"]
    shortened = len(notes) > limit
    record = normalise(
        {
            "id": ident,
            "kind": "incident",
            "title": f"{kind_of_event} in {where}" if where else kind_of_event,
            "summary": notes[: limit - 1] + "…" if shortened else notes,
            "status": "reported",
            "start": start,
            "time_precision": PRECISION.get(code, "day"),
            "timezone": _zone(v["iso"], v["country"]),
            "place": v["location"],
            "region": v["admin1"],
            "country": v["country"],
            "latitude": lat,
            "longitude": lon,
            "parties": list(dict.fromkeys(a for a in (v["actor1"], v["actor2"]) if a)),
            "tags": [t for t in dict.fromkeys([v["event_type"], *_split(v["tags"])]) if t],
            "killed": killed,
            "sources": [{"name": n, "published": start} if start else {"name": n} for n in names],
            "note": _note(v, code, shortened),
        }
    )
    return record, errors


def model_errors(record: dict[str, Any], found: list[FieldError]) -> list[FieldError]:
    """The store's own validation of a mapped row, named by ACLED column, leaving out columns
    the mapping already reported (a bad event_date is not also reported as a missing start)."""
    reported = {e.field for e in found}
    errors: list[FieldError] = []
    for problem in validate(record):
        column = COLUMN_OF.get(problem.field.split("[")[0].split(".")[0], problem.field)
        if column not in reported and not ("/" in column and reported & set(column.split("/"))):
            errors.append(FieldError(column, problem.code, problem.params))
            reported.add(column)
    return errors


def check_row(row: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """row_to_record and the store's validation: everything wrong with one row."""
    record, errors = row_to_record(row)
    return record, errors + model_errors(record, errors)


def plan_acled_import(
    store: EventStore,
    path: Path,
    *,
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], ImportPlan]:
    """Read, map and check every row, then plan against the store (see exchange.plan_import).

    ImportRejected lists every invalid row by line number, id and column.
    """
    total = max(_count_lines(path) - 1, 0)
    candidates: list[Candidate] = []
    with gc_paused():
        lines = _read_values(path)
        _, header = next(lines)
        for line, values in lines:
            record, errors = row_to_record(_as_row(header, values))
            candidates.append(Candidate(line, record["id"], record, errors, model_errors))
            if progress and len(candidates) % 1000 == 0:
                progress("reading lines", line - 1, total)
        if progress:
            progress("reading lines", total, total)
        return plan_candidates(
            store,
            candidates,
            path.name,
            unit="row",
            id_field="event_id_cnty",
            progress=progress,
        )


__all__ = [
    "COLUMNS",
    "check_row",
    "detect_format",
    "is_acled_header",
    "model_errors",
    "parse_event_date",
    "plan_acled_import",
    "read_rows",
    "row_to_record",
]
