"""`sitrep chat`: the real Application and store, talking to a terminal through the stand-in.

Each typed line becomes a Telegram update from a private chat; every message the bot sends
(replies, page turns, alerts) is printed as it reaches the stand-in. A line that is just a
number presses that button of the last message that had buttons. It reads a pipe just as well:
`printf '/talks\\n' | sitrep chat` prints the reply and exits at end of input.

The person at the terminal has a Telegram client language like any user: `--language uk`
(else SITREP_LANGUAGE) is sent as their `language_code`, so the bot answers in Ukrainian.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from bot.app import RUNTIME_KEY, Runtime, build_application, start_background, stop_background
from bot.logs import setup_logging
from bot.settings import Settings
from bot.terminal import html_to_terminal
from standin import FakeRequest, FakeTelegram, SentMessage
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty

LOCAL_USER = 1  # the person at the terminal: a private chat, and a curator of their own store


def local_admins(settings: Settings) -> frozenset[int]:
    """The curators of a local chat: SITREP_ADMINS when set (add 1 to stay one of them, or
    leave it out to try the bot as a reader), else the person at the terminal."""
    return settings.admins or frozenset({LOCAL_USER})


@dataclass
class Button:
    label: str
    data: str
    message: SentMessage


@dataclass
class ChatSession:
    """One terminal conversation with the bot."""

    app: Application
    fake: FakeTelegram
    out: TextIO
    color: bool
    language_code: str | None = None  # the terminal user's client language, as Telegram sends it
    buttons: list[Button] = field(default_factory=list)

    def show(self, sent: SentMessage) -> None:
        if sent.chat_id != LOCAL_USER:
            return
        prefix = "(edited) " if sent.method != "sendMessage" else ""
        body = html_to_terminal(sent.text, color=self.color)
        self.out.write(f"{prefix}{body}\n")
        keyboard: list[list[dict[str, Any]]] = (sent.reply_markup or {}).get("inline_keyboard", [])
        flat = [b for row in keyboard for b in row if "callback_data" in b]
        if flat:
            self.buttons = [Button(b["text"], b["callback_data"], sent) for b in flat]
            labels = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(self.buttons, 1))
            self.out.write(f"{labels}\n")
        self.out.write("\n")
        self.out.flush()

    async def say(self, line: str) -> None:
        """Deliver one typed line to the bot and wait until it has been handled."""
        line = line.strip()
        if not line:
            return
        if line.isdigit() and self.buttons and 1 <= int(line) <= len(self.buttons):
            button = self.buttons[int(line) - 1]
            raw = self.fake.callback_update(button.message, button.data, user_id=LOCAL_USER)
        else:
            raw = self.fake.message_update(
                line, chat_id=LOCAL_USER, user_id=LOCAL_USER, language_code=self.language_code
            )
        await self.app.process_update(Update.de_json(raw, self.app.bot))


async def _read_lines(stream: TextIO) -> Any:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stream.readline)
        if not line:
            return
        yield line


async def chat_loop(
    settings: Settings, stdin: TextIO, out: TextIO, language: str | None = None
) -> None:
    """`language` (`sitrep chat --language uk`) is the terminal user's, and the local chat's
    from now on; without it the user's client reads SITREP_LANGUAGE, which a new chat adopts
    and one that chose its own with /language keeps."""
    if settings.db_path == ":memory:":  # nothing else can hold its lock
        store = EventStore(connect(settings.db_path))
        known = _prepare_local_store(store, language)
    else:
        # The schema, the seed and the language are written on a thread of their own (an
        # import in another process may hold the write lock); the loop's connection then
        # finds them done.
        known = await asyncio.to_thread(_prepare_local_file, settings.db_path, language)
        store = EventStore(connect(settings.db_path, migrate=False))
    fake = FakeTelegram()
    # The store's chats are real ones Telegram knows; offline, the stand-in must know them
    # too, or alerts owed to them would come back "chat not found" and deactivate them.
    for chat_id, kind in known:
        if kind == "private":
            fake.start_bot(chat_id)
        else:
            fake.register_chat(chat_id, kind)
    local = replace(settings, token=fake.token, admins=local_admins(settings))
    app = build_application(
        local, store, request=FakeRequest(fake), updates_request=FakeRequest(fake)
    )
    interactive = stdin.isatty()
    session = ChatSession(
        app, fake, out, color=out.isatty(), language_code=language or settings.language
    )
    fake.listeners.append(session.show)
    async with app:
        await app.start()
        # run_polling would call post_init; here it is ours to call: alerts and reminders.
        await start_background(app)
        if interactive:
            out.write("sitrep local chat: type /help; a number presses a button; Ctrl-D quits.\n\n")
        async for line in _read_lines(stdin):
            await session.say(line)
        await _deliver_what_is_owed(app)
        await stop_background(app)
        await app.stop()


def _prepare_local_store(store: EventStore, language: str | None) -> list[tuple[int, str]]:
    """The seed in an empty store, the terminal user's language kept; the chats it knows."""
    load_seed_if_empty(store)
    chats = ChatStore(store.db)
    if language is not None:
        chats.set_language(LOCAL_USER, "private", language)
    return chats.every_chat()


def _prepare_local_file(path: str, language: str | None) -> list[tuple[int, str]]:
    """`_prepare_local_store` (and the schema brought up to date) on a connection of this
    thread's own, closed after."""
    db = connect(path)
    try:
        return _prepare_local_store(EventStore(db), language)
    finally:
        db.close()


async def _deliver_what_is_owed(app: Application) -> None:
    """At the end of piped input, let alerts caused by the last commands go out first (and
    start-up's own writes, missed digests among them, be done before)."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    await runtime.started.wait()
    if runtime.engine is None:
        return
    for _ in range(50):
        busy = await runtime.engine.cycle()
        while runtime.engine.tasks:
            await asyncio.gather(*list(runtime.engine.tasks))
        if not busy:
            return


def run_chat(settings: Settings, language: str | None = None) -> int:
    setup_logging("WARNING" if settings.log_level == "INFO" else settings.log_level, "")
    try:
        asyncio.run(chat_loop(settings, sys.stdin, sys.stdout, language))
    except KeyboardInterrupt:
        return 130
    return 0
