"""An aiohttp transport for python-telegram-bot, for sending alerts fast.

python-telegram-bot's default HTTPXRequest tops out around 600 sendMessage a second on a
2-core machine; aiohttp does several times that (see bench/results.md). BaseRequest is PTB's
documented seam for another client: PTB still encodes parameters, maps status codes to
exceptions and parses answers; only the wire changes. Long polling keeps PTB's default.

A call without files travels as one JSON body (`application/json`, which the Bot API takes
like a form): aiohttp's form path built a multipart writer (a uuid4 boundary) and
url-encoded every value on each send, about a third of the client's CPU per send at a
thousand a second. Uploads (/chart's photos, /calendar's documents) stay multipart.

A pooled keep-alive connection can be dead when it is taken: the server closed it while it
sat idle (longer than the server's keep-alive, as when the loop was busy), and the close
crosses our request on the wire. aiohttp retries that only for idempotent methods, and every
Bot API call is a POST, so a send was lost as NetworkError. Such a send is tried once more,
on a fresh connection, but only when the failure came before any answer: once a status line
and headers arrived, Telegram has acted on the request and it is never repeated.
"""

from __future__ import annotations

import errno
import functools
import json
import logging

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
# Short: a stuck send must not hold up shutdown past SIGTERM's 10 seconds; a timed-out alert
# is retried by the delivery engine.
DEFAULT_TIMEOUT = 5.0
# What a connection the server already closed looks like when it is reused.
_DEAD_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


def dead_connection(exc: BaseException) -> bool:
    """Whether a failure before the answer means the pooled connection was already closed
    (not that the server is unreachable: a refused connect is the caller's to retry)."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return False  # no connection was made: nothing was sent on a stale one
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientConnectionResetError):
        return True
    return isinstance(exc, aiohttp.ClientOSError) and exc.errno in _DEAD_ERRNOS


class AiohttpRequest(BaseRequest):
    """One pooled aiohttp session; never logs URLs (they carry the token).

    A connection carries one request at a time: the pool is as large as the paid broadcast's
    sends in flight (bot.delivery.PAID_IN_FLIGHT), or the pool, not the engine, caps its rate.
    """

    def __init__(self, *, connections: int = 256, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.connections = connections
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        # For the one retry after a dead pooled connection: never reuses a connection, so
        # the retry cannot meet another stale one from the same idle pool.
        self._fresh: aiohttp.ClientSession | None = None
        self.reconnects = 0  # sends saved by that retry (for tests and figures)

    @property
    def read_timeout(self) -> float | None:
        return self.timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.timeout),
            )

    async def shutdown(self) -> None:
        for session in (self._session, self._fresh):
            if session is not None and not session.closed:
                await session.close()
        self._session = self._fresh = None

    def _fresh_session(self) -> aiohttp.ClientSession:
        if self._fresh is None or self._fresh.closed:
            self._fresh = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(force_close=True, ttl_dns_cache=300),
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.timeout),
            )
        return self._fresh

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        timeout = read_timeout if isinstance(read_timeout, int | float) else self.timeout
        limits = _limits(float(timeout))
        session = self._session
        while True:
            try:
                # A body is consumed by sending it: each try builds its own.
                response = await session.request(
                    method, url, data=_body(request_data), timeout=limits
                )
            except TimeoutError as exc:
                raise TimedOut("timed out talking to the Bot API") from exc
            except aiohttp.ClientError as exc:
                if session is self._session and dead_connection(exc):
                    # Nothing of an answer came back: the request is sent again, once.
                    log.info(
                        "pooled connection was closed (%s): sending again on a fresh one",
                        type(exc).__name__,
                    )
                    self.reconnects += 1
                    session = self._fresh_session()
                    continue
                raise _network_error(exc) from None
            break
        # From here an answer has begun: whatever fails now is never sent again.
        try:
            async with response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut("timed out talking to the Bot API") from exc
        except aiohttp.ClientError as exc:
            raise _network_error(exc) from None


@functools.cache
def _limits(timeout: float) -> aiohttp.ClientTimeout:
    """One (immutable) ClientTimeout per read timeout in use, not one per send."""
    return aiohttp.ClientTimeout(total=timeout + 1, sock_read=timeout)


def _body(request_data: RequestData | None) -> aiohttp.FormData | aiohttp.BytesPayload | None:
    if request_data is None:
        return None
    if not request_data.contains_files:
        # `parameters` are plain JSON values (PTB has already turned Telegram objects into
        # dicts and dates into timestamps): one dumps, no per-value encoding.
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        return aiohttp.BytesPayload(body, content_type="application/json")
    form = aiohttp.FormData()
    for name, value in request_data.multipart_data.items():
        form.add_field(name, value[1], filename=value[0], content_type=value[2])
    for name, text in request_data.json_parameters.items():
        form.add_field(name, text)
    return form


def _network_error(exc: aiohttp.ClientError) -> NetworkError:
    # The exception text can hold the URL, and the URL holds the token: drop it.
    return NetworkError(f"aiohttp: {type(exc).__name__}")
