"""/chart at 1,000,000 events: the SQL aggregation and the drawing, timed apart.

The drawing must stay under a second whatever the store's size: it only gets the rows the
aggregation made (one per week, one per round), and the aggregation reads the weekly rollup
(migration m012), which the synthetic rows below fill through its triggers as they go in. Each is timed `repeats` times after one
warm-up (the first chart of a process also imports matplotlib, reported on its own).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from storage.charts import incidents_per_week, talks_timeline
from storage.db import connect
from storage.events import EventStore
from storage.gazetteer import place_key, region_key

AREA = "donetsk"


@dataclass
class Charts:
    events: int
    weeks: int
    area_weeks: int
    rounds: int
    first_import: float  # importing matplotlib and the drawing module, once per process
    store: str = "the cached world"
    timings: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.timings[name])

    def worst(self, name: str) -> float:
        return max(self.timings[name])


REGIONS = (
    ("Donetsk Oblast", "Kramatorsk"), ("Kharkiv Oblast", "Kharkiv"),
    ("Zaporizhzhia Oblast", "Zaporizhzhia"), ("Dnipropetrovsk Oblast", "Dnipro"),
    ("Kherson Oblast", "Kherson"), ("Sumy Oblast", "Sumy"), ("Kyiv", "Kyiv"),
    ("Odesa Oblast", "Odesa"),
)  # fmt: skip


def synthetic(path: Path, events: int, *, seed: int = 1) -> Path:
    """A store of `events` rows written straight into the migrated schema: incidents over
    2022-2026 in eight regions with casualty figures, and twelve talks rounds that moved.

    For when the cached world (bench.datasets, about an hour to build on a busy 2-core
    machine) is not there: the charts read only the columns written here.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = connect(path)
    rng = random.Random(seed)
    first = datetime(2022, 2, 24, tzinfo=UTC)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    columns = (
        "id, number, kind, title, status, start, time_precision, timezone, place, region, "
        "country, killed, killed_qualifier, injured, injured_qualifier, sources, start_utc, "
        "end_utc, region_key, place_key, updated_at"
    )
    insert = f"INSERT INTO events ({columns}) VALUES ({', '.join('?' * 21)})"

    def rows(start: int, stop: int) -> list[tuple[object, ...]]:
        out = []
        for n in range(start, stop):
            moment = first + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 4))
            region, place = REGIONS[rng.randrange(len(REGIONS))]
            killed = rng.choice((None, 0, 1, 2, 5))
            injured = rng.choice((None, 0, 1, 3, 8))
            out.append((
                f"s-{n}", n, "incident", f"Shelling {n}", "reported",
                moment.strftime("%Y-%m-%d"), "day", "Europe/Kyiv", place, region, "Ukraine",
                killed, "exact" if killed is not None else None,
                injured, "exact" if injured is not None else None,
                '[{"name": "bench"}]', moment.strftime("%Y-%m-%dT00:00:00Z"),
                (moment + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z"),
                region_key(region), place_key(place), now,
            ))  # fmt: skip
        return out

    rounds = 12
    with db.conn:
        for start in range(1, events - rounds + 1, 50_000):
            db.conn.executemany(insert, rows(start, min(start + 50_000, events - rounds + 1)))
        for r in range(rounds):
            n = events - rounds + 1 + r
            day = date(2025, 1, 10) + timedelta(days=30 * r)
            old = day - timedelta(days=7)
            db.conn.execute(
                insert,
                (f"round-{r}", n, "talks", f"Talks round {r + 1} in a capital", "postponed",
                 day.isoformat(), "day", "Europe/Kyiv", "Geneva", "Geneva", "Switzerland",
                 None, None, None, None, '[{"name": "bench"}]', f"{day}T00:00:00Z",
                 f"{day + timedelta(days=1)}T00:00:00Z", "", "", now),
            )  # fmt: skip
            db.conn.execute(
                "INSERT INTO revisions (event_id, sequence, at, author, reason, changes) "
                "VALUES (?, 1, ?, 'bench', 'moved', ?)",
                (f"round-{r}", now,
                 json.dumps({"start": {"old": old.isoformat(), "new": day.isoformat()}})),
            )  # fmt: skip
    db.close()
    return path


def _label(day: date) -> str:
    return day.isoformat()


def _time(call: Callable[[], object], repeats: int) -> list[float]:
    call()  # warm-up: fonts, caches
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def run(path: Path, events: int, *, repeats: int = 5, log: Callable[[str], None] = print) -> Charts:
    store = EventStore(connect(path))
    started = time.perf_counter()
    from handlers import chart_drawing  # the same lazy import /chart does

    first_import = time.perf_counter() - started
    weeks = incidents_per_week(store)
    latest = store.db.conn.execute("SELECT max(end_utc) FROM events").fetchone()[0]
    year_ago = datetime.fromisoformat(latest.replace("Z", "+00:00")) - timedelta(days=365)
    area_weeks = incidents_per_week(store, area=AREA)
    rounds = talks_timeline(store)
    result = Charts(events, len(weeks), len(area_weeks), len(rounds), first_import)
    result.timings = {
        "aggregate incidents per week (all)": _time(lambda: incidents_per_week(store), repeats),
        f"aggregate incidents per week ({AREA})": _time(
            lambda: incidents_per_week(store, area=AREA), repeats
        ),
        # A period reads its first weeks from the incidents themselves (storage.charts).
        "aggregate incidents per week (last 365 days)": _time(
            lambda: incidents_per_week(store, since=year_ago), repeats
        ),
        "read the talks timeline": _time(lambda: talks_timeline(store), repeats),
        "draw incidents per week (all)": _time(
            lambda: chart_drawing.draw_incidents(weeks, title="bench", date_label=_label),
            repeats,
        ),
        "draw the talks timeline": _time(
            lambda: chart_drawing.draw_talks(rounds, title="bench", date_label=_label), repeats
        ),
    }
    store.db.close()
    for name, values in result.timings.items():
        log(f"charts: {name}: median {statistics.median(values):.3f} s, worst {max(values):.3f} s")
    return result
