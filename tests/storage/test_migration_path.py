"""Every schema step, from the first to the latest, keeps the data written before it."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from storage.db import connect
from storage.events import EventStore
from storage.migrations import migrations
from storage.seed import load_seed_if_empty


def step_names() -> list[str]:
    return [m.name for m in migrations._migrations]


def test_upgrading_step_by_step_keeps_the_events(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    names = step_names()
    assert len(names) >= 3
    db = Database(str(path))
    db.conn.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db, stop_before=names[1])  # the first release: events only
    assert set(db.table_names()) >= {"events", "revisions"}
    assert "alerts" not in db.table_names()
    db.close()
    # Data written by the first schema, through the store of that time's shape.
    old = connect(path, migrate=False)
    store = EventStore(old)
    store.alerts_muted = True
    load_seed_if_empty(store)
    exported_before = [e["id"] for e in store.iter_all()]
    revisions_before = old.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    old.close()

    upgraded = connect(path)  # applies every later step
    applied = [m.name for m in migrations.applied(upgraded)]
    assert applied == names
    store = EventStore(upgraded)
    assert [e["id"] for e in store.iter_all()] == exported_before
    assert upgraded.conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == revisions_before
    assert store.get("abu-dhabi-trilateral-2026-02")["start"] == "2026-02-04"
    # And the new tables work on the old data.
    store.update(3, {"status": "cancelled"}, author="t", reason="after upgrade")
    assert upgraded.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1
    assert store.search("Zaporizhzhia").events
