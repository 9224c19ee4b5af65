"""The project's own file format (JSON or YAML): export the store, import a file all-or-nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storage.events import EventNotFound, EventStore, InvalidEvent, content_of, diff
from storage.model import FieldError, normalise, validate


class FileFormatError(ValueError):
    """The file cannot be read as a list of events."""


@dataclass
class RecordError:
    """Everything wrong with one record of an import file."""

    file: str
    index: int  # 1-based position in the file (row number for CSV)
    event_id: str
    errors: list[FieldError]

    def __str__(self) -> str:
        problems = "; ".join(str(e) for e in self.errors)
        return f"{self.file}: record {self.index} (id {self.event_id or '?'}): {problems}"


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


def plan_import(
    store: EventStore,
    raw_records: Iterable[Any],
    file_name: str,
    *,
    start_index: int = 1,
) -> tuple[list[dict[str, Any]], ImportPlan]:
    """Validate every record and work out what would change; ImportRejected lists all problems."""
    problems: list[RecordError] = []
    seen: dict[str, int] = {}
    numbers: dict[int, int] = {}
    records: list[dict[str, Any]] = []
    plan = ImportPlan()
    for index, raw in enumerate(raw_records, start_index):
        if not isinstance(raw, dict):
            problems.append(
                RecordError(file_name, index, "", [FieldError("record", "is not a mapping")])
            )
            continue
        rec = normalise(_stringify_dates(raw))
        errors = validate(rec)
        ident: str = rec["id"] if isinstance(rec.get("id"), str) else ""
        if ident in seen:
            errors.append(FieldError("id", f"duplicate of record {seen[ident]} in this file"))
        elif ident:
            seen[ident] = index
        try:
            existing = store.get(ident) if ident else None
        except EventNotFound:
            existing = None
        number = rec.get("number")
        if existing is None and isinstance(number, int) and not errors:
            if number in numbers:
                errors.append(FieldError("number", f"also used by record {numbers[number]}"))
            elif store._number_taken(number):
                errors.append(FieldError("number", f"{number} is taken by another event"))
            numbers[number] = index
        if errors:
            problems.append(RecordError(file_name, index, ident, errors))
            continue
        records.append(rec)
        if existing is None:
            plan.created.append(rec["id"])
        else:
            delta = diff(content_of(existing), content_of(rec))
            if delta:
                plan.updated[rec["id"]] = delta
            else:
                plan.unchanged += 1
    if problems:
        raise ImportRejected(problems)
    return records, plan


def apply_import(
    store: EventStore,
    records: list[dict[str, Any]],
    plan: ImportPlan,
    *,
    author: str,
    reason: str,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write a validated plan in one transaction: all of it, or (on any error) none of it."""
    created = set(plan.created)
    # Numbers are assigned after the given ones are placed, so a file's numbers are kept.
    ordered = sorted(records, key=lambda r: (r["id"] not in created, r.get("number") is None))
    with store.db.atomic():
        for done, rec in enumerate(ordered, 1):
            if rec["id"] in created:
                store.create(rec, author=author, reason=reason)
            elif rec["id"] in plan.updated:
                changes = {k: v["new"] for k, v in plan.updated[rec["id"]].items()}
                store.update(rec["id"], changes, author=author, reason=reason)
            if progress and done % 1000 == 0:
                progress(done)


def export_events(store: EventStore) -> list[dict[str, Any]]:
    return list(store.iter_all())


def dump_json(events: list[dict[str, Any]]) -> str:
    return json.dumps(events, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "FileFormatError",
    "ImportPlan",
    "ImportRejected",
    "InvalidEvent",
    "RecordError",
    "apply_import",
    "dump_json",
    "export_events",
    "plan_import",
    "read_records",
]
