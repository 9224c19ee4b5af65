"""The benchmarks' generated world is realistic and valid (small sizes; nothing here is timed)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from bench.datasets import build_world, checked_batches
from bench.gen_acled import FIRST_DAY, OBLASTS
from bench.world import (
    AREAS,
    BENCH_NOW,
    LAST_DAY,
    TOPIC_SHARES,
    composition,
    statements,
    subscribers,
    talks_rounds,
)
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore
from storage.model import normalise, validate
from storage.timeparse import parse_when

# Ukraine's 24 oblasts, Kyiv City, Crimea and Sevastopol, as ACLED spells them in admin1.
REAL_ADMIN1 = {
    "Cherkasy",
    "Chernihiv",
    "Chernivtsi",
    "Dnipropetrovsk",
    "Donetsk",
    "Ivano-Frankivsk",
    "Kharkiv",
    "Kherson",
    "Khmelnytskyi",
    "Kirovohrad",
    "Kyiv",
    "Kyiv City",
    "Luhansk",
    "Lviv",
    "Mykolaiv",
    "Odesa",
    "Poltava",
    "Rivne",
    "Sumy",
    "Ternopil",
    "Vinnytsia",
    "Volyn",
    "Zakarpattia",
    "Zaporizhia",
    "Zhytomyr",
    "Autonomous Republic of Crimea",
    "Sevastopol",
}


@pytest.fixture(scope="module")
def incidents() -> list[dict]:
    return [rec for batch in checked_batches(3000, seed=4) for rec in batch]


def test_incidents_pass_the_stores_validation(incidents):
    assert len(incidents) == 3000
    assert all(validate(rec) == [] for rec in incidents)
    assert all(rec["kind"] == "incident" and rec["country"] == "Ukraine" for rec in incidents)


def test_incidents_are_in_real_oblasts_and_every_oblast_appears():
    assert set(OBLASTS) == REAL_ADMIN1
    regions = Counter(rec["region"] for batch in checked_batches(3000, 4) for rec in batch)
    assert set(regions) <= REAL_ADMIN1
    assert len(regions) >= 25
    # The front-line oblasts dominate, as in ACLED's data.
    assert regions.most_common(1)[0][0] == "Donetsk"


def test_incidents_span_four_years_of_the_war_newest_first(incidents):
    days = [parse_when(rec["start"]).day for rec in incidents]
    assert min(days) >= FIRST_DAY.replace(day=1)
    assert max(days) <= LAST_DAY
    assert max(days) - min(days) > timedelta(days=3 * 365 + 300)
    # As ACLED exports them (a month-only date reads as the month's first day).
    exact = [parse_when(r["start"]).day for r in incidents if r["time_precision"] != "month"]
    assert exact == sorted(exact, reverse=True)


def test_incidents_read_like_acled(incidents):
    summaries = " ".join(rec["summary"] for rec in incidents[:500])
    assert "Russian forces" in summaries
    assert all(rec["sources"] and rec["note"].startswith("From ACLED") for rec in incidents)
    killed = [rec["killed"]["count"] for rec in incidents if rec["killed"]]
    assert Counter(c == 0 for c in killed)[True] > len(killed) / 2  # mostly none reported


def test_composition_is_mostly_incidents_with_a_few_hundred_talks():
    big = composition(1_000_000)
    assert (big.talks, big.statements, big.subscribers) == (300, 20_000, 100_000)
    assert big.incidents + big.talks + big.statements == 1_000_000
    small = composition(1000)
    assert small.incidents > small.talks + small.statements


def test_talks_rounds_validate_and_some_were_postponed_later():
    rounds = talks_rounds(300, seed=1)
    assert all(validate(normalise(r.record)) == [] for r in rounds)
    moved = [r for r in rounds if r.moves]
    assert 0.15 < len(moved) / len(rounds) < 0.35
    for rnd in moved:
        first = date.fromisoformat(rnd.record["start"][:10])
        days = [date.fromisoformat(start) for start, _, _ in rnd.moves]
        assert days == sorted(days) and days[0] > first
        assert rnd.record["status"] == "scheduled"
    assert any(parse_when(r.record["start"]).day > BENCH_NOW.date() for r in rounds)
    assert Counter(r.record["status"] for r in rounds if not r.moves)["held"] > 100


def test_statements_validate_and_quote_someone():
    found = statements(300, seed=1)
    assert all(validate(normalise(s)) == [] for s in found)
    assert len({s["speaker"] for s in found}) > 10
    assert all(s["quote"] and s["channel"] and len(s["title"]) <= 200 for s in found)


def test_subscribers_spread_over_topics_and_areas_as_intended():
    chats = subscribers(5000, seed=1)
    assert len({c.chat_id for c in chats}) == 5000
    for topic, share in TOPIC_SHARES.items():
        having = sum(1 for c in chats if any(t == topic for t, _ in c.topics))
        assert having == round(share * 5000)
    areas = Counter(label for c in chats for t, label in c.topics if t == "incidents" and label)
    assert set(areas) <= {a for a, _ in AREAS}
    assert areas.most_common(1)[0][0] in ("Kharkiv", "Kyiv")
    groups = [c for c in chats if c.type == "supergroup"]
    assert all(c.chat_id < 0 and c.title for c in groups)
    assert 0.02 < len(groups) / len(chats) < 0.08


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> EventStore:
    path = tmp_path_factory.mktemp("world") / "world.db"
    build_world(3000, path, log=lambda _: None)
    store = EventStore(connect(path), clock=lambda: BENCH_NOW)
    yield store
    store.db.close()


def test_a_built_world_holds_its_composition_and_alerted_nobody(world):
    comp = composition(3000)
    counts = dict(world.db.conn.execute("SELECT kind, count(*) FROM events GROUP BY kind"))
    assert counts == {
        "incident": comp.incidents,
        "talks": comp.talks,
        "statement": comp.statements,
    }
    assert world.db.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0
    world.db.conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)")
    numbers = [r[0] for r in world.db.conn.execute("SELECT number FROM events ORDER BY number")]
    assert numbers == list(range(1, 3001))


def test_postponed_rounds_carry_their_moves_as_revisions(world):
    rounds = {r.record["id"]: r for r in talks_rounds(composition(3000).talks, seed=1)}
    moved = [r for r in rounds.values() if r.moves]
    assert moved
    for rnd in moved:
        revisions = world.revisions(rnd.record["id"])
        starts = [rev.changes["start"]["new"] for rev in revisions if "start" in rev.changes]
        assert starts == [start for start, _, _ in rnd.moves]
        stored = world.get(rnd.record["id"])
        assert stored["start"] == rnd.moves[-1][0]
        assert stored["status"] == (rnd.final_status or "postponed")


def test_subscribers_read_back_through_the_chat_store(world):
    chats = ChatStore(world.db)
    some = subscribers(composition(3000).subscribers, seed=1)[:50]
    for chat in some:
        got = [(s.topic, s.region_label) for s in chats.subscriptions(chat.chat_id)]
        assert sorted(got) == sorted(chat.topics)


def test_a_built_world_file_is_a_normal_store(world):
    # The file opens with the project's connect() and answers the reader's queries.
    assert world.latest("incident", area="kharkiv").events
    assert world.talks().events
    assert world.search("drone").events
