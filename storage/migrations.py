"""Schema steps, one function each, applied in order by sqlite-utils' Migrations.

Never edit a step that has shipped: add a new one. Tests build their databases with these.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("sitrep")


@migrations()
def m001_events(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('talks', 'incident', 'statement')),
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            status TEXT,
            start TEXT NOT NULL,
            "end" TEXT,
            time_precision TEXT NOT NULL,
            timezone TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            latitude REAL,
            longitude REAL,
            parties TEXT NOT NULL DEFAULT '[]',
            people TEXT NOT NULL DEFAULT '[]',
            killed INTEGER,
            killed_qualifier TEXT,
            injured INTEGER,
            injured_qualifier TEXT,
            speaker TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            related TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            sequence INTEGER NOT NULL DEFAULT 0,
            -- derived, for indexed queries: UTC instants and case-folded place keys
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            region_key TEXT NOT NULL DEFAULT '',
            place_key TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_kind_start ON events (kind, start_utc);
        CREATE INDEX events_kind_end ON events (kind, end_utc);
        CREATE INDEX events_kind_region_start ON events (kind, region_key, start_utc);
        CREATE INDEX events_kind_place_start ON events (kind, place_key, start_utc);

        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            changes TEXT NOT NULL DEFAULT '{}',
            source TEXT,
            UNIQUE (event_id, sequence)
        );
        """
    )
    db.table("events").enable_fts(
        ["title", "summary", "quote", "place", "region", "people", "speaker"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
