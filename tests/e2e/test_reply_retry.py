"""Replies get the care alerts get: a send that fails on the network is tried again after
short waits, and a reader whose answer never got through is told so.

The stand-in answers 502 Bad Gateway (a NetworkError to PTB, as a proxy in front of the Bot
API answers when Telegram is unreachable) or times out, on the calls the test names. The
waits are recorded, not slept: SEND_RETRY.sleep is the clock's edge.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handlers import common
from handlers.catalogue import text
from handlers.i18n import use_language
from tests.e2e.harness import Harness, buttons


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(common.SEND_RETRY, "sleep", sleep)
    yield waited


def sends(bot: Harness, method: str = "sendMessage") -> int:
    return sum(1 for name, _ in bot.fake.calls if name == method)


async def test_a_reply_that_fails_on_the_network_is_sent_again(
    bot: Harness, waits: list[float]
) -> None:
    bot.fake.fail_next(
        "sendMessage", chat_id=1001, times=2, error_code=502, description="Bad Gateway"
    )
    [answer] = await bot.say("/talks")
    assert "Abu Dhabi" in answer.text
    assert sends(bot) == 3
    assert waits == [0.5, 1.0]


async def test_a_reader_whose_answer_never_got_through_is_told(
    bot: Harness, waits: list[float]
) -> None:
    bot.fake.fail_next(
        "sendMessage", chat_id=1001, times=4, error_code=502, description="Bad Gateway"
    )
    [note] = await bot.say("/talks")
    assert note.text == text("reply_failed")
    assert sends(bot) == 5  # the answer four times, then the note
    assert waits == [0.5, 1.0, 2.0]


async def test_the_note_is_in_the_readers_language(bot: Harness, waits: list[float]) -> None:
    bot.fake.fail_next(
        "sendMessage", chat_id=1001, times=4, error_code=502, description="Bad Gateway"
    )
    [note] = await bot.say("/talks", language_code="uk")
    with use_language("uk"):
        assert note.text == text("reply_failed")
    with use_language("en"):
        assert note.text != text("reply_failed")  # not the English words


async def test_when_even_the_note_fails_it_is_only_logged(
    bot: Harness, waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail_next(
        "sendMessage", chat_id=1001, times=8, error_code=502, description="Bad Gateway"
    )
    assert await bot.say("/talks") == []
    assert sends(bot) == 8
    assert "could not tell chat 1001 that its answer was lost" in caplog.text


async def test_a_reply_that_timed_out_is_not_sent_twice(bot: Harness, waits: list[float]) -> None:
    # It may have arrived (here it did): a second copy would be a duplicate answer.
    bot.fake.timeout_next("sendMessage", chat_id=1001, delivered=True)
    [answer] = await bot.say("/talks")
    assert "Abu Dhabi" in answer.text
    assert sends(bot) == 1 and waits == []


async def test_a_page_turn_that_timed_out_is_tried_again(bot: Harness, waits: list[float]) -> None:
    [first] = await bot.say("/statements")
    [(_, older)] = buttons(first)
    # The first edit is lost on the way; repeating an edit is harmless.
    bot.fake.timeout_next("editMessageText", chat_id=1001)
    [edited] = await bot.press(first, older)
    assert edited.method == "editMessageText" and edited.text != first.text
    assert sends(bot, "editMessageText") == 2 and waits == [0.5]


async def test_a_page_turn_repeated_after_it_arrived_is_not_an_error(
    bot: Harness, waits: list[float]
) -> None:
    [first] = await bot.say("/statements")
    [(_, older)] = buttons(first)
    bot.fake.timeout_next("editMessageText", chat_id=1001, delivered=True)
    [edited] = await bot.press(first, older)
    assert edited.method == "editMessageText"
    # The repeat found the page already turned ("not modified"): no note, no error reply.
    assert sends(bot, "editMessageText") == 2
    assert [m.method for m in bot.fake.sent].count("sendMessage") == 1


async def test_a_button_answer_is_retried_on_the_network(bot: Harness, waits: list[float]) -> None:
    [first] = await bot.say("/statements")
    [(_, older)] = buttons(first)
    bot.fake.fail_next("answerCallbackQuery", times=1, error_code=502, description="Bad Gateway")
    [edited] = await bot.press(first, older)
    assert edited.method == "editMessageText"
    assert sends(bot, "answerCallbackQuery") == 2 and waits == [0.5]
    # The 502 was injected, not a refusal of what the bot sent: the fixture's check of
    # refused callback answers is about the latter.
    errors = bot.fake.errors_returned
    assert [e[2] for e in errors] == [502]
    errors.clear()
