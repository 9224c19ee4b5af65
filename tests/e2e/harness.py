"""Driving the real Application through the Bot API stand-in, as Telegram would."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application

from bot.app import RUNTIME_KEY, Runtime, build_application
from bot.delivery import DeliveryEngine
from bot.pacing import SendPacer
from bot.settings import Settings
from standin import FakeRequest, FakeTelegram, SentMessage, check_telegram_html, visible_length
from storage.chats import ChatStore
from storage.events import EventStore
from storage.outbox import Outbox

ADMIN = 4242


class VirtualTime:
    """Monotonic time that moves only when the code under test sleeps: pacing without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        # Yield to the loop once (other tasks run), without waiting on real time.
        loop = asyncio.get_running_loop()
        turn = loop.create_future()
        loop.call_soon(turn.set_result, None)
        await turn


@dataclass
class Harness:
    fake: FakeTelegram
    app: Application  # type: ignore[type-arg]
    store: EventStore
    seen: int = 0
    engines: list[DeliveryEngine] = field(default_factory=list)

    @property
    def pacer(self) -> SendPacer:
        """The bot's one pacer (its PTB rate limiter)."""
        limiter = self.app.bot.rate_limiter
        assert isinstance(limiter, SendPacer)
        return limiter

    def pace_on(self, clock: VirtualTime) -> None:
        """Pace every send on this virtual time: Telegram's limits without real waiting."""
        self.pacer.use_clock(clock, clock.sleep)

    @property
    def chats(self) -> ChatStore:
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        return runtime.chats

    @property
    def outbox(self) -> Outbox:
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        return runtime.outbox

    def open_chat(self, chat_id: int, chat_type: str = "private") -> None:
        """Make a chat reachable as on Telegram: its user started the bot (private), or the
        bot was added to it (group, supergroup, channel). The stand-in refuses others."""
        if chat_type == "private":
            self.fake.start_bot(chat_id)
        else:
            self.fake.register_chat(chat_id, chat_type)

    def subscribe(self, chat_id: int, chat_type: str, topic: str, region: str = "") -> bool:
        """A subscription put straight into the store, for a chat Telegram knows: a real
        subscriber has written /subscribe to the bot, so its chat is open."""
        self.open_chat(chat_id, chat_type)
        return self.chats.subscribe(chat_id, chat_type, topic, region)

    async def feed(self, raw: dict[str, Any]) -> list[SentMessage]:
        """Process one update to the end; the messages it caused."""
        before = len(self.fake.sent)
        await self.app.process_update(Update.de_json(raw, self.app.bot))
        return self.fake.sent[before:]

    async def say(
        self,
        text: str,
        *,
        chat_id: int = 1001,
        user_id: int | None = None,
        chat_type: str | None = None,
        language_code: str | None = None,
    ) -> list[SentMessage]:
        raw = self.fake.message_update(
            text,
            chat_id=chat_id,
            user_id=user_id,
            chat_type=chat_type,
            language_code=language_code,
        )
        return await self.feed(raw)

    async def reply_to(self, text: str, **kwargs: Any) -> str:
        """The text of everything the bot answered, joined."""
        return "\n".join(m.text for m in await self.say(text, **kwargs))

    async def press(
        self, message: SentMessage, data: str, *, user_id: int | None = None
    ) -> list[SentMessage]:
        raw = self.fake.callback_update(message, data, user_id=user_id or message.chat_id)
        return await self.feed(raw)

    async def forge_press(
        self, message: SentMessage, data: str, *, user_id: int | None = None
    ) -> list[SentMessage]:
        """A press carrying data the bot never put on a button, as a modified client can."""
        real = buttons(message)[0][1]
        raw = self.fake.callback_update(message, real, user_id=user_id or message.chat_id)
        raw["callback_query"]["data"] = data
        return await self.feed(raw)

    def engine(self, clock: VirtualTime, **kwargs: Any) -> DeliveryEngine:
        """A delivery engine on `clock`, and the bot's pacer with it."""
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        self.pace_on(clock)
        engine = DeliveryEngine(
            self.app.bot,
            self.store,
            runtime.chats,
            runtime.outbox,
            default_zone="Europe/Kyiv",
            clock=clock,
            sleep=clock.sleep,
            **kwargs,
        )
        self.engines.append(engine)
        return engine


def buttons(message: SentMessage) -> list[tuple[str, str]]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def assert_valid_telegram_messages(fake: FakeTelegram) -> None:
    """Every message the bot got through is valid Telegram HTML within 4,096 characters,
    and Telegram never had to refuse one for its markup or length."""
    for message in fake.sent:
        if message.parse_mode and message.parse_mode.lower() == "html":
            problem = check_telegram_html(message.text)
            assert problem is None, f"{problem}: {message.text[:200]!r}"
            assert 1 <= visible_length(message.text) <= 4096
    refused = [e for e in fake.errors_returned if "parse entities" in e[3] or "too long" in e[3]]
    assert not refused, refused
    # A callback answer is plain text of at most 200 characters: no markup shows in a toast.
    for answer in fake.callback_answers:
        toast = str(answer.get("text") or "")
        assert not re.search(r"<[a-z/][^>]*>|&(?:[a-z]+|#\d+);", toast), toast
    refused = [e for e in fake.errors_returned if e[0] == "answerCallbackQuery"]
    assert not refused, refused


def make_harness(
    store: EventStore,
    clock: Callable[[], datetime],
    *,
    admins: frozenset[int] = frozenset({ADMIN}),
    aliases: dict[int, str] | None = None,
    fake: FakeTelegram | None = None,
) -> Harness:
    fake = fake or FakeTelegram()
    settings = Settings(
        token=fake.token,
        admins=admins,
        admin_aliases=aliases or {},
        zone=ZoneInfo("Europe/Kyiv"),
    )
    app = build_application(
        settings, store, request=FakeRequest(fake), updates_request=FakeRequest(fake), clock=clock
    )
    harness = Harness(fake, app, store)
    # Replies are paced too (a burst of 3, then 1 a second per chat): on virtual time, so a
    # test's many commands in one chat do not wait in real seconds.
    harness.pace_on(VirtualTime())
    return harness
