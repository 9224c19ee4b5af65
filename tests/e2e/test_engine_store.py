"""The delivery engine's store calls: off the event loop, recorded in batches, never resent."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from bot.delivery import PAID_IN_FLIGHT, PAID_MIN_IN_FLIGHT, Stores
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime, assert_valid_telegram_messages, make_harness
from tests.e2e.test_alerts import drain, move_abu_dhabi, subscribe


def file_store(tmp_path: Path, clock: Clock) -> tuple[Path, EventStore]:
    """A seeded store in a file: the engine opens its own connection to it on its thread."""
    path = tmp_path / "store.db"
    store = EventStore(connect(path), clock=clock)
    load_seed_if_empty(store)
    return path, store


async def test_the_engine_waits_on_a_locked_database_off_the_event_loop(
    tmp_path: Path, clock: Clock
) -> None:
    path, store = file_store(tmp_path, clock)
    bot = make_harness(store, clock)
    async with bot.app:
        bot.subscribe(1001, "private", "talks")
        move_abu_dhabi(bot)
        engine = bot.engine(VirtualTime())
        waiting = threading.Event()

        def watch(s: Stores) -> None:
            s.outbox.db.conn.set_trace_callback(
                lambda sql: waiting.set() if sql.startswith("BEGIN IMMEDIATE") else None
            )

        await engine.db.run(watch)
        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")  # another process writing: an import
        cycle = asyncio.create_task(engine.cycle())
        # The engine's fan-out waits for the lock on its own thread; the loop goes on.
        await asyncio.to_thread(waiting.wait)
        assert not cycle.done()
        other.execute("ROLLBACK")
        other.close()
        assert await cycle
        await asyncio.gather(*engine.tasks)
        await engine.stop()
        assert len(bot.fake.messages_for(1001)) == 1
    assert_valid_telegram_messages(bot.fake)
    store.db.close()


async def test_sends_answered_while_the_database_is_locked_are_recorded_together_later(
    tmp_path: Path, clock: Clock
) -> None:
    path, store = file_store(tmp_path, clock)
    bot = make_harness(store, clock)
    chats = range(2001, 2013)
    async with bot.app:
        for chat_id in chats:
            bot.subscribe(chat_id, "private", "talks")
        move_abu_dhabi(bot)
        engine = bot.engine(VirtualTime(), max_in_flight=5, busy_timeout=0.05)
        await engine.fan_out_new()

        def alerts() -> list[int]:
            return [m.chat_id for m in bot.fake.sent if m.chat_id in chats]

        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")
        await engine.cycle()
        await asyncio.gather(*engine.tasks)
        await engine.cycle()  # still locked
        # No more sent than may go unrecorded: a kill -9 now would repeat at most these.
        assert len(alerts()) == 5 == len(engine.unrecorded)
        other.execute("ROLLBACK")
        other.close()
        statements: list[str] = []
        await engine.db.run(lambda s: s.outbox.db.conn.set_trace_callback(statements.append))
        await engine.cycle()
        await asyncio.gather(*engine.tasks)
        # The five are recorded first, in one transaction, before anything else is sent.
        first = statements[: statements.index("COMMIT") + 1]
        assert first[0] == "BEGIN IMMEDIATE"
        recorded = [s for s in first if s.startswith("UPDATE deliveries SET state = 'sent'")]
        assert len(recorded) == 5
        await drain(bot, engine.clock)  # type: ignore[arg-type]
        await engine.stop()
        assert sorted(alerts()) == list(chats)
        states = store.db.conn.execute("SELECT DISTINCT state FROM deliveries").fetchall()
        assert states == [("sent",)]
    assert_valid_telegram_messages(bot.fake)
    store.db.close()


async def test_an_alert_goes_with_the_parameters_send_message_gives_it(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    move_abu_dhabi(bot)
    before = len(bot.fake.sent)
    await drain(bot, paid_broadcast=True)
    [alert] = bot.fake.sent[before:]
    # The engine skips parsing the answer into a Message, not the Application's Defaults
    # (HTML, no link previews) nor the paid-broadcast flag.
    await bot.app.bot.send_message(1001, alert.text, allow_paid_broadcast=True)
    plain = bot.fake.sent[-1]
    assert alert.params == plain.params
    assert alert.params["allow_paid_broadcast"] is True


async def test_paid_broadcast_keeps_a_floor_of_sends_in_flight_when_telegram_is_near(
    bot: Harness,
) -> None:
    async with bot.app:
        paid = bot.engine(VirtualTime(), paid_broadcast=True)
        plain = bot.engine(VirtualTime())
        assert paid.pacer is plain.pacer  # the bot's one pacer, and its one round trip
        paid.pacer.rtt.observe(0.0004)  # the Bot API next door
        # Little's law asks for 3 at either rate; paid broadcast keeps its floor of 32 (each
        # turn of a CPU-bound loop carries more answers), the 30-a-second engine its 3.
        assert paid.in_flight_limit() == PAID_MIN_IN_FLIGHT == 32
        assert plain.in_flight_limit() == 3
        # Farther away Little's law asks for more, within the stated repeat bound.
        for _ in range(2 * 64):
            paid.pacer.rtt.observe(0.15)
        assert paid.in_flight_limit() == 182 <= PAID_IN_FLIGHT
