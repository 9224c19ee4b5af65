"""One budget for every Bot API send: Telegram's flood limits, two lanes, 429 pauses.

`SendPacer` is installed as the Application's PTB rate limiter, so every request the bot makes
passes through it (PTB exempts getUpdates; methods that put nothing in a chat pass straight
through). It holds the limits the stand-in plays and Telegram's FAQ states:

- all chats together: at most 30 sends in any sliding second; a send with
  `allow_paid_broadcast` counts against 1,000 in any second instead (and still counts in the
  30 for the others);
- one chat: a burst of 3, then 1 a second;
- one group or channel: at most 20 in any sliding minute, 3 of them kept for readers' replies.

Telegram counts a send when it arrives, the pacer when it leaves: sends that left 1 s apart
arrive closer when the first was slower on its way (jitter, a new connection's handshakes, a
queue). So a send whose round trip was longer than the distance's (the least recent round
trip) counts, once it is back, as having left that much later: all of the extra may have
been on its way there. What is left is a guard of 10 ms on the window, 10 ms more for every
429 that came anyway (halved after every 10 minutes without one), instead of a margin on the
rate. Paid broadcast gets no guard, so nothing caps it below 1,000 a second.

Two lanes. A reader's reply (anything sent while handling an update: the default) goes
first; the delivery engine's sends (alerts, digests, board edits) take what replies leave,
marked by `bulk_lane()` (a ContextVar) or `rate_limit_args=Lane.BULK`. A reply that waits only
on the overall budget holds every bulk send back until it has gone. A 429 that comes anyway
pauses every lane for retry_after; a reply is then tried once more, a bulk send is handed back
to its engine (still owed).

Waiters are granted in order by one pump task per burst of waiting; a send that finds nobody
waiting and its budget free goes at once. Nothing scans all chats per send: the overall window
is a ring of the last 1,000 departure times, a chat's state is looked up by id.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger("sitrep.pacing")

TELEGRAM_RATE = 30
PAID_RATE = 1000
PRIVATE_BURST = 3
GROUP_PER_MINUTE = 20
GROUP_KEPT_FOR_REPLIES = 3
MIN_GUARD = 0.01
MAX_GUARD = 0.25
# A send that arrived late is still looked for among this many sends that left after it.
LATE_SPREAD = 10
LEARNED_PER_429 = 0.01  # a 429 that came anyway: the jitter is more than the guard thought
# What 429s taught is forgotten again, one 429's worth for every 10 minutes without one. The
# jitter that made sends arrive early was the path's at the time (a congested route, a busy
# proxy), and a guard kept raised for good costs rate for good: at the 250 ms cap, a fifth of
# it (30 sends in 1.25 s). Forgotten as it was learned, a step at a time and slowly, because
# a 429 pauses every send for seconds: a jitter that lasts then costs at most one 429 in 10
# minutes (the step forgotten comes back with the next one), while one that passed is gone
# in 10 minutes for each 429 it caused (the cap's 25 in about four hours).
DECAY_EVERY = 600.0


class Lane(enum.IntEnum):
    REPLY = 0  # a reader is waiting: goes first
    BULK = 1  # alerts, digests, board edits: what replies leave


LANE: contextvars.ContextVar[Lane] = contextvars.ContextVar("sitrep_lane", default=Lane.REPLY)


def bulk_lane() -> contextvars.Context:
    """A context whose sends go in the bulk lane: `asyncio.create_task(..., context=...)`."""
    context = contextvars.copy_context()
    context.run(LANE.set, Lane.BULK)
    return context


def _counted(endpoint: str) -> bool:
    """Whatever shows up in a chat counts (sends, copies, forwards, edits), and callback
    answers count in the overall budget; getMe, setMyCommands, getChat and the like do not."""
    name = endpoint.lower()
    if name == "sendchataction":
        return False
    return name.startswith(("send", "edit", "copy", "forward")) or name == "answercallbackquery"


def retry_seconds(exc: RetryAfter) -> float:
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class RoundTrip:
    """The send round trip: smoothed mean and mean deviation as TCP keeps them (RFC 6298),
    and the least of the recent ones (`base`, as BBR keeps it): the distance itself, without
    the queueing that more sends in flight would add. Sizing the sends in flight on the mean
    would feed on itself: more in flight, longer queues, a longer mean, more in flight."""

    WINDOW = 64  # samples per half of the minimum's window

    def __init__(self, initial: float = 0.1) -> None:
        self.srtt = initial
        self.rttvar = 0.0
        self.samples = 0
        self._least = (initial, initial)  # the previous half-window's least, this one's

    @property
    def base(self) -> float:
        return min(self._least)

    def observe(self, seconds: float) -> None:
        if self.samples == 0:
            self.srtt, self.rttvar = seconds, seconds / 4
            self._least = (seconds, seconds)
        else:
            self.rttvar += (abs(self.srtt - seconds) - self.rttvar) / 4
            self.srtt += (seconds - self.srtt) / 8
            previous, current = self._least
            if self.samples % self.WINDOW == 0:
                previous, current = current, seconds
            self._least = (previous, min(current, seconds))
        self.samples += 1


def in_flight_limit(rate: float, rtt: float, ceiling: int, floor: int = 2) -> int:
    """Sends to keep in flight so `rate` a second is reached at this round trip: Little's law
    with 20% to spare, and two more (one being granted, one being recorded), within
    [floor, ceiling]."""
    wanted = math.ceil(rate * rtt * 1.2) + 2
    return max(floor, min(ceiling, wanted))


class _Ring:
    """The last `size` sends, in the order they left, oldest overwritten: when each left and
    when it came back. The k-th latest in O(1)."""

    def __init__(self, size: int) -> None:
        self.left = [-math.inf] * size
        self.back = [-math.inf] * size
        self.added = 0

    def add(self, at: float) -> int:
        """Keep a send's time; its ticket, for `came_back`."""
        ticket = self.added
        slot = ticket % len(self.left)
        self.left[slot], self.back[slot] = at, -math.inf
        self.added += 1
        return ticket

    def came_back(self, ticket: int, at: float) -> None:
        if self.added - ticket <= len(self.left):  # not overwritten yet
            self.back[ticket % len(self.left)] = at

    def latest(self, k: int) -> float:
        """When the k-th latest send left (1: the last one); -inf if fewer were added."""
        return self.left[(self.added - k) % len(self.left)]

    def latest_arrival(self, k: int, spread: int, distance: float) -> float:
        """When the k-th latest send left, or later if it may have arrived later: a send back
        after more than the distance's round trip may have spent the extra on its way there.
        One that arrived later than up to `spread` sends that left after it still counts in
        their window, so the latest of those is taken."""
        size = len(self.left)
        latest = -math.inf
        for j in range(k, min(k + spread, size) + 1):
            slot = (self.added - j) % size
            latest = max(latest, self.left[slot], self.back[slot] - distance)
        return latest


@dataclass
class _Chat:
    tokens: float
    as_of: float
    group: deque[float] | None = None  # departure times of a group's last 20 sends


@dataclass
class _Waiter:
    chat: int | str | None
    paid: bool
    future: asyncio.Future[int]
    lane: Lane = Lane.BULK


class SendPacer(BaseRateLimiter[Lane]):
    """Telegram's limits for every send of one bot; see the module's docstring."""

    def __init__(
        self,
        *,
        rate: float = TELEGRAM_RATE,
        paid_rate: float = PAID_RATE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        min_guard: float = MIN_GUARD,
    ) -> None:
        self.rate = rate
        self.paid_rate = paid_rate
        self.clock = clock
        self.sleep = sleep
        self.min_guard = min_guard
        self.rtt = RoundTrip()
        limits = [r for r in (rate, paid_rate) if math.isfinite(r)]
        self._ring = _Ring(max(1, int(max(limits, default=1))))
        self._chats: dict[int | str, _Chat] = {}
        self._prune_at = 50_000
        self._queues: tuple[deque[_Waiter], deque[_Waiter]] = (deque(), deque())
        self._pump: asyncio.Task[None] | None = None
        self._kick: asyncio.Event | None = None
        self.paused_until = -math.inf
        self._strikes = 0  # 429s that came anyway, less those forgotten (see DECAY_EVERY)
        self._struck_at = -math.inf  # when the last one came
        self.granted = 0
        self.rate_limited = 0  # 429s that came anyway

    @property
    def waiting(self) -> int:
        """Sends waiting for their turn, in both lanes."""
        return sum(len(queue) for queue in self._queues)

    def use_clock(
        self, clock: Callable[[], float], sleep: Callable[[float], Awaitable[Any]]
    ) -> None:
        """Run on another clock (tests: a virtual one that moves when something sleeps)."""
        self.clock, self.sleep = clock, sleep

    # --- PTB's BaseRateLimiter --------------------------------------------------------------

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
            self._pump = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not _counted(endpoint):  # timed all the same: the distance, known from start-up
            started = time.monotonic()
            answer = await callback(*args, **kwargs)
            self.rtt.observe(time.monotonic() - started)
            return answer
        lane = rate_limit_args if rate_limit_args is not None else LANE.get()
        chat = _chat_key(data.get("chat_id"))
        paid = bool(data.get("allow_paid_broadcast"))
        tries = 2 if lane is Lane.REPLY else 1  # a reader's reply is tried again after a 429
        for attempt in range(tries):
            ticket = await self.acquire(chat, lane, paid)
            started = time.monotonic()
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.pause(retry_seconds(exc))
                if attempt == tries - 1:
                    raise
                continue
            self.rtt.observe(time.monotonic() - started)
            self.landed(ticket)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    # --- the budget -------------------------------------------------------------------------

    def _strikes_now(self) -> int:
        """The 429s still counted: one fewer for every DECAY_EVERY seconds since the last."""
        if not self._strikes:
            return 0
        forgotten = int((self.clock() - self._struck_at) // DECAY_EVERY)
        if forgotten >= self._strikes:
            self._strikes = 0  # all forgotten: `guard` is back to its plain read
        return max(0, self._strikes - forgotten)

    @property
    def learned(self) -> float:
        """What the 429s still counted add to the guard."""
        return min(MAX_GUARD, self._strikes_now() * LEARNED_PER_429)

    @property
    def guard(self) -> float:
        """Slack on every window, for what the late sends' round trips do not show."""
        if not self._strikes:  # the usual case, on every send: no clock read
            return self.min_guard
        return min(MAX_GUARD, self.min_guard + self.learned)

    def pause(self, seconds: float) -> None:
        """A 429: nothing goes in any lane for `seconds`."""
        self.rate_limited += 1
        cap = round(MAX_GUARD / LEARNED_PER_429)  # more would not move the guard
        self._strikes = min(cap, self._strikes_now() + 1)
        self._struck_at = self.clock()
        log.warning(
            "429 from Telegram: pausing every send for %.1f s (guard now %.0f ms)",
            seconds,
            self.guard * 1000,
        )
        self.paused_until = max(self.paused_until, self.clock() + seconds)
        if self._kick is not None:
            self._kick.set()

    def chat_free_at(self, chat_id: int | str, lane: Lane = Lane.BULK) -> float:
        """When this chat may next be sent something in this lane (the overall budget aside)."""
        state = self._chats.get(chat_id)
        if state is None:
            return -math.inf
        interval = 1.0 + self.guard
        tokens = state.tokens + (self.clock() - state.as_of) / interval
        at = -math.inf if tokens >= 1 else self.clock() + (1 - tokens) * interval
        if state.group is not None:
            limit = GROUP_PER_MINUTE - (GROUP_KEPT_FOR_REPLIES if lane is Lane.BULK else 0)
            if len(state.group) >= limit:
                at = max(at, state.group[-limit] + 60.0 + self.guard)
        return at

    def overall_free_at(self, paid: bool) -> float:
        """When the overall budget takes one more send (paid broadcast or not)."""
        at = self.paused_until
        if paid and math.isfinite(self.paid_rate):
            at = max(at, self._ring.latest(int(self.paid_rate)) + 1.0)
        if not paid and math.isfinite(self.rate):
            left = self._ring.latest_arrival(int(self.rate), LATE_SPREAD, self.rtt.base)
            at = max(at, left + 1.0 + self.guard)
        return at

    def landed(self, ticket: int) -> None:
        """A send came back. A slow one (a new connection's handshakes, a queue on the way)
        may have arrived late: it counts as having left that much later, so the window that
        follows it is not one that Telegram saw shorter."""
        self._ring.came_back(ticket, self.clock())

    def _take(self, chat: int | str | None, now: float) -> int:
        ticket = self._ring.add(now)
        self.granted += 1
        if chat is None:
            return ticket
        state = self._chats.get(chat)
        interval = 1.0 + self.guard
        if state is None:
            group: deque[float] | None = None
            if _is_group(chat):
                group = deque(maxlen=GROUP_PER_MINUTE)
            state = self._chats[chat] = _Chat(float(PRIVATE_BURST), now, group)
            if len(self._chats) > self._prune_at:
                self._prune(now)
        state.tokens = min(float(PRIVATE_BURST), state.tokens + (now - state.as_of) / interval)
        state.tokens -= 1
        state.as_of = now
        if state.group is not None:
            state.group.append(now)
        return ticket

    def _prune(self, now: float) -> None:
        """Forget chats back to a full burst with no group send in the last minute."""
        interval = 1.0 + self.guard
        self._chats = {
            k: s
            for k, s in self._chats.items()
            if s.tokens + (now - s.as_of) / interval < PRIVATE_BURST
            or (s.group and s.group[-1] > now - 61)
        }
        self._prune_at = max(50_000, 2 * len(self._chats))

    def _free_at(self, chat: int | str | None, lane: Lane, paid: bool) -> float:
        at = self.overall_free_at(paid)
        if chat is not None:
            at = max(at, self.chat_free_at(chat, lane))
        return at

    async def wait_free(self, chat: int | str, lane: Lane, paid: bool = False) -> None:
        """Until a send to `chat` could leave now, replies first; nothing is taken. The
        engine waits here before it takes a slot, so its slots are held by sends on the wire,
        not by sends waiting for the budget."""
        while True:
            now = self.clock()
            at = self._free_at(chat, lane, paid)
            if at <= now and not (lane is Lane.BULK and self._queues[Lane.REPLY]):
                return
            await self.sleep(max(at - now, 0.002))

    async def acquire(self, chat: int | str | None, lane: Lane, paid: bool = False) -> int:
        """Wait until this send may leave, and count it; a ticket for `landed`."""
        now = self.clock()
        if not (self._queues[0] or self._queues[1]) and self._free_at(chat, lane, paid) <= now:
            return self._take(chat, now)
        loop = asyncio.get_running_loop()
        waiter = _Waiter(chat, paid, loop.create_future(), lane)
        self._queues[lane].append(waiter)
        if self._kick is None:
            self._kick = asyncio.Event()
        self._kick.set()
        if self._pump is None or self._pump.done():
            self._pump = loop.create_task(self._run_pump(), name="sitrep-pacer")
        return await waiter.future

    def _grant_one(self, now: float) -> float | None:
        """Grant the first waiter that may go now; else the time something may go (None:
        nothing waits)."""
        wake: float | None = None
        for lane in Lane:
            queue = self._queues[lane]
            held_back = False
            for waiter in list(queue):
                if waiter.future.done():  # its sender was cancelled
                    queue.remove(waiter)
                    continue
                chat_at = -math.inf
                if waiter.chat is not None:
                    chat_at = self.chat_free_at(waiter.chat, lane)
                at = max(chat_at, self.overall_free_at(waiter.paid))
                if at <= now:
                    queue.remove(waiter)
                    waiter.future.set_result(self._take(waiter.chat, now))
                    return now
                wake = at if wake is None else min(wake, at)
                if lane is Lane.REPLY and chat_at <= now:
                    held_back = True  # its chat is free: only the overall budget holds it
            if held_back:
                break  # bulk sends would take the slot this reply waits for
        return wake

    async def _run_pump(self) -> None:
        assert self._kick is not None
        kick = self._kick
        while True:
            kick.clear()
            now = self.clock()
            wake = self._grant_one(now)
            if wake is None:
                return
            if wake <= now:
                continue
            napping = asyncio.ensure_future(self.sleep(wake - now))
            kicked = asyncio.ensure_future(kick.wait())
            try:
                await asyncio.wait({napping, kicked}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (napping, kicked):
                    task.cancel()


def _chat_key(chat_id: Any) -> int | str | None:
    if chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    with contextlib.suppress(ValueError):
        return int(text)
    return text  # "@channel": a channel or supergroup


def _is_group(chat: int | str) -> bool:
    return isinstance(chat, str) or chat < 0
