"""The outbox's figures that `sitrep status` and /healthz both report, from one query each."""

from __future__ import annotations

from datetime import timedelta

from storage.chats import ChatStore
from storage.events import EventStore
from storage.maintenance import Sends, health, sends
from storage.outbox import Outbox
from storage.public import delivery_health
from storage.schedule import RescheduleRequest, reschedule
from storage.timeparse import iso_utc
from tests.conftest import Clock


def test_sends_counts_what_is_owed_and_names_the_last_send_and_the_latest_error(
    seeded: EventStore, clock: Clock
) -> None:
    conn = seeded.db.conn
    assert sends(conn) == Sends(pending=0, last_sent_at=None, last_error=None)
    chats = ChatStore(seeded.db, clock)
    for chat_id in (71, 72, 73, 74):
        chats.subscribe(chat_id, "private", "talks")
    reschedule(seeded, "3", RescheduleRequest("2026-02-08"), author="os:test")
    outbox = Outbox(seeded.db, clock)
    [alert] = outbox.unfanned()
    outbox.fan_out(alert.id)
    assert sends(conn) == Sends(pending=4, last_sent_at=None, last_error=None)

    sent_at = iso_utc(clock())
    outbox.mark_sent(alert.id, 71, 1001)
    clock.advance(minutes=1)
    outbox.mark_failed(alert.id, 72, "Forbidden: bot was blocked by the user")
    assert sends(conn) == Sends(2, sent_at, "Forbidden: bot was blocked by the user")
    # A send put off for later has the newer error: it is the one named.
    outbox.retry_later(alert.id, 73, clock() + timedelta(seconds=30), "Too Many Requests")
    assert sends(conn) == Sends(2, sent_at, "Too Many Requests")

    # Both reports read the same figures.
    status = health(conn, ":memory:")
    assert (status.backlog, status.last_delivery, status.last_error) == (
        2,
        sent_at,
        "Too Many Requests",
    )
    probe = delivery_health(conn, clock())
    assert (probe.pending, probe.last_sent_at, probe.last_error) == (
        2,
        sent_at,
        "Too Many Requests",
    )
