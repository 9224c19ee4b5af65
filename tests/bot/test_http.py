"""AiohttpRequest against a real HTTP server on 127.0.0.1 that drops keep-alive connections.

The server answers the first request on each connection and keeps the connection open (no
`Connection: close`), as a keep-alive server does; what it does with a later request on the
same connection is the test's choice. Closing the socket when that request arrives is the
moment a server's idle timeout crosses our reuse of the pooled connection, made exact.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http import AiohttpRequest

OK = json.dumps({"ok": True, "result": True}).encode()


@dataclass
class KeepAliveServer:
    """Counts every request it reads, by connection; `on_reuse` decides what a request on
    an already used connection gets: 'answer', 'close' (no byte back) or 'cut' (headers
    and half a body, then close)."""

    on_reuse: str = "close"
    on_fresh: str = "answer"
    requests: list[tuple[int, bytes]] = field(default_factory=list)  # (connection, body)
    heads: list[bytes] = field(default_factory=list)  # each request's head, in order
    connections: int = 0
    port: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        conn, served = self.connections, 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                self.requests.append((conn, body))
                self.heads.append(head)
                action = self.on_reuse if served else self.on_fresh
                served += 1
                if action == "close":
                    break
                if action == "cut":
                    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok": tr')
                    await writer.drain()
                    break
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(OK), OK))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[KeepAliveServer]:
    state = KeepAliveServer()
    listener = await asyncio.start_server(state.serve, "127.0.0.1", 0)
    state.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield state
        listener.close()


@pytest.fixture
async def client() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(connections=1)
    await request.initialize()
    yield request
    await request.shutdown()


def send(
    server: KeepAliveServer, text: str
) -> Callable[[AiohttpRequest], Awaitable[tuple[int, bytes]]]:
    async def go(client: AiohttpRequest) -> tuple[int, bytes]:
        params = [
            RequestParameter.from_input("chat_id", 5),
            RequestParameter.from_input("text", text),
        ]
        data = RequestData(params)
        url = f"http://127.0.0.1:{server.port}/bottest-token/sendMessage"
        return await client.do_request(url, "POST", data)

    return go


def texts(server: KeepAliveServer) -> list[str]:
    # A call without files travels as one JSON body.
    return [json.loads(body)["text"] for _, body in server.requests]


def content_type(head: bytes) -> str:
    for line in head.decode().split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            return value.strip()
    return ""


async def test_a_call_without_files_is_one_json_body_with_plain_values(
    server: KeepAliveServer, client: AiohttpRequest
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Next ›", callback_data="p:2")]])
    params = [
        RequestParameter.from_input("chat_id", -100123),
        RequestParameter.from_input("text", "Переговори <b>перенесено</b> & more"),
        RequestParameter.from_input("allow_paid_broadcast", True),
        RequestParameter.from_input("reply_markup", markup),
    ]
    url = f"http://127.0.0.1:{server.port}/bottest-token/sendMessage"
    assert await client.do_request(url, "POST", RequestData(params)) == (200, OK)
    assert content_type(server.heads[0]) == "application/json"
    # Numbers, booleans and objects as JSON values, not strings of JSON: as Telegram reads
    # a JSON body, and as the stand-in does.
    assert json.loads(server.requests[0][1]) == {
        "chat_id": -100123,
        "text": "Переговори <b>перенесено</b> & more",
        "allow_paid_broadcast": True,
        "reply_markup": {"inline_keyboard": [[{"text": "Next ›", "callback_data": "p:2"}]]},
    }


async def test_an_upload_stays_multipart(server: KeepAliveServer, client: AiohttpRequest) -> None:
    params = [
        RequestParameter.from_input("chat_id", 5),
        RequestParameter.from_input("photo", InputFile(b"\x89PNG-bytes", filename="chart.png")),
        RequestParameter.from_input("caption", "Talks by month"),
    ]
    url = f"http://127.0.0.1:{server.port}/bottest-token/sendPhoto"
    assert await client.do_request(url, "POST", RequestData(params)) == (200, OK)
    assert content_type(server.heads[0]).startswith("multipart/form-data; boundary=")
    body = server.requests[0][1]
    assert b'filename="chart.png"' in body and b"\x89PNG-bytes" in body
    assert b'name="caption"' in body and b"Talks by month" in body


async def test_a_send_on_a_connection_the_server_closed_goes_again_on_a_fresh_one(
    server: KeepAliveServer, client: AiohttpRequest
) -> None:
    assert await send(server, "first")(client) == (200, OK)
    # The pool holds the first connection; the server drops it as the second send arrives.
    assert await send(server, "second")(client) == (200, OK)
    assert texts(server) == ["first", "second", "second"]
    assert [conn for conn, _ in server.requests] == [1, 1, 2]
    assert client.reconnects == 1


async def test_the_retry_is_once_only(server: KeepAliveServer, client: AiohttpRequest) -> None:
    server.on_fresh = "close"  # every connection dies unanswered: the server is the problem
    with pytest.raises(NetworkError, match="ServerDisconnectedError"):
        await send(server, "lost")(client)
    assert texts(server) == ["lost", "lost"]


async def test_a_send_that_got_an_answer_is_never_repeated(
    server: KeepAliveServer, client: AiohttpRequest
) -> None:
    server.on_reuse = "cut"  # the status line and headers arrive, then the connection drops
    assert await send(server, "first")(client) == (200, OK)
    with pytest.raises(NetworkError):
        await send(server, "answered")(client)
    assert texts(server) == ["first", "answered"]
    assert client.reconnects == 0


async def test_the_pool_keeps_working_after_a_dead_connection(
    server: KeepAliveServer, client: AiohttpRequest
) -> None:
    server.on_reuse = "close"
    for n in range(4):
        assert await send(server, f"send {n}")(client) == (200, OK)
    # Every send arrived once answered; none was lost.
    assert set(texts(server)) == {f"send {n}" for n in range(4)}
