"""`sitrep chat` on a store that already has subscribers: they stay reachable and active."""

from __future__ import annotations

import io

from bot.chat import chat_loop
from bot.settings import Settings
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore
from storage.schedule import RescheduleRequest, reschedule
from storage.seed import load_seed_if_empty


async def test_the_stores_chats_are_known_to_the_offline_stand_in(tmp_path) -> None:
    db = tmp_path / "sitrep.db"
    store = EventStore(connect(db))
    load_seed_if_empty(store)
    chats = ChatStore(store.db)
    chats.subscribe(777, "private", "talks")
    chats.subscribe(-100777, "supergroup", "talks")
    reschedule(store, "3", RescheduleRequest("2026-02-09"), author="os:test")
    store.db.close()

    out = io.StringIO()
    await chat_loop(Settings(db_path=str(db)), io.StringIO("/talks\n"), out)

    assert "Abu Dhabi" in out.getvalue()
    after = connect(db)
    assert ChatStore(after).settings(777).active
    assert ChatStore(after).settings(-100777).active
    states = after.conn.execute("SELECT chat_id, state FROM deliveries ORDER BY 1").fetchall()
    assert states == [(-100777, "sent"), (777, "sent")]
    after.close()
