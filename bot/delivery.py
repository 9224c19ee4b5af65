"""The delivery engine: drains the outbox to every subscribed chat within Telegram's limits.

The limits are the bot's one pacer's (bot.pacing.SendPacer, the Application's rate limiter):
the engine's sends go in its bulk lane, behind readers' replies, and a chat that is not free
yet is skipped, not waited on. The number of sends in flight adapts to the measured round trip
(enough for the full rate at any distance, at most `max_in_flight`). A send holds its slot
until its record is committed (sends that complete together are recorded in one transaction),
so a kill -9 can repeat no more than `max_in_flight`. Every store call runs on the engine's
own store thread (storage.offload), never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlite_utils import Database
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import BaseRequest

from bot.boards import BoardKeeper
from bot.pacing import (
    PAID_RATE,
    TELEGRAM_RATE,
    Lane,
    SendPacer,
    bulk_lane,
    in_flight_limit,
    retry_seconds,
)
from handlers.alerts import render_alert
from handlers.errors import describe
from handlers.i18n import DEFAULT_LANGUAGE, use_language
from handlers.summaries import render_summary
from storage.board import BoardStore
from storage.chats import ChatStore
from storage.events import EventNotFound, EventStore
from storage.held import Holds, Summary, chat_zone, sends_silently
from storage.offload import BUSY_TIMEOUT, StoreThread
from storage.outbox import Alert, Delivery, Outbox, SentRecord
from storage.quiet import stored_quiet
from storage.timeparse import iso_utc, zone_or_error

log = logging.getLogger("sitrep.delivery")

# Network trouble is retried with backoff capped at a minute for about three hours before a
# delivery is given up: an outage of the link must not cost anyone an alert.
MAX_ATTEMPTS = 200
MAX_BACKOFF = 60
# Sends in flight (on the wire or waiting on the pacer, or answered but not yet recorded): the
# most a kill -9 can repeat. How many are kept in flight adapts to the round trip (enough for
# 30 a second); 10 keep 30 a second up to about 250 ms away. Paid broadcast needs 1,000 times
# the round trip: 250 reach 1,000 a second up to about 200 ms away, and are its stated repeat
# bound (a paid broadcast to many chats trades a few duplicates after a crash for its speed;
# at 16, as before, it managed about 100 a second with Telegram 150 ms away).
IN_FLIGHT = 10
PAID_IN_FLIGHT = 250
# Paid broadcast never keeps fewer in flight, however near Telegram is. A slot is held for the
# send and then its record, and at a thousand a second the engine's one core is the bottleneck:
# the least round trip (a fraction of a millisecond next door) asked for 3, so each turn of the
# event loop carried one or two answers and paid its own cost for each. 32 cut the CPU per send
# by about a third (bench/results.md); the repeat bound stays PAID_IN_FLIGHT.
PAID_MIN_IN_FLIGHT = 32


class Slots:
    """At most `limit()` sends in flight; the limit is read at each acquire, as it adapts."""

    def __init__(self, limit: Callable[[], int]) -> None:
        self.limit = limit
        self.used = 0
        self._freed = asyncio.Event()

    async def acquire(self) -> None:
        while self.used >= self.limit():
            self._freed.clear()
            await self._freed.wait()
        self.used += 1

    def release(self) -> None:
        self.used -= 1
        self._freed.set()


class Stores:
    """The engine's store objects, over the connection of the thread its store calls run on
    (storage.offload): the engine never waits on SQLite on the event loop."""

    def __init__(
        self, db: Database, store: EventStore, chats: ChatStore, outbox: Outbox, zone: str
    ):
        self.store = EventStore(db, clock=store.clock)
        self.chats = ChatStore(db, chats.clock)
        self.outbox = Outbox(db, outbox.clock, outbox.default_zone)
        self.holds = Holds(db, outbox.clock, zone)
        self.boards = BoardStore(db, outbox.clock)


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
        max_in_flight: int | None = None,
        poll_interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rate: float | None = None,
        public_url: str = "",
        busy_timeout: float = BUSY_TIMEOUT,
    ):
        self.bot = bot
        self.store = store
        self.chats = chats
        self.outbox = outbox
        self.default_zone = default_zone
        self.default_language = default_language
        self.paid = paid_broadcast
        self.channel_id = channel_id
        # The bot's own pacer when it has one (the Application's); a bare Bot (benchmarks) is
        # paced here, by a pacer of the engine's. `rate` overrides that one's limit.
        limiter = getattr(bot, "rate_limiter", None)
        self.self_paced = not isinstance(limiter, SendPacer)
        if isinstance(limiter, SendPacer):
            self.pacer = limiter
        else:
            self.pacer = SendPacer(
                rate=rate or TELEGRAM_RATE, paid_rate=rate or PAID_RATE, clock=clock, sleep=sleep
            )
        self.rate = float(PAID_RATE if paid_broadcast else TELEGRAM_RATE)
        self.clock = clock
        self.sleep = sleep
        self.poll_interval = poll_interval
        # A send holds its slot until its record is committed: after a kill -9 at most this
        # many sends can be repeated. Fewer are used when the round trip needs fewer, unless
        # `max_in_flight` fixes the number.
        self.adaptive = max_in_flight is None
        if max_in_flight is None:
            max_in_flight = PAID_IN_FLIGHT if paid_broadcast else IN_FLIGHT
        self.max_in_flight = max_in_flight
        self.slots = Slots(self.in_flight_limit)
        self.in_flight: set[tuple[int, int]] = set()
        # Every store call of the engine runs on this thread, with its own connection.
        self.db: StoreThread[Stores] = StoreThread(
            outbox.db,
            lambda db: Stores(db, store, chats, outbox, default_zone),
            busy_timeout=busy_timeout,
            name="sitrep-delivery-store",
        )
        # Catch-ups after quiet hours and daily digests (storage.held): one summary is sent
        # part by part, each part recorded as it completes. This one is for the bot's
        # digest jobs, on their connection; the engine's own calls use its thread's.
        self.holds = Holds(outbox.db, outbox.clock, default_zone)
        self.summaries_busy: set[int] = set()
        self.unrecorded_parts: dict[int, int | None] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.wake_event = asyncio.Event()
        self.stopping = False
        self.rendered: dict[tuple[int, str, str], str | None] = {}
        # Sent and answered, not yet recorded: recorded together, in one transaction for
        # every send that completed meanwhile (`_flush`). When the database refuses the
        # write (locked past busy_timeout) they stay here: never resent, recorded later.
        self.unrecorded: dict[tuple[int, int], SentRecord] = {}
        self.writing: asyncio.Future[bool] | None = None
        self.sent = 0
        self.last_error = ""
        # The last error the Bot API answered a send with: (UTC ISO time, what), for /healthz.
        self.last_api_error: tuple[str, str] | None = None
        self.public_url = public_url  # SITREP_PUBLIC_URL: alerts link to the record's page
        # Pinned status boards are redrawn here too, on the same pacer and slots.
        self.boards = BoardKeeper(bot, self.db, outbox.clock, default_zone)

    def in_flight_limit(self) -> int:
        """Sends to keep in flight for the full rate at the distance measured so far."""
        if not self.adaptive:
            return self.max_in_flight
        floor = PAID_MIN_IN_FLIGHT if self.paid else 2
        return in_flight_limit(self.rate, self.pacer.rtt.base, self.max_in_flight, floor)

    def spawn(self, send: Coroutine[Any, Any, None]) -> None:
        """Start one send in the pacer's bulk lane, waited for by `stop()`."""
        task = asyncio.create_task(send, context=bulk_lane())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def paced(self, chat_id: int) -> int | None:
        """Before a send: the bot's pacer waits inside the request; a bare Bot's here (its
        ticket is then handed to `pacer.landed` once the send is back)."""
        if self.self_paced:
            return await self.pacer.acquire(chat_id, Lane.BULK, self.paid)
        return None

    def rate_limited(self, exc: RetryAfter) -> None:
        """A 429 came anyway: every send pauses (the bot's pacer has paused already)."""
        if self.self_paced:
            self.pacer.pause(retry_seconds(exc))

    def wake(self) -> None:
        """Something was written in this process: look at the outbox now."""
        self.wake_event.set()

    async def stop(self) -> None:
        """Finish the sends in flight (their results are recorded), then return."""
        self.stopping = True
        self.wake_event.set()
        while self.tasks:  # a send started while we waited is waited for too
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        await self._record_unrecorded()
        await self.db.close()

    async def run(self) -> None:
        while not self.stopping:
            try:
                busy = await self.cycle()
            except sqlite3.OperationalError as exc:  # locked past busy_timeout: next pass
                log.warning("delivery cycle: database busy (%s); retrying shortly", exc)
                busy = False
            except Exception:
                log.exception("delivery cycle failed; retrying shortly")
                busy = False
            if busy:
                continue
            self.wake_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake_event.wait(), self.poll_interval)

    async def fan_out_new(self) -> int:
        """Turn new alerts into deliveries; the number of alerts fanned out."""
        extra = (self.channel_id,) if self.channel_id is not None else ()

        def fan_out(s: Stores) -> list[tuple[Alert, int]]:
            return [(a, s.outbox.fan_out(a.id, extra)) for a in s.outbox.unfanned()]

        done = await self.db.run(fan_out)
        for alert, count in done:
            log.info("alert %d (%s %s): %d chats", alert.id, alert.kind, alert.event_id, count)
        return len(done)

    async def _record_unrecorded(self) -> bool:
        """Record what was sent but could not be recorded yet; True when nothing is left."""
        if self.unrecorded and not await self._flush(set(self.unrecorded)):
            return False
        for summary_id, message_id in list(self.unrecorded_parts.items()):
            try:
                await self.db.run(partial(_mark_part_sent, summary_id, message_id))
            except sqlite3.OperationalError:
                return False  # still locked: next pass
            del self.unrecorded_parts[summary_id]
            self.summaries_busy.discard(summary_id)
        return True

    async def _flush(self, keys: set[tuple[int, int]]) -> bool:
        """Wait until the sends `keys` are recorded; False if the database refused.

        Group commit: one task writes every send answered so far in one transaction, and
        those that complete meanwhile wait for it and are written together next.
        """
        while not self.unrecorded.keys().isdisjoint(keys):
            if self.writing is not None:
                if not await self.writing:
                    return False  # the write under way failed: so would ours, now
                continue
            batch = list(self.unrecorded.values())
            self.writing = asyncio.get_running_loop().create_future()
            recorded = False
            try:
                await self.db.run(partial(_mark_sent, batch))
                for record in batch:
                    key = (record.alert_id, record.chat_id)
                    if self.unrecorded.get(key) is record:
                        del self.unrecorded[key]
                recorded = True
            except sqlite3.OperationalError as exc:
                log.warning("sent %d alerts; recording them later (%s)", len(batch), exc)
                return False
            finally:
                writing, self.writing = self.writing, None
                writing.set_result(recorded)
        return True

    def _records_refused(self) -> bool:
        """Sends answered whose record the database refused (no task is writing them any
        more): no new send starts until they are recorded, so sent-but-unrecorded never
        exceeds `max_in_flight`."""
        return bool(self.unrecorded_parts) or not self.in_flight.issuperset(self.unrecorded)

    async def cycle(self) -> bool:
        """Fan out new alerts and send one batch of what is owed; True if there was work.

        A chat that is not yet free (a burst of 3 then 1 a second, a group 20 a minute) is
        skipped, not waited for, so one busy chat never holds up everyone else's alerts.
        """
        if not await self._record_unrecorded():
            # The database refuses writes: nothing more is sent until what was is recorded.
            return False
        fanned = await self.fan_out_new()
        # Taken before the database is read: what is busy now was not yet recorded then.
        busy = set(self.in_flight) | set(self.unrecorded)
        busy_summaries = set(self.summaries_busy)
        opened, summaries, deliveries = await self.db.run(_owed)
        batch: list[Delivery | Summary] = [s for s in summaries if s.id not in busy_summaries]
        batch += [d for d in deliveries if (d.alert_id, d.chat_id) not in busy]
        await self._render_texts(d for d in batch if isinstance(d, Delivery))
        started = 0
        next_free: float | None = None
        for item in batch:
            if self.stopping:
                break
            free_at = self.pacer.chat_free_at(item.chat_id)
            if free_at > self.clock():
                next_free = free_at if next_free is None else min(next_free, free_at)
                continue
            # The budget first, then a slot: slots are held by sends on the wire.
            await self.pacer.wait_free(item.chat_id, Lane.BULK, self.paid)
            await self.slots.acquire()
            if self.stopping or self._records_refused():
                self.slots.release()
                break
            if isinstance(item, Summary):
                self.summaries_busy.add(item.id)
                self.spawn(self._send_summary(item))
            else:
                self.in_flight.add((item.alert_id, item.chat_id))
                self.spawn(self._send(item))
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

    def _text_key(self, d: Delivery) -> tuple[int, str, str]:
        return (d.alert_id, d.zone or self.default_zone, d.language or self.default_language)

    async def _render_texts(self, deliveries: Iterable[Delivery]) -> None:
        """Render, in one store call, every alert text these deliveries need and the cache
        lacks: each (alert, zone, language) once for all chats that read it so."""
        wanted = {self._text_key(d) for d in deliveries} - self.rendered.keys()
        if not wanted:
            return
        if len(self.rendered) + len(wanted) > 1000:
            self.rendered.clear()
        self.rendered.update(await self.db.run(partial(self._render, wanted)))

    def _render(self, keys: set[tuple[int, str, str]], s: Stores) -> dict[Any, str | None]:
        """The alerts as chats with these zones and languages read them (None: the record
        is gone). Runs on the store's thread."""
        texts: dict[tuple[int, str, str], str | None] = {}
        now = s.outbox.clock()
        for key in keys:
            alert_id, zone, lang = key
            alert = s.outbox.alert(alert_id)
            try:
                event = s.store.get(alert.event_id)
            except EventNotFound:
                texts[key] = None
                continue
            reader_zone = zone_or_error(zone)
            today = now.astimezone(reader_zone).date()
            with use_language(lang):
                texts[key] = render_alert(
                    alert, event, reader_zone, today, self.public_url, now=now
                )
        return texts

    async def _text(self, d: Delivery) -> str | None:
        key = self._text_key(d)
        if key not in self.rendered:  # the cache was cleared since the cycle rendered it
            await self._render_texts([d])
        return self.rendered.get(key)

    async def _send(self, d: Delivery) -> None:
        try:
            await self._attempt(d)
        except Exception as exc:  # a bug must not kill the engine, nor lose the delivery
            log.exception("delivery of alert %d to chat %d failed", d.alert_id, d.chat_id)
            self.last_error = repr(exc)[:200]
        finally:
            self.in_flight.discard((d.alert_id, d.chat_id))
            self.slots.release()

    async def _send_message(self, chat_id: int, text: str, silent: bool = False) -> int:
        """One send; the new message's id. An error answer is remembered (for /healthz) and
        raised.

        Through `Bot._post`, the step every `send_*` method of PTB takes (so the Application's
        Defaults, its rate limiter and its mapping of error answers to exceptions all apply),
        without parsing the answer into a Message: at a thousand sends a second that parse
        was a sixth of the engine's time, and only the message id is kept.
        """
        data: dict[str, object] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            # As send_message leaves them: the Application's Defaults decide.
            "link_preview_options": BaseRequest.DEFAULT_NONE,
            "protect_content": BaseRequest.DEFAULT_NONE,
            "allow_paid_broadcast": self.paid or None,
            "disable_notification": silent or None,
        }
        ticket = await self.paced(chat_id)
        started = time.monotonic()
        try:
            result = await self.bot._post("sendMessage", data)
        except TelegramError as exc:
            self.last_api_error = (iso_utc(self.outbox.clock()), describe(exc))
            raise
        if ticket is not None:
            self.pacer.rtt.observe(time.monotonic() - started)
            self.pacer.landed(ticket)
        return int(result["message_id"])

    def _silent(self, silent: bool, quiet: str | None, zone: str | None) -> bool:
        return sends_silently(silent, quiet, zone, self.default_zone, self.outbox.clock())

    async def _post(
        self,
        chat_id: int,
        text: str,
        *,
        silent: bool,
        attempts: int,
        fail: Callable[[str], Callable[[Stores], object]],
        retry: Callable[[datetime, str], Callable[[Stores], object]],
    ) -> int | None:
        """Send one message within Telegram's rules; its message id, or None when it was not
        sent (and what happens next is recorded: paused, deactivated, migrated, failed or
        retried). `fail` and `retry` give the store call that records that outcome."""
        try:
            return await self._send_message(chat_id, text, silent)
        except RetryAfter as exc:
            self.rate_limited(exc)
            return None  # still pending: sent on a later pass
        except Forbidden as exc:
            log.info("chat %d blocked the bot or removed it (%s): deactivated", chat_id, exc)
            await self.db.run(partial(_deactivate, chat_id, str(exc)))
            return None
        except ChatMigrated as exc:
            log.info("chat %d migrated to %d", chat_id, exc.new_chat_id)
            await self.db.run(partial(_migrate, chat_id, exc.new_chat_id))
            return None
        except BadRequest as exc:
            if _chat_is_gone(exc):
                # The chat was deleted, or the bot never could reach it: every later alert
                # would fail the same way, so it stops until the chat writes again (as a 403).
                log.info("chat %d not found by Telegram (%s): deactivated", chat_id, exc)
                await self.db.run(partial(_deactivate, chat_id, str(exc)))
                return None
            # Never retried: the same request would fail the same way.
            log.error("send to chat %d rejected: %s", chat_id, exc)
            await self.db.run(fail(f"400: {exc}"))
            self.last_error = f"400: {exc}"
            return None
        except NetworkError as exc:  # TimedOut included: it may even have been delivered
            attempts += 1
            if attempts >= MAX_ATTEMPTS:
                await self.db.run(fail(f"network: {exc}"))
                return None
            backoff = timedelta(seconds=min(MAX_BACKOFF, 2**attempts))
            await self.db.run(retry(self.outbox.clock() + backoff, str(exc)))
            return None

    async def _attempt(self, d: Delivery) -> None:
        text = await self._text(d)
        if text is None:
            await self.db.run(
                lambda s: s.outbox.mark_failed(d.alert_id, d.chat_id, "event no longer exists")
            )
            return
        message_id = await self._post(
            d.chat_id,
            text,
            silent=self._silent(d.silent, d.quiet, d.zone),
            attempts=d.attempts,
            fail=lambda error: lambda s: s.outbox.mark_failed(d.alert_id, d.chat_id, error),
            retry=lambda at, error: (
                lambda s: s.outbox.retry_later(d.alert_id, d.chat_id, at, error)
            ),
        )
        if message_id is None:
            return
        self.sent += 1
        key = (d.alert_id, d.chat_id)
        self.unrecorded[key] = SentRecord(d.alert_id, d.chat_id, message_id)
        await self._flush({key})

    # --- catch-ups and digests ------------------------------------------------------------

    def _summary_parts(self, summary: Summary, s: Stores) -> list[str]:
        """The summary's parts, rendered and kept before the first is sent (a resumed summary
        sends the same words); none when every record it told of is gone (it is skipped).
        Runs on the store's thread."""
        content = s.holds.content(summary.id, s.store.contents)
        if content.empty:
            s.holds.skip(summary.id, "every record it told of is gone")
            return []
        zone = chat_zone(summary.zone, self.default_zone)
        today = s.outbox.clock().astimezone(zone).date()
        window = stored_quiet(summary.quiet) if summary.kind == "quiet" else None
        # In the chat's language, as its alerts are.
        with use_language(summary.language or self.default_language):
            parts = render_summary(
                summary.kind, content, zone, today, since=summary.since, window=window
            )
        s.holds.save_parts(summary.id, parts)
        return parts

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
            parts = await self.db.run(partial(self._summary_parts, s))
            if not parts:
                return True
        if s.parts_sent >= len(parts):
            await self.db.run(partial(_mark_part_sent, s.id, None))
            return True
        message_id = await self._post(
            s.chat_id,
            parts[s.parts_sent],
            silent=self._silent(s.silent, s.quiet, s.zone),
            attempts=s.attempts,
            fail=lambda error: lambda st: st.holds.mark_failed(s.id, error),
            retry=lambda at, error: lambda st: st.holds.retry_later(s.id, at, error),
        )
        if message_id is None:
            return True
        self.sent += 1
        try:
            await self.db.run(partial(_mark_part_sent, s.id, message_id))
        except sqlite3.OperationalError as exc:
            log.warning("sent part of summary %d; recording it later (%s)", s.id, exc)
            self.unrecorded_parts[s.id] = message_id
            return False
        return True


def _owed(s: Stores) -> tuple[list[int], list[Summary], list[Delivery]]:
    """What is owed now: catch-ups opened for quiet hours that ended with alerts held, the
    summaries due, and up to 500 deliveries due. Runs on the store's thread."""
    opened = s.holds.open_due_catchups()
    return opened, s.holds.pending_summaries(), s.outbox.pending(limit=500)


def _mark_sent(sends: list[SentRecord], s: Stores) -> None:
    s.outbox.mark_sent_many(sends)


def _deactivate(chat_id: int, reason: str, s: Stores) -> None:
    s.chats.deactivate(chat_id, reason)


def _migrate(chat_id: int, new_chat_id: int, s: Stores) -> None:
    s.chats.migrate(chat_id, new_chat_id)


def _mark_part_sent(summary_id: int, message_id: int | None, s: Stores) -> None:
    s.holds.mark_part_sent(summary_id, message_id)


def _chat_is_gone(error: BadRequest) -> bool:
    """400 "chat not found": Telegram has no such chat for this bot (PTB drops the prefix)."""
    return "chat not found" in error.message.lower()
