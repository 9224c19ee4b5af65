"""The project's own file format (JSON or YAML): export the store, import a file all-or-nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storage.bulk import gc_paused
from storage.events import EventStore
from storage.figures import FigureError, read_figure
from storage.model import Event, FieldError, InvalidEvent, normalise, validate
from storage.queries import LOOKUP_CHUNK
from storage.revisions import content_of, diff
from storage.rows import CASUALTY_FIELDS, stored_form
from storage.staging import ImportBusy, clear_abandoned


class FileFormatError(ValueError):
    """The file cannot be read as a list of events."""


@dataclass
class RecordError:
    """Everything wrong with one record of an import file."""

    file: str
    index: int  # 1-based position in the file (row number for CSV)
    event_id: str
    errors: list[FieldError]
    unit: str = "record"  # "row" for a CSV file, whose index is its line number

    def __str__(self) -> str:
        problems = "; ".join(str(e) for e in self.errors)
        return f"{self.file}: {self.unit} {self.index} (id {self.event_id or '?'}): {problems}"


class ImportRejected(ValueError):
    """At least one record is invalid; nothing was written."""

    def __init__(self, problems: list[RecordError]):
        super().__init__(f"{len(problems)} invalid record(s)")
        self.problems = problems


@dataclass
class ImportPlan:
    created: list[str] = field(default_factory=list)
    updated: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    unchanged: int = 0


def read_records(path: Path) -> list[Any]:
    """The list of raw records in a JSON or YAML file (a list, or a mapping with `events`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{path}: cannot read: {exc}") from None
    return parse_records(text, str(path))


def parse_records(text: str, name: str) -> list[Any]:
    try:
        if name.endswith(".json") or text.lstrip().startswith(("[", "{")):
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FileFormatError(f"{name}: not valid JSON or YAML: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        raise FileFormatError(f"{name}: expected a list of events")
    return data


def _stringify_dates(value: Any) -> Any:
    """YAML reads 2026-02-04 as a date; the format's values are ISO text."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    return value


def _read_figures(raw: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    """killed and injured as people type them (`12`, `12+`, `~12`, as in chat) or as stored
    (`{count, qualifier}`), read by the one figure syntax, storage.figures."""
    found = {key: raw[key] for key in CASUALTY_FIELDS if key in raw}
    if not found:
        return raw
    rec = dict(raw)
    for key, value in found.items():
        try:
            rec[key] = read_figure(value)
        except FigureError as exc:
            errors.append(FieldError.of(key, exc))
            rec[key] = None
    return rec


@dataclass(slots=True)
class Candidate:
    """One record of an import file, read and checked on its own (before the store is asked)."""

    index: int
    event_id: str
    record: dict[str, Any] | None  # normalised; None when the entry could not be read at all
    errors: list[FieldError] = field(default_factory=list)
    # Checks left for planning to run only on records that are new or differ from the store:
    # a record identical to a stored one was checked when it was written.
    deferred: Callable[[dict[str, Any], list[FieldError]], list[FieldError]] | None = None


def plan_import(
    store: EventStore,
    raw_records: Iterable[Any],
    file_name: str,
    *,
    start_index: int = 1,
) -> tuple[list[dict[str, Any]], ImportPlan]:
    """Validate every record and work out what would change; ImportRejected lists all problems."""
    candidates: list[Candidate] = []
    for index, raw in enumerate(raw_records, start_index):
        if not isinstance(raw, dict):
            candidates.append(
                Candidate(index, "", None, [FieldError("record", "record_not_mapping")])
            )
            continue
        figure_errors: list[FieldError] = []
        rec = normalise(_read_figures(_stringify_dates(raw), figure_errors))
        errors = figure_errors + validate(rec)  # given revisions included
        ident: str = rec["id"] if isinstance(rec.get("id"), str) else ""
        candidates.append(Candidate(index, ident, rec, errors))
    return plan_candidates(store, candidates, file_name)


def plan_candidates(
    store: EventStore,
    candidates: list[Candidate],
    file_name: str,
    *,
    unit: str = "record",
    id_field: str = "id",
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], ImportPlan]:
    """The store's side of planning: duplicates, taken numbers, and the difference to what is
    stored, reading the stored records a few hundred at a time rather than one per record.

    Existing events are matched by id only. `progress("comparing rows", done, total)` hears
    how far the comparison with the store has got. What a killed import left unseen is
    deleted first (it must not pass for stored events); ImportBusy while another import is
    being written.
    """
    clear_abandoned(store.db, store.clock())
    with gc_paused():
        seen: dict[str, int] = {}
        for cand in candidates:
            if cand.event_id in seen:
                cand.errors.append(
                    FieldError(
                        id_field, "duplicate_in_file", {"unit": unit, "index": seen[cand.event_id]}
                    )
                )
            elif cand.event_id:
                seen[cand.event_id] = cand.index
        deltas = _compare(store, candidates, progress)
        wanted = [
            c.record["number"]
            for c in candidates
            if c.record is not None
            and not c.errors
            and c.event_id not in deltas
            and isinstance(c.record.get("number"), int)
        ]
        taken = store.numbers_taken(wanted)
        problems: list[RecordError] = []
        numbers: dict[int, int] = {}
        records: list[dict[str, Any]] = []
        plan = ImportPlan()
        for cand in candidates:
            rec, errors = cand.record, cand.errors
            number = rec.get("number") if rec is not None else None
            if cand.event_id not in deltas and isinstance(number, int) and not errors:
                if number in numbers:
                    errors.append(
                        FieldError(
                            "number", "number_in_file", {"unit": unit, "index": numbers[number]}
                        )
                    )
                elif number in taken:
                    errors.append(FieldError("number", "number_taken", {"value": number}))
                numbers[number] = cand.index
            if errors or rec is None:
                problems.append(RecordError(file_name, cand.index, cand.event_id, errors, unit))
                continue
            records.append(rec)
            delta = deltas.get(cand.event_id)
            if delta is None:
                plan.created.append(rec["id"])
            elif delta:
                plan.updated[rec["id"]] = delta
            else:
                plan.unchanged += 1
    if problems:
        raise ImportRejected(problems)
    return records, plan


def _compare(
    store: EventStore,
    candidates: list[Candidate],
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """For each candidate whose id is stored: its difference to the stored content (possibly
    empty). Runs each candidate's deferred checks unless it is identical to what is stored.

    Stored rows are first compared in their stored form, which needs no decoding; only rows
    that differ there are read back as records and compared field by field.
    """
    deltas: dict[str, dict[str, Any]] = {}
    for start in range(0, len(candidates), LOOKUP_CHUNK):
        chunk = candidates[start : start + LOOKUP_CHUNK]
        forms = store.stored_forms(c.event_id for c in chunk if c.event_id)
        differing = [c for c in chunk if not _same_as_stored(c, forms)]
        stored = store.contents(c.event_id for c in differing if c.event_id in forms)
        for cand in differing:
            old = stored.get(cand.event_id)
            delta: dict[str, Any] | None = None
            if old is not None:
                delta = {}
                if cand.record is not None:
                    delta = diff(content_of(old), content_of(cand.record))
                deltas[cand.event_id] = delta
            if cand.deferred and cand.record is not None and (cand.errors or delta != {}):
                cand.errors += cand.deferred(cand.record, cand.errors)
        for cand in chunk:
            if cand.event_id in forms and cand.event_id not in deltas:
                deltas[cand.event_id] = {}
        if progress:
            progress("comparing rows", start + len(chunk), len(candidates))
    return deltas


def _same_as_stored(cand: Candidate, forms: dict[str, tuple[Any, ...]]) -> bool:
    form = forms.get(cand.event_id)
    if form is None or cand.record is None or cand.errors:
        return False
    try:
        return stored_form(cand.record) == form
    except (KeyError, TypeError, ValueError):
        return False  # not a well-formed record: the field-by-field path reports it


def apply_import(
    store: EventStore,
    records: list[dict[str, Any]],
    plan: ImportPlan,
    *,
    author: str,
    reason: str,
    label: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write a validated plan: all of it, or (on any error) none of it.

    A large plan is an import batch (storage.staging, labelled `label`, else `author`):
    written in short steps that readers do not see until the last one publishes them all.
    New events keep the file's numbers, sequences and revisions; the rest are numbered after
    the highest. A changed event gets one revision for the fields the plan found different.
    Unchanged records are not touched: an unchanged file writes nothing at all. `progress`
    hears how many events have been written, at each thousand.
    """
    created = set(plan.created)
    creates = [rec for rec in records if rec["id"] in created]
    updates = [
        (ident, {key: change["new"] for key, change in delta.items()})
        for ident, delta in plan.updated.items()
    ]
    store.write_batch(
        creates,
        updates,
        label=label or author,
        author=author,
        reason=reason,
        progress=progress,
    )


def export_events(store: EventStore) -> list[Event]:
    return list(store.iter_all())


def dump_json(events: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(events, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "Candidate",
    "FileFormatError",
    "ImportBusy",
    "ImportPlan",
    "ImportRejected",
    "InvalidEvent",
    "RecordError",
    "apply_import",
    "dump_json",
    "export_events",
    "plan_candidates",
    "plan_import",
    "read_records",
]
