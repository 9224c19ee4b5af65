"""One user flooding does not silence the others, and is answered again after a pause."""

from __future__ import annotations

from handlers.limits import LIMITER_KEY, FloodGate
from tests.e2e.harness import Harness, VirtualTime


def gate(bot: Harness) -> VirtualTime:
    time = VirtualTime()
    bot.app.bot_data[LIMITER_KEY] = FloodGate(clock=time)
    return time


async def test_bursts_of_15_and_a_command_a_second_are_always_answered(bot: Harness) -> None:
    time = gate(bot)
    for _ in range(15):
        assert await bot.say("/help", chat_id=1, user_id=1)
    for _ in range(30):
        time.now += 1.0
        assert await bot.say("/talks", chat_id=1, user_id=1)


async def test_a_flooder_is_told_once_and_others_stay_answered(bot: Harness) -> None:
    time = gate(bot)
    replies = []
    for _ in range(60):
        replies.append(await bot.say("/talks", chat_id=2, user_id=2))
    told = [r for r in replies if r and "slow down" in r[0].text]
    full = [r for r in replies if r and "Peace talks" in r[0].text]
    assert len(told) == 1
    assert len(full) == 15
    calm = await bot.reply_to("/talks", chat_id=3, user_id=3)
    assert "Abu Dhabi" in calm
    time.now += 20
    assert "Abu Dhabi" in await bot.reply_to("/talks", chat_id=2, user_id=2)
