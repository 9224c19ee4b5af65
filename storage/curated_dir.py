"""A folder of curated files (SITREP_DATA_DIR), imported file by file, only what changed.

Each file is all-or-nothing, like `sitrep import`: a file that fails validation changes
nothing and is reported; the others are still imported. Re-reading an unchanged file writes
nothing (the import plan finds every record unchanged), and files whose bytes have not
changed since the last pass are not even parsed again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from storage.acled import detect_format, plan_acled_import
from storage.events import EventStore
from storage.exchange import (
    FileFormatError,
    ImportBusy,
    ImportRejected,
    RecordError,
    apply_import,
    plan_import,
    read_records,
)

SUFFIXES = (".json", ".yaml", ".yml", ".csv")


@dataclass
class FileOutcome:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: bool = False  # bytes unchanged since the last pass, or another import writing
    # A record's problems (worded by the reader: handlers.problems), or a file's as text.
    problems: list[RecordError | str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


@dataclass
class FolderSync:
    """Remembers each file's digest between passes (the running bot keeps one of these)."""

    folder: Path
    digests: dict[str, str] = field(default_factory=dict)

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            raise FileFormatError(f"{self.folder}: not a folder")
        return sorted(
            p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
        )

    def run(self, store: EventStore, *, force: bool = False) -> list[FileOutcome]:
        outcomes = []
        for path in self.files():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if not force and self.digests.get(path.name) == digest:
                outcomes.append(FileOutcome(path.name, skipped=True))
                continue
            try:
                outcome = import_file(store, path)
            except ImportBusy:
                # `sitrep import` is writing a batch: this file waits for the next pass.
                outcomes.append(FileOutcome(path.name, skipped=True))
                continue
            # A failed file is retried only once it changes: no report every few minutes.
            self.digests[path.name] = digest
            outcomes.append(outcome)
        return outcomes


def import_file(store: EventStore, path: Path) -> FileOutcome:
    outcome = FileOutcome(path.name)
    try:
        if detect_format(path) == "acled":
            records, plan = plan_acled_import(store, path)
        else:
            records, plan = plan_import(store, read_records(path), path.name)
    except FileFormatError as exc:
        outcome.problems = [str(exc)]
        return outcome
    except ImportRejected as exc:
        outcome.problems = list(exc.problems)
        return outcome
    except ImportBusy:
        raise
    except Exception as exc:  # one bad file must not stop the folder, nor go unreported
        outcome.problems = [f"{path.name}: could not be imported: {type(exc).__name__}: {exc}"]
        return outcome
    if plan.created or plan.updated:
        apply_import(
            store, records, plan, author=f"file:{path.name}", reason=f"curated folder: {path.name}"
        )
    outcome.created, outcome.updated, outcome.unchanged = (
        len(plan.created),
        len(plan.updated),
        plan.unchanged,
    )
    return outcome
