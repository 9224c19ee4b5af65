"""Assembling the python-telegram-bot Application around the store and the handlers."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from telegram import Chat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

import handlers
from bot import compaction
from bot.delivery import DeliveryEngine
from bot.digest import Digests
from bot.http import AiohttpRequest
from bot.pacing import SendPacer
from bot.reminders import RESYNC_EVERY, Reminders
from bot.settings import Settings
from bot.sync import FolderJob
from bot.updates import ChatOrderedUpdates
from bot.web import HealthSources, WebServer
from bot.workers import StoreWorkers
from handlers.common import DEPS_KEY, Deps, off_loop
from handlers.errors import LAST_API_ERROR
from handlers.i18n import LANGUAGES
from storage.chats import TOPICS, ChatStore
from storage.events import EventStore
from storage.offload import database_file
from storage.outbox import Outbox
from storage.timeparse import utc_now

log = logging.getLogger(__name__)
RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    """The bot's background work: the delivery engine and the reminder jobs."""

    settings: Settings
    store: EventStore
    chats: ChatStore
    outbox: Outbox
    clock: Callable[[], datetime]
    engine: DeliveryEngine | None = None
    reminders: Reminders | None = None
    web: WebServer | None = None
    digests: Digests | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    # Start-up's writes (bot.app._start_up), run off the loop once the bot answers readers;
    # `started` is set when they are done (or failed, logged).
    start_up: asyncio.Task[None] | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)


async def _channel(app: Application, runtime: Runtime) -> Chat | None:
    """SITREP_CHANNEL as Telegram knows it; None when unset or unusable (logged)."""
    name = runtime.settings.channel
    if not name:
        return None
    try:
        return await app.bot.get_chat(int(name) if name.lstrip("-").isdigit() else name)
    except TelegramError as exc:
        log.error("SITREP_CHANNEL %s cannot be used: %s", name, exc)
        return None


def _register_channel(chat_id: int, chat_type: str, title: str, d: Deps) -> None:
    """The channel as a chat that gets every topic (runs on a store worker)."""
    d.chats.touch(chat_id, chat_type, title)
    for topic in TOPICS:
        d.chats.subscribe(chat_id, chat_type, topic)


async def _while_locked(what: str, write: Callable[[], Awaitable[object]]) -> None:
    """`write()`, tried again for as long as another process holds the write lock: each try
    waits for it off the loop, for a bounded time (storage.offload), so a long import delays
    this step, never the loop nor a reader."""
    while True:
        try:
            await write()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower():
                raise
            log.warning("start-up: %s waits for the store (%s)", what, exc)


async def _start_up(
    runtime: Runtime,
    deps: Deps,
    engine: DeliveryEngine,
    channel: Chat | None,
    digests: Digests | None,
) -> None:
    """Start-up's writes, off the loop, while the bot already answers readers: the channel
    registered, then (with the job queue) alerts written by other processes while the bot was
    down fanned out (and held) before the digests missed meanwhile are made from them."""
    try:
        if channel is not None:
            register = partial(_register_channel, channel.id, channel.type, channel.title or "")
            await _while_locked("registering SITREP_CHANNEL", lambda: off_loop(deps, register))
        if digests is not None:
            await _while_locked("fanning out alerts written meanwhile", engine.fan_out_new)
            await _while_locked("making the digests missed", digests.send_missed)
    except Exception:
        log.exception("start-up's store work failed")
    finally:
        runtime.started.set()


async def _deliver(start_up: asyncio.Task[None], engine: DeliveryEngine) -> None:
    """The delivery engine, once start-up's writes are done (the channel known to it)."""
    await asyncio.wait({start_up})
    await engine.run()


async def start_background(app: Application) -> None:
    """Start-up calls to Telegram, the delivery engine and the reminder jobs.

    Nothing here waits on a write: this runs before the bot takes updates (PTB's post_init),
    and another process (an import) may hold the write lock for seconds. The writes start-up
    owes run after it, off the loop (`_start_up`; `Runtime.started` is set when they are
    done); what is left here are Bot API calls and short reads, which WAL never makes wait.
    """
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    # The menu in every language the bot speaks, and the default for every other client.
    for lang in LANGUAGES:
        await app.bot.set_my_commands(handlers.bot_commands(lang), language_code=lang)
    await app.bot.set_my_commands(handlers.bot_commands(runtime.settings.language))
    channel = await _channel(app, runtime)
    engine = DeliveryEngine(
        app.bot,
        runtime.store,
        runtime.chats,
        runtime.outbox,
        default_zone=str(runtime.settings.zone.key),
        default_language=runtime.settings.language,
        paid_broadcast=runtime.settings.paid_broadcast,
        channel_id=channel.id if channel is not None else None,
        public_url=runtime.settings.public_url,
    )
    runtime.engine = engine
    deps: Deps = app.bot_data[DEPS_KEY]
    deps.wake_delivery = engine.wake
    digests: Digests | None = None
    if app.job_queue is not None:
        reminders = Reminders(
            app.job_queue, runtime.store.db, runtime.clock, engine.wake, deps=deps
        )
        runtime.reminders = reminders
        # Planned from the change itself: the store tells its listeners once a write commits.
        runtime.store.listeners.append(reminders.on_commit)
        deps.subscriptions_changed = reminders.sync
        app.job_queue.run_repeating(
            reminders.resync, interval=RESYNC_EVERY, first=RESYNC_EVERY, name="reminders-resync"
        )
        reminders.sync()
        digests = Digests(app.job_queue, engine.holds, engine.wake, deps=deps)
        runtime.digests = digests
        deps.digest_changed = digests.sync_chat
        digests.sync()
        # Old delivery rows compacted: soon after start, then daily (storage.retention).
        compaction.schedule(
            app.job_queue,
            runtime.store.db,
            runtime.clock,
            runtime.settings.delivery_retention_days,
        )
    if runtime.settings.data_dir and app.job_queue is not None:
        folder = FolderJob(
            runtime.store,
            Path(runtime.settings.data_dir),
            runtime.settings.curators_chat,
            engine.wake,
            lambda chat_id: runtime.chats.settings(chat_id).language or runtime.settings.language,
            deps=deps,
        )
        folder.schedule(app.job_queue, runtime.settings.sync_minutes)
    start_up = asyncio.create_task(
        _start_up(runtime, deps, engine, channel, digests), name="sitrep-start-up"
    )
    runtime.start_up = start_up
    runtime.tasks.append(asyncio.create_task(_deliver(start_up, engine), name="sitrep-delivery"))
    if runtime.settings.http_port is not None:
        await start_web(runtime, deps)
    log.info("bot @%s ready", app.bot.username)


async def start_web(runtime: Runtime, deps: Deps) -> WebServer:
    """The public pages, the live calendar and /healthz on the bot's own loop."""

    def last_api_error() -> tuple[str, str] | None:
        """The latest of the delivery engine's and the update handlers' (by time)."""
        sends = runtime.engine.last_api_error if runtime.engine else None
        found = max((e for e in (sends, deps.extra.get(LAST_API_ERROR)) if e), default=None)
        return (found[0], deps.redact(found[1])) if found else None

    settings = runtime.settings
    server = WebServer(
        runtime.store,
        zone=settings.zone,
        public_url=settings.public_url,
        clock=runtime.clock,
        sources=HealthSources(last_api_error),
        aliases=settings.admin_aliases,
    )
    await server.start(settings.http_host, settings.http_port or 0)
    runtime.web = server
    return server


async def stop_background(app: Application) -> None:
    """Let sends in flight finish and be recorded."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    if runtime.start_up is not None:  # still waiting for the store: done on the next start
        runtime.start_up.cancel()
        await asyncio.gather(runtime.start_up, return_exceptions=True)
        runtime.start_up = None
    if runtime.web is not None:
        await runtime.web.stop()
        runtime.web = None
    if runtime.reminders is not None:
        runtime.store.listeners.remove(runtime.reminders.on_commit)
        runtime.reminders = None
    if runtime.engine is not None:
        await runtime.engine.stop()
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    runtime.tasks.clear()
    await close_workers(app)


async def close_workers(app: Application) -> None:
    """Stop the store's worker threads (their connections closed); the last step of a stop."""
    deps: Deps = app.bot_data[DEPS_KEY]
    if isinstance(deps.workers, StoreWorkers):
        await deps.workers.close()


def build_application(
    settings: Settings,
    store: EventStore,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] = utc_now,
    paced: bool = True,
) -> Application:
    """The bot, wired: handlers registered, the store in bot_data, HTML by default.

    Every send passes one pacer (bot.pacing), replies first; `paced=False` leaves sends
    unpaced (benchmarks of the handlers' own latency; the delivery engine then paces itself).
    """
    # Opt in to PTB 23's timedelta durations (RetryAfter.retry_after) now: without it PTB 22
    # warns on every 429, and the engine already handles both forms.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=settings.zone,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .defaults(defaults)
        .post_init(start_background)
        .post_stop(stop_background)
    )
    # Sends go through aiohttp (about 3x PTB's default client); long polling keeps httpx.
    builder = builder.request(request if request is not None else AiohttpRequest())
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if paced:
        # Replies wait on their chat's budget: other chats' updates must not wait behind them.
        builder = builder.concurrent_updates(ChatOrderedUpdates())
        # PTB types the builder for rate_limit_args None; ours are a Lane (or None).
        builder = builder.rate_limiter(SendPacer())  # type: ignore[arg-type]
    app = builder.build()
    chats = ChatStore(store.db, clock)
    outbox = Outbox(store.db, clock, default_zone=str(settings.zone.key))
    app.bot_data[RUNTIME_KEY] = Runtime(settings, store, chats, outbox, clock)
    app.bot_data[DEPS_KEY] = deps = Deps(
        store=store,
        chats=chats,
        default_zone=settings.zone,
        default_language=settings.language,
        admins=settings.admins,
        aliases=settings.admin_aliases,
        clock=clock,
        curators_chat=settings.curators_chat,
        public_url=settings.public_url,
        redact=lambda text: text.replace(settings.token, "[TOKEN]") if settings.token else text,
    )
    # Writes and long reads run on worker threads with connections of their own; a store in
    # memory cannot be opened twice, and is used on the loop.
    if database_file(store.db):
        deps.workers = StoreWorkers(deps, store.db)
    handlers.register(app)
    return app
