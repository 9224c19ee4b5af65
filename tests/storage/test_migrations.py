"""connect(): schema by the real migrations, idempotent reopening, WAL, foreign keys."""

from __future__ import annotations

import sqlite3

import pytest

from storage.db import StoreError, connect
from storage.events import EventStore
from storage.exchange import dump_json, export_events
from storage.migrations import migrations
from storage.seed import load_seed_if_empty
from tests.storage.records import talks

EXPECTED = [("sitrep", m.name) for m in migrations._migrations]


def applied(db) -> list[tuple[str, str]]:
    return [
        (row["migration_set"], row["name"])
        for row in db.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    ]


def test_connect_twice_on_the_same_file_is_idempotent(tmp_path, clock):
    path = tmp_path / "sitrep.db"
    first = connect(path)
    EventStore(first, clock=clock).create(talks(), author="a")
    schema = first.conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    first.close()

    second = connect(path)
    assert second.conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert applied(second) == EXPECTED
    store = EventStore(second, clock=clock)
    assert store.count() == 1
    assert store.get("talks-test")["title"] == "Test talks round"
    second.close()

    third = connect(str(path))  # a str path works the same
    assert applied(third) == EXPECTED
    third.close()


def test_every_migration_is_recorded_and_none_is_pending(tmp_path):
    db = connect(tmp_path / "s.db")
    assert applied(db) == EXPECTED
    assert EXPECTED[0] == ("sitrep", "m001_events")
    assert migrations.pending(db) == []
    assert all(row["applied_at"] for row in db.query("SELECT applied_at FROM _sqlite_migrations"))
    db.close()


def test_in_memory_database_records_its_migrations_too():
    db = connect(":memory:")
    assert applied(db) == EXPECTED
    db.close()


def test_wal_mode_is_on_for_a_file_database(tmp_path):
    path = tmp_path / "wal.db"
    db = connect(path)
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


@pytest.mark.parametrize("where", ["file", "memory"])
def test_foreign_keys_are_on_for_every_connection(tmp_path, where):
    db = connect(tmp_path / "fk.db" if where == "file" else ":memory:")
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    db.close()


def test_the_schema_has_events_revisions_and_full_text_search():
    db = connect(":memory:")
    tables = set(db.table_names())
    assert {"events", "revisions", "events_fts", "_sqlite_migrations"} <= tables
    assert {"events_ai", "events_ad", "events_au"} <= set(db.triggers_dict)
    db.close()


def test_connect_without_migrate_leaves_a_new_file_empty(tmp_path):
    db = connect(tmp_path / "bare.db", migrate=False)
    assert db.table_names() == []
    db.close()


def test_a_file_that_is_not_a_database_raises_store_error(tmp_path):
    path = tmp_path / "not-a-db.db"
    path.write_bytes(b"this is not an SQLite database at all, just text " * 40)
    with pytest.raises(StoreError, match="cannot open the database"):
        connect(path)


def test_the_copied_fixtures_match_a_fresh_build(store, seeded, clock):
    """tests/storage/conftest.py copies template databases; they must equal a fresh build."""
    db = connect(":memory:")
    fresh = EventStore(db, clock=clock)
    assert set(db.table_names()) == set(store.db.table_names())
    assert store.count() == 0
    load_seed_if_empty(fresh)
    assert dump_json(export_events(fresh)) == dump_json(export_events(seeded))
    assert seeded.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()
