"""FakeTelegram through python-telegram-bot's real request pipeline (FakeRequest, no sockets)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

from standin import FakeRequest, FakeTelegram, SentMessage
from standin.telegram import NOT_MODIFIED

PRIVATE = 1001
GROUP = -100200
# Users who started the bot before a test begins, as Telegram requires for a private chat.
STARTED = (PRIVATE, PRIVATE + 1, 1, 5, 7, 8)


def telegram(**kwargs: Any) -> FakeTelegram:
    """A stand-in where the STARTED users' private chats and GROUP are open to the bot."""
    fake = FakeTelegram(**kwargs)
    fake.start_bot(*STARTED)
    fake.register_chat(GROUP, "supergroup", "Readers")
    return fake


class ManualClock:
    """The fake's clock, moved by hand so flood limits need no waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns on constructing RetryAfter unless opted in to timedelta periods, and
    # warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with HTML and one button."""
    assert update.effective_message is not None
    button = InlineKeyboardButton("Talks", callback_data="talks:1")
    await update.effective_message.reply_html(
        "<b>Welcome</b> &amp; hello", reply_markup=InlineKeyboardMarkup([[button]])
    )


@pytest.fixture
def fake() -> FakeTelegram:
    return telegram()


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:
    application = (
        ApplicationBuilder()
        .token(fake.token)
        .request(FakeRequest(fake))
        .get_updates_request(FakeRequest(fake))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    async with application:
        yield application


async def test_start_command_reply_is_recorded(app: Application, fake: FakeTelegram) -> None:
    await app.process_update(Update.de_json(fake.message_update("/start"), app.bot))

    assert len(fake.sent) == 1
    sent = fake.sent[0]
    assert (sent.chat_id, sent.method, sent.parse_mode) == (PRIVATE, "sendMessage", "HTML")
    assert sent.text == "<b>Welcome</b> &amp; hello"
    assert sent.reply_markup == {
        "inline_keyboard": [[{"text": "Talks", "callback_data": "talks:1"}]]
    }
    assert fake.messages_for(PRIVATE) == [sent]
    assert app.bot.username == fake.username  # getMe answered during initialize


async def test_returned_message_is_what_telegram_answers(
    app: Application,
    fake: FakeTelegram,
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    message = await app.bot.send_message(
        PRIVATE, "<i>x</i> &lt;y&gt;", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    assert message.text == "x <y>"  # Telegram returns the visible text and its entities
    assert message.text_html == "<i>x</i> &lt;y&gt;"
    assert message.chat.type == "private"
    assert message.from_user is not None and message.from_user.id == fake.bot_id
    assert message.reply_markup == markup
    group = await app.bot.send_message(GROUP, "hi")
    assert (group.chat.type, group.message_id) == ("supergroup", 1)


def test_command_update_has_bot_command_entity(fake: FakeTelegram) -> None:
    update = fake.message_update("/start@sitrep_test_bot now")
    entities = update["message"]["entities"]
    assert entities == [{"type": "bot_command", "offset": 0, "length": 22}]
    assert "entities" not in fake.message_update("hello")["message"]


@pytest.mark.parametrize(
    ("inject", "exception", "check"),
    [
        (
            {
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "retry_after": 7,
            },
            RetryAfter,
            lambda e: e.retry_after == timedelta(seconds=7),
        ),
        (
            {"error_code": 403, "description": "Forbidden: bot was blocked by the user"},
            Forbidden,
            lambda e: "blocked" in e.message,
        ),
        (
            {"error_code": 400, "description": "Bad Request: chat not found"},
            BadRequest,
            lambda e: e.message == "Chat not found",
        ),
        (
            {
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "migrate_to_chat_id": -1009,
            },
            ChatMigrated,
            lambda e: e.new_chat_id == -1009,
        ),
    ],
)
async def test_injected_errors_become_ptb_exceptions(
    app: Application,
    fake: FakeTelegram,
    inject: dict[str, object],
    exception: type[TelegramError],
    check: object,
) -> None:
    fake.fail_next("sendMessage", **inject)  # type: ignore[arg-type]
    with pytest.raises(exception) as caught:
        await app.bot.send_message(PRIVATE, "hi")
    assert check(caught.value)  # type: ignore[operator]
    assert fake.sent == []
    await app.bot.send_message(PRIVATE, "hi")  # only the next call failed
    assert len(fake.sent) == 1


async def test_injected_timeout_raises_timed_out(app: Application, fake: FakeTelegram) -> None:
    fake.timeout_next("sendMessage")
    with pytest.raises(TimedOut):
        await app.bot.send_message(PRIVATE, "hi")
    assert fake.sent == []


async def test_timeout_after_delivery_records_the_message(
    app: Application,
    fake: FakeTelegram,
) -> None:
    fake.timeout_next("sendMessage", delivered=True)
    with pytest.raises(TimedOut):
        await app.bot.send_message(PRIVATE, "hi")
    assert [m.text for m in fake.sent] == ["hi"]  # a retry now would be a duplicate


async def test_failure_for_one_chat_spares_the_others(
    app: Application,
    fake: FakeTelegram,
) -> None:
    fake.fail_next("sendMessage", error_code=403, description="Forbidden: x", chat_id=7, times=2)
    await app.bot.send_message(8, "to eight")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await app.bot.send_message(7, "to seven")
    await app.bot.send_message(7, "to seven")
    assert [m.chat_id for m in fake.sent] == [8, 7]


async def test_blocked_chat_answers_forbidden_until_unblocked(
    app: Application,
    fake: FakeTelegram,
) -> None:
    fake.block(PRIVATE)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(PRIVATE, "hi")
    fake.register_chat(-5, "group", "Readers")
    fake.block(-5)
    with pytest.raises(Forbidden, match="kicked from the group chat"):
        await app.bot.send_message(-5, "hi")
    fake.unblock(PRIVATE)
    await app.bot.send_message(PRIVATE, "hi")
    assert fake.errors_returned[0][2:] == (403, "Forbidden: bot was blocked by the user")


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("<div>x</div>", ParseMode.HTML, r"can't parse entities: unsupported start tag"),
        ("R&D", ParseMode.HTML, r"can't parse entities"),
        ("", None, "message text is empty"),
        ("<b> </b>", ParseMode.HTML, "message text is empty"),
        ("x" * 4097, None, "message is too long"),
        ("<b>" + "😀" * 2049 + "</b>", ParseMode.HTML, "message is too long"),
    ],
)
async def test_send_message_validation(
    app: Application,
    fake: FakeTelegram,
    text: str,
    parse_mode: str | None,
    error: str,
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await app.bot.send_message(PRIVATE, text, parse_mode=parse_mode)
    assert fake.sent == []


async def test_longest_message_passes(app: Application, fake: FakeTelegram) -> None:
    await app.bot.send_message(PRIVATE, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert len(fake.sent) == 1


@pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])
async def test_callback_data_over_64_bytes_or_empty_is_refused(
    fake: FakeTelegram, data: str
) -> None:
    markup = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
    status, body = await fake.handle(
        "sendMessage", {"chat_id": PRIVATE, "text": "x", "reply_markup": markup}
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_reply_markup_as_json_string_is_decoded(fake: FakeTelegram) -> None:
    raw = '{"inline_keyboard": [[{"text": "b", "callback_data": "x"}]]}'
    status, body = await fake.handle(
        "sendMessage", {"chat_id": "5", "text": "x", "reply_markup": raw}
    )
    assert status == 200
    assert body["result"]["reply_markup"] == {
        "inline_keyboard": [[{"text": "b", "callback_data": "x"}]]
    }
    assert fake.sent[0].reply_markup == body["result"]["reply_markup"]
    assert fake.sent[0].chat_id == 5


async def test_edits_apply_and_identical_edit_is_not_modified(
    app: Application,
    fake: FakeTelegram,
) -> None:
    sent = await app.bot.send_message(PRIVATE, "<b>one</b>", parse_mode=ParseMode.HTML)
    await app.bot.edit_message_text(
        "<b>two</b>", chat_id=PRIVATE, message_id=sent.message_id, parse_mode=ParseMode.HTML
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        # same visible text and entities: <strong> is <b> to Telegram
        await app.bot.edit_message_text(
            "<strong>two</strong>", chat_id=PRIVATE, message_id=sent.message_id, parse_mode="HTML"
        )
    assert fake.errors_returned[-1][3] == NOT_MODIFIED
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=PRIVATE, message_id=99)
    assert [(m.method, m.text) for m in fake.messages_for(PRIVATE)] == [
        ("editMessageText", "<b>two</b>")
    ]


async def test_delete_removes_message_from_the_chat(
    app: Application,
    fake: FakeTelegram,
) -> None:
    first = await app.bot.send_message(PRIVATE, "first")
    await app.bot.send_message(PRIVATE, "second")
    assert await app.bot.delete_message(PRIVATE, first.message_id)
    assert [m.text for m in fake.messages_for(PRIVATE)] == ["second"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await app.bot.delete_message(PRIVATE, first.message_id)


async def test_button_press_reaches_the_bot_and_must_be_answered(
    app: Application,
    fake: FakeTelegram,
) -> None:
    await app.process_update(Update.de_json(fake.message_update("/start"), app.bot))
    update = Update.de_json(fake.callback_update(fake.sent[0], "talks:1"), app.bot)
    query = update.callback_query
    assert query is not None and query.data == "talks:1"
    assert isinstance(query.message, Message) and query.message.reply_markup is not None
    assert await query.answer("ok")
    assert fake.callback_answers == [{"callback_query_id": query.id, "text": "ok"}]
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    with pytest.raises(ValueError, match="no button"):
        fake.callback_update(fake.sent[0], "nothing")


async def test_edit_of_markup_only_is_recorded(
    app: Application,
    fake: FakeTelegram,
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await app.bot.send_message(PRIVATE, "x", reply_markup=markup)
    await app.bot.edit_message_reply_markup(PRIVATE, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_reply_markup(PRIVATE, sent.message_id, reply_markup=None)
    latest = fake.messages_for(PRIVATE)[0]
    assert (latest.method, latest.text, latest.reply_markup) == (
        "editMessageReplyMarkup",
        "x",
        None,
    )


async def test_commands_are_validated_and_kept(app: Application) -> None:
    await app.bot.set_my_commands([("start", "Start here"), ("talks", "Peace talks")])
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "talks"]
    with pytest.raises(BadRequest):
        await app.bot.set_my_commands([("Start", "upper case is not allowed")])
    with pytest.raises(BadRequest):
        await app.bot.set_my_commands([("start", "")])
    with pytest.raises(BadRequest):
        await app.bot.set_my_commands([(f"c{i}", "d") for i in range(101)])


async def test_chat_member_statuses(app: Application, fake: FakeTelegram) -> None:
    fake.register_chat(GROUP, "supergroup", "Curators")
    fake.admins[GROUP] = {7}
    fake.owners[GROUP] = 9
    assert (await app.bot.get_chat_member(GROUP, 7)).status == "administrator"
    assert (await app.bot.get_chat_member(GROUP, 9)).status == "creator"
    assert (await app.bot.get_chat_member(GROUP, 8)).status == "member"
    admins = await app.bot.get_chat_administrators(GROUP)
    assert [(m.user.id, m.status) for m in admins] == [(9, "creator"), (7, "administrator")]
    chat = await app.bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Curators", "supergroup")
    assert await app.bot.send_chat_action(GROUP, "typing")


async def test_unknown_method_is_404(fake: FakeTelegram) -> None:
    assert await fake.handle("sendDice", {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert fake.calls == [("sendDice", {})]


async def test_wrong_token_is_refused_and_never_logged(
    fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "999999:WRONG-SECRET"
    with pytest.raises(InvalidToken):
        await Bot(wrong, request=FakeRequest(fake), get_updates_request=FakeRequest(fake)).get_me()
    fake_logs = [r for r in caplog.records if r.name.startswith("standin")]
    assert fake_logs, "the refusal is logged"
    assert all(wrong not in r.getMessage() and fake.token not in r.getMessage() for r in fake_logs)


async def test_long_poll_returns_a_pushed_update_at_once(
    app: Application,
    fake: FakeTelegram,
) -> None:
    update = fake.message_update("hello")
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(app.bot.get_updates(timeout=30))
    loop.call_soon(fake.push, update)  # runs once the poll is parked
    started = loop.time()
    async with asyncio.timeout(2):
        updates = await poll
    assert loop.time() - started < 1
    assert [u.update_id for u in updates] == [update["update_id"]]


async def test_offset_confirms_updates(fake: FakeTelegram) -> None:
    first, second = fake.message_update("one"), fake.message_update("two")
    fake.push(first)
    fake.push(second)
    _, body = await fake.handle("getUpdates", {"limit": 1})
    assert [u["update_id"] for u in body["result"]] == [first["update_id"]]
    _, body = await fake.handle("getUpdates", {"offset": first["update_id"] + 1})
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    _, body = await fake.handle("getUpdates", {})  # not confirmed yet: delivered again
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    _, body = await fake.handle("getUpdates", {"offset": second["update_id"] + 1, "timeout": 0})
    assert body["result"] == []


async def test_long_poll_gives_up_after_its_timeout(fake: FakeTelegram) -> None:
    assert await fake.handle("getUpdates", {"timeout": 0.01}) == (200, {"ok": True, "result": []})


async def test_a_newer_poll_ends_the_older_with_conflict(
    app: Application,
    fake: FakeTelegram,
) -> None:
    loop = asyncio.get_running_loop()
    older = asyncio.create_task(app.bot.get_updates(timeout=30))
    newer = loop.create_future()
    loop.call_soon(lambda: newer.set_result(asyncio.ensure_future(app.bot.get_updates())))
    async with asyncio.timeout(2):
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await older
        assert await (await newer) == ()


async def test_wait_for_wakes_on_a_send(fake: FakeTelegram) -> None:
    loop = asyncio.get_running_loop()
    loop.call_soon(
        lambda: asyncio.ensure_future(fake.handle("sendMessage", {"chat_id": 1, "text": "x"}))
    )
    assert await fake.wait_for(lambda sent: len(sent) == 1, timeout=2)
    assert not await fake.wait_for(lambda sent: len(sent) == 2, timeout=0.01)


async def test_listeners_see_each_send(fake: FakeTelegram) -> None:
    seen: list[SentMessage] = []
    fake.listeners.append(seen.append)
    await fake.handle("sendMessage", {"chat_id": 1, "text": "x"})
    await fake.handle("sendMessage", {"chat_id": 1})  # refused: not shown
    assert [m.text for m in seen] == ["x"]


async def test_private_chat_limit_is_a_burst_of_three_then_one_a_second() -> None:
    clock = ManualClock()
    fake = telegram(enforce_limits=True, clock=clock)
    bot = Bot(fake.token, request=FakeRequest(fake), get_updates_request=FakeRequest(fake))
    for _ in range(3):
        await bot.send_message(PRIVATE, "x")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PRIVATE, "x")
    assert caught.value.retry_after == timedelta(seconds=1)
    await bot.send_message(PRIVATE + 1, "another chat is not held back")
    clock.now += 1
    await bot.send_message(PRIVATE, "x")
    assert (len(fake.sent), fake.rate_limited) == (5, 1)


async def test_group_limit_is_twenty_a_minute() -> None:
    clock = ManualClock()
    fake = telegram(enforce_limits=True, clock=clock)
    for i in range(20):
        clock.now += 0.1
        assert (await fake.handle("sendMessage", {"chat_id": GROUP, "text": str(i)}))[0] == 200
    status, body = await fake.handle("sendMessage", {"chat_id": GROUP, "text": "21"})
    assert status == 429
    assert body["parameters"] == {"retry_after": 59}
    assert body["description"] == "Too Many Requests: retry after 59"
    clock.now += 59
    assert (await fake.handle("sendMessage", {"chat_id": GROUP, "text": "21"}))[0] == 200


async def test_overall_limit_is_thirty_a_second_unless_paid() -> None:
    clock = ManualClock()
    fake = telegram(enforce_limits=True, clock=clock)
    fake.start_bot(*range(1, 32))
    for chat_id in range(1, 31):
        assert (await fake.handle("sendMessage", {"chat_id": chat_id, "text": "x"}))[0] == 200
    assert (await fake.handle("sendMessage", {"chat_id": 31, "text": "x"}))[0] == 429
    paid = {"chat_id": 31, "text": "x", "allow_paid_broadcast": True}
    assert (await fake.handle("sendMessage", paid))[0] == 200
    assert fake.rate_limited == 1


async def test_send_document_keeps_the_file_and_checks_the_caption(
    app: Application, fake: FakeTelegram
) -> None:
    from telegram import InputFile

    message = await app.bot.send_document(
        PRIVATE,
        InputFile(b"BEGIN:VCALENDAR", filename="talks.ics"),
        caption="<b>Talks</b>",
        parse_mode=ParseMode.HTML,
    )
    assert message.document is not None and message.document.file_name == "talks.ics"
    assert message.caption == "Talks" and message.document.file_size == 15
    sent = fake.sent[-1]
    assert sent.method == "sendDocument" and sent.text == "<b>Talks</b>"
    assert sent.params["document"]["content"] == b"BEGIN:VCALENDAR"
    with pytest.raises(BadRequest, match="caption is too long"):
        await app.bot.send_document(PRIVATE, InputFile(b"x", filename="a.txt"), caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_document(
            PRIVATE, InputFile(b"x", filename="a.txt"), caption="<b>open", parse_mode="HTML"
        )


async def test_latency_puts_telegram_at_a_distance_counting_calls_on_arrival() -> None:
    fake = telegram(latency=0.1, jitter=0.02, seed=1)
    started = time.monotonic()
    status, _ = await fake.handle("sendMessage", {"chat_id": PRIVATE, "text": "x"})
    answered = time.monotonic()
    assert status == 200
    arrived = fake.sent[0].at  # stamped (and flood-counted) when the call arrived
    assert arrived - started >= 0.05  # half the round trip on the way there
    assert answered - arrived >= 0.05  # and half on the way back


def test_latency_jitter_is_seeded() -> None:
    one, two = (
        telegram(latency=0.1, jitter=0.02, seed=4),
        telegram(latency=0.1, jitter=0.02, seed=4),
    )
    assert [one._one_way() for _ in range(5)] == [two._one_way() for _ in range(5)]
    assert all(0.05 <= one._one_way() <= 0.07 for _ in range(100))
