"""The fake Bot API over HTTP on 127.0.0.1, spoken to by PTB's own HTTPXRequest."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from standin import FakeTelegram, ServerThread, start_server


@pytest.fixture(autouse=True)
def _quiet_httpx_and_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns on constructing RetryAfter unless opted in; warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, token included


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram()
    fake.start_bot(1001, 5)  # these users started the bot: their chats are open to it
    return fake


@pytest.fixture
async def url(fake: FakeTelegram) -> AsyncIterator[str]:
    runner, base_url = await start_server(fake)
    yield base_url
    await runner.cleanup()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with HTML and one button."""
    assert update.effective_message is not None
    button = InlineKeyboardButton("Talks", callback_data="talks:1")
    await update.effective_message.reply_html(
        "<b>Welcome</b>", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def test_polling_bot_answers_over_http(
    fake: FakeTelegram, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = ApplicationBuilder().token(fake.token).base_url(url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0)  # type: ignore[union-attr]
        await app.start()
        fake.push(fake.message_update("/start"))
        assert await fake.wait_for(lambda sent: len(sent) == 1, timeout=5)
        await app.updater.stop()  # type: ignore[union-attr]
        await app.stop()

    sent = fake.sent[0]
    assert (sent.chat_id, sent.text, sent.parse_mode) == (1001, "<b>Welcome</b>", "HTML")
    # PTB sends a form body with reply_markup JSON-encoded: it arrives decoded
    assert sent.reply_markup == {
        "inline_keyboard": [[{"text": "Talks", "callback_data": "talks:1"}]]
    }
    served = [r for r in caplog.records if r.name.startswith(("standin", "aiohttp"))]
    assert all(fake.token not in r.getMessage() for r in served)


async def test_json_form_and_query_bodies_are_understood(fake: FakeTelegram, url: str) -> None:
    markup = {"inline_keyboard": [[{"text": "b", "callback_data": "x"}]]}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}{fake.token}/getMe") as response:
            assert (await response.json())["result"]["username"] == fake.username
        as_json = {"chat_id": 5, "text": "123", "reply_markup": markup}
        async with session.post(f"{url}{fake.token}/sendMessage", json=as_json) as response:
            assert response.status == 200
        form = {"chat_id": "5", "text": "true", "reply_markup": json.dumps(markup)}
        async with session.post(f"{url}{fake.token}/sendmessage", data=form) as response:
            assert response.status == 200
        multipart = aiohttp.FormData({"chat_id": "5", "text": "m"})
        multipart.add_field("document", b"bytes", filename="a.txt")  # forces multipart
        async with session.post(f"{url}{fake.token}/sendMessage", data=multipart) as response:
            assert response.status == 200
        query = urllib.parse.urlencode({"chat_id": 5, "text": "q"})
        async with session.post(f"{url}{fake.token}/sendMessage?{query}") as response:
            assert response.status == 200
    assert [(m.chat_id, m.text, m.reply_markup) for m in fake.sent] == [
        (5, "123", markup),
        (5, "true", markup),  # text stays a string, even when it looks like JSON
        (5, "m", None),
        (5, "q", None),
    ]


async def test_wrong_token_and_unknown_method(fake: FakeTelegram, url: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}999:WRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{url}{fake.token}/sendDice") as response:
            assert response.status == 404


async def test_rate_limiter_answers_429_over_http(url: str, fake: FakeTelegram) -> None:
    fake.enforce_limits = True
    async with Bot(fake.token, base_url=url) as bot:
        for _ in range(3):
            await bot.send_message(1001, "x")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1001, "x")
    assert caught.value.retry_after == timedelta(seconds=1)
    assert fake.rate_limited == 1


async def test_injected_timeout_times_out_the_client(url: str, fake: FakeTelegram) -> None:
    async with Bot(fake.token, base_url=url, request=HTTPXRequest(read_timeout=0.2)) as bot:
        fake.timeout_next("sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "x")
        await bot.send_message(1001, "y")  # the next one goes through
    assert [m.text for m in fake.sent] == ["y"]


def _call(url: str, method: str, **params: object) -> dict[str, object]:
    """POST a form as PTB does: strings as they are, anything else JSON-encoded."""
    fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(f"{url}{method}", data=data, timeout=5) as response:
        body: dict[str, object] = json.load(response)
        return body


def test_server_thread_serves_a_synchronous_caller(fake: FakeTelegram) -> None:
    with ServerThread(fake) as server:
        assert server.url is not None and server.url.startswith("http://127.0.0.1:")
        base = f"{server.url}{fake.token}/"
        update = fake.message_update("/start")
        fake.push_threadsafe(update)
        polled = _call(base, "getUpdates", timeout=5)
        assert polled["result"] == [update]
        _call(base, "sendMessage", chat_id=1001, text="hello")
        assert fake.wait_for_blocking(lambda sent: len(sent) == 1, timeout=5)
    assert [m.text for m in fake.snapshot_sent()] == ["hello"]


async def test_server_thread_with_a_bot_on_another_loop(fake: FakeTelegram) -> None:
    """The bot polls from the test's loop while the fake answers from the server thread."""
    with ServerThread(fake) as server:
        assert server.url is not None
        app = ApplicationBuilder().token(fake.token).base_url(server.url).build()
        app.add_handler(CommandHandler("start", start))
        async with app:
            await app.updater.start_polling(poll_interval=0)  # type: ignore[union-attr]
            await app.start()
            fake.push_threadsafe(fake.message_update("/start"))
            assert await fake.wait_for(lambda sent: len(sent) == 1, timeout=5)
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
    assert fake.snapshot_sent()[0].text == "<b>Welcome</b>"


async def test_only_loopback(fake: FakeTelegram) -> None:
    with pytest.raises(ValueError, match=r"only listens on 127\.0\.0\.1"):
        await start_server(fake, host="0.0.0.0")
