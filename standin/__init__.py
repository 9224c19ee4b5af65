"""A stand-in for the Telegram Bot API, for tests, ``sitrep chat`` and benchmarks.

``FakeTelegram`` holds the state and answers methods as Telegram would; ``FakeRequest`` plugs
it into python-telegram-bot in-process, ``start_server``/``ServerThread`` serve it over HTTP
on 127.0.0.1. Nothing here touches the network beyond the loopback address.
"""

from standin.html import check_telegram_html, visible_length
from standin.request import FakeRequest
from standin.server import ServerThread, start_server
from standin.telegram import FakeTelegram, SentMessage

__all__ = [
    "FakeRequest",
    "FakeTelegram",
    "SentMessage",
    "ServerThread",
    "check_telegram_html",
    "start_server",
    "visible_length",
]
