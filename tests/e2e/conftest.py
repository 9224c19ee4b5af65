"""An initialised Application over a seeded store, checked for valid HTML after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.events import EventStore
from tests.conftest import Clock
from tests.e2e.harness import Harness, assert_valid_telegram_messages, make_harness


@pytest.fixture
async def bot(seeded: EventStore, clock: Clock) -> AsyncIterator[Harness]:
    harness = make_harness(seeded, clock)
    async with harness.app:
        yield harness
        for engine in harness.engines:
            await engine.stop()
    assert_valid_telegram_messages(harness.fake)
