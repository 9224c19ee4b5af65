"""The reader's queries, reshaped for large stores, answer exactly as the plain SQL would.

On a generated world: every list page equals the straightforward query (one WHERE, one ORDER
BY over all matches), for areas readers type, odd ones, periods and deep pages; and the plans
read an index in order rather than sorting (no timing is asserted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bench.commands import TYPED_AREAS
from bench.datasets import build_world
from bench.world import BENCH_NOW
from storage.db import connect
from storage.events import PREFIX_END, EventStore
from storage.gazetteer import area_key
from storage.queries import SEARCH_RANKED
from storage.timeparse import iso_utc


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> EventStore:
    path = tmp_path_factory.mktemp("world") / "world.db"
    build_world(4000, path, seed=2, log=lambda _: None)
    store = EventStore(connect(path), clock=lambda: BENCH_NOW)
    yield store
    store.db.close()


def plain_latest(store, kind, area=None, since=None, offset=0, limit=5):
    where, params = ["kind = ?"], [kind]
    if since is not None:
        where.append("end_utc > ?")
        params.append(iso_utc(since))
    if area:
        key = area_key(area)
        where.append("((region_key >= ? AND region_key < ?) OR (place_key >= ? AND place_key < ?))")
        params += [key, key + PREFIX_END, key, key + PREFIX_END]
    rows = store.db.conn.execute(
        f"SELECT number FROM events WHERE {' AND '.join(where)} "
        "ORDER BY start_utc DESC, number DESC LIMIT ? OFFSET ?",
        [*params, limit + 1, offset],
    ).fetchall()
    return [r[0] for r in rows[:limit]], len(rows) > limit


def numbers(page):
    return [e["number"] for e in page.events], page.has_more


AREAS = sorted({a for a, _ in TYPED_AREAS} | {"", "  ", "k", "d", "zzz", "KHARKIV", "Kyiv "})


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(
    "period", [None, timedelta(days=1), timedelta(days=7), timedelta(days=365)]
)
def test_incidents_by_area_and_period_match_the_plain_query(world, area, period):
    since = BENCH_NOW - period if period else None
    for offset in (0, 5, 45):
        got = numbers(world.latest("incident", area=area, since=since, offset=offset))
        assert got == plain_latest(world, "incident", area or None, since, offset)


@pytest.mark.parametrize("kind", ["incident", "statement"])
def test_latest_without_filters_matches_the_plain_query(world, kind):
    for offset in (0, 5, 100):
        assert numbers(world.latest(kind, offset=offset)) == plain_latest(
            world, kind, None, None, offset
        )


def test_talks_pages_match_the_plain_order(world):
    now = iso_utc(BENCH_NOW)
    expected = [
        r[0]
        for r in world.db.conn.execute(
            "SELECT number FROM events WHERE kind = 'talks' ORDER BY (end_utc <= ?), "
            "CASE WHEN end_utc > ? THEN start_utc END, "
            "CASE WHEN end_utc > ? THEN number END, start_utc DESC, number DESC",
            [now, now, now],
        )
    ]
    got: list[int] = []
    offset = 0
    while True:
        page = world.talks(offset, 5)
        got += [e["number"] for e in page.events]
        if not page.has_more:
            break
        offset += 5
    assert got == expected
    assert world.talks(offset=10_000).events == []


def test_search_pages_list_every_match_once(world):
    expected = [
        r[0]
        for r in world.db.conn.execute(
            "SELECT events.number FROM events JOIN events_fts ON events.rowid = events_fts.rowid "
            "WHERE events_fts MATCH ? ORDER BY events.rowid DESC",
            ['"kharkiv" "shelled"'],
        )
    ]
    assert len(expected) > 20
    assert len(expected) < 1000  # all of them ranked: the pages hold each exactly once
    got: list[int] = []
    for offset in range(0, len(expected) + 5, 5):
        got += [e["number"] for e in world.search("Kharkiv shelled", offset, 5).events]
    assert sorted(got) == sorted(expected)


def statements_run_by(store: EventStore, call: Callable[[], object]) -> list[str]:
    """Every SELECT the store itself runs for `call`, its parameters bound (SQLite's trace)."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    return [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]


SINCE = BENCH_NOW - timedelta(days=7)
READS: dict[str, Callable[[EventStore], object]] = {
    "incidents": lambda s: s.latest("incident"),
    "incidents, a period": lambda s: s.latest("incident", since=SINCE),
    "incidents in kharkiv": lambda s: s.latest("incident", area="kharkiv"),
    "incidents in kharkiv, a period": lambda s: s.latest("incident", area="kharkiv", since=SINCE),
    "incidents in a much-shared prefix": lambda s: s.latest("incident", area="k", since=SINCE),
    "statements, a later page": lambda s: s.latest("statement", offset=45),
    "talks, past rounds too": lambda s: s.talks(offset=20),
    "search": lambda s: s.search("drone", offset=5),
}


@pytest.mark.parametrize("read", sorted(READS))
def test_list_queries_read_an_index_in_order_without_sorting(world, read):
    statements = statements_run_by(world, lambda: READS[read](world))
    assert statements  # the trace saw the store's own queries
    ranked = 0
    for sql in statements:
        plan = " ".join(r[3] for r in world.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        if "bm25(" in sql:
            # Ranking sorts, by design, only the SEARCH_RANKED most recent matches, which the
            # inner query reads in rowid order (no sort of every match).
            assert f"LIMIT {SEARCH_RANKED})" in sql, sql
            ranked += 1
            assert plan.count("TEMP B-TREE") == 1, f"{sql}\n{plan}"
            assert plan.index("TEMP B-TREE") > plan.index("SCAN (subquery"), plan
            continue
        assert "TEMP B-TREE" not in plan, f"{sql}\n{plan}"
    assert ranked == (read == "search")
