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


def copy_seed_rows(old: Database) -> None:
    """The seed, loaded by today's store, copied into `old` column by column as far as its
    tables have them (FTS kept up to date by the old schema's own triggers)."""
    new = connect(":memory:")
    load_seed_if_empty(EventStore(new))
    with old.conn:
        for table in ("events", "revisions"):
            have = ", ".join(f'"{c.name}"' for c in old[table].columns)
            rows = new.conn.execute(f"SELECT {have} FROM {table}").fetchall()
            marks = ", ".join("?" for _ in rows[0])
            old.conn.executemany(f"INSERT INTO {table} ({have}) VALUES ({marks})", rows)
    new.close()


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
    # Data in the first schema's shape: the seed's rows, with the columns that schema had
    # (today's store writes columns later steps added, so it cannot write there itself).
    old = connect(path, migrate=False)
    copy_seed_rows(old)
    exported_before = [r[0] for r in old.conn.execute("SELECT id FROM events ORDER BY number")]
    revisions_before = old.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    assert len(exported_before) == 12 and revisions_before == 13
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
    # The full-text index rebuilt by m006 covers the old rows and the new paraphrase column.
    assert [e["number"] for e in store.search("maternity").events] == [5]
    store.update(11, {"paraphrase": "a truce over xylophones"}, author="t")
    assert [e["number"] for e in store.search("xylophones").events] == [11]
