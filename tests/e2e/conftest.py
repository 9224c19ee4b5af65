"""An initialised Application over a seeded store, checked for valid HTML after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import Harness, assert_valid_telegram_messages, make_harness


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture
def file_store(path: Path, clock: Clock) -> Iterator[EventStore]:
    """A seeded store in a file at `path`, for tests where another connection (another
    process, an import) holds its write lock: this one waits 200 ms for it, then fails."""
    db = connect(path)
    store = EventStore(db, clock=clock)
    load_seed_if_empty(store)
    db.conn.execute("PRAGMA busy_timeout = 200")
    yield store
    db.close()


@pytest.fixture
async def bot(seeded: EventStore, clock: Clock) -> AsyncIterator[Harness]:
    harness = make_harness(seeded, clock)
    async with harness.app:
        yield harness
        for engine in harness.engines:
            await engine.stop()
    assert_valid_telegram_messages(harness.fake)
