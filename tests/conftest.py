"""Shared fixtures: stores built by the real migrations, a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty


class Clock:
    """A clock tests move by hand: no sleeps, no dependence on today's date."""

    def __init__(self, start: datetime = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> Iterator[EventStore]:
    db = connect(":memory:")
    yield EventStore(db, clock=clock)
    db.close()


@pytest.fixture
def seeded(store: EventStore) -> EventStore:
    load_seed_if_empty(store)
    return store
