"""Updates of one chat in order, different chats' side by side (bot.updates)."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import ChatOrderedUpdates
from standin import FakeTelegram


def update(fake: FakeTelegram, chat_id: int) -> Update:
    return Update.de_json(fake.message_update("/talks", chat_id=chat_id), None)


async def test_one_chat_waits_its_turn_and_another_chat_does_not() -> None:
    fake = FakeTelegram()
    processor = ChatOrderedUpdates()
    done: list[str] = []
    first_may_finish = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()  # a reply waiting on its chat's budget
        done.append(name)

    first = asyncio.create_task(
        processor.process_update(update(fake, 1), handle("chat 1, first", first_may_finish))
    )
    second = asyncio.create_task(processor.process_update(update(fake, 1), handle("chat 1, next")))
    other = asyncio.create_task(processor.process_update(update(fake, 2), handle("chat 2")))
    await other
    assert done == ["chat 2"]  # not held up by chat 1's wait
    assert not second.done()  # chat 1's next update waits for its first
    first_may_finish.set()
    await asyncio.gather(first, second)
    assert done == ["chat 2", "chat 1, first", "chat 1, next"]
