"""Hostile readers and a flooder against `sitrep run` over HTTP: nothing changes, all valid."""

from __future__ import annotations

import random

from standin import check_telegram_html, visible_length
from tests.system.conftest import LiveBot

PIECES = [
    "/talks",
    "/incidents",
    "/statements",
    "/event",
    "/search",
    "/subscribe",
    "/settings",
    "/reschedule",
    "/correct",
    "/status",
    "/revert",
    "/add",
    "/history",
    "/nope",
    "3",
    "999999999999",
    "-7",
    "#3",
    "abu-dhabi-trilateral-2026-02",
    "2026-02-30",
    "7d",
    "99x",
    "killed=-1",
    "status=bogus",
    "<b>",
    "</i>",
    "&",
    "<a href='javascript:x'>",
    "*x*",
    "`y`",
    "'; DROP TABLE events; --",
    "\u202e",
    "\u200b",
    "👩‍👩‍👧",
    "—",
    "x" * 500,
    "zone",
    "Mars/Base",
]


def test_120_hostile_commands_change_nothing_and_every_reply_is_valid(live: LiveBot) -> None:
    live.seed()
    before = live.cli("export").stdout
    live.start()
    live.wait_ready()
    rng = random.Random(2026)
    for i in range(120):
        words = [rng.choice(PIECES[:14])] + [rng.choice(PIECES) for _ in range(rng.randint(0, 5))]
        # Distinct readers, so the flood gate does not mute the test itself.
        live.ask(" ".join(words)[:4000], chat_id=50_000 + i)
    live.cli("export")  # the store is read by another process, as an operator would
    assert live.cli("export").stdout == before
    for message in live.fake.snapshot_sent():
        assert check_telegram_html(message.text) is None, message.text[:200]
        assert visible_length(message.text) <= 4096
    refused = [e for e in live.fake.errors_returned if e[2] == 400]
    assert refused == []


def test_a_flood_does_not_starve_a_calm_reader(live: LiveBot) -> None:
    live.start()
    live.wait_ready()
    flooder = 70_000
    for _ in range(60):
        live.fake.push(live.fake.message_update("/talks", chat_id=flooder))
    calm = live.ask("/talks", chat_id=70_001)
    assert "Abu Dhabi" in calm.text
    # The flooder's replies are paced (1 a second in his chat) while others are answered:
    # his flood is handled once he has been told to slow down, and a later round trip.
    told = live.fake.wait_for_blocking(
        lambda _: any("slow down" in m.text for m in live.fake.messages_for(flooder)), 60
    )
    assert told, live.log.read_text()[-3000:]
    live.ask("/help", chat_id=70_002)
    replies = live.fake.messages_for(flooder)
    full = [m for m in replies if "Peace talks" in m.text]
    assert len(full) < 60
    assert sum("slow down" in m.text for m in replies) == 1
