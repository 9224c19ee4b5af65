"""Faster `store` and `seeded` for the storage tests: copies of databases built once per session.

The templates are built exactly as tests/conftest.py builds its stores (connect(":memory:"),
which runs the real migrations, and load_seed_if_empty). Each test gets a private copy through
SQLite's backup API into a connection opened by the real connect(), so connection settings
(foreign keys, busy timeout) are connect()'s own. Building the schema and parsing the seed YAML
once instead of per test keeps the suite within a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock


@pytest.fixture(scope="session")
def empty_template() -> Iterator[Database]:
    db = connect(":memory:")
    yield db
    db.close()


@pytest.fixture(scope="session")
def seeded_template() -> Iterator[Database]:
    db = connect(":memory:")
    # The same starting time as the `clock` fixture, so revision times match a fresh build.
    load_seed_if_empty(EventStore(db, clock=Clock()))
    yield db
    db.close()


def _copy(template: Database) -> Database:
    db = connect(":memory:", migrate=False)
    template.conn.backup(db.conn)
    return db


@pytest.fixture
def store(empty_template, clock) -> Iterator[EventStore]:
    db = _copy(empty_template)
    yield EventStore(db, clock=clock)
    db.close()


@pytest.fixture
def seeded(seeded_template, clock) -> Iterator[EventStore]:
    db = _copy(seeded_template)
    yield EventStore(db, clock=clock)
    db.close()
