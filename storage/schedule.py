"""Moving a talks round: the one change curators make most, with sensible status defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.events import EventStore, InvalidEvent, Revision
from storage.model import STATUSES, FieldError
from storage.moves import EARLIER, LATER, direction
from storage.timeparse import TimeFormatError, parse_when

_PRECISION_OF = {"instant": "exact", "day": "day", "month": "month"}


@dataclass
class RescheduleRequest:
    start: str
    end: str | None = None
    status: str | None = None
    reason: str = ""
    source: dict[str, Any] | None = None


def reschedule(
    store: EventStore, ref: str | int, request: RescheduleRequest, *, author: str
) -> Revision | None:
    """New dates for a talks round, as one revision; None when nothing changes.

    Without an explicit status, a scheduled or postponed round that moves later becomes
    `postponed`, and one that moves earlier becomes `scheduled` again.
    """
    current = store.get(ref)
    if current["kind"] != "talks":
        raise InvalidEvent([FieldError("kind", "not_talks")])
    try:
        new_start = parse_when(request.start)
    except TimeFormatError as exc:
        raise InvalidEvent([FieldError.of("start", exc)]) from None
    status = request.status
    if status is not None and status not in STATUSES["talks"]:
        raise InvalidEvent([FieldError("status", "one_of", {"choices": STATUSES["talks"]})])
    changes: dict[str, Any] = {
        "start": request.start.strip(),
        "end": request.end.strip() if request.end else None,
        "time_precision": _PRECISION_OF[new_start.resolution],
    }
    if status is None and current["status"] in ("scheduled", "postponed"):
        # storage.moves decides what a move is: a time added inside the announced days is
        # precision, not a move, and leaves the status alone.
        way = direction(current, {**current, **changes})
        status = "postponed" if way == LATER else "scheduled" if way == EARLIER else None
    if status is not None:
        changes["status"] = status
    return store.update(
        current["id"], changes, author=author, reason=request.reason, source=request.source
    )
