"""The figures behind /chart: incidents per week and the talks rounds' moves, read in SQL.

Aggregation happens here, in one query each; drawing (handlers/chart_drawing.py) only gets
the few rows it plots, so a chart of a million incidents draws as fast as one of ten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from storage.events import EventStore
from storage.gazetteer import area_key
from storage.queries import PREFIX_END, SEEN
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


# The Monday of the week of a record's local start day (a month counts from its first day):
# six days back, then forward to a Monday. The same expression as migration m012's triggers.
WEEK_OF_START = (
    "coalesce(date(CASE length(start) WHEN 7 THEN start || '-01' ELSE substr(start, 1, 10) "
    "END, '-6 days', 'weekday 1'), '')"
)
# A local day begins at most 12 hours after the same UTC day does (UTC-12) and at most 14
# before it (UTC+14): the bounds that tie a local start day to a UTC instant.
LATEST_OFFSET, EARLIEST_OFFSET = timedelta(hours=12), timedelta(hours=14)


def _area_filter(area: str | None) -> tuple[str, list[str]]:
    if not area:
        return "", []
    key = area_key(area.encode("utf-8", "ignore").decode("utf-8"))
    high = key + PREFIX_END
    sql = " AND ((region_key >= ? AND region_key < ?) OR (place_key >= ? AND place_key < ?))"
    return sql, [key, high, key, high]


def _first_whole_week(since: datetime) -> date:
    """The first Monday whose incidents all end after `since`: every incident of its week
    or later starts (so ends) after it, whatever its zone."""
    later = (since.astimezone(UTC) + EARLIEST_OFFSET).date() + timedelta(days=1)
    return later + timedelta(days=(7 - later.weekday()) % 7)


def incidents_per_week(
    store: EventStore, *, area: str | None = None, since: datetime | None = None
) -> list[Week]:
    """Incidents per week (Monday to Sunday, by the local day recorded), oldest first, in
    `area` and `since` exactly as /incidents reads them: an area matches the start of a
    region's or a place's key (storage.gazetteer), a period keeps incidents that had not ended
    by `since`. Weeks with none are left out.

    Read from the weekly rollup (migration m012), a few thousand rows however many incidents
    there are. With a period, the rollup answers the weeks that lie wholly after `since`; the
    few weeks before are counted from the incidents themselves, through the (kind, end_utc,
    start_utc) index: only those that ended after `since` and started before the cut.
    """
    area_sql, area_params = _area_filter(area)
    where, params = "monday != ''" + area_sql, list(area_params)
    cut: date | None = None
    if since is not None:
        cut = _first_whole_week(since)
        where += " AND monday >= ?"
        params.append(cut.isoformat())
    conn = store.db.conn
    totals: dict[str, list[int]] = {}
    rows = conn.execute(
        "SELECT monday, sum(incidents), sum(killed), sum(injured) FROM incident_weeks "
        f"WHERE {where} GROUP BY monday",
        params,
    ).fetchall()
    for monday, incidents, killed, injured in rows:
        totals[monday] = [int(incidents), int(killed), int(injured)]
    if since is not None and cut is not None:
        # `+start_utc`: the end_utc range drives the index; start_utc is a filter inside it.
        before = iso_utc(datetime.combine(cut, time(), UTC) + LATEST_OFFSET)
        rows = conn.execute(
            f"SELECT {WEEK_OF_START} AS monday, count(*), coalesce(sum(killed), 0), "
            "coalesce(sum(injured), 0) FROM events WHERE kind = 'incident' AND end_utc > ? "
            f"AND +start_utc < ?{area_sql} AND {SEEN} "
            "GROUP BY monday HAVING monday != '' AND monday < ?",
            [iso_utc(since), before, *area_params, cut.isoformat()],
        ).fetchall()
        for monday, incidents, killed, injured in rows:
            totals[monday] = [int(incidents), int(killed), int(injured)]
    return [
        Week(date.fromisoformat(monday), *totals[monday])
        for monday in sorted(totals)
        if totals[monday][0] > 0
    ]


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
        f"WHERE kind = 'talks' AND {SEEN} ORDER BY start_utc, number"
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
