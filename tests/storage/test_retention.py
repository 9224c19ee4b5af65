"""Old delivery rows compacted into who was told of what (storage.retention)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storage.chats import ChatStore
from storage.events import EventStore
from storage.outbox import Outbox
from storage.retention import compact, decode_chats, encode_chats, sizes, told_chats
from tests.conftest import Clock

RETENTION = 90


def incident(ident: str, start: str = "2026-01-19", killed: int = 2) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "incident",
        "title": f"Strike {ident}",
        "status": "reported",
        "start": start,
        "time_precision": "day",
        "timezone": "Europe/Kyiv",
        "place": "Kharkiv",
        "region": "Kharkiv Oblast",
        "country": "Ukraine",
        "killed": {"count": killed, "qualifier": "at_least"},
        "sources": [{"name": "Kharkiv Regional Military Administration"}],
    }


def fan_out(store: EventStore, outbox: Outbox) -> list[int]:
    alerts = outbox.unfanned()
    for alert in alerts:
        outbox.fan_out(alert.id)
    return [a.id for a in alerts]


def states(store: EventStore, alert_id: int) -> dict[int, str]:
    rows = store.db.conn.execute(
        "SELECT chat_id, state FROM deliveries WHERE alert_id = ?", (alert_id,)
    )
    return dict(rows.fetchall())


def setup(store: EventStore, clock: Clock, chats: list[int]) -> tuple[ChatStore, Outbox]:
    chat_store = ChatStore(store.db, clock)
    for chat_id in chats:
        chat_store.subscribe(chat_id, "private" if chat_id > 0 else "group", "incidents")
    return chat_store, Outbox(store.db, clock)


def test_sent_rows_past_retention_become_told_and_go(store: EventStore, clock: Clock) -> None:
    chats, outbox = setup(store, clock, [1001, 1002, 1003, -500])
    store.create(incident("kharkiv-1"), author="t")
    [alert] = fan_out(store, outbox)
    outbox.mark_sent(alert, 1001, 11)
    outbox.mark_sent(alert, -500, 12)
    outbox.mark_failed(alert, 1002, "400: bad")
    chats.deactivate(1003, "blocked")  # its pending row is skipped
    clock.advance(days=RETENTION + 1)
    done = compact(store.db, clock(), RETENTION)
    assert states(store, alert) == {}
    assert done.deliveries == 4 and done.told == 2
    # Only the chats that were sent the alert were told; failed and skipped told no one.
    assert told_chats(store.db, "kharkiv-1") == [-500, 1001]


def test_rows_younger_than_retention_are_kept(store: EventStore, clock: Clock) -> None:
    _, outbox = setup(store, clock, [1001])
    store.create(incident("old"), author="t")
    [old] = fan_out(store, outbox)
    outbox.mark_sent(old, 1001, 1)
    clock.advance(days=RETENTION - 10)
    store.create(incident("young", start="2026-04-10"), author="t")
    [young] = fan_out(store, outbox)
    outbox.mark_sent(young, 1001, 2)
    clock.advance(days=11)  # old is 91 days old, young 11
    compact(store.db, clock(), RETENTION)
    assert states(store, old) == {}
    assert states(store, young) == {1001: "sent"}
    assert told_chats(store.db, "young") == []


def test_nothing_pending_is_touched_however_old(store: EventStore, clock: Clock) -> None:
    _, outbox = setup(store, clock, [1001, 1002])
    store.create(incident("kharkiv-1"), author="t")
    [alert] = fan_out(store, outbox)
    outbox.mark_sent(alert, 1001, 1)  # 1002 still owed (held, or the bot was down)
    clock.advance(days=400)
    compact(store.db, clock(), RETENTION)
    assert states(store, alert) == {1002: "pending"}
    assert [d.chat_id for d in outbox.pending()] == [1002]


def test_small_batches_fold_every_row(store: EventStore, clock: Clock) -> None:
    ids = list(range(2000, 2023))
    _, outbox = setup(store, clock, ids)
    store.create(incident("kharkiv-1"), author="t")
    [alert] = fan_out(store, outbox)
    for chat_id in ids:
        outbox.mark_sent(alert, chat_id, chat_id)
    clock.advance(days=RETENTION + 1)
    done = compact(store.db, clock(), RETENTION, batch=5)
    assert done.transactions >= 5 and done.deliveries == len(ids)
    assert told_chats(store.db, "kharkiv-1") == ids


def test_told_chats_follow_a_group_that_became_a_supergroup(
    store: EventStore, clock: Clock
) -> None:
    chats, outbox = setup(store, clock, [-500])
    store.create(incident("kharkiv-1"), author="t")
    [alert] = fan_out(store, outbox)
    outbox.mark_sent(alert, -500, 1)
    clock.advance(days=RETENTION + 1)
    compact(store.db, clock(), RETENTION)
    chats.migrate(-500, -1009999)
    assert told_chats(store.db, "kharkiv-1") == [-1009999]


def test_finished_summaries_past_retention_go(store: EventStore, clock: Clock) -> None:
    setup(store, clock, [1001])
    for state in ("sent", "pending"):
        store.db.conn.execute(
            "INSERT INTO summaries (chat_id, kind, created_at, state) VALUES (1001, 'digest', ?, ?)",
            ("2026-01-20T12:00:00Z", state),
        )
    clock.advance(days=RETENTION + 1)
    done = compact(store.db, clock(), RETENTION)
    assert done.summaries == 1
    left = store.db.conn.execute("SELECT state FROM summaries").fetchall()
    assert left == [("pending",)]


def test_sizes_count_rows_and_compacted_chats(store: EventStore, clock: Clock, tmp_path) -> None:
    _, outbox = setup(store, clock, [1001, 1002])
    store.create(incident("kharkiv-1"), author="t")
    [alert] = fan_out(store, outbox)
    outbox.mark_sent(alert, 1001, 1)
    outbox.mark_sent(alert, 1002, 2)
    before = sizes(store.db, tmp_path / "absent.db")
    assert (before.deliveries, before.told_events, before.told_chats) == (2, 0, 0)
    clock.advance(days=RETENTION + 1)
    compact(store.db, clock(), RETENTION)
    after = sizes(store.db, tmp_path / "absent.db")
    assert (after.deliveries, after.told_events, after.told_chats) == (0, 1, 2)
    assert after.file_bytes == after.wal_bytes == 0


@given(st.sets(st.integers(min_value=-(2**52), max_value=2**52)))
def test_chat_ids_survive_their_encoding(chat_ids: set[int]) -> None:
    assert decode_chats(encode_chats(chat_ids)) == sorted(chat_ids)


def test_the_encoding_is_small() -> None:
    # 10,000 private chats among ids up to 7e9, as Telegram's are: about 3 bytes each.
    chats = range(1_000_000, 7_000_000_000, 700_000)
    assert len(encode_chats(chats)) <= 3 * len(chats)
