"""Command latency: an update entering the Application to its reply leaving it.

The real Application (handlers, flood gate, chat bookkeeping, store) runs in this process over
a cached world; the stand-in is reached through an in-process `FakeRequest`, subclassed here
to note the moment PTB hands it the reply (sendMessage, or editMessageText for a page turn).
The clock starts just before `await app.process_update(update)`.

Commands come from the world's own readers (existing private chats) in a shuffled mix, one of
each kind per round, with arguments drawn as readers would type them: areas they live in,
words they search for, record numbers anywhere in the store, and a press of "Older ›" on an
/incidents page someone opened earlier (up to ten pages deep).
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.request import RequestData

from bench.world import AREAS, BENCH_NOW, composition
from bot.app import build_application
from bot.settings import Settings
from handlers.limits import LIMITER_KEY, FloodGate
from standin import FakeRequest, FakeTelegram, SentMessage
from storage.db import connect
from storage.events import EventStore

KINDS = (
    "/start",
    "/talks",
    "/incidents",
    "/incidents AREA",
    "/incidents AREA 7d",
    "/search WORDS",
    "/event N",
    "page turn",
)
FLOOR = "/start"
REPLIES = {"sendMessage", "editMessageText"}
MAX_PAGE_OFFSET = 50

# What readers type after /incidents: the areas they follow, sometimes shortened.
TYPED_AREAS: tuple[tuple[str, int], ...] = (
    *((label.lower(), weight) for label, weight in AREAS),
    ("zapor", 3),
    ("kharkiv oblast", 1),
    ("donetsk", 4),
    ("bakhmut", 1),
    ("avdiivka", 1),
    ("kyiv city", 1),
    ("crimea", 1),
)
# What readers search for: places, weapons, people, talks; one to three words.
SEARCHES: tuple[tuple[str, int], ...] = (
    ("kharkiv", 6),
    ("drone", 6),
    ("shelled", 3),
    ("missile strike", 4),
    ("pokrovsk", 3),
    ("nikopol", 3),
    ("zaporizhzhia drone", 3),
    ("kherson shelled", 2),
    ("guided bombs", 2),
    ("shahed", 3),
    ("landmine", 2),
    ("school", 2),
    ("air defence", 2),
    ("clashed bakhmut", 1),
    ("regained control", 1),
    ("looted grain", 1),
    ("informant", 1),
    ("protest relatives", 1),
    ("witkoff", 3),
    ("zelensky", 3),
    ("peskov", 2),
    ("ceasefire", 3),
    ("abu dhabi", 2),
    ("istanbul talks", 2),
    ("prisoner exchange", 2),
    ("security guarantees", 1),
    ("energy infrastructure", 2),
    ("evacuation", 1),
    ("odesa port", 1),
    ("bucha", 1),
    ("chernihiv", 1),
    ("lviv", 1),
    ("dnipro bus", 1),
    ("sanctions shadow fleet", 1),
)


class TimingRequest(FakeRequest):
    """FakeRequest that notes when the first reply of the current command reached it."""

    def __init__(self, fake: FakeTelegram) -> None:
        super().__init__(fake)
        self.replied_at: float | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = FakeRequest.DEFAULT_NONE,
        write_timeout: object = FakeRequest.DEFAULT_NONE,
        connect_timeout: object = FakeRequest.DEFAULT_NONE,
        pool_timeout: object = FakeRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.replied_at is None and url.rsplit("/", 1)[-1] in REPLIES:
            self.replied_at = time.perf_counter()
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


@dataclass
class Latencies:
    """Seconds per command kind, at one store size."""

    events: int
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.samples.setdefault(kind, []).append(seconds)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p99 of 500 values is the 495th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def reader_chats(db: Any, count: int, rng: random.Random) -> list[int]:
    ids = [r[0] for r in db.conn.execute("SELECT id FROM chats WHERE type = 'private'")]
    return rng.sample(ids, min(count, len(ids)))


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([t for t, _ in table], weights=[w for _, w in table])[0]


def command_text(kind: str, rng: random.Random, total: int, incidents: int) -> str:
    if kind == "/incidents AREA":
        return f"/incidents {_pick(rng, TYPED_AREAS)}"
    if kind == "/incidents AREA 7d":
        return f"/incidents {_pick(rng, TYPED_AREAS)} 7d"
    if kind == "/search WORDS":
        return f"/search {_pick(rng, SEARCHES)}"
    if kind == "/event N":
        if rng.random() < 0.1:  # by id, as linked from elsewhere
            return f"/event acled-UKR{1001 + rng.randrange(incidents)}"
        return f"/event {rng.randint(1, total)}"
    return kind


def _older_button(message: SentMessage) -> str | None:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    best: tuple[int, str] | None = None
    for row in rows:
        for button in row:
            data = button.get("callback_data", "")
            parts = data.split("|")
            if len(parts) >= 3 and parts[0] == "pg" and parts[2].isdigit():
                offset = int(parts[2])
                if best is None or offset > best[0]:
                    best = (offset, data)
    if best is None or best[0] > MAX_PAGE_OFFSET:
        return None
    return best[1]


async def measure(
    db_path: Path,
    total: int,
    *,
    samples: int,
    warmup: int,
    seed: int = 7,
    kinds: tuple[str, ...] = KINDS,
    cache_pragma: str | None = None,
) -> Latencies:
    """`samples` timed commands of each kind (after `warmup` untimed rounds).

    `cache_pragma` sets the connection's `PRAGMA cache_size` (to measure a proposal).
    """
    rng = random.Random(seed)
    db = connect(db_path)
    if cache_pragma is not None:
        db.conn.execute(f"PRAGMA cache_size = {int(cache_pragma)}")
    store = EventStore(db, clock=lambda: BENCH_NOW)
    incidents = composition(total).incidents
    fake = FakeTelegram()
    request = TimingRequest(fake)
    settings = Settings(token=fake.token, zone=ZoneInfo("Europe/Kyiv"))
    app = build_application(
        settings,
        store,
        request=request,
        updates_request=FakeRequest(fake),
        clock=lambda: BENCH_NOW,
        paced=False,  # the handlers' own latency, not Telegram's limits
    )
    # Benchmarks send hundreds of commands a second from a few readers: no flood gate.
    app.bot_data[LIMITER_KEY] = FloodGate(burst=1e12, rate=1e12)
    chats = reader_chats(db, 300, rng)
    result = Latencies(total)
    open_pages: list[SentMessage] = []

    async def timed(raw: dict[str, Any]) -> tuple[float, list[SentMessage]]:
        update = Update.de_json(raw, app.bot)
        before = len(fake.sent)
        request.replied_at = None
        started = time.perf_counter()
        await app.process_update(update)
        if request.replied_at is None:
            raise RuntimeError(f"no reply to {raw}")
        return request.replied_at - started, fake.sent[before:]

    async def run_one(kind: str, record: bool) -> None:
        chat = rng.choice(chats)
        if kind == "page turn":
            while not open_pages:
                _, sent = await timed(fake.message_update("/incidents", chat_id=chat))
                open_pages.extend(m for m in sent if _older_button(m))
            index = rng.randrange(len(open_pages))
            message = open_pages[index]
            data = _older_button(message)
            assert data is not None
            raw = fake.callback_update(message, data, user_id=message.chat_id)
            seconds, sent = await timed(raw)
            edited = [m for m in sent if m.method == "editMessageText"]
            if edited and _older_button(edited[-1]):
                open_pages[index] = edited[-1]
            else:
                open_pages.pop(index)
        else:
            text = command_text(kind, rng, total, incidents)
            seconds, sent = await timed(fake.message_update(text, chat_id=chat))
            if kind.startswith("/incidents"):
                open_pages.extend(m for m in sent if _older_button(m))
                del open_pages[:-200]
        if record:
            result.add(kind, seconds)

    async with app:
        for round_no in range(warmup + samples):
            order = list(kinds)
            rng.shuffle(order)
            for kind in order:
                await run_one(kind, record=round_no >= warmup)
            if round_no % 100 == 99:
                # The stand-in keeps every message; the bot keeps nothing. Drop old ones.
                fake.sent.clear()
                gc.collect()
    db.close()
    return result


def run(
    sizes: dict[int, Path],
    *,
    samples: int,
    warmup: int,
    kinds: tuple[str, ...] = KINDS,
    log: Callable[[str], None] = print,
) -> list[Latencies]:
    out = []
    for total, path in sizes.items():
        started = time.perf_counter()
        lat = asyncio.run(measure(path, total, samples=samples, warmup=warmup, kinds=kinds))
        log(f"commands at {total:,} events: {time.perf_counter() - started:.0f} s")
        for kind in kinds:
            values = lat.samples.get(kind, [])
            if values:
                log(
                    f"  {kind:22} p50 {percentile(values, 0.5) * 1000:7.2f} ms"
                    f"  p99 {percentile(values, 0.99) * 1000:7.2f} ms"
                )
        out.append(lat)
    return out
