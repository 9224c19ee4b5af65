"""The delivery engine's own ceiling: paid broadcast against a trivial server in another process.

`bench.canned` answers every Bot API call at once from a second process (the other core). Its
capacity is measured first with a plain aiohttp client, so the engine's figure is known not to
be the server's. Then the real DeliveryEngine, with `paid_broadcast=True`, drains one alert to
a few thousand chats, once through the project's AiohttpRequest and once through PTB's default
HTTPXRequest: as configured (paced at 1,000/s), and with its pacer's interval set to zero (the
engine's raw ceiling: the database bookkeeping, PTB's request pipeline and the client).

The rate over the whole run starts with the pacer's window empty: its first 1,000 go as fast
as the engine can send them. What the engine sustains is also reported: the rate of its last
1,000 sends, when each must wait for the send 1,000 before it to be a second old (at most
1,000/s by construction; less by what the engine or its wake-ups lose on the way).
"""

from __future__ import annotations

import asyncio
import math
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bench.datasets import remove_db
from bench.world import BENCH_NOW, Subscriber, insert_subscribers
from bot.delivery import DeliveryEngine
from bot.http import AiohttpRequest
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore
from storage.outbox import Outbox
from storage.timeparse import iso_utc

TOKEN = "123456:CANNED"
REPO = Path(__file__).resolve().parent.parent
ROUND = {
    "id": "bench-round",
    "kind": "talks",
    "title": "Trilateral US–Russia–Ukraine talks in Abu Dhabi",
    "status": "scheduled",
    "start": "2026-03-10",
    "timezone": "Asia/Dubai",
    "place": "Abu Dhabi",
    "region": "Abu Dhabi",
    "country": "United Arab Emirates",
    "parties": ["Ukraine", "Russia", "United States"],
    "sources": [{"name": "Reuters"}],
}


@dataclass
class CannedServer:
    proc: subprocess.Popen[str]
    base_url: str

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_canned() -> CannedServer:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.canned"],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        proc.kill()
        raise RuntimeError(f"the canned server did not start: {line}")
    return CannedServer(proc, f"http://127.0.0.1:{line[1]}/bot")


async def server_capacity(base_url: str, total: int, concurrency: int) -> float:
    """sendMessage calls a second from a plain aiohttp client (a lower bound on the server)."""
    url = f"{base_url}{TOKEN}/sendMessage"
    numbers = iter(range(total))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            for i in numbers:
                async with session.post(url, data={"chat_id": str(i), "text": "x"}) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return total / (time.perf_counter() - started)


def broadcast_db(path: Path, chats: int) -> None:
    """A store with one talks round, `chats` private chats subscribed to talks, and one alert
    (the round moved) not yet fanned out."""
    db = connect(path)
    store = EventStore(db, clock=lambda: BENCH_NOW)
    with store.muted():
        store.create(ROUND, author="os:bench")
    population = [
        Subscriber(200_000_000 + i, "private", "", None, "1440,60", (("talks", ""),))
        for i in range(chats)
    ]
    insert_subscribers(db, population, iso_utc(BENCH_NOW))
    store.update(
        "bench-round",
        {"start": "2026-03-12", "status": "postponed"},
        author="os:bench",
        reason="delegations asked for more time",
    )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@dataclass
class EngineRun:
    client: str
    paced: bool
    sent: int
    seconds: float
    cpu_seconds: float
    fan_out_seconds: float
    last_thousand_seconds: float = math.nan  # from the answer before the last 1,000 to the last

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    @property
    def sustained(self) -> float:
        """Sends a second over the last 1,000 (nan for a run of 1,000 or fewer)."""
        return 1000 / self.last_thousand_seconds


class CountedRequest(BaseRequest):
    """The client under test, noting when the `target`-th sendMessage was answered: the run
    is timed to that answer, not to the next look at a counter."""

    def __init__(self, inner: BaseRequest, target: int) -> None:
        self.inner = inner
        self.target = target
        self.answered = 0
        self.done = asyncio.Event()
        self.done_at = 0.0
        self.cpu_at = 0.0
        self.last_thousand_from = math.nan

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        answer = await self.inner.do_request(url, method, *args, **kwargs)
        if url.endswith("/sendMessage"):
            self.answered += 1
            if self.answered == self.target - 1000:
                self.last_thousand_from = time.perf_counter()
            if self.answered == self.target:
                self.done_at, self.cpu_at = time.perf_counter(), time.process_time()
                self.done.set()
        return answer


async def engine_rate(
    db_path: Path, base_url: str, client: str, *, paced: bool, sends: int
) -> EngineRun:
    request = CountedRequest(
        AiohttpRequest() if client == "aiohttp" else HTTPXRequest(connection_pool_size=256),
        sends,
    )
    db = connect(db_path)
    store = EventStore(db)
    outbox = Outbox(db)
    bot = Bot(TOKEN, base_url=base_url, request=request)
    await bot.initialize()
    engine = DeliveryEngine(
        bot,
        store,
        ChatStore(db),
        outbox,
        default_zone="Europe/Kyiv",
        paid_broadcast=True,
        rate=None if paced else math.inf,  # "pacer off": no overall limit at all
    )
    started = time.perf_counter()
    await engine.fan_out_new()
    fan_out = time.perf_counter() - started
    # CPU of the whole process: the event loop and the engine's store thread.
    cpu = time.process_time()
    started = time.perf_counter()
    task = asyncio.create_task(engine.run())
    await request.done.wait()
    seconds = request.done_at - started
    cpu = request.cpu_at - cpu
    await engine.stop()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await bot.shutdown()
    recorded = db.conn.execute("SELECT count(*) FROM deliveries WHERE state = 'sent'")
    if recorded.fetchone()[0] != engine.sent:
        raise RuntimeError("the engine answered sends it did not record")
    db.close()
    last = request.done_at - request.last_thousand_from
    return EngineRun(client, paced, sends, seconds, cpu, fan_out, last)


@dataclass
class BroadcastResult:
    server_rates: dict[int, float]
    runs: list[EngineRun]


def run(work: Path, *, sends: int = 5000, log: Callable[[str], None] = print) -> BroadcastResult:
    server = start_canned()
    try:
        rates = {c: asyncio.run(server_capacity(server.base_url, 20_000, c)) for c in (3, 32)}
        for c, rate in rates.items():
            log(f"canned server, plain aiohttp client, {c} in flight: {rate:,.0f}/s")
        template = work / "broadcast-template.db"
        remove_db(template)
        broadcast_db(template, sends + 500)
        runs = []
        for client in ("aiohttp", "httpx"):
            for paced in (True, False):
                db_path = work / "broadcast.db"
                remove_db(db_path)
                shutil.copyfile(template, db_path)
                result = asyncio.run(
                    engine_rate(db_path, server.base_url, client, paced=paced, sends=sends)
                )
                runs.append(result)
                log(
                    f"engine, {client}, {'paced 1,000/s' if paced else 'pacer off'}: "
                    f"{result.rate:,.0f}/s, the last 1,000 {result.sustained:,.0f}/s "
                    f"({result.cpu_seconds / result.seconds:.0%} of a core, "
                    f"{result.cpu_seconds / result.sent * 1e6:,.0f} µs of CPU a send)"
                )
    finally:
        server.stop()
    return BroadcastResult(rates, runs)
