"""An in-process transport from python-telegram-bot to a FakeTelegram: no sockets at all.

``telegram.request.BaseRequest`` is PTB's documented seam for another HTTP client; plugging the
fake in there means the bot under test runs PTB's real request pipeline (parameter encoding,
status-code to exception mapping, update parsing), and only the wire is missing.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from standin.telegram import FakeTelegram, SimulatedTimeout

_LOGGER = logging.getLogger(__name__)
_UNAUTHORIZED = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
_NOT_FOUND = b'{"ok": false, "error_code": 404, "description": "Not Found"}'


class FakeRequest(BaseRequest):
    """Answers PTB's requests from ``fake``; pass one to ``.request()`` and another to
    ``.get_updates_request()`` of ``ApplicationBuilder``."""

    def __init__(self, fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.fake = fake
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,  # no wire, so no timeouts to apply
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route ``.../bot<token>/<method>`` to the fake; answer 401 for a wrong token.

        ``request_data.parameters`` already holds plain JSON values (PTB has called
        ``to_dict()`` on Telegram objects such as reply_markup), so nothing is decoded here.
        """
        segments = urlsplit(url).path.rstrip("/").split("/")
        if len(segments) < 3 or not segments[-2].startswith("bot"):
            return 404, _NOT_FOUND
        api_method = segments[-1]
        if segments[-2].removeprefix("bot") != self.fake.token:
            _LOGGER.debug("%s refused: wrong token", api_method)  # never log the token itself
            return 401, _UNAUTHORIZED
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            # Uploads travel as multipart parts: handed over as {file_name, content_type, content}.
            for name, (file_name, content, content_type) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                params[name] = {
                    "file_name": file_name,
                    "content_type": content_type,
                    "content": data,
                }
        try:
            status, body = await self.fake.handle(api_method, params)
        except SimulatedTimeout as exc:
            raise TimedOut(f"Simulated timeout on {api_method}") from exc
        return status, json.dumps(body).encode()
