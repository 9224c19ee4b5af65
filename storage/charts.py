"""The figures behind /chart: incidents per week and the talks rounds' moves, read in SQL.

Aggregation happens here, in one query each; drawing (handlers/chart_drawing.py) only gets
the few rows it plots, so a chart of a million incidents draws as fast as one of ten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from storage.events import EventStore
from storage.gazetteer import area_key
from storage.queries import PREFIX_END
from storage.timeparse import TimeFormatError, iso_utc, parse_when, zone_or_error


@dataclass(frozen=True)
class Week:
    """Incidents that started in one week (Monday, UTC), with their casualty figures."""

    monday: date
    incidents: int
    killed: int
    injured: int


@dataclass(frozen=True)
class Move:
    """One change of a round's dates: the start it had, and the start it got."""

    old: date
    new: date


@dataclass
class Round:
    """A talks round as the timeline draws it: its dates now, and every move before them."""

    number: int
    title: str
    status: str
    start: date
    end: date
    moves: list[Move] = field(default_factory=list)


def incidents_per_week(
    store: EventStore, *, area: str | None = None, since: datetime | None = None
) -> list[Week]:
    """Incidents per week (Monday to Sunday, by the local day recorded), oldest first, in `area` and `period` exactly as /incidents reads
    them: an area matches the start of a region's or a place's key (storage.gazetteer), a
    period keeps incidents that had not ended by `since`. Weeks with none are left out."""
    where = "kind = 'incident'"
    params: list[str] = []
    if since is not None:
        where += " AND end_utc > ?"
        params.append(iso_utc(since))
    if area:
        key = area_key(area.encode("utf-8", "ignore").decode("utf-8"))
        high = key + PREFIX_END
        where += " AND ((region_key >= ? AND region_key < ?) OR (place_key >= ? AND place_key < ?))"
        params += [key, high, key, high]
    # The week of the day the record gives, at the place (a month counts from its first day):
    # six days back, then forward to a Monday.
    rows = store.db.conn.execute(
        "SELECT date(CASE length(start) WHEN 7 THEN start || '-01' ELSE substr(start, 1, 10) "
        "END, '-6 days', 'weekday 1') AS monday, count(*), "
        "coalesce(sum(killed), 0), coalesce(sum(injured), 0) "
        f"FROM events WHERE {where} GROUP BY monday ORDER BY monday",
        params,
    ).fetchall()
    return [Week(date.fromisoformat(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]


def _local_day(text: str | None, zone_name: str, *, last: bool = False) -> date | None:
    """The first (or last) day a stored date means at the venue: a month's last day is its
    end. None when there is none or it is unreadable."""
    if not text:
        return None
    try:
        zone = zone_or_error(zone_name)
        when = parse_when(str(text))
        if last:
            return (when.end_utc(zone) - timedelta(microseconds=1)).astimezone(zone).date()
        return when.start_utc(zone).astimezone(zone).date()
    except (TimeFormatError, ValueError):
        return None


def talks_timeline(store: EventStore) -> list[Round]:
    """Every talks round, earliest first, with each change of its start from its history."""
    rows = store.db.conn.execute(
        'SELECT id, number, title, status, start, "end", timezone FROM events '
        "WHERE kind = 'talks' ORDER BY start_utc, number"
    ).fetchall()
    history = store.revisions_of([r[0] for r in rows])
    rounds = []
    for event_id, number, title, status, start, end, zone in rows:
        first = _local_day(start, zone)
        if first is None:
            continue
        last = _local_day(end or start, zone, last=True) or first
        moves = []
        for revision in history.get(event_id, []):
            change = revision.changes.get("start") or {}
            old, new = _local_day(change.get("old"), zone), _local_day(change.get("new"), zone)
            if old is not None and new is not None and old != new:
                moves.append(Move(old, new))
        rounds.append(Round(number, title, status or "", first, max(first, last), moves))
    return rounds
