"""An aiohttp transport for python-telegram-bot, for sending alerts fast.

python-telegram-bot's default HTTPXRequest tops out around 600 sendMessage a second on a
2-core machine; aiohttp does several times that (see bench/results.md). BaseRequest is PTB's
documented seam for another client: PTB still encodes parameters, maps status codes to
exceptions and parses answers; only the wire changes. Long polling keeps PTB's default.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Short: a stuck send must not hold up shutdown past SIGTERM's 10 seconds; a timed-out alert
# is retried by the delivery engine.
DEFAULT_TIMEOUT = 5.0


class AiohttpRequest(BaseRequest):
    """One pooled aiohttp session; never logs URLs (they carry the token)."""

    def __init__(self, *, connections: int = 64, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.connections = connections
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

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
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

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
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.multipart_data.items():
                    form.add_field(name, value[1], filename=value[0], content_type=value[2])
                for name, text in request_data.json_parameters.items():
                    form.add_field(name, text)
                data = form
            else:
                data = request_data.json_parameters
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                timeout=aiohttp.ClientTimeout(total=float(timeout) + 1, sock_read=float(timeout)),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut("timed out talking to the Bot API") from exc
        except aiohttp.ClientError as exc:
            # The exception text can hold the URL, and the URL holds the token: drop it.
            raise NetworkError(f"aiohttp: {type(exc).__name__}") from None
