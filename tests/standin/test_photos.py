"""sendPhoto, pinChatMessage and unpinChatMessage on the stand-in, in-process and over HTTP."""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.http import AiohttpRequest
from standin import FakeRequest, FakeTelegram, start_server

PRIVATE, GROUP = 1001, -100200


def png(width: int, height: int) -> bytes:
    """A real, minimal PNG (grey, 8-bit) of that size, made without any image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    logging.getLogger("httpx").setLevel(logging.WARNING)


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram()
    fake.register_chat(PRIVATE, "private")
    fake.register_chat(GROUP, "supergroup")
    return fake


@pytest.fixture(params=["in-process", "http"])
async def bot(request: pytest.FixtureRequest, fake: FakeTelegram) -> AsyncIterator[Bot]:
    """A Bot on the in-process transport, and one on the bot's own aiohttp transport over HTTP
    (multipart uploads exactly as production sends them)."""
    if request.param == "in-process":
        async with Bot(fake.token, request=FakeRequest(fake)) as b:
            yield b
        return
    runner, url = await start_server(fake)
    try:
        async with Bot(fake.token, base_url=url, request=AiohttpRequest()) as b:
            yield b
    finally:
        await runner.cleanup()


async def test_a_png_upload_is_kept_with_its_size_and_caption(bot: Bot, fake: FakeTelegram) -> None:
    data = png(1200, 100)
    message = await bot.send_photo(
        PRIVATE, data, caption="<b>Incidents</b>: 2", parse_mode=ParseMode.HTML, filename="c.png"
    )
    assert message.caption == "Incidents: 2"
    assert max(p.width for p in message.photo) == 1200
    sent = fake.sent[-1]
    assert (sent.method, sent.text, sent.photo) == ("sendPhoto", "<b>Incidents</b>: 2", data)


@pytest.mark.parametrize(
    ("photo", "caption", "problem"),
    [
        (b"GIF89a not a png at all, but long enough to be read as one", None, "IMAGE_PROCESS"),
        (b"\x88" + png(100, 10)[1:], None, "IMAGE_PROCESS_FAILED"),  # all but the signature
        (png(100, 10)[:-12], None, "IMAGE_PROCESS_FAILED"),  # cut short: no IEND
        (png(10, 300), None, "PHOTO_INVALID_DIMENSIONS"),  # 30 times taller than wide
        (png(100, 10), "x" * 1025, "message caption is too long"),
        (png(100, 10), "<b>unclosed", "can't parse entities"),
    ],
    ids=[
        "not-png",
        "bad-signature",
        "cut-short",
        "too-narrow",
        "caption-too-long",
        "caption-bad-html",
    ],
)
async def test_bad_photos_are_refused_as_telegram_does(
    bot: Bot, fake: FakeTelegram, photo: bytes, caption: str | None, problem: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){problem}"):
        await bot.send_photo(PRIVATE, photo, caption=caption, parse_mode=ParseMode.HTML)
    assert fake.sent == []


async def test_a_caption_of_1024_characters_after_parsing_passes(bot: Bot) -> None:
    caption = "<b>" + "x" * 1024 + "</b>"  # 1,031 with the tags, 1,024 as Telegram counts
    message = await bot.send_photo(PRIVATE, png(50, 50), caption=caption, parse_mode="HTML")
    assert message.caption is not None and len(message.caption) == 1024


async def test_a_photo_has_no_text_to_edit(bot: Bot) -> None:
    message = await bot.send_photo(PRIVATE, png(50, 50))
    with pytest.raises(BadRequest, match=r"(?i)no text in the message to edit"):
        await bot.edit_message_text("new", PRIVATE, message.message_id)


async def test_pinning_needs_the_message_and_the_right(bot: Bot, fake: FakeTelegram) -> None:
    message = await bot.send_message(GROUP, "board")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await bot.pin_chat_message(GROUP, message.message_id)
    fake.admins.setdefault(GROUP, set()).add(fake.bot_id)
    with pytest.raises(BadRequest, match=r"(?i)message to pin not found"):
        await bot.pin_chat_message(GROUP, 999)
    assert await bot.pin_chat_message(GROUP, message.message_id, disable_notification=True)
    assert fake.pinned[GROUP] == [message.message_id]
    assert await bot.unpin_chat_message(GROUP, message.message_id)
    assert fake.pinned[GROUP] == []
    with pytest.raises(BadRequest, match=r"(?i)message to unpin not found"):
        await bot.unpin_chat_message(GROUP, message.message_id)
    # In a private chat anyone may pin.
    private = await bot.send_message(PRIVATE, "hi")
    assert await bot.pin_chat_message(PRIVATE, private.message_id)
