"""A trivial Bot API server for throughput benchmarks: every call gets a canned answer at once.

Raw asyncio HTTP/1.1 with keep-alive, no routing beyond getMe, no parsing of the body: as
cheap per request as a Python server gets, so that the client under test is the bottleneck.
It runs in its own process, on 127.0.0.1 only:

    python -m bench.canned            # prints "PORT <n>" on stdout, serves until stdin closes
"""

from __future__ import annotations

import asyncio
import json
import sys

GET_ME = json.dumps(
    {
        "ok": True,
        "result": {
            "id": 123456,
            "is_bot": True,
            "first_name": "Canned",
            "username": "canned_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        },
    }
).encode()
MESSAGE = json.dumps(
    {
        "ok": True,
        "result": {
            "message_id": 1,
            "date": 1767225600,
            "chat": {"id": 1, "type": "private"},
            "from": {"id": 123456, "is_bot": True, "first_name": "Canned"},
            "text": "ok",
        },
    }
).encode()
TRUE = b'{"ok": true, "result": true}'


def _response(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


ANSWERS = {b"getMe": _response(GET_ME), b"sendMessage": _response(MESSAGE)}
DEFAULT = _response(TRUE)


class CannedHttp(asyncio.Protocol):
    """Reads requests framed by Content-Length; answers each by its method name."""

    served = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            del self.buffer[: end + 4 + length]
            path = head.split(b" ", 2)[1].split(b"?", 1)[0]
            method = path.rsplit(b"/", 1)[-1]
            CannedHttp.served += 1
            self.transport.write(ANSWERS.get(method, DEFAULT))


async def serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(CannedHttp, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    # Serve until the parent closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()
    print(f"SERVED {CannedHttp.served}", flush=True)


if __name__ == "__main__":
    asyncio.run(serve())
