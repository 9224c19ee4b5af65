"""Records, subscriptions and searches keyed through the gazetteer, in either script."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.chats import ChatStore
from storage.db import connect, refresh_place_keys
from storage.events import EventStore
from tests.storage.records import incident


def ids(page) -> list[str]:
    return sorted(e["id"] for e in page.events)


@pytest.fixture
def places(store: EventStore) -> EventStore:
    for event_id, place, region in [
        ("city", "Dnipro", ""),
        ("oblast", "Pavlohrad", "Dnipropetrovsk Oblast"),
        ("zp", "Zaporizhzhia", "Zaporizhzhia Oblast"),
        # As ACLED writes them: admin1 "Zaporizhia" is the oblast, "Kyiv City" the city.
        ("acled-orikhiv", "Orikhiv", "Zaporizhia"),
        ("acled-kyiv", "Kyiv", "Kyiv City"),
        ("acled-bucha", "Bucha", "Kyiv"),
        ("kiev", "Kiev", ""),
    ]:
        store.create(incident(id=event_id, place=place, region=region), author="a")
    return store


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("Запоріжжя", ["acled-orikhiv", "zp"]),
        ("запоріжжя", ["acled-orikhiv", "zp"]),
        ("Zaporozhye", ["acled-orikhiv", "zp"]),
        ("Запорізька область", ["acled-orikhiv", "zp"]),
        ("Orikhiv", ["acled-orikhiv"]),
        ("Дніпро", ["city", "oblast"]),
        ("dnipro", ["city", "oblast"]),
        ("Дніпропетровщина", ["oblast"]),
        ("Київ", ["acled-bucha", "acled-kyiv", "kiev"]),
        ("Kiev", ["acled-bucha", "acled-kyiv", "kiev"]),
        ("Київщина", ["acled-bucha"]),
        ("Bila Tserkva", []),
    ],
)
def test_latest_finds_an_area_by_any_of_its_names(places, area, expected):
    assert ids(places.latest("incident", area=area, limit=20)) == expected


def test_subscriptions_in_either_script_are_one_subscription(store):
    chats = ChatStore(store.db, clock=store.clock)
    assert chats.subscribe(1, "private", "incidents", "Запоріжжя")
    assert not chats.subscribe(1, "private", "incidents", "zaporizhzhia")
    assert not chats.subscribe(1, "private", "incidents", "Zaporozhye")
    [sub] = chats.subscriptions(1)
    assert (sub.region, sub.region_label) == ("zaporizhzhia", "Запоріжжя")
    assert chats.unsubscribe(1, "incidents", "ZAPORIZHIA") == 1


def test_search_finds_a_place_by_its_ukrainian_name(seeded):
    assert [e["number"] for e in seeded.search("Запоріжжя").events] == [5]
    assert [e["number"] for e in seeded.search("Zaporozhye maternity").events] == [5]
    assert [e["number"] for e in seeded.search("Дніпро DTEK").events] == [4]
    # A place's words as typed still count, and quoting stays safe around the spellings.
    assert seeded.search('"Абу-Дабі').events


def test_changed_gazetteer_rebuilds_stored_keys_on_open(tmp_path: Path, clock) -> None:
    path = tmp_path / "keys.db"
    db = connect(path)
    store = EventStore(db, clock=clock)
    store.create(
        incident(id="orikhiv", place="Orikhiv", region="Zaporizhia", start="2026-01-19"),
        author="a",
    )
    ChatStore(db, clock=clock).touch(1, "private")
    # Keys as an older sitrep made them (folded text), and an older gazetteer's mark: "Kiev"
    # and "Kyiv" were two subscriptions then.
    db.conn.execute("UPDATE events SET region_key = 'zaporizhia', place_key = 'orikhiv'")
    db.conn.execute("UPDATE alerts SET region_key = 'zaporizhia', place_key = 'orikhiv'")
    db.conn.executemany(
        "INSERT INTO subscriptions (chat_id, topic, region, region_label, created_at) "
        "VALUES (1, 'incidents', ?, ?, '2026-01-01T00:00:00Z')",
        [("kiev", "Kiev"), ("kyiv", "Kyiv"), ("zaporizhia", "Zaporizhia")],
    )
    db.conn.execute("UPDATE place_keys SET fingerprint = 'old'")
    db.conn.commit()
    assert ids(store.latest("incident", area="Запоріжжя")) == []
    db.close()

    db = connect(path)
    store = EventStore(db, clock=clock)
    assert ids(store.latest("incident", area="Запоріжжя")) == ["orikhiv"]
    # The alert not yet sent reaches the subscribers of the area by its new keys too.
    alert = db.conn.execute("SELECT region_key, place_key FROM alerts").fetchall()
    assert alert == [("zaporizhzhia oblast", "orikhiv")]
    assert [s.region for s in ChatStore(db).subscriptions(1)] == ["kyiv", "zaporizhzhia"]
    assert refresh_place_keys(db) is False  # done once, then one read
    db.close()
