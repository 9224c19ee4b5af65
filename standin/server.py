"""The FakeTelegram over real HTTP on 127.0.0.1, for PTB's own HTTPXRequest and other processes.

``FakeRequest`` skips the wire; this server keeps it, so a test can run the bot exactly as in
production (``base_url`` pointed here), ``sitrep run`` can be started as a subprocess against
it, and benchmarks measure a real HTTP client. It binds the loopback address only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from typing import Any

from aiohttp import web

from standin.telegram import JSON, FakeTelegram, SimulatedTimeout

LOOPBACK = "127.0.0.1"
# How long an injected timeout holds the request before giving up on the client's own timeout.
TIMEOUT_HOLD_SECONDS = 60.0
_FAKE = web.AppKey("fake", FakeTelegram)
# Form fields that are plain strings; any other field may carry JSON (numbers, booleans,
# objects), because PTB sends non-string values JSON-encoded in form bodies.
_STRING_PARAMS = {
    "text", "parse_mode", "callback_query_id", "url", "action", "language_code",
    "inline_message_id", "secret_token", "ip_address", "business_connection_id",
    "message_effect_id", "description", "short_description", "name", "caption",
}  # fmt: skip


def build_app(fake: FakeTelegram) -> web.Application:
    """The aiohttp application: ``/bot<token>/<method>`` with GET or POST."""
    app = web.Application()
    app[_FAKE] = fake
    app.router.add_route("*", "/bot{token}/{method}", _handle)

    async def release_polls(_: web.Application) -> None:
        fake.release_long_polls()  # else shutdown waits for every open long poll

    app.on_shutdown.append(release_polls)
    return app


async def start_server(
    fake: FakeTelegram, host: str = LOOPBACK, port: int = 0
) -> tuple[web.AppRunner, str]:
    """Serve ``fake`` on ``host:port`` (0: any free port); return the runner and the base URL
    for ``ApplicationBuilder().base_url(...)``. Stop with ``await runner.cleanup()``."""
    if host != LOOPBACK:
        raise ValueError(f"the fake Bot API only listens on {LOOPBACK}, not {host!r}")
    # No access log: request paths carry the token. Cancel a handler when its client leaves,
    # so an abandoned long poll does not linger.
    runner = web.AppRunner(
        build_app(fake), access_log=None, handler_cancellation=True, shutdown_timeout=1.0
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = runner.addresses[0][1]
    return runner, f"http://{host}:{bound_port}/bot"


async def _handle(request: web.Request) -> web.StreamResponse:
    fake = request.app[_FAKE]
    if request.match_info["token"] != fake.token:
        return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    try:
        params = await _read_params(request)
    except ValueError as exc:
        return _json(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
    try:
        status, body = await fake.handle(request.match_info["method"], params)
    except SimulatedTimeout:
        # Answer nothing: the client's read timeout fires, as with a lost response.
        await asyncio.sleep(TIMEOUT_HOLD_SECONDS)
        raise web.HTTPGatewayTimeout() from None
    return _json(status, body)


def _json(status: int, body: JSON) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


async def _read_params(request: web.Request) -> JSON:
    """Parameters from the query string and a JSON, url-encoded or multipart body."""
    params: JSON = {name: _form_value(name, value) for name, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ValueError("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise ValueError("can't parse JSON object")
        params.update(body)
        return params
    form = await request.post()  # url-encoded and multipart alike
    for name, value in form.items():
        if isinstance(value, web.FileField):
            params[name] = {
                "file_name": value.filename,
                "content_type": value.content_type,
                "content": value.file.read(),
            }
        else:
            params[name] = _form_value(name, str(value))
    return params


def _form_value(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id "@channel"


class ServerThread:
    """The server on its own event loop in a background thread.

    For tests that drive a bot in another process (``sitrep run``) or from synchronous code:
    ``url = server.start()``, then push updates with ``fake.push_threadsafe`` and read
    ``fake.snapshot_sent()`` / ``fake.wait_for_blocking``; ``server.stop()`` at the end.
    """

    def __init__(self, fake: FakeTelegram, port: int = 0) -> None:
        self.fake = fake
        self.port = port
        self.url: str | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 10.0) -> str:
        """Start serving; return the base URL once the socket is listening."""
        if self._thread is not None:
            raise RuntimeError("ServerThread already started")
        self._thread = threading.Thread(target=self._run, name="fake-telegram", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the fake Bot API server did not start")
        if self._error is not None:
            raise RuntimeError("the fake Bot API server failed to start") from self._error
        assert self.url is not None
        return self.url

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        try:
            self._runner, self.url = loop.run_until_complete(
                start_server(self.fake, port=self.port)
            )
        except BaseException as exc:  # reported to start() in the other thread
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and join the thread."""
        if self._thread is None or self.loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has already finished
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
