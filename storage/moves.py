"""What a change to a talks round's schedule is, and how many times the round has moved.

The one home of these rules: alerts (storage.outbox), /talks, /event, history and curators'
previews all ask here, from the old and the new record, so they always say the same thing.

A *move* is a real change of dates: later, earlier, or to other days. Setting a time inside the
announced days is precision, not a move; going back to dates the round already had is a
revert, which says what it returns to and is not counted again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from storage.timeparse import TimeFormatError, parse_when, zone_or_error

# Every kind a schedule change can be, in the order they are decided (first match wins).
CHANGE_KINDS = (
    "cancelled",  # the round was called off
    "reinstated",  # a cancelled round is on again
    "held",  # the round took place
    "reverted",  # back to dates the round already had
    "postponed",  # later dates
    "brought_forward",  # earlier dates
    "time_set",  # a time (or a day) given inside the announced dates
    "time_changed",  # another time on the same days
    "dates_changed",  # other dates, neither simply later nor earlier (longer, shorter)
    "venue_changed",  # another place, the dates as they were
    "status_changed",  # any other change of status (postponed -> scheduled)
)
# A round in these states is over, whatever its dates say.
CLOSED = ("held", "cancelled")
# The fields of a record that make up its schedule.
SCHEDULE_KEYS = (
    "start",
    "end",
    "time_precision",
    "timezone",
    "status",
    "place",
    "region",
    "country",
)
VENUE_KEYS = ("place", "region", "country")
DATE_KEYS = ("start", "end", "timezone")
# How new dates relate to the old ones (see `direction`).
LATER, EARLIER, NARROWED, RETIMED, OTHER = "later", "earlier", "narrowed", "retimed", "other"
_KIND_OF_DIRECTION = {
    LATER: "postponed",
    EARLIER: "brought_forward",
    NARROWED: "time_set",
    RETIMED: "time_changed",
    OTHER: "dates_changed",
}
# Directions that change which days the round is on.
MOVING = (LATER, EARLIER, OTHER)


class HasChanges(Protocol):
    @property
    def sequence(self) -> int: ...

    @property
    def changes(self) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class ScheduleChange:
    """One change to a round's schedule, as readers are told about it."""

    kind: str
    old: dict[str, Any]  # the schedule fields before
    new: dict[str, Any]  # and after
    dates_changed: bool  # the start or end changed (in any way, precision included)
    venue_changed: bool
    way: str | None = None  # see `direction`
    to_first: bool = False  # a revert to the dates first announced
    moves: int = 0  # real date moves up to and including this change
    sequence: int | None = None

    @property
    def is_move(self) -> bool:
        """A real change of dates: not a time set inside them, not a return to earlier ones."""
        return self.way in MOVING and self.kind != "reverted"


def schedule_of(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {key: rec.get(key) for key in SCHEDULE_KEYS}


def span(state: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """The UTC bounds a schedule's dates mean, read in its zone; None when unreadable."""
    if not state.get("start"):
        return None
    try:
        zone = zone_or_error(state.get("timezone") or "UTC")
        first = parse_when(str(state["start"]))
        last = parse_when(str(state["end"])) if state.get("end") else first
    except (TimeFormatError, ValueError):
        return None
    return first.start_utc(zone), last.end_utc(zone)


def _local_days(state: Mapping[str, Any]) -> tuple[Any, Any] | None:
    bounds = span(state)
    if bounds is None:
        return None
    zone = zone_or_error(state.get("timezone") or "UTC")
    return bounds[0].astimezone(zone).date(), bounds[1].astimezone(zone).date()


def _has_time(state: Mapping[str, Any]) -> bool:
    try:
        return parse_when(str(state.get("start"))).instant is not None
    except TimeFormatError:
        return False


def direction(old: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """How new dates relate to old ones: later, earlier, narrowed (a time or day given inside
    the old dates), retimed (another time, same days), other; None when they mean the same."""
    a, b = span(old), span(new)
    if a is None or b is None:
        same = (old.get("start"), old.get("end")) == (new.get("start"), new.get("end"))
        return None if same else OTHER
    if a == b:
        return None
    if _has_time(old) and _has_time(new) and _local_days(old) == _local_days(new):
        return RETIMED
    if a[0] <= b[0] and b[1] <= a[1]:
        return NARROWED
    if b[0] >= a[0] and b[1] >= a[1]:
        return LATER
    if b[0] <= a[0] and b[1] <= a[1]:
        return EARLIER
    return OTHER


def _dates_differ(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return any(old.get(k) != new.get(k) for k in (*DATE_KEYS, "time_precision"))


def classify(
    old: Mapping[str, Any], new: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]] = ()
) -> ScheduleChange | None:
    """The kind of change from `old` to `new` (schedules or whole records); None when the
    schedule did not change. `earlier` are the schedules the round had before `old`, first
    announced first: going back to one of them is a revert."""
    old, new = schedule_of(old), schedule_of(new)
    dates = _dates_differ(old, new)
    venue = any(old.get(k) != new.get(k) for k in VENUE_KEYS)
    was, now = old.get("status"), new.get("status")
    if not dates and not venue and was == now:
        return None
    way = direction(old, new) if dates else None
    back_to = None
    if way in MOVING:
        bounds = span(new)
        back_to = next((i for i, s in enumerate(earlier) if bounds and span(s) == bounds), None)
    if now != was and now == "cancelled":
        kind = "cancelled"
    elif now != was and was == "cancelled":
        kind = "reinstated"
    elif now != was and now == "held":
        kind = "held"
    elif back_to is not None:
        kind = "reverted"
    elif way is not None:
        kind = _KIND_OF_DIRECTION[way]
    elif venue:
        kind = "venue_changed"
    elif now != was:
        kind = "status_changed"
    else:
        kind = "time_changed"  # the same moment written another way (a new zone)
    return ScheduleChange(kind, old, new, dates, venue, way, to_first=back_to == 0)


def _undo(state: Mapping[str, Any], changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    before = dict(state)
    for key in SCHEDULE_KEYS:
        if key in changes:
            before[key] = changes[key].get("old")
    return before


def history(current: Mapping[str, Any], revisions: Iterable[HasChanges]) -> list[ScheduleChange]:
    """Every schedule change of a round, oldest first, each with the moves counted so far.

    Read back from the record as it is now through its revisions, so a record imported with
    revisions is read the same as one changed here.
    """
    ordered = sorted(revisions, key=lambda r: r.sequence)
    states = [schedule_of(current)]
    for rev in reversed(ordered):
        states.append(_undo(states[-1], rev.changes))
    states.reverse()  # states[i] is the schedule before ordered[i]; states[-1] is now
    out: list[ScheduleChange] = []
    moves = 0
    held = [states[0]]  # every schedule the round has had, first announced first
    for i, rev in enumerate(ordered):
        if not any(k in rev.changes for k in SCHEDULE_KEYS):
            continue
        change = classify(states[i], states[i + 1], held)
        if change is None:
            continue
        moves += change.is_move
        out.append(replace(change, moves=moves, sequence=rev.sequence))
        if change.dates_changed:
            held.append(change.new)
    return out


def move_count(current: Mapping[str, Any], revisions: Iterable[HasChanges]) -> int:
    """How many times a round really moved (reverts and times set inside a day do not count)."""
    steps = history(current, revisions)
    return steps[-1].moves if steps else 0


def first_dates(current: Mapping[str, Any], revisions: Iterable[HasChanges]) -> dict[str, Any]:
    """The schedule as first announced (before its first change of dates)."""
    steps = [s for s in history(current, revisions) if s.dates_changed]
    return steps[0].old if steps else schedule_of(current)


def latest_move(
    current: Mapping[str, Any], revisions: Iterable[HasChanges]
) -> ScheduleChange | None:
    """The latest change of dates, if the round's dates ever changed."""
    steps = [s for s in history(current, revisions) if s.dates_changed]
    return steps[-1] if steps else None
