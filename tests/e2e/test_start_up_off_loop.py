"""The bot's start-up never waits on the write lock on the event loop: started while another
process (an import) holds it, it is ready at once and answers readers, and the writes it owes
(the channel registered, alerts written while it was down fanned out, missed digests made)
land off the loop once the lock is released.

The loop's own connection is given a busy wait of 0.2 s, so a start-up write that wrongly
runs on the loop fails fast ("database is locked") instead of hanging the test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import RUNTIME_KEY, Runtime, build_application, start_background, stop_background
from bot.settings import Settings
from standin import FakeRequest, FakeTelegram
from storage.chats import TOPICS
from storage.events import EventStore
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime, assert_valid_telegram_messages
from tests.e2e.test_alerts import drain, move_abu_dhabi
from tests.e2e.test_quiet_digest import kyiv

CHANNEL, DIGEST, READER = -1001234, 3003, 1001
WRITES = {"BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE"}


def bot_with_channel(store: EventStore, clock: Clock) -> Harness:
    """The bot as `sitrep run` builds it, with SITREP_CHANNEL set to a channel it is in."""
    fake = FakeTelegram()
    fake.register_chat(CHANNEL, "channel", "News")
    settings = Settings(token=fake.token, zone=ZoneInfo("Europe/Kyiv"), channel=str(CHANNEL))
    app = build_application(
        settings, store, request=FakeRequest(fake), updates_request=FakeRequest(fake), clock=clock
    )
    bot = Harness(fake, app, store)
    bot.pace_on(VirtualTime())
    return bot


async def test_a_start_up_while_another_process_holds_the_write_lock_answers_readers(
    file_store: EventStore, path: Path, clock: Clock
) -> None:
    """Seen failing with the channel registered on the loop (as before): start_background
    raised "database is locked" after the loop's busy wait, the bot never got ready; and
    with only the missed digests made on the loop: its writes show in the loop's SQL."""
    clock.now = kyiv(20, 14, 0)
    bot = bot_with_channel(file_store, clock)
    async with bot.app:
        bot.subscribe(DIGEST, "private", "talks")
        await bot.say("/digest 08:00", chat_id=DIGEST)
        bot.fake.start_bot(READER)
        await bot.say("/start", chat_id=READER)  # known before the lock is taken
        move_abu_dhabi(bot)  # written while the bot is down: an alert not yet fanned out
        clock.now = kyiv(21, 9, 30)  # and the 08:00 digest missed meanwhile
        before = len(bot.fake.sent)
        on_loop: list[str] = []
        file_store.db.conn.set_trace_callback(on_loop.append)
        other = sqlite3.connect(path, isolation_level=None)  # another process: an import
        other.execute("BEGIN IMMEDIATE")
        try:
            await start_background(bot.app)  # ready: nothing in it waited for the lock
            runtime: Runtime = bot.app.bot_data[RUNTIME_KEY]
            talks = await bot.say("/talks", chat_id=READER)
            assert "Peace talks" in talks[0].text
            assert not runtime.started.is_set()  # its writes wait, off the loop
            assert bot.chats.subscriptions(CHANNEL) == []
        finally:
            other.execute("ROLLBACK")
            other.close()
        await runtime.started.wait()
        file_store.db.conn.set_trace_callback(None)
        writes = [sql for sql in on_loop if sql.split()[0].upper() in WRITES]
        assert writes == []  # not one of start-up's writes tried on the loop's connection
        assert {s.topic for s in bot.chats.subscriptions(CHANNEL)} == set(TOPICS)
        assert runtime.engine is not None
        await runtime.engine.stop()  # what it had begun is sent and recorded; the rest:
        await drain(bot)
        sent = [m for m in bot.fake.sent[before:] if m.chat_id in (CHANNEL, DIGEST)]
        # The channel was registered before the fan-out: it gets the alert; the digest made
        # at start tells of it.
        assert sorted(m.chat_id for m in sent) == [CHANNEL, DIGEST]
        [digest] = [m for m in sent if m.chat_id == DIGEST]
        assert "Daily digest" in digest.text and "now Fri 6 – Sat 7 Feb" in digest.text
        await stop_background(bot.app)
    assert_valid_telegram_messages(bot.fake)
