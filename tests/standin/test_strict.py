"""The stand-in is as strict as Telegram: chats it does not know, users who never started the
bot, every kind of reply markup, flood control on edits and callback answers, and callback
queries that expire or carry too much text."""

from __future__ import annotations

from typing import Any

import pytest

from standin import FakeTelegram, SentMessage
from standin.telegram import CANT_INITIATE, CHAT_NOT_FOUND, QUERY_TOO_OLD

READER, GROUP = 1001, -100200
BUTTON = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeTelegram:
    fake = FakeTelegram(clock=clock)
    fake.start_bot(READER)
    fake.register_chat(GROUP, "supergroup", "Readers")
    return fake


async def call(fake: FakeTelegram, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    return await fake.handle(method, params)


async def send(fake: FakeTelegram, chat_id: int, **params: Any) -> SentMessage:
    status, body = await call(fake, "sendMessage", chat_id=chat_id, text="x", **params)
    assert status == 200, body
    return fake.sent[-1]


# ------------------------------------------------------------------ chats it does not know


@pytest.mark.parametrize("chat_id", [424242, -100999, "@nobody"])
async def test_a_chat_the_bot_does_not_know_is_not_found(fake: FakeTelegram, chat_id) -> None:
    for method, extra in [
        ("sendMessage", {"text": "x"}),
        ("getChat", {}),
        ("sendChatAction", {"action": "typing"}),
        ("editMessageText", {"message_id": 1, "text": "x"}),
    ]:
        status, body = await call(fake, method, chat_id=chat_id, **extra)
        assert (status, body["description"]) == (400, CHAT_NOT_FOUND), method
    assert fake.sent == []


async def test_a_user_seen_only_in_a_group_cannot_be_written_to_first(fake: FakeTelegram) -> None:
    fake.message_update("/talks", chat_id=GROUP, user_id=5005)  # writes in the group only
    status, body = await call(fake, "sendMessage", chat_id=5005, text="hello")
    assert (status, body["error_code"], body["description"]) == (403, 403, CANT_INITIATE)
    assert (await call(fake, "getChat", chat_id=5005))[0] == 200  # known, just not started
    fake.message_update("/start", chat_id=5005)  # now they write to the bot
    assert (await call(fake, "sendMessage", chat_id=5005, text="hello"))[0] == 200


async def test_writing_to_the_bot_or_adding_it_makes_a_chat_known(fake: FakeTelegram) -> None:
    assert (await call(fake, "sendMessage", chat_id=7007, text="x"))[0] == 400
    fake.message_update("hi", chat_id=7007)
    assert (await call(fake, "sendMessage", chat_id=7007, text="x"))[0] == 200
    fake.message_update("/talks@sitrep_test_bot", chat_id=-300, chat_type="group")
    assert (await call(fake, "sendMessage", chat_id=-300, text="x"))[0] == 200
    fake.start_bot(8008)
    fake.register_chat(-400, "channel", "News", username="news")
    for chat_id in (8008, -400, "@news"):
        assert (await call(fake, "sendMessage", chat_id=chat_id, text="x"))[0] == 200


# ------------------------------------------------------------------------- reply markup

VALID_MARKUPS = [
    BUTTON,
    {"inline_keyboard": [[{"text": "Site", "url": "https://example.org/x"}]]},
    {"inline_keyboard": []},
    {"keyboard": [["Talks", {"text": "Share", "request_contact": True}]], "resize_keyboard": True},
    {"keyboard": [[{"text": "Where"}]], "input_field_placeholder": "Type a place"},
    {"remove_keyboard": True, "selective": False},
    {"force_reply": True, "input_field_placeholder": "Reason"},
    {"inline_keyboard": [[{"text": str(i), "callback_data": str(i)} for i in range(8)]] * 12},
]

INVALID_MARKUPS = [
    ("not an object", ["go"]),
    ("no kind", {"selective": True}),
    ("two kinds", {**BUTTON, "remove_keyboard": True}),
    ("rows not arrays", {"inline_keyboard": [{"text": "Go", "callback_data": "go"}]}),
    ("empty text", {"inline_keyboard": [[{"text": "", "callback_data": "go"}]]}),
    ("blank text", {"inline_keyboard": [[{"text": "  ", "callback_data": "go"}]]}),
    ("no action", {"inline_keyboard": [[{"text": "Go"}]]}),
    ("two actions", {"inline_keyboard": [[{"text": "Go", "callback_data": "go", "url": "https://a.b"}]]}),
    ("empty data", {"inline_keyboard": [[{"text": "Go", "callback_data": ""}]]}),
    ("65-byte data", {"inline_keyboard": [[{"text": "Go", "callback_data": "é" * 32 + "x"}]]}),
    ("bad url", {"inline_keyboard": [[{"text": "Go", "url": "javascript:alert(1)"}]]}),
    ("9 in a row", {"inline_keyboard": [[{"text": "x", "callback_data": "x"}] * 9]}),
    ("101 buttons", {"inline_keyboard": [[{"text": "x", "callback_data": "x"}]] * 101}),
    ("empty keyboard", {"keyboard": [[]]}),
    ("keyboard text empty", {"keyboard": [[{"text": ""}]]}),
    ("keyboard button a number", {"keyboard": [[7]]}),
    ("keyboard with callback", {"keyboard": [[{"text": "x", "callback_data": "x"}]]}),
    ("two requests", {"keyboard": [[{"text": "x", "request_contact": True, "request_location": True}]]}),
    ("remove false", {"remove_keyboard": False}),
    ("force_reply 1", {"force_reply": 1}),
    ("long placeholder", {"force_reply": True, "input_field_placeholder": "x" * 65}),
    ("flag not boolean", {"keyboard": [["x"]], "one_time_keyboard": "yes"}),
]  # fmt: skip


@pytest.mark.parametrize("markup", VALID_MARKUPS)
async def test_each_kind_of_reply_markup_is_accepted(fake: FakeTelegram, markup) -> None:
    status, body = await call(fake, "sendMessage", chat_id=READER, text="x", reply_markup=markup)
    assert status == 200, body


@pytest.mark.parametrize(("why", "markup"), INVALID_MARKUPS, ids=[w for w, _ in INVALID_MARKUPS])
async def test_malformed_reply_markup_is_refused(fake: FakeTelegram, why: str, markup) -> None:
    status, body = await call(fake, "sendMessage", chat_id=READER, text="x", reply_markup=markup)
    assert status == 400 and body["description"].startswith("Bad Request: "), why
    assert fake.sent == []


async def test_an_edit_takes_only_an_inline_keyboard(fake: FakeTelegram) -> None:
    sent = await send(fake, READER, reply_markup=BUTTON)
    for markup in ({"keyboard": [["x"]]}, {"remove_keyboard": True}, {"force_reply": True}):
        for method, extra in [("editMessageReplyMarkup", {}), ("editMessageText", {"text": "y"})]:
            status, body = await call(
                fake,
                method,
                chat_id=READER,
                message_id=sent.message_id,
                reply_markup=markup,
                **extra,
            )
            assert (status, body["description"]) == (400, "Bad Request: inline keyboard expected")
    bad = {"inline_keyboard": [[{"text": "Go", "callback_data": "x" * 65}]]}
    status, _ = await call(
        fake, "editMessageReplyMarkup", chat_id=READER, message_id=sent.message_id, reply_markup=bad
    )
    assert status == 400


# ----------------------------------------------------------------------- flood control


async def test_edits_count_against_the_chat_like_sends(clock: ManualClock) -> None:
    fake = FakeTelegram(enforce_limits=True, clock=clock)
    fake.start_bot(READER)
    sent = await send(fake, READER)
    for n in range(2):  # the rest of the burst of 3
        status, _ = await call(
            fake, "editMessageText", chat_id=READER, message_id=sent.message_id, text=f"e{n}"
        )
        assert status == 200
    status, body = await call(
        fake, "editMessageText", chat_id=READER, message_id=sent.message_id, text="e2"
    )
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    clock.now += 1
    status, _ = await call(
        fake,
        "editMessageReplyMarkup",
        chat_id=READER,
        message_id=sent.message_id,
        reply_markup=BUTTON,
    )
    assert status == 200
    assert fake.rate_limited == 1


async def test_callback_answers_count_in_the_overall_budget(clock: ManualClock) -> None:
    fake = FakeTelegram(enforce_limits=True, clock=clock)
    fake.start_bot(*range(1, 31))
    presses = []
    for chat_id in range(1, 31):
        message = await send(fake, chat_id, reply_markup=BUTTON)
        presses.append(fake.callback_update(message, "go")["callback_query"]["id"])
    status, body = await call(fake, "answerCallbackQuery", callback_query_id=presses[0])
    assert (status, body["error_code"]) == (429, 429)  # 30 sends filled this second
    clock.now += 1
    for query_id in presses:
        assert (await call(fake, "answerCallbackQuery", callback_query_id=query_id))[0] == 200


# --------------------------------------------------------------------- callback queries


async def press(fake: FakeTelegram) -> str:
    message = await send(fake, READER, reply_markup=BUTTON)
    return str(fake.callback_update(message, "go")["callback_query"]["id"])


async def test_a_callback_query_expires(fake: FakeTelegram, clock: ManualClock) -> None:
    fresh, late = await press(fake), await press(fake)
    clock.now += 15  # the stand-in's window: Telegram publishes none, and it is short
    assert (await call(fake, "answerCallbackQuery", callback_query_id=fresh))[0] == 200
    clock.now += 0.5
    status, body = await call(fake, "answerCallbackQuery", callback_query_id=late)
    assert (status, body["description"]) == (400, QUERY_TOO_OLD)
    status, _ = await call(fake, "answerCallbackQuery", callback_query_id=fresh)
    assert status == 400  # answered already: the id is spent
    assert (await call(fake, "answerCallbackQuery", callback_query_id="12345"))[0] == 400


async def test_a_callback_answer_holds_at_most_200_characters(fake: FakeTelegram) -> None:
    query_id = await press(fake)
    status, body = await call(
        fake, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201
    )
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")
    status, _ = await call(fake, "answerCallbackQuery", callback_query_id=query_id, text="😀" * 100)
    assert status == 200  # 100 emoji are 200 UTF-16 units; the refused answer spent nothing
    other = await press(fake)
    status, _ = await call(fake, "answerCallbackQuery", callback_query_id=other, text="😀" * 101)
    assert status == 400
    assert fake.callback_answers == [{"callback_query_id": query_id, "text": "😀" * 100}]
