"""The web server on 127.0.0.1 over a seeded store in a file, read as a browser would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from multidict import CIMultiDict

from bot.web import HealthSources, WebServer
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock

PUBLIC_URL = "https://sitrep.example.org"


@pytest.fixture
def file_store(tmp_path: Path, clock: Clock) -> Iterator[EventStore]:
    """The seeded store in a database file: the server reads it on its own thread."""
    db = connect(tmp_path / "sitrep.db")
    store = EventStore(db, clock=clock)
    load_seed_if_empty(store)
    yield store
    db.close()


@dataclass
class Site:
    url: str
    server: WebServer
    store: EventStore
    http: aiohttp.ClientSession
    api_error: list[tuple[str, str]]

    async def get(self, path: str, **kwargs: Any) -> tuple[int, CIMultiDict[str], str]:
        """(status, headers, body) of a GET; header names match in any case."""
        async with self.http.get(self.url + path, allow_redirects=False, **kwargs) as response:
            return response.status, CIMultiDict(response.headers), await response.text()


@pytest.fixture
async def site(file_store: EventStore, clock: Clock) -> AsyncIterator[Site]:
    errors: list[tuple[str, str]] = []
    server = WebServer(
        file_store,
        zone=ZoneInfo("Europe/Kyiv"),
        public_url=PUBLIC_URL,
        clock=clock,
        sources=HealthSources(lambda: errors[-1] if errors else None),
    )
    port = await server.start("127.0.0.1", 0)
    async with aiohttp.ClientSession() as http:
        yield Site(f"http://127.0.0.1:{port}", server, file_store, http, errors)
    await server.stop()
