"""The status board's store calls run on the delivery engine's store thread, never on the
event loop: a board edited while another process (an import) holds the write lock waits for
the lock there, to record the edit, while readers are answered.

The loop's own connection is given a busy wait of 0.2 s, so a board call that wrongly runs on
the loop fails fast ("database is locked") instead of hanging the test.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import close_workers
from bot.delivery import Stores
from storage.events import EventStore
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime, assert_valid_telegram_messages, make_harness
from tests.e2e.test_alerts import move_abu_dhabi
from tests.e2e.test_board import GROUP, make_group, post_board

READER = 1001


@pytest.fixture
async def bot(file_store: EventStore, clock: Clock) -> AsyncIterator[Harness]:
    harness = make_harness(file_store, clock)
    async with harness.app:
        yield harness
        for engine in harness.engines:
            await engine.stop()
        await close_workers(harness.app)
    assert_valid_telegram_messages(harness.fake)


def drawn_and_wanted(path: Path) -> tuple[int, int]:
    """Read on a connection of the test's own (the loop's is watched)."""
    reader = sqlite3.connect(path)
    try:
        query = "SELECT drawn, wanted FROM boards WHERE chat_id = ?"
        drawn, wanted = reader.execute(query, (GROUP,)).fetchone()
    finally:
        reader.close()
    return int(drawn), int(wanted)


async def test_a_board_edit_waits_for_the_write_lock_off_the_loop(bot: Harness, path: Path) -> None:
    """Seen failing with BoardKeeper's calls back on the loop's connection: the loop's SQL
    log shows the boards read and written there, and the edit's record fails on the loop
    ("database is locked") instead of waiting on the engine's thread."""
    make_group(bot)
    message_id = await post_board(bot)
    bot.fake.start_bot(READER)
    await bot.say("/start", chat_id=READER)  # the reader is known before the lock is taken
    move_abu_dhabi(bot)  # the board is stale
    time = VirtualTime()
    engine = bot.engine(time)
    await engine.fan_out_new()
    on_loop: list[str] = []
    bot.store.db.conn.set_trace_callback(on_loop.append)
    loop = asyncio.get_running_loop()
    recording = asyncio.Event()

    def watch(s: Stores) -> None:
        def seen(sql: str) -> None:
            if sql.startswith("UPDATE boards SET drawn"):
                loop.call_soon_threadsafe(recording.set)

        s.outbox.db.conn.set_trace_callback(seen)  # the thread's one connection

    await engine.db.run(watch)
    other = sqlite3.connect(path, isolation_level=None)  # another process: an import
    other.execute("BEGIN IMMEDIATE")
    try:
        started, settles_at = await engine.boards.cycle(engine)  # debounced: not yet
        assert started == 0 and settles_at is not None
        time.now = settles_at
        started, _ = await engine.boards.cycle(engine)
        assert started == 1
        redraw = asyncio.ensure_future(asyncio.gather(*engine.tasks))
        waiting = asyncio.ensure_future(recording.wait())
        await asyncio.wait({redraw, waiting}, return_when=asyncio.FIRST_COMPLETED)
        # Edited on Telegram; its record waits for the lock on the engine's thread.
        assert recording.is_set() and not redraw.done()
        edits = [m for m in bot.fake.sent if m.chat_id == GROUP]
        assert (edits[-1].method, edits[-1].message_id) == ("editMessageText", message_id)
        assert "Fri 6 – Sat 7 Feb" in edits[-1].text
        talks = await bot.say("/talks", chat_id=READER)  # the loop answers meanwhile
        assert "Peace talks" in talks[0].text
        assert not redraw.done()
        drawn, wanted = drawn_and_wanted(path)
        assert drawn < wanted
    finally:
        other.execute("ROLLBACK")
        other.close()
    await redraw
    waiting.cancel()
    drawn, wanted = drawn_and_wanted(path)
    assert drawn == wanted
    assert engine.last_error == ""
    assert not [sql for sql in on_loop if "boards" in sql], on_loop
