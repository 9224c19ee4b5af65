"""The delivery engine: drains the outbox to every subscribed chat within Telegram's limits.

It paces itself with fixed slots (about 30 sends a second in all, 1 a second per chat, 1 every
3 seconds per group) instead of running into 429s; a 429 that comes anyway pauses every send
for retry_after. Each send is recorded as it completes, and at most `max_in_flight` sends are
ever unrecorded, so a kill -9 can repeat no more than that many.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.boards import BoardKeeper
from handlers.alerts import render_alert
from handlers.errors import describe
from handlers.i18n import DEFAULT_LANGUAGE, use_language
from handlers.summaries import render_summary
from storage.board import BoardStore
from storage.chats import ChatStore, is_private
from storage.events import EventNotFound, EventStore
from storage.held import Holds, Summary, chat_zone, sends_silently
from storage.outbox import Alert, Delivery, Outbox
from storage.quiet import stored_quiet
from storage.timeparse import iso_utc, zone_or_error

log = logging.getLogger("sitrep.delivery")

TELEGRAM_RATE = 30.0
PAID_RATE = 1000.0
# Network trouble is retried with backoff capped at a minute for about three hours before a
# delivery is given up: an outage of the link must not cost anyone an alert.
MAX_ATTEMPTS = 200
MAX_BACKOFF = 60
# 29 a second, not 30: a send can reach Telegram a few milliseconds late or early (event
# loop and HTTP jitter), and slots spaced at exactly 1/30 s then land 31 in one second (seen
# as 429s from the stand-in's flood limiter). 3% of margin absorbs that.
SAFETY = 30 / 29


class Pacer:
    """Fixed send slots: a global interval, plus a minimum gap per private chat and per group."""

    def __init__(
        self,
        rate: float = TELEGRAM_RATE,
        per_chat: float = 1.0,
        per_group: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.interval = SAFETY / rate
        self.per_chat = per_chat
        self.per_group = per_group
        self.clock = clock
        self.next_free = 0.0
        self.chat_next: dict[int, float] = {}

    def reserve(self, chat_id: int, is_group: bool) -> float:
        """The monotonic time at which this chat may be sent its next message."""
        now = self.clock()
        at = max(now, self.next_free, self.chat_next.get(chat_id, 0.0))
        self.next_free = at + self.interval
        self.chat_next[chat_id] = at + (self.per_group if is_group else self.per_chat)
        if len(self.chat_next) > 50_000:
            self.chat_next = {k: v for k, v in self.chat_next.items() if v > now}
        return at

    def chat_free_at(self, chat_id: int) -> float:
        return self.chat_next.get(chat_id, 0.0)

    def pause(self, seconds: float) -> None:
        self.next_free = max(self.next_free, self.clock() + seconds)


class DeliveryEngine:
    """One worker in the bot process; `run()` until `stop()`."""

    def __init__(
        self,
        bot: Bot,
        store: EventStore,
        chats: ChatStore,
        outbox: Outbox,
        *,
        default_zone: str,
        default_language: str = DEFAULT_LANGUAGE,
        paid_broadcast: bool = False,
        channel_id: int | None = None,
        max_in_flight: int = 3,
        poll_interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rate: float | None = None,
        public_url: str = "",
    ):
        self.bot = bot
        self.store = store
        self.chats = chats
        self.outbox = outbox
        self.default_zone = default_zone
        self.default_language = default_language
        self.paid = paid_broadcast
        self.channel_id = channel_id
        # `rate` overrides the limit (benchmarks measure the engine's own ceiling with it).
        default_rate = PAID_RATE if paid_broadcast else TELEGRAM_RATE
        self.pacer = Pacer(rate or default_rate, clock=clock)
        self.clock = clock
        self.sleep = sleep
        self.poll_interval = poll_interval
        self.slots = asyncio.Semaphore(max_in_flight)
        self.in_flight: set[tuple[int, int]] = set()
        # Catch-ups after quiet hours and daily digests (storage.held): one summary is sent
        # part by part, each part recorded as it completes.
        self.holds = Holds(outbox.db, outbox.clock, default_zone)
        self.summaries_busy: set[int] = set()
        self.unrecorded_parts: dict[int, int | None] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.wake_event = asyncio.Event()
        self.stopping = False
        self.rendered: dict[tuple[int, str, str], str | None] = {}
        # Sent, but the database refused the record (locked past busy_timeout): never resend,
        # record again on the next pass.
        self.unrecorded: dict[tuple[int, int], int | None] = {}
        self.sent = 0
        self.last_error = ""
        # The last error the Bot API answered a send with: (UTC ISO time, what), for /healthz.
        self.last_api_error: tuple[str, str] | None = None
        self.public_url = public_url  # SITREP_PUBLIC_URL: alerts link to the record's page
        # Pinned status boards are redrawn here too, on the same pacer and slots.
        self.boards = BoardKeeper(
            bot, store, chats, BoardStore(store.db, outbox.clock), default_zone
        )

    def wake(self) -> None:
        """Something was written in this process: look at the outbox now."""
        self.wake_event.set()

    async def stop(self) -> None:
        """Finish the sends in flight (their results are recorded), then return."""
        self.stopping = True
        self.wake_event.set()
        while self.tasks:  # a send started while we waited is waited for too
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        self._record_unrecorded()

    async def run(self) -> None:
        while not self.stopping:
            try:
                busy = await self.cycle()
            except Exception:
                log.exception("delivery cycle failed; retrying shortly")
                busy = False
            if busy:
                continue
            self.wake_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake_event.wait(), self.poll_interval)

    def fan_out_new(self) -> int:
        """Turn new alerts into deliveries; the number of alerts fanned out."""
        alerts = self.outbox.unfanned()
        extra = (self.channel_id,) if self.channel_id is not None else ()
        for alert in alerts:
            count = self.outbox.fan_out(alert.id, extra)
            log.info("alert %d (%s %s): %d chats", alert.id, alert.kind, alert.event_id, count)
        return len(alerts)

    def _record_unrecorded(self) -> None:
        for (alert_id, chat_id), message_id in list(self.unrecorded.items()):
            try:
                self.outbox.mark_sent(alert_id, chat_id, message_id)
            except sqlite3.OperationalError:
                return  # still locked: next pass
            del self.unrecorded[(alert_id, chat_id)]
        for summary_id, message_id in list(self.unrecorded_parts.items()):
            try:
                self.holds.mark_part_sent(summary_id, message_id)
            except sqlite3.OperationalError:
                return
            del self.unrecorded_parts[summary_id]
            self.summaries_busy.discard(summary_id)

    async def cycle(self) -> bool:
        """Fan out new alerts and send one batch of what is owed; True if there was work.

        A chat that is not yet free (1 a second, a group 1 every 3 s) is skipped, not waited
        for, so one busy chat never holds up everyone else's alerts.
        """
        self._record_unrecorded()
        fanned = self.fan_out_new()
        opened = self.holds.open_due_catchups()  # quiet hours that ended with alerts held
        busy = set(self.in_flight) | set(self.unrecorded)
        batch: list[Delivery | Summary] = [
            s for s in self.holds.pending_summaries() if s.id not in self.summaries_busy
        ]
        batch += [d for d in self.outbox.pending(limit=500) if (d.alert_id, d.chat_id) not in busy]
        started = 0
        next_free: float | None = None
        for item in batch:
            if self.stopping:
                break
            free_at = self.pacer.chat_free_at(item.chat_id)
            if free_at > self.clock():
                next_free = free_at if next_free is None else min(next_free, free_at)
                continue
            at = self.pacer.reserve(item.chat_id, not is_private(item.chat_type))
            delay = at - self.clock()
            if delay > 0:
                await self.sleep(delay)
            await self.slots.acquire()
            if self.stopping:
                self.slots.release()
                break
            if isinstance(item, Summary):
                self.summaries_busy.add(item.id)
                task = asyncio.create_task(self._send_summary(item))
            else:
                self.in_flight.add((item.alert_id, item.chat_id))
                task = asyncio.create_task(self._send(item))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            started += 1
        if not self.stopping:
            drawn, boards_free = await self.boards.cycle(self)
            started += drawn
            if boards_free is not None:
                next_free = boards_free if next_free is None else min(next_free, boards_free)
        if not started and next_free is not None and not self.stopping:
            # Everything owed waits on a per-chat gap: sleep until the first chat is free.
            await self.sleep(min(self.poll_interval, max(0.0, next_free - self.clock())))
        return bool(fanned or opened or started or next_free is not None)

    def _text(self, alert_id: int, zone_name: str | None, language: str | None) -> str | None:
        """The alert as a chat with this zone and language reads it, rendered once for all
        such chats."""
        zone = zone_name or self.default_zone
        lang = language or self.default_language
        key = (alert_id, zone, lang)
        if key not in self.rendered:
            if len(self.rendered) > 1000:
                self.rendered.clear()
            alert: Alert = self.outbox.alert(alert_id)
            try:
                event = self.store.get(alert.event_id)
            except EventNotFound:
                self.rendered[key] = None
                return None
            reader_zone = zone_or_error(zone)
            now = self.outbox.clock()
            today = now.astimezone(reader_zone).date()
            with use_language(lang):
                self.rendered[key] = render_alert(
                    alert, event, reader_zone, today, self.public_url, now=now
                )
        return self.rendered[key]

    async def _send(self, d: Delivery) -> None:
        try:
            await self._attempt(d)
        except Exception as exc:  # a bug must not kill the engine, nor lose the delivery
            log.exception("delivery of alert %d to chat %d failed", d.alert_id, d.chat_id)
            self.last_error = repr(exc)[:200]
        finally:
            self.in_flight.discard((d.alert_id, d.chat_id))
            self.slots.release()

    async def _send_message(self, chat_id: int, text: str, silent: bool = False) -> Message:
        """One send; an error answer is remembered (for /healthz) and raised."""
        try:
            return await self.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                allow_paid_broadcast=self.paid or None,
                disable_notification=silent or None,
            )
        except TelegramError as exc:
            self.last_api_error = (iso_utc(self.outbox.clock()), describe(exc))
            raise

    def _silent(self, silent: bool, quiet: str | None, zone: str | None) -> bool:
        return sends_silently(silent, quiet, zone, self.default_zone, self.outbox.clock())

    async def _post(
        self,
        chat_id: int,
        text: str,
        *,
        silent: bool,
        attempts: int,
        fail: Callable[[str], None],
        retry: Callable[[datetime, str], None],
    ) -> Message | None:
        """Send one message within Telegram's rules; None when it was not sent (and what
        happens next is recorded: paused, deactivated, migrated, failed or retried)."""
        try:
            return await self._send_message(chat_id, text, silent)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            log.warning("429 from Telegram: pausing all sends for %.0f s", seconds)
            self.pacer.pause(seconds)
            return None  # still pending: sent on a later pass
        except Forbidden as exc:
            log.info("chat %d blocked the bot or removed it (%s): deactivated", chat_id, exc)
            self.chats.deactivate(chat_id, str(exc))
            return None
        except ChatMigrated as exc:
            log.info("chat %d migrated to %d", chat_id, exc.new_chat_id)
            self.chats.migrate(chat_id, exc.new_chat_id)
            return None
        except BadRequest as exc:
            if _chat_is_gone(exc):
                # The chat was deleted, or the bot never could reach it: every later alert
                # would fail the same way, so it stops until the chat writes again (as a 403).
                log.info("chat %d not found by Telegram (%s): deactivated", chat_id, exc)
                self.chats.deactivate(chat_id, str(exc))
                return None
            # Never retried: the same request would fail the same way.
            log.error("send to chat %d rejected: %s", chat_id, exc)
            fail(f"400: {exc}")
            self.last_error = f"400: {exc}"
            return None
        except NetworkError as exc:  # TimedOut included: it may even have been delivered
            attempts += 1
            if attempts >= MAX_ATTEMPTS:
                fail(f"network: {exc}")
                return None
            backoff = timedelta(seconds=min(MAX_BACKOFF, 2**attempts))
            retry(self.outbox.clock() + backoff, str(exc))
            return None

    async def _attempt(self, d: Delivery) -> None:
        text = self._text(d.alert_id, d.zone, d.language)
        if text is None:
            self.outbox.mark_failed(d.alert_id, d.chat_id, "event no longer exists")
            return
        message = await self._post(
            d.chat_id,
            text,
            silent=self._silent(d.silent, d.quiet, d.zone),
            attempts=d.attempts,
            fail=lambda error: self.outbox.mark_failed(d.alert_id, d.chat_id, error),
            retry=lambda at, error: self.outbox.retry_later(d.alert_id, d.chat_id, at, error),
        )
        if message is None:
            return
        self.sent += 1
        try:
            self.outbox.mark_sent(d.alert_id, d.chat_id, message.message_id)
        except sqlite3.OperationalError as exc:
            log.warning(
                "sent alert %d to chat %d; recording it later (%s)", d.alert_id, d.chat_id, exc
            )
            self.unrecorded[(d.alert_id, d.chat_id)] = message.message_id

    # --- catch-ups and digests ------------------------------------------------------------

    def _summary_parts(self, s: Summary) -> list[str]:
        content = self.holds.content(s.id, self.store.contents)
        if content.empty:
            return []
        zone = chat_zone(s.zone, self.default_zone)
        today = self.outbox.clock().astimezone(zone).date()
        window = stored_quiet(s.quiet) if s.kind == "quiet" else None
        # In the chat's language, as its alerts are.
        with use_language(s.language or self.default_language):
            return render_summary(s.kind, content, zone, today, since=s.since, window=window)

    async def _send_summary(self, s: Summary) -> None:
        recorded = True
        try:
            recorded = await self._attempt_summary(s)
        except Exception as exc:  # a bug must not kill the engine, nor lose the summary
            log.exception("summary %d to chat %d failed", s.id, s.chat_id)
            self.last_error = repr(exc)[:200]
        finally:
            if recorded:
                self.summaries_busy.discard(s.id)
            self.slots.release()

    async def _attempt_summary(self, s: Summary) -> bool:
        """Send the summary's next part; False when it was sent but not yet recorded."""
        parts = s.parts
        if parts is None:
            parts = self._summary_parts(s)
            if not parts:
                self.holds.skip(s.id, "every record it told of is gone")
                return True
            # Kept before the first send: a resumed summary sends the same words.
            self.holds.save_parts(s.id, parts)
        if s.parts_sent >= len(parts):
            self.holds.mark_part_sent(s.id, None)
            return True
        message = await self._post(
            s.chat_id,
            parts[s.parts_sent],
            silent=self._silent(s.silent, s.quiet, s.zone),
            attempts=s.attempts,
            fail=lambda error: self.holds.mark_failed(s.id, error),
            retry=lambda at, error: self.holds.retry_later(s.id, at, error),
        )
        if message is None:
            return True
        self.sent += 1
        try:
            self.holds.mark_part_sent(s.id, message.message_id)
        except sqlite3.OperationalError as exc:
            log.warning("sent part of summary %d; recording it later (%s)", s.id, exc)
            self.unrecorded_parts[s.id] = message.message_id
            return False
        return True


def _chat_is_gone(error: BadRequest) -> bool:
    """400 "chat not found": Telegram has no such chat for this bot (PTB drops the prefix)."""
    return "chat not found" in error.message.lower()
