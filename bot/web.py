"""The bot's own HTTP server (SITREP_HTTP_PORT): public pages, the live calendar, /healthz.

aiohttp.web on the bot's event loop, started with the bot and stopped with it. Only GET and
HEAD are answered (405 otherwise); every response carries a Content-Security-Policy that
allows no script. Store reads run on one worker thread with a connection of its own, so a
slow query never holds up Telegram updates (SQLite connections belong to their thread).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from aiohttp import web

from handlers.calendar import talks_feed
from handlers.catalogue import text
from handlers.i18n import use_language
from handlers.web_views import (
    BadRequest,
    Site,
    WebPage,
    error_page,
    event_page,
    home_page,
    incidents_page,
    page_number,
    pick_language,
    talks_page,
)
from storage.events import EventStore
from storage.offload import StoreThread
from storage.public import delivery_health, store_check
from storage.timeparse import iso_utc

log = logging.getLogger("sitrep.web")
T = TypeVar("T")

SECURITY_HEADERS = {
    # No script at all, styles only from our own stylesheet, forms only to ourselves.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ALLOWED = ("GET", "HEAD")
HTML = "text/html"
CALENDAR = "text/calendar"


class StoreReader:
    """Runs reads off the event loop, on one thread with its own connection to the file
    (storage.offload.StoreThread). An in-memory store (tests, `sitrep chat` on ":memory:")
    has nothing to open twice, and is read on the loop with the bot's own connection.
    """

    def __init__(self, store: EventStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self._thread = StoreThread(
            store.db, lambda db: EventStore(db, clock=clock), name="sitrep-web"
        )
        self.path = self._thread.path or ""  # the file read; "" for a store in memory

    async def run(self, read: Callable[..., T], *args: Any, lang: str | None = None) -> T:
        """`read(store, *args)`, rendering in `lang` (handlers.i18n) when it renders."""

        def call(store: EventStore) -> T:
            if lang is None:
                return read(store, *args)
            with use_language(lang):
                return read(store, *args)

        return await self._thread.run(call)

    async def close(self) -> None:
        await self._thread.close()


@dataclass
class HealthSources:
    """What /healthz reports beyond the store: the last error the Bot API answered."""

    last_api_error: Callable[[], tuple[str, str] | None] = lambda: None


def health_report(store: EventStore, now: datetime) -> tuple[bool, dict[str, Any]]:
    """(healthy, report) from the store: its light check, events, and the outbox."""
    report: dict[str, Any] = {"time": iso_utc(now)}
    healthy = True
    try:
        report["events"] = store_check(store.db.conn)
        report["store"] = "ok"
        deliveries = delivery_health(store.db.conn, now)
    except sqlite3.Error as exc:
        report.update(store=f"error: {exc}", events=None, deliveries=None)
        return False, report
    age = None
    if deliveries.oldest_pending_at:
        oldest = datetime.strptime(deliveries.oldest_pending_at, "%Y-%m-%dT%H:%M:%SZ")
        age = max(0, int((now - oldest.replace(tzinfo=UTC)).total_seconds()))
    report["deliveries"] = {
        "pending": deliveries.pending,
        "oldest_pending_age_seconds": age,
        "last_sent_at": deliveries.last_sent_at,
        "stuck": deliveries.stuck,
    }
    report["last_delivery_error"] = deliveries.last_error
    if deliveries.stuck:
        healthy = False
    return healthy, report


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _not_modified(request: web.Request, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    match = request.headers.get("If-None-Match")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("If-Modified-Since")
    if since and last_modified is not None:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= when
    return False


def _respond(
    request: web.Request,
    body: bytes,
    *,
    status: int = 200,
    content_type: str = HTML,
    last_modified: datetime | None = None,
    cache: str = "no-cache",
) -> web.Response:
    """A response with its validators; 304 when the client's copy is current."""
    headers = {"Cache-Control": cache}
    if status == 200:
        etag = _etag(body)
        headers["ETag"] = etag
        if last_modified is not None:
            headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
        if _not_modified(request, etag, last_modified):
            return web.Response(status=304, headers=headers)
    return web.Response(
        status=status, body=body, content_type=content_type, charset="utf-8", headers=headers
    )


class WebServer:
    """The HTTP server; `await start(host, port)`, then `await stop()`."""

    def __init__(
        self,
        store: EventStore,
        *,
        zone: ZoneInfo,
        public_url: str = "",
        clock: Callable[[], datetime],
        sources: HealthSources | None = None,
        aliases: Mapping[int, str] | None = None,
    ) -> None:
        self.reader = StoreReader(store, clock)
        self.zone = zone
        self.public_url = public_url
        self.clock = clock
        self.sources = sources or HealthSources()
        self.aliases = dict(aliases or {})  # curators' public aliases (SITREP_ADMINS)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.host = ""
        self._css = resources.files("handlers").joinpath("templates/style.css").read_bytes()

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self._home)
        app.router.add_get("/talks", self._talks)
        app.router.add_get("/incidents", self._incidents)
        app.router.add_get("/event/{ref}", self._event)
        app.router.add_get("/calendar/talks.ics", self._feed)
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/style.css", self._style)
        app.on_response_prepare.append(_secure)
        return app

    async def start(self, host: str, port: int) -> int:
        """Serve on host:port (0: any free port); the port bound."""
        self.runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        self.host, self.port = host, int(self.runner.addresses[0][1])
        log.info("web: serving on http://%s:%d", host, self.port)
        return self.port

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
        await self.reader.close()

    # --- requests ----------------------------------------------------------------------

    def _lang(self, request: web.Request) -> str:
        return pick_language(request.query.get("lang"), request.headers.get("Accept-Language"))

    def _site(self) -> Site:
        return Site(self.zone, self.clock(), self.aliases)

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Only GET and HEAD; unknown paths and failures get a page, not a traceback."""
        lang = self._lang(request)
        if request.method not in ALLOWED:
            page = error_page(405, lang, text("web_method_not_allowed", lang))
            response = _respond(request, page.body.encode(), status=405)
            response.headers["Allow"] = ", ".join(ALLOWED)
            return response
        try:
            # Everything the handler renders outside the store's thread (a bad ?page= answer)
            # is in the page's language too.
            with use_language(lang):
                return await handler(request)
        except web.HTTPNotFound:
            page = error_page(404, lang, text("web_not_found", lang))
            return _respond(request, page.body.encode(), status=404)
        except BadRequest as exc:
            page = error_page(400, lang, str(exc))
            return _respond(request, page.body.encode(), status=400)
        except web.HTTPException:
            raise
        except Exception:
            log.exception("web: %s %s failed", request.method, request.path)
            page = error_page(500, lang, text("internal_error", lang))
            return _respond(request, page.body.encode(), status=500)

    def _page(self, request: web.Request, page: WebPage) -> web.Response:
        return _respond(request, page.body.encode(), status=page.status)

    async def _home(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        page = await self.reader.run(home_page, self._site(), lang, lang=lang)
        return self._page(request, page)

    async def _talks(self, request: web.Request) -> web.Response:
        lang, number = self._lang(request), page_number(request.query.get("page"))
        page = await self.reader.run(talks_page, self._site(), lang, number, lang=lang)
        return self._page(request, page)

    async def _incidents(self, request: web.Request) -> web.Response:
        lang, number = self._lang(request), page_number(request.query.get("page"))
        area, period = request.query.get("area", ""), request.query.get("period", "")
        page = await self.reader.run(
            incidents_page, self._site(), lang, number, area, period, lang=lang
        )
        return self._page(request, page)

    async def _event(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        ref = request.match_info["ref"]
        page = await self.reader.run(event_page, self._site(), lang, ref, lang=lang)
        return self._page(request, page)

    async def _feed(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        body, last_modified = await self.reader.run(talks_feed, lang, self.public_url, lang=lang)
        return _respond(request, body, content_type=CALENDAR, last_modified=last_modified)

    async def _style(self, request: web.Request) -> web.Response:
        return _respond(request, self._css, content_type="text/css", cache="max-age=3600")

    async def _health(self, request: web.Request) -> web.Response:
        healthy, report = await self.reader.run(health_report, self.clock())
        last = self.sources.last_api_error()
        report["last_bot_api_error"] = {"at": last[0], "error": last[1]} if last else None
        report["status"] = "ok" if healthy else "failing"
        response = web.json_response(report, status=200 if healthy else 503)
        response.headers["Cache-Control"] = "no-store"
        return response


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
