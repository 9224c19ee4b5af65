"""The event loop never waits on SQLite: the bot over a file store whose write lock another
connection holds, as an import in another process would hold it.

Readers are answered while the lock is held; a write (/subscribe) waits for it on a worker
thread, not on the loop, and lands once it is released. The loop's own connection is given
a busy wait of one second here, so a read or write that wrongly waits on the loop fails fast
("database is locked", answered with the internal error) instead of hanging.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import close_workers
from bot.workers import StoreWorkers
from handlers.common import DEPS_KEY, Deps
from storage.bulk import Committed
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, assert_valid_telegram_messages, buttons, make_harness

READER = 1001


@pytest.fixture
def file_store(tmp_path: Path, clock: Clock) -> Iterator[EventStore]:
    db = connect(tmp_path / "sitrep.db")
    store = EventStore(db, clock=clock)
    load_seed_if_empty(store)
    db.conn.execute("PRAGMA busy_timeout = 1000")
    yield store
    db.close()


@pytest.fixture
async def bot(file_store: EventStore, clock: Clock) -> AsyncIterator[Harness]:
    harness = make_harness(file_store, clock)
    assert isinstance(harness.app.bot_data[DEPS_KEY].workers, StoreWorkers)
    async with harness.app:
        yield harness
        await close_workers(harness.app)
    assert_valid_telegram_messages(harness.fake)


@pytest.fixture
def lock(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection to the file, as another process's: BEGIN IMMEDIATE takes the lock."""
    other = sqlite3.connect(tmp_path / "sitrep.db", isolation_level=None)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


async def test_readers_are_answered_while_another_process_holds_the_write_lock(
    bot: Harness, lock: sqlite3.Connection
) -> None:
    bot.fake.start_bot(READER)
    await bot.say("/start", chat_id=READER)  # the chat is known before the lock is taken
    lock.execute("BEGIN IMMEDIATE")
    for command in ("/talks", "/incidents", "/event 3", "/search Abu Dhabi", "/help"):
        sent = await bot.say(command, chat_id=READER)
        assert sent and "went wrong" not in sent[0].text, (command, sent[0].text if sent else "")
    talks = await bot.say("/talks", chat_id=READER)
    assert "Peace talks" in talks[0].text
    page = [m for m in talks if buttons(m)]
    if page:  # a page turn reads too
        await bot.press(page[0], buttons(page[0])[-1][1])
    lock.execute("ROLLBACK")


async def test_a_write_waits_for_the_lock_on_a_worker_while_readers_are_answered(
    bot: Harness, lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.fake.start_bot(READER)
    await bot.say("/start", chat_id=READER)
    workers = bot.app.bot_data[DEPS_KEY].workers
    handed_over = asyncio.Event()
    run = workers.run

    async def watched(work: Any, *, heavy: bool = False) -> Any:
        handed_over.set()
        return await run(work, heavy=heavy)

    monkeypatch.setattr(workers, "run", watched)
    lock.execute("BEGIN IMMEDIATE")
    subscribing = asyncio.create_task(bot.say("/subscribe talks", chat_id=READER))
    # The handler hands its write to a worker (and waits there), or, done on the loop, it
    # blocks the loop for the loop connection's busy wait and fails.
    waiting = asyncio.create_task(handed_over.wait())
    await asyncio.wait([subscribing, waiting], return_when=asyncio.FIRST_COMPLETED)
    assert handed_over.is_set() and not subscribing.done()
    talks = await bot.say("/talks", chat_id=READER)  # answered while /subscribe waits
    assert "Peace talks" in talks[0].text
    assert not subscribing.done()
    assert bot.chats.subscriptions(READER) == []
    lock.execute("COMMIT")  # the other process is done: the write goes through
    sent = await subscribing  # (the harness counts the /talks reply in too: it came meanwhile)
    assert [m.text for m in sent if m.text.startswith("Subscribed to")], [m.text for m in sent]
    assert [s.topic for s in bot.chats.subscriptions(READER)] == ["talks"]


async def test_a_new_chat_is_recorded_on_a_worker(bot: Harness) -> None:
    """A first message writes the chat (and its user's language) off the loop."""
    bot.fake.start_bot(2002)
    await bot.say("/talks", chat_id=2002, language_code="uk")
    assert bot.chats.settings(2002).language == "uk"
    assert (2002, "private") in bot.chats.every_chat()


async def test_a_publish_on_a_worker_tells_the_bots_listeners_on_the_loop(
    bot: Harness, clock: Clock
) -> None:
    heard: list[tuple[Committed, int]] = []
    bot.store.listeners.append(lambda c: heard.append((c, threading.get_ident())))
    sent = await bot.say(
        "/reschedule 3 2026-02-06 2026-02-07 — more time | Office https://www.president.gov.ua/",
        chat_id=ADMIN,
        user_id=ADMIN,
    )
    publish = [data for _, data in buttons(sent[-1]) if data.startswith("cur|pub|")]
    await bot.press(sent[-1], publish[0], user_id=ADMIN)
    assert bot.store.get(3)["start"] == "2026-02-06"
    assert [c.of_kind("talks") for c, _ in heard] == [["abu-dhabi-trilateral-2026-02"]]
    assert heard[0][1] == threading.get_ident()  # on the loop's thread, not the worker's
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    assert deps.workers is not None


async def test_a_write_that_waits_past_its_bound_tells_the_reader_the_store_is_busy(
    bot: Harness, lock: sqlite3.Connection, file_store: EventStore
) -> None:
    """An import holding the lock longer than a reader's write may wait: the reader hears the
    store is busy (not "something went wrong"), and nothing is written."""
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    assert isinstance(deps.workers, StoreWorkers)
    await deps.workers.close()
    deps.workers = StoreWorkers(deps, file_store.db, write_wait=0.2)
    bot.fake.start_bot(READER)
    await bot.say("/start", chat_id=READER)
    lock.execute("BEGIN IMMEDIATE")
    sent = await bot.say("/subscribe talks", chat_id=READER)
    lock.execute("ROLLBACK")
    assert [m.text for m in sent] == [
        "The store is busy with a large update and nothing was changed. "
        "Please try again in a minute."
    ]
    assert bot.chats.subscriptions(READER) == []
