"""The one pacer (bot.pacing.SendPacer) as PTB's rate limiter, against the stand-in with its
flood limits on, both on one virtual clock: lanes, per-chat and per-group limits, 429 pauses,
and the adaptive number of sends in flight."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.delivery import IN_FLIGHT, PAID_IN_FLIGHT, Slots
from bot.http import AiohttpRequest
from bot.pacing import (
    DECAY_EVERY,
    MIN_GUARD,
    Lane,
    RoundTrip,
    SendPacer,
    bulk_lane,
    in_flight_limit,
)
from standin import FakeRequest, FakeTelegram
from tests.e2e.harness import VirtualTime

GROUP = -100555


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def fake(time: VirtualTime) -> FakeTelegram:
    fake = FakeTelegram(enforce_limits=True, clock=time)
    fake.start_bot(*range(1, 200))
    fake.register_chat(GROUP, "supergroup")
    return fake


@pytest.fixture
async def bot(
    fake: FakeTelegram, time: VirtualTime, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ExtBot[Lane]]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as bot.app opts in: RetryAfter in timedelta
    pacer = SendPacer(clock=time, sleep=time.sleep)
    bot: ExtBot[Lane] = ExtBot(fake.token, request=FakeRequest(fake), rate_limiter=pacer)
    async with bot:
        yield bot


def bulk(send: Awaitable[object]) -> asyncio.Task[object]:
    """A send in the delivery engine's lane."""

    async def run() -> object:
        return await send

    return asyncio.create_task(run(), context=bulk_lane())


def sent_texts(fake: FakeTelegram) -> list[str]:
    return [m.text for m in fake.sent]


async def test_a_reply_queued_behind_50_owed_alerts_goes_out_first(
    bot: ExtBot[Lane], fake: FakeTelegram
) -> None:
    # The second's budget is spent, then 50 alerts wait for theirs, then a reader asks.
    await asyncio.gather(*(bulk(bot.send_message(i, f"spent {i}")) for i in range(1, 31)))
    alerts = [bulk(bot.send_message(i, f"alert {i}")) for i in range(31, 81)]
    # One turn of the loop (no time passes: the clock is virtual) takes each alert to the
    # pacer, where it waits for the next second's budget.
    await asyncio.sleep(0)
    assert isinstance(bot.rate_limiter, SendPacer) and bot.rate_limiter.waiting == 50
    await bot.send_message(150, "reply")
    await asyncio.gather(*alerts)
    texts = sent_texts(fake)
    assert texts.index("reply") == 30  # before any of the 50 owed alerts
    assert len(texts) == 81 and fake.rate_limited == 0


async def test_sends_keep_the_overall_limit_in_any_second(
    bot: ExtBot[Lane], fake: FakeTelegram
) -> None:
    await asyncio.gather(*(bulk(bot.send_message(i, "x")) for i in range(1, 151)))
    assert len(fake.sent) == 150 and fake.rate_limited == 0
    stamps = sorted(m.at for m in fake.sent)
    assert max(sum(1 for t in stamps if s <= t < s + 1) for s in stamps) <= 30


async def test_one_private_chat_gets_a_burst_of_three_then_one_a_second(
    bot: ExtBot[Lane], fake: FakeTelegram
) -> None:
    await asyncio.gather(*(bulk(bot.send_message(7, str(i))) for i in range(8)))
    assert fake.rate_limited == 0
    stamps = [m.at for m in fake.sent]
    assert len(stamps) == 8
    assert stamps[2] == stamps[0]  # the burst
    assert all(later - earlier >= 1 for earlier, later in itertools.pairwise(stamps[2:]))


async def test_a_group_gets_20_a_minute(
    bot: ExtBot[Lane], fake: FakeTelegram, time: VirtualTime
) -> None:
    await asyncio.gather(*(bulk(bot.send_message(GROUP, f"alert {i}")) for i in range(25)))
    assert fake.rate_limited == 0
    stamps = [m.at for m in fake.sent]
    assert len(stamps) == 25
    assert max(sum(1 for t in stamps if s <= t < s + 60) for s in stamps) <= 20
    # Alerts take 17 of the minute's 20: the 18th waits for the first to be a minute old.
    assert stamps[16] - stamps[0] < 60 <= stamps[17] - stamps[0]


async def test_alerts_leave_3_of_a_groups_minute_for_replies(time: VirtualTime) -> None:
    pacer = SendPacer(clock=time, sleep=time.sleep)
    start = time.now
    for _ in range(17):
        await pacer.acquire(GROUP, Lane.BULK)
    assert pacer.chat_free_at(GROUP, Lane.BULK) >= start + 60
    for _ in range(3):
        await pacer.acquire(GROUP, Lane.REPLY)  # a reader in the group is still answered
    assert time.now - start < 60
    assert pacer.chat_free_at(GROUP, Lane.REPLY) >= start + 60


async def test_a_429_pauses_every_lane_and_a_reply_is_tried_again(
    bot: ExtBot[Lane], fake: FakeTelegram, time: VirtualTime
) -> None:
    fake.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 5",
        retry_after=5,
        chat_id=1,
    )
    start = time.now
    await bot.send_message(1, "reply")
    assert time.now - start >= 5
    assert [m.text for m in fake.sent] == ["reply"]
    # A bulk send's 429 pauses every lane too, and goes back to its engine (still owed).
    fake.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 5",
        retry_after=5,
        chat_id=2,
    )
    paused_at = time.now
    with pytest.raises(RetryAfter):
        await bulk(bot.send_message(2, "alert"))
    await bulk(bot.send_message(3, "next alert"))
    assert fake.sent[-1].text == "next alert" and fake.sent[-1].at >= paused_at + 5


async def test_what_429s_taught_the_guard_is_forgotten_after_quiet_minutes(
    bot: ExtBot[Lane], fake: FakeTelegram, time: VirtualTime
) -> None:
    """Each 429 that comes anyway widens every window by 10 ms; each 10 minutes without one
    narrows it by 10 ms again, down to the least. Seen failing with the decay taken out of
    `SendPacer._strikes_now`: a chat's gap stays 1.04 s after half an hour of quiet."""
    pacer = bot.rate_limiter
    assert isinstance(pacer, SendPacer)

    async def gap(chat: int) -> float:
        """Between a chat's 4th and 5th reply: one second and the guard (3 go at once)."""
        start = len(fake.sent)
        for i in range(5):
            await bot.send_message(chat, str(i))
        stamps = [m.at for m in fake.sent[start:]]
        return stamps[4] - stamps[3]

    assert await gap(10) == pytest.approx(1 + MIN_GUARD)
    for chat in (1, 2, 3):
        fake.fail_next(
            "sendMessage",
            error_code=429,
            description="Too Many Requests: retry after 1",
            retry_after=1,
            chat_id=chat,
        )
        await bot.send_message(chat, "reply")  # tried again after the pause
    assert pacer.rate_limited == 3 and fake.sent[-1].text == "reply"
    assert await gap(11) == pytest.approx(1 + MIN_GUARD + 0.03)
    time.now += DECAY_EVERY  # ten minutes without a 429: one of the three is forgotten
    assert await gap(12) == pytest.approx(1 + MIN_GUARD + 0.02)
    time.now += 2 * DECAY_EVERY  # and then the other two
    assert await gap(13) == pytest.approx(1 + MIN_GUARD)
    assert pacer.guard == MIN_GUARD
    time.now += 100 * DECAY_EVERY  # quiet for long: never below the least
    assert pacer.guard == MIN_GUARD
    # A 429 now counts from the least, not from what was forgotten.
    fake.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        chat_id=14,
    )
    await bot.send_message(14, "reply")
    assert pacer.guard == pytest.approx(MIN_GUARD + 0.01)


async def test_calls_that_put_nothing_in_a_chat_are_not_counted(
    bot: ExtBot[Lane], fake: FakeTelegram, time: VirtualTime
) -> None:
    await asyncio.gather(*(bulk(bot.send_message(i, "x")) for i in range(1, 31)))
    start = time.now
    await bot.get_me()
    await bot.get_chat(GROUP)
    assert time.now == start  # nothing waited on the spent second


def test_in_flight_grows_with_the_round_trip_within_its_cap() -> None:
    assert in_flight_limit(30, 0.0, 10) == 2  # one being sent, one being recorded
    assert in_flight_limit(30, 0.05, 10) == 4
    assert in_flight_limit(30, 0.15, 10) == 8
    assert in_flight_limit(30, 0.3, 10) == 10  # 13 wanted, capped: 10 ÷ 0.3 s still > 30/s
    for rtt in (0.0, 0.05, 0.15, 0.25):
        # Little's law: enough in flight for 30 a second at that distance.
        assert in_flight_limit(30, rtt, 10) / max(rtt, 1e-9) >= 30
    assert in_flight_limit(1000, 0.15, 200) == 182


def test_the_shipped_caps_allow_the_full_rate_at_a_real_distance() -> None:
    """The engine's caps, not just the formula: 30 a second up to 250 ms away, paid
    broadcast's 1,000 up to 200 ms (with 16 it managed about 100 at 150 ms), and the HTTP pool
    is as large as paid broadcast's sends in flight."""
    for rtt in (0.05, 0.15, 0.25):
        assert in_flight_limit(30, rtt, IN_FLIGHT) / rtt >= 30
    for rtt in (0.05, 0.15, 0.2):
        assert in_flight_limit(1000, rtt, PAID_IN_FLIGHT) / rtt >= 1000
    assert AiohttpRequest().connections >= PAID_IN_FLIGHT


def test_the_round_trip_estimate_follows_the_measured_sends() -> None:
    rtt = RoundTrip()
    for _ in range(40):
        rtt.observe(0.15)
    assert rtt.srtt == pytest.approx(0.15) and rtt.rttvar < 0.001 and rtt.base == 0.15
    assert in_flight_limit(30, rtt.base, 10) == 8
    # Queueing (a congested server) lengthens the mean, not the distance: the sends in
    # flight are sized on the least recent round trip, so they do not feed the queue.
    for _ in range(60):
        rtt.observe(0.6)
    assert rtt.srtt > 0.5 and rtt.base == 0.15
    assert in_flight_limit(30, rtt.base, 10) == 8
    # The distance itself grew (another route): within two windows the base follows.
    for _ in range(2 * RoundTrip.WINDOW):
        rtt.observe(0.3)
    assert rtt.base == pytest.approx(0.3)
    assert in_flight_limit(30, rtt.base, 10) == 10


async def test_slots_follow_a_limit_that_changes() -> None:
    limit = 2
    slots = Slots(lambda: limit)
    await slots.acquire()
    await slots.acquire()
    third = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    assert not third.done()
    limit = 3
    slots.release()
    await third
    assert slots.used == 2
    await slots.acquire()
    assert slots.used == 3


async def test_paid_broadcast_takes_a_thousand_a_second(time: VirtualTime) -> None:
    pacer = SendPacer(clock=time, sleep=time.sleep)
    start = time.now
    for chat in range(1, 3001):
        await pacer.acquire(chat, Lane.BULK, paid=True)
    # 1,000 in any second, no margin: the third thousand starts 2 s after the first.
    assert time.now - start == pytest.approx(2.0)
    assert pacer.granted == 3000


async def test_a_reply_is_not_starved_by_a_paid_broadcast(time: VirtualTime) -> None:
    # Paid sends may go 1,000 a second, a reply only while fewer than 30 went in the last
    # second: bulk sends are held back until the reply has had its turn.
    pacer = SendPacer(clock=time, sleep=time.sleep)
    order: list[int] = []

    async def send(chat: int, lane: Lane, paid: bool) -> None:
        await pacer.acquire(chat, lane, paid)
        order.append(chat)

    alerts = [asyncio.create_task(send(c, Lane.BULK, True)) for c in range(1, 3001)]
    await asyncio.sleep(0)  # one turn of the loop, no time: the first thousand go, the rest wait
    assert (pacer.granted, pacer.waiting) == (1000, 2000)
    await send(99_999, Lane.REPLY, False)
    await asyncio.gather(*alerts)
    assert order.index(99_999) == 1000  # right after the first second's thousand
