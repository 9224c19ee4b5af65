"""The state of a pretend Telegram Bot API, independent of how requests reach it.

Tests, ``sitrep chat`` and the benchmarks all need a Telegram that answers like the real one
(same JSON shapes, same error codes and descriptions, same limits) without the network.
``FakeTelegram.handle(method, params)`` is that Telegram; ``FakeRequest`` (in-process) and the
aiohttp server (over HTTP) are only transports in front of it.

Thread safety: a server thread may run ``handle`` while the test thread pushes updates and
reads what was sent, so every piece of shared state is guarded by one re-entrant lock, and
waiters are woken through ``_Signal``, which works across threads and event loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from standin.html import MAX_MESSAGE_LENGTH, HtmlError, parse_telegram_html, utf16_length
from standin.media import (
    MAX_CAPTION,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_RATIO,
    MAX_PHOTO_SIDES,
    NotAnImage,
    photo_sizes,
    png_size,
)

JSON = dict[str, Any]
Reply = tuple[int, JSON]

DEFAULT_USER_ID = 1001
# Telegram publishes no figure; a press answered later than this gets QUERY_TOO_OLD.
CALLBACK_ANSWER_WINDOW = 15.0
CALLBACK_TEXT_LIMIT = 200  # answerCallbackQuery: 0-200 characters
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_NOT_FOUND = "Bad Request: chat not found"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# Methods that deliver something to a chat: refused with 403 once the user blocked the bot.
_DELIVERING = {
    "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup",
    "sendChatAction", "pinChatMessage", "unpinChatMessage",
}  # fmt: skip
# Methods counted by flood control (with enforce_limits): whatever shows up in a chat.
_FLOOD_COUNTED = {
    "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup",
}  # fmt: skip
# Parameters that carry JSON objects; a transport may hand them over still encoded.
_JSON_PARAMS = {
    "reply_markup", "commands", "scope", "entities", "link_preview_options", "reply_parameters",
    "allowed_updates",
}  # fmt: skip
# A button must do something; text alone is a reply-keyboard button.
_BUTTON_ACTIONS = {
    "url", "callback_data", "web_app", "login_url", "copy_text", "callback_game", "pay",
    "switch_inline_query", "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
}  # fmt: skip
_ADMIN_RIGHTS = {
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages",
}  # fmt: skip
_GIFT_TYPES = {
    "unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
    "gifts_from_channels",
}  # fmt: skip
_TEXT_BUTTON = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
# A reply-keyboard button may ask for one of these (or nothing: a text button).
_KEYBOARD_REQUESTS = {
    "request_users", "request_chat", "request_contact", "request_location", "request_poll",
    "web_app",
}  # fmt: skip
_MARKUP_KINDS = ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply")
_BAD_MARKUP = "Bad Request: can't parse reply keyboard markup JSON object"
MAX_BUTTONS_PER_ROW, MAX_BUTTONS = 8, 100
MAX_PLACEHOLDER = 64
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")

_LOGGER = logging.getLogger(__name__)


class SimulatedTimeout(Exception):
    """Raised by ``handle`` for an injected timeout; each transport turns it into its own."""

    def __init__(self, method: str, delivered: bool) -> None:
        super().__init__(f"simulated timeout on {method}")
        self.method = method
        self.delivered = delivered


class _ApiError(Exception):
    """An error answer; raised inside a method so the code reads top to bottom."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class SentMessage:
    """One successful send or edit, as the bot asked for it (text with its markup)."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: JSON | None
    method: str  # sendMessage, sendDocument, sendPhoto (text: a caption), editMessageText, …
    at: float
    params: JSON
    photo: bytes | None = None  # sendPhoto: the uploaded file, as sent


@dataclass
class _Stored:
    """A message as Telegram keeps it: visible text and entities, not the markup."""

    chat: JSON
    message_id: int
    date: int
    sender: JSON
    text: str
    entities: list[JSON]
    reply_markup: JSON | None
    by_bot: bool
    raw_text: str = ""
    parse_mode: str | None = None
    edit_date: int | None = None
    document: JSON | None = None  # a sent file: text and entities are then its caption
    photo: list[JSON] | None = None  # a photo message: its sizes; `text` is the caption

    def to_json(self) -> JSON:
        message: JSON = {"message_id": self.message_id, "date": self.date, "chat": self.chat}
        message["from"] = self.sender
        if self.document is not None or self.photo is not None:
            if self.document is not None:
                message["document"] = self.document
            if self.photo is not None:
                message["photo"] = self.photo
            if self.text:
                message["caption"] = self.text
            if self.entities:
                message["caption_entities"] = self.entities
        else:
            message["text"] = self.text
        if self.entities and self.document is None and self.photo is None:
            message["entities"] = self.entities
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


@dataclass
class _Injected:
    """A failure queued by ``fail_next`` or ``timeout_next``."""

    method: str
    chat_id: int | None
    times: int
    error: _ApiError | None = None  # None: a timeout
    delivered: bool = False


class _Signal:
    """A condition variable whose waiters may be asyncio tasks on any loop, or threads.

    ``asyncio.Condition`` belongs to one event loop, but the fake is shared between a server
    thread and the test thread. Each asyncio waiter parks a future on its own loop, and
    ``notify_all`` resolves them through ``call_soon_threadsafe``; threads use a plain
    ``threading.Condition``. It shares the fake's lock, so there is one lock order.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._condition = threading.Condition(lock)
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def notify_all(self) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, []
            self._condition.notify_all()
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # a closed loop: its waiter is gone too
                loop.call_soon_threadsafe(_resolve, future)

    async def wait(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``ready()`` is true (checked after each notify) or the timeout passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:  # park before checking, so a notify in between is not lost
                self._waiters.append((loop, future))
            try:
                if ready():
                    return True
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                try:
                    async with asyncio.timeout(remaining):
                        await future
                except TimeoutError:
                    return ready()
            finally:
                with self._lock:
                    if (loop, future) in self._waiters:
                        self._waiters.remove((loop, future))

    def wait_blocking(self, ready: Callable[[], bool], timeout: float) -> bool:
        with self._condition:
            return self._condition.wait_for(ready, timeout)


class FloodLimiter:
    """Telegram's flood control, on the fake's clock (so tests can drive it).

    Telegram does not publish exact rules; these follow its FAQ and are what ``enforce_limits``
    applies to sends and edits alike (an edit shows up in the chat as much as a send does),
    and to answerCallbackQuery in the overall budget (it has no chat of its own):

    - all chats together: at most 30 sends in any sliding 1-second window, 1,000 for a send
      with ``allow_paid_broadcast``;
    - one private chat (positive id): a burst of 3, then 1 a second (a token bucket);
    - one group (negative id): at most 20 sends in any sliding 60-second window.

    A refused send is not counted. ``retry_after`` is whole seconds until the send would pass.
    """

    OVERALL, PAID_OVERALL, GROUP_PER_MINUTE, PRIVATE_BURST = 30, 1000, 20, 3

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._private: dict[int, tuple[float, float]] = {}  # chat -> (tokens, as of)

    def admit(self, chat_id: int | None, paid: bool = False) -> int | None:
        """Count the call and return None, or return retry_after without counting it.

        ``chat_id`` None: the overall budget only (answerCallbackQuery).
        """
        now = self.clock()
        overall = self.PAID_OVERALL if paid else self.OVERALL
        waits = [_window_wait(self._overall, overall, 1.0, now)]
        tokens = 0.0
        if chat_id is None:
            pass
        elif chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            waits.append(_window_wait(group, self.GROUP_PER_MINUTE, 60.0, now))
        else:
            tokens, as_of = self._private.get(chat_id, (float(self.PRIVATE_BURST), now))
            tokens = min(float(self.PRIVATE_BURST), tokens + (now - as_of))
            waits.append(0.0 if tokens >= 1 else 1 - tokens)
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait))
        self._overall.append(now)
        if chat_id is None:
            pass
        elif chat_id < 0:
            self._groups[chat_id].append(now)
        else:
            self._private[chat_id] = (tokens - 1, now)
        return None


def _window_wait(times: deque[float], limit: int, window: float, now: float) -> float:
    """Seconds until one more event fits ``limit`` per sliding ``window``; forgets old ones."""
    while times and times[0] <= now - window:
        times.popleft()
    if len(times) < limit:
        return 0.0
    return times[-limit] + window - now


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class FakeTelegram:
    """A pretend Telegram: answers Bot API methods, records what the bot sent, injects faults.

    With ``enforce_limits`` it answers 429 like Telegram's flood control (see ``FloodLimiter``),
    counting each call when it arrives. ``latency`` (a round trip, in seconds) puts Telegram at
    a distance: half of it before a call arrives, half before its answer is back, each half
    plus a random ``0..jitter`` (seeded), so sends arrive as unevenly spaced as over a network.

    As on Telegram, the bot can only reach chats it knows: a private chat once its user has
    written to the bot (``message_update``, ``start_bot``), a group once it is in it
    (``register_chat``, or a message from it). Any other chat is 400 "chat not found", and
    the private chat of a user seen only in a group is 403 "bot can't initiate conversation".
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        username: str = "sitrep_test_bot",
        enforce_limits: bool = False,
        clock: Callable[[], float] = time.monotonic,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.token = token
        self.latency = latency
        self.jitter = jitter
        self._random = random.Random(seed)
        self.username = username
        self.enforce_limits = enforce_limits
        self.clock = clock
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSON]] = []
        self.errors_returned: list[tuple[str, JSON, int, str]] = []
        self.listeners: list[Callable[[SentMessage], None]] = []
        self.rate_limited = 0
        self.admins: dict[int, set[int]] = {}
        self.owners: dict[int, int] = {}
        self.chats: dict[int, JSON] = {}
        self.users: dict[int, JSON] = {}
        self.callback_answers: list[JSON] = []
        self.deleted: list[tuple[int, int]] = []
        self.pinned: dict[int, list[int]] = {}  # chat -> pinned message ids, latest last
        self.commands: dict[str, list[JSON]] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self.next_update_id = 1
        self._updates: list[JSON] = []
        self._messages: dict[tuple[int, int], _Stored] = {}
        self._next_message_id: dict[int, int] = {}
        self._injected: list[_Injected] = []
        self._blocked: set[int] = set()
        self._open_callbacks: dict[str, float] = {}  # query id -> when it was pressed
        self._callback_ids = itertools.count(1)
        self._poll_epoch = 0
        self._released_epoch = 0
        self._lock = threading.RLock()
        self._sent_signal = _Signal(self._lock)
        self._update_signal = _Signal(self._lock)
        self._limiter = FloodLimiter(lambda: self.clock())  # follows a clock set later
        self._handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda _: self.bot_user(),
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda p: self.commands.get(_scope_key(p), []),
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "pinChatMessage": self._pin_chat_message,
            "unpinChatMessage": self._unpin_chat_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "sendChatAction": self._send_chat_action,
            "close": lambda _: True,
            "logOut": lambda _: True,
        }
        self._method_names = {name.lower(): name for name in [*self._handlers, "getUpdates"]}

    def _canonical(self, method: str) -> str:
        return self._method_names.get(method.lower(), method)

    # ----------------------------------------------------------------- the Bot API

    async def handle(self, method: str, params: JSON) -> Reply:
        """Answer one Bot API call: ``(HTTP status, JSON body)`` exactly as Telegram would,
        after the injected ``latency`` (none by default).

        Raises ``SimulatedTimeout`` for a timeout queued by ``timeout_next``.
        """
        if not (self.latency or self.jitter):
            return await self._answer(method, params)
        await asyncio.sleep(self._one_way())  # on its way to Telegram
        try:
            return await self._answer(method, params)
        finally:
            await asyncio.sleep(self._one_way())  # the answer on its way back

    def _one_way(self) -> float:
        return self.latency / 2 + self._random.uniform(0.0, self.jitter)

    async def _answer(self, method: str, params: JSON) -> Reply:
        name = self._method_names.get(method.lower())  # Telegram's method names ignore case
        params = _decode_json_params(params)
        with self._lock:
            self.calls.append((name or method, params))
            if name is None:
                return self._error_reply(method, params, _ApiError(404, "Not Found"))
            injected = self._take_injected(name, params)
        if injected is not None and injected.error is not None:
            with self._lock:
                return self._error_reply(name, params, injected.error)
        if injected is not None:
            if injected.delivered:
                await self._dispatch(name, params)
            raise SimulatedTimeout(name, injected.delivered)
        return await self._dispatch(name, params)

    async def _dispatch(self, name: str, params: JSON) -> Reply:
        announce: list[SentMessage] = []
        try:
            if name == "getUpdates":
                result: Any = await self._get_updates(params)  # waits: not under the lock
            else:
                with self._lock:
                    before = len(self.sent)
                    if name in _DELIVERING:
                        self._check_not_blocked(params)
                    result = self._handlers[name](params)
                    announce = self.sent[before:]
        except _ApiError as error:
            with self._lock:
                return self._error_reply(name, params, error)
        for message in announce:
            for listener in list(self.listeners):
                try:
                    listener(message)
                except Exception:  # a broken printer must not turn a delivery into a failure
                    _LOGGER.exception("listener failed on message %s", message.message_id)
        return 200, {"ok": True, "result": result}

    def _error_reply(self, method: str, params: JSON, error: _ApiError) -> Reply:
        body: JSON = {"ok": False, "error_code": error.code, "description": error.description}
        if error.parameters:
            body["parameters"] = error.parameters
        self.errors_returned.append((method, params, error.code, error.description))
        return error.code, body

    def bot_user(self) -> JSON:
        """The bot as getMe describes it."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Sitrep (test)",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        """Long polling: answer at once if updates are queued, else wait up to ``timeout``."""
        offset = _optional_int(params, "offset")
        limit = min(max(_optional_int(params, "limit") or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        with self._lock:
            if self.webhook_url:
                raise _ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first",
                )
            self._poll_epoch += 1  # a newer poll ends any older one, as on Telegram
            epoch = self._poll_epoch
            self._update_signal.notify_all()
            self._confirm(offset)
            batch = self._updates[:limit]
        if batch or timeout == 0:
            return batch

        def ready() -> bool:
            return bool(self._updates) or epoch != self._poll_epoch or self._released(epoch)

        await self._update_signal.wait(ready, timeout)
        with self._lock:
            if self._released(epoch):
                return []
            if epoch != self._poll_epoch:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            return self._updates[:limit]

    def _released(self, epoch: int) -> bool:
        return epoch <= self._released_epoch

    def _confirm(self, offset: int | None) -> None:
        """Forget updates the offset confirms; a negative offset keeps only the last ones."""
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = str(params.get("secret_token") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, 'Bad Request: parameter "commands" can\'t be parsed')
        if len(commands) > 100:
            raise _ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict):
                raise _ApiError(400, "Bad Request: can't parse BotCommand")
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_scope_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    def _admit(self, chat_id: int | None, paid: bool = False) -> None:
        """Flood control, with ``enforce_limits``: a 429 with retry_after, or nothing."""
        if not self.enforce_limits:
            return
        retry_after = self._limiter.admit(chat_id, paid)
        if retry_after is not None:
            self.rate_limited += 1
            raise _ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._known_chat(params, delivering=True)
        text, entities = _parse_text(params)
        markup = _reply_markup(params)
        self._admit(chat_id, bool(params.get("allow_paid_broadcast")))
        stored = _Stored(
            chat=self._chat(chat_id),
            message_id=self._allocate_message_id(chat_id),
            date=int(time.time()),
            sender=self.bot_user(),
            text=text,
            entities=entities,
            reply_markup=markup,
            by_bot=True,
            raw_text=str(params["text"]),
            parse_mode=params.get("parse_mode"),
        )
        self._messages[(chat_id, stored.message_id)] = stored
        self._record("sendMessage", chat_id, stored, params)
        return stored.to_json()

    def _caption(self, params: JSON) -> tuple[str, list[JSON]]:
        """An upload's caption, parsed like a message text, at most 1,024 characters."""
        if not params.get("caption"):
            return "", []
        caption, entities = _parse_text({**params, "text": params["caption"]})
        if utf16_length(caption) > MAX_CAPTION:
            raise _ApiError(400, "Bad Request: message caption is too long")
        return caption, entities

    def _store_upload(self, method: str, chat_id: int, params: JSON, **media: Any) -> JSON:
        """Check the caption and markup, admit the send, keep the message: one path per upload.

        `media` names the upload's part of the message: a `document`, or `photo` sizes built
        from the message id (a callable), and `photo_bytes` for the record.
        """
        caption, entities = self._caption(params)
        markup = _reply_markup(params)
        self._admit(chat_id, bool(params.get("allow_paid_broadcast")))
        message_id = self._allocate_message_id(chat_id)
        photo_bytes = media.pop("photo_bytes", None)
        built = {k: (v(message_id) if callable(v) else v) for k, v in media.items()}
        stored = _Stored(
            chat=self._chat(chat_id),
            message_id=message_id,
            date=int(time.time()),
            sender=self.bot_user(),
            text=caption,
            entities=entities,
            reply_markup=markup,
            by_bot=True,
            raw_text=str(params.get("caption") or ""),
            parse_mode=params.get("parse_mode"),
            **built,
        )
        self._messages[(chat_id, message_id)] = stored
        self._record(method, chat_id, stored, params, photo=photo_bytes)
        return stored.to_json()

    def _send_document(self, params: JSON) -> JSON:
        """A file upload (multipart): kept whole, its caption checked like a message."""
        chat_id = self._known_chat(params, delivering=True)
        document = params.get("document")
        if not isinstance(document, dict) or not isinstance(document.get("content"), bytes):
            raise _ApiError(400, "Bad Request: there is no document in the request")
        content: bytes = document["content"]

        def described(message_id: int) -> JSON:
            return {
                "file_id": f"doc-{chat_id}-{message_id}",
                "file_unique_id": f"u{chat_id}x{message_id}",
                "file_name": str(document.get("file_name") or "document"),
                "mime_type": str(document.get("content_type") or "application/octet-stream"),
                "file_size": len(content),
            }

        return self._store_upload("sendDocument", chat_id, params, document=described)

    def _send_photo(self, params: JSON) -> JSON:
        """An uploaded PNG with an optional caption (at most 1,024 characters once parsed)."""
        chat_id = self._known_chat(params, delivering=True)
        data, width, height = _uploaded_photo(params)
        return self._store_upload(
            "sendPhoto",
            chat_id,
            params,
            photo=lambda message_id: photo_sizes(
                f"{chat_id}-{message_id}", width, height, len(data)
            ),
            photo_bytes=data,
        )

    def _pin_chat_message(self, params: JSON) -> bool:
        chat_id = self._known_chat(params)
        message_id = _optional_int(params, "message_id")
        if message_id is None or (chat_id, message_id) not in self._messages:
            raise _ApiError(400, "Bad Request: message to pin not found")
        self._check_may_pin(chat_id)
        pins = self.pinned.setdefault(chat_id, [])
        if message_id in pins:
            pins.remove(message_id)
        pins.append(message_id)
        return True

    def _unpin_chat_message(self, params: JSON) -> bool:
        chat_id = self._known_chat(params)
        self._check_may_pin(chat_id)
        pins = self.pinned.get(chat_id, [])
        message_id = _optional_int(params, "message_id")
        if message_id is None:
            message_id = pins[-1] if pins else None
        if message_id is None or message_id not in pins:
            raise _ApiError(400, "Bad Request: message to unpin not found")
        pins.remove(message_id)
        return True

    def _check_may_pin(self, chat_id: int) -> None:
        """In a private chat anyone pins; elsewhere only an administrator (the bot included)."""
        if self._chat(chat_id)["type"] == "private":
            return
        if self.owners.get(chat_id) != self.bot_id and self.bot_id not in self.admins.get(
            chat_id, set()
        ):
            raise _ApiError(
                400, "Bad Request: not enough rights to manage pinned messages in the chat"
            )

    def _edit_message_text(self, params: JSON) -> JSON:
        chat_id, stored = self._message_to_edit(params)
        if stored.photo is not None:
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = _parse_text(params)
        # No reply_markup: Telegram removes the keyboard. Only an inline keyboard fits an edit.
        markup = _reply_markup(params, inline_only=True)
        if (text, entities, markup) == (stored.text, stored.entities, stored.reply_markup):
            raise _ApiError(400, NOT_MODIFIED)
        self._admit(chat_id)
        stored.text, stored.entities, stored.reply_markup = text, entities, markup
        stored.raw_text, stored.parse_mode = str(params["text"]), params.get("parse_mode")
        stored.edit_date = int(time.time())
        self._record("editMessageText", chat_id, stored, params)
        return stored.to_json()

    def _edit_message_reply_markup(self, params: JSON) -> JSON:
        chat_id, stored = self._message_to_edit(params)
        markup = _reply_markup(params, inline_only=True)
        if markup == stored.reply_markup:
            raise _ApiError(400, NOT_MODIFIED)
        self._admit(chat_id)
        stored.reply_markup = markup
        stored.edit_date = int(time.time())
        self._record("editMessageReplyMarkup", chat_id, stored, params)
        return stored.to_json()

    def _message_to_edit(self, params: JSON) -> tuple[int, _Stored]:
        if "inline_message_id" in params:
            raise _ApiError(400, "Bad Request: MESSAGE_ID_INVALID")  # inline mode: not faked
        chat_id = self._known_chat(params, delivering=True)
        stored = self._messages.get((chat_id, _optional_int(params, "message_id") or 0))
        if stored is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if not stored.by_bot:
            raise _ApiError(400, "Bad Request: message can't be edited")
        return chat_id, stored

    def _record(
        self, method: str, chat_id: int, stored: _Stored, params: JSON, photo: bytes | None = None
    ) -> None:
        self.sent.append(
            SentMessage(
                chat_id=chat_id,
                message_id=stored.message_id,
                text=stored.raw_text,
                parse_mode=stored.parse_mode,
                reply_markup=stored.reply_markup,
                method=method,
                at=self.clock(),
                params=params,
                photo=photo,
            )
        )
        self._sent_signal.notify_all()

    def _answer_callback_query(self, params: JSON) -> bool:
        """Once per press, within ``CALLBACK_ANSWER_WINDOW`` seconds, text of 0-200 chars."""
        query_id = str(params.get("callback_query_id", ""))
        pressed = self._open_callbacks.get(query_id)
        if pressed is None or self.clock() - pressed > CALLBACK_ANSWER_WINDOW:
            self._open_callbacks.pop(query_id, None)
            raise _ApiError(400, QUERY_TOO_OLD)
        if utf16_length(str(params.get("text") or "")) > CALLBACK_TEXT_LIMIT:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._admit(None)
        del self._open_callbacks[query_id]
        self.callback_answers.append(params)
        return True

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._known_chat(params)
        key = (chat_id, _optional_int(params, "message_id") or 0)
        if self._messages.pop(key, None) is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        self.deleted.append(key)
        return True

    def _get_chat(self, params: JSON) -> JSON:
        chat = dict(self._chat(self._known_chat(params)))
        chat.update(accent_color_id=0, max_reaction_count=11)
        chat["accepted_gift_types"] = dict.fromkeys(sorted(_GIFT_TYPES), False)
        return chat

    def _get_chat_member(self, params: JSON) -> JSON:
        chat_id = self._known_chat(params)
        user_id = _optional_int(params, "user_id")
        if user_id is None:
            raise _ApiError(400, "Bad Request: PARTICIPANT_ID_INVALID")
        return self._member(chat_id, user_id)

    def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat_id = self._known_chat(params)
        owner = self.owners.get(chat_id)
        ids = ([owner] if owner is not None else []) + sorted(self.admins.get(chat_id, set()))
        return [self._member(chat_id, user_id) for user_id in dict.fromkeys(ids)]

    def _member(self, chat_id: int, user_id: int) -> JSON:
        user = self.bot_user() if user_id == self.bot_id else self._user(user_id)
        if self.owners.get(chat_id) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in self.admins.get(chat_id, set()):
            member: JSON = {"status": "administrator", "user": user}
            member.update(can_be_edited=False, is_anonymous=False)
            member.update(dict.fromkeys(sorted(_ADMIN_RIGHTS), True))
            return member
        return {"status": "member", "user": user}

    def _send_chat_action(self, params: JSON) -> bool:
        self._known_chat(params, delivering=True)
        if not params.get("action"):
            raise _ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    # ------------------------------------------------------------- chats and users

    def _chat_id(self, params: JSON) -> int:
        value = params.get("chat_id")
        if value is None or value == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            return int(value)
        if isinstance(value, str) and value.startswith("@"):
            for chat_id, chat in self.chats.items():
                if chat.get("username", "").lower() == value[1:].lower():
                    return chat_id
        raise _ApiError(400, CHAT_NOT_FOUND)

    def _known_chat(self, params: JSON, *, delivering: bool = False) -> int:
        """The chat_id, if the bot may use it: 400 for a chat it does not know, and 403 for
        writing first to a user it has only seen elsewhere (in a group)."""
        chat_id = self._chat_id(params)
        if chat_id in self.chats:
            return chat_id
        if chat_id > 0 and chat_id in self.users:
            if delivering:
                raise _ApiError(403, CANT_INITIATE)
            return chat_id
        raise _ApiError(400, CHAT_NOT_FOUND)

    def _check_not_blocked(self, params: JSON) -> None:
        chat_id = _lenient_chat_id(params)
        if chat_id is None or chat_id not in self._blocked:
            return
        kind = self._chat(chat_id)["type"]
        if kind == "private":
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        raise _ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")

    def _chat(self, chat_id: int) -> JSON:
        """The chat as Telegram describes it; unknown ids get a plausible default (for building
        updates: methods first check the chat is known)."""
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Reader"}
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def _user(self, user_id: int) -> JSON:
        return self.users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "User"})

    def _allocate_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _take_injected(self, method: str, params: JSON) -> _Injected | None:
        chat_id = _lenient_chat_id(params)
        for injected in self._injected:
            if injected.method == method and injected.chat_id in (None, chat_id):
                injected.times -= 1
                if injected.times <= 0:
                    self._injected.remove(injected)
                return injected
        return None

    # ----------------------------------------------------------- driving the fake

    def register_chat(
        self, chat_id: int, type: str, title: str | None = None, *, username: str | None = None
    ) -> None:
        """The bot is in this chat (a group, a channel), or its user started the bot (private).

        Also declares the type and title (e.g. a "group", which a negative id alone is not).
        """
        chat: JSON = {"id": chat_id, "type": type}
        if type == "private":
            chat["first_name"] = title or "Reader"
        else:
            chat["title"] = title or f"Group {chat_id}"
        if username:
            chat["username"] = username
        with self._lock:
            self.chats[chat_id] = chat
            if type == "private" and chat_id not in self.users:
                self.users[chat_id] = {
                    "id": chat_id,
                    "is_bot": False,
                    "first_name": chat["first_name"],
                }

    def start_bot(self, *user_ids: int) -> None:
        """These users started the bot (pressed Start, wrote to it) at some time before: their
        private chats are open to it. For chats a test puts straight into the store."""
        for user_id in user_ids:
            if user_id not in self.chats:
                self.register_chat(user_id, "private")

    def message_update(
        self,
        text: str,
        *,
        chat_id: int = DEFAULT_USER_ID,
        user_id: int | None = None,
        chat_type: str | None = None,
        first_name: str = "Reader",
        username: str | None = None,
        chat_title: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """Build the Update Telegram sends when a user writes ``text`` (not queued: see push).

        ``chat_type`` defaults to the registered type, else private for positive ids and
        supergroup for negative ones. A leading ``/command[@bot]`` gets its bot_command entity.
        ``language_code`` is the IETF tag of the user's client language, as Telegram sends it.
        """
        with self._lock:
            kind = chat_type or self._chat(chat_id)["type"]
            if user_id is None:
                user_id = chat_id if kind == "private" else DEFAULT_USER_ID
            user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
            if username:
                user["username"] = username
            if language_code:
                user["language_code"] = language_code
            self.users[user_id] = user
            if kind == "private":
                self.chats[chat_id] = {"id": chat_id, "type": "private", "first_name": first_name}
                if username:
                    self.chats[chat_id]["username"] = username
            elif chat_id not in self.chats or chat_title or chat_type:
                self.register_chat(chat_id, kind, chat_title or self._chat(chat_id).get("title"))
            stored = _Stored(
                chat=self.chats[chat_id],
                message_id=self._allocate_message_id(chat_id),
                date=int(time.time()),
                sender=user,
                text=text,
                entities=[],
                reply_markup=None,
                by_bot=False,
            )
            command = _BOT_COMMAND.match(text)
            if command:
                length = utf16_length(command.group())
                stored.entities = [{"type": "bot_command", "offset": 0, "length": length}]
            self._messages[(chat_id, stored.message_id)] = stored
            return {"update_id": self._new_update_id(), "message": stored.to_json()}

    def callback_update(
        self,
        message: SentMessage,
        data: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        first_name: str = "Reader",
    ) -> JSON:
        """Build the Update for a press on a button of ``message`` carrying ``data``.

        ``data`` must be on one of the message's buttons, now or as ``message`` recorded it
        (a stale keyboard can still be pressed), which catches tests pressing nothing.
        """
        with self._lock:
            stored = self._messages.get((message.chat_id, message.message_id))
            markups = [message.reply_markup, stored.reply_markup if stored else None]
            if not any(data in _callback_data(markup) for markup in markups):
                raise ValueError(f"no button with callback_data {data!r} on that message")
            kind = chat_type or self._chat(message.chat_id)["type"]
            if user_id is None:
                user_id = message.chat_id if kind == "private" else DEFAULT_USER_ID
            user = self.users.get(user_id)
            if user is None:
                user = {"id": user_id, "is_bot": False, "first_name": first_name}
            if stored is not None:
                message_json = stored.to_json()
            else:  # deleted since: rebuild it from the record
                message_json = _Stored(
                    chat=self._chat(message.chat_id),
                    message_id=message.message_id,
                    date=int(time.time()),
                    sender=self.bot_user(),
                    text=message.text,
                    entities=[],
                    reply_markup=message.reply_markup,
                    by_bot=True,
                ).to_json()
            query_id = str(next(self._callback_ids))
            self._open_callbacks[query_id] = self.clock()
            query: JSON = {"id": query_id, "from": user, "message": message_json}
            query.update(chat_instance=str(message.chat_id), data=data)
            return {"update_id": self._new_update_id(), "callback_query": query}

    def _new_update_id(self) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        return update_id

    def push(self, update: JSON) -> None:
        """Queue an update for getUpdates and wake waiting long polls. Safe from any thread."""
        with self._lock:
            if "update_id" not in update:
                update = {"update_id": self._new_update_id(), **update}
            self.next_update_id = max(self.next_update_id, update["update_id"] + 1)
            self._updates.append(update)
            self._update_signal.notify_all()

    push_threadsafe = push  # push already takes the lock and wakes pollers on their own loop

    def release_long_polls(self) -> None:
        """Make every waiting getUpdates answer now with no updates (used on shutdown)."""
        with self._lock:
            self._released_epoch = self._poll_epoch
            self._update_signal.notify_all()

    # --------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        chat_id: int | None = None,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id`` only, if given) with
        this error instead of doing them."""
        parameters: JSON = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        error = _ApiError(error_code, description, parameters or None)
        with self._lock:
            self._injected.append(_Injected(self._canonical(method), chat_id, times, error))

    def timeout_next(
        self, method: str, chat_id: int | None = None, times: int = 1, *, delivered: bool = False
    ) -> None:
        """Make the transport time out on the next ``times`` calls of ``method``.

        With ``delivered=True`` the call takes effect first, as when Telegram got the message
        but the answer was lost: the case that makes a retry send a duplicate.
        """
        with self._lock:
            injected = _Injected(self._canonical(method), chat_id, times, None, delivered)
            self._injected.append(injected)

    def block(self, chat_id: int) -> None:
        """The user blocks the bot (or a group removes it): later sends there answer 403."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    # ------------------------------------------------------------ observing

    def snapshot_sent(self) -> list[SentMessage]:
        """A copy of ``sent``, safe to read while a server thread appends to it."""
        with self._lock:
            return list(self.sent)

    def messages_for(self, chat_id: int) -> list[SentMessage]:
        """Each message the bot has in ``chat_id`` now, latest version, oldest first."""
        with self._lock:
            latest: dict[int, SentMessage] = {}
            for message in self.sent:
                if message.chat_id == chat_id:
                    latest[message.message_id] = message
            return [m for m in latest.values() if (chat_id, m.message_id) not in self.deleted]

    async def wait_for(
        self, predicate: Callable[[list[SentMessage]], bool], timeout: float = 5.0
    ) -> bool:
        """Wait until ``predicate(sent)`` holds, re-checked on each send; False on timeout."""
        return await self._sent_signal.wait(lambda: predicate(self.snapshot_sent()), timeout)

    def wait_for_blocking(
        self, predicate: Callable[[list[SentMessage]], bool], timeout: float = 5.0
    ) -> bool:
        """``wait_for`` for a thread that is not running an event loop (subprocess tests)."""
        return self._sent_signal.wait_blocking(lambda: predicate(self.snapshot_sent()), timeout)


# ------------------------------------------------------------------- validation


def _parse_text(params: JSON) -> tuple[str, list[JSON]]:
    """Visible text and entities of a message, or the 400 Telegram answers instead."""
    raw = params.get("text")
    if raw is None or raw == "":
        raise _ApiError(400, "Bad Request: message text is empty")
    text = str(raw)
    mode = str(params.get("parse_mode") or "").lower()
    entities: list[JSON] = []
    if mode == "html":
        try:
            text, entities = parse_telegram_html(text)
        except HtmlError as exc:
            raise _ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    elif mode == "":
        given = params.get("entities")
        entities = given if isinstance(given, list) else []
    elif mode not in ("markdown", "markdownv2"):  # Markdown is stored as sent, unchecked
        raise _ApiError(400, f'Bad Request: unsupported parse_mode "{params["parse_mode"]}"')
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if utf16_length(text) > MAX_MESSAGE_LENGTH:
        raise _ApiError(400, "Bad Request: message is too long")
    return text, entities


def _uploaded_photo(params: JSON) -> tuple[bytes, int, int]:
    """The uploaded PNG's bytes and size, or the 400 Telegram answers instead.

    A file_id or URL (a string) would name a photo Telegram already has or fetches itself;
    the stand-in has none and fetches nothing.
    """
    photo = params.get("photo")
    if isinstance(photo, str) and photo:
        raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
    if not isinstance(photo, dict) or not isinstance(photo.get("content"), bytes | bytearray):
        raise _ApiError(400, "Bad Request: there is no photo in the request")
    data = bytes(photo["content"])
    if len(data) > MAX_PHOTO_BYTES:
        raise _ApiError(400, "Bad Request: file is too big")
    try:
        width, height = png_size(data)
    except NotAnImage:
        raise _ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED") from None
    if width + height > MAX_PHOTO_SIDES or max(width, height) > MAX_PHOTO_RATIO * min(
        width, height
    ):
        raise _ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return data, width, height


def _reply_markup(params: JSON, *, inline_only: bool = False) -> JSON | None:
    """The reply_markup of a call, checked as Telegram checks it, whatever its kind."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _ApiError(400, _BAD_MARKUP)
    kinds = [kind for kind in _MARKUP_KINDS if kind in markup]
    if len(kinds) != 1:
        raise _ApiError(400, _BAD_MARKUP)
    if inline_only and kinds != ["inline_keyboard"]:
        raise _ApiError(400, "Bad Request: inline keyboard expected")
    if kinds == ["inline_keyboard"]:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif kinds == ["keyboard"]:
        _check_reply_keyboard(markup)
    elif markup[kinds[0]] is not True:  # remove_keyboard / force_reply: exactly true
        raise _ApiError(400, f'Bad Request: field "{kinds[0]}" must be equal to True')
    _check_flags(markup, ("selective", "is_persistent", "resize_keyboard", "one_time_keyboard"))
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and (
        not isinstance(placeholder, str) or not 1 <= len(placeholder) <= MAX_PLACEHOLDER
    ):
        raise _ApiError(400, "Bad Request: input field placeholder must be 1-64 characters")
    return markup


def _rows(rows: Any, what: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _ApiError(400, f"Bad Request: can't parse {what}: not an array of arrays")
    if any(len(row) > MAX_BUTTONS_PER_ROW for row in rows):
        raise _ApiError(400, "Bad Request: too many buttons in a row")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise _ApiError(400, "Bad Request: too many buttons")
    return rows


def _check_inline_keyboard(rows: Any) -> None:
    for button in (button for row in _rows(rows, "inline keyboard") for button in row):
        if not isinstance(button, dict):
            raise _ApiError(400, "Bad Request: can't parse inline keyboard button: not an object")
        label = button.get("text")
        if not isinstance(label, str) or not label.strip():
            raise _ApiError(400, "Bad Request: can't parse inline keyboard button: Text is empty")
        actions = _BUTTON_ACTIONS & button.keys()
        if not actions:
            raise _ApiError(400, f"Bad Request: {_TEXT_BUTTON}")
        if len(actions) > 1:
            raise _ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
                raise _ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def _check_reply_keyboard(markup: JSON) -> None:
    rows = _rows(markup["keyboard"], "keyboard")
    if not any(rows):
        raise _ApiError(400, "Bad Request: keyboard must be non-empty")
    for button in (button for row in rows for button in row):
        label: Any = button  # a plain string is a text button
        if isinstance(button, dict):
            label = button.get("text")
            if len(_KEYBOARD_REQUESTS & button.keys()) > 1:
                raise _ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
            if _BUTTON_ACTIONS & button.keys() - _KEYBOARD_REQUESTS:
                raise _ApiError(400, "Bad Request: can't parse keyboard button: unexpected field")
        elif not isinstance(button, str):
            raise _ApiError(400, "Bad Request: can't parse keyboard button: not an object")
        if not isinstance(label, str) or not label.strip():
            raise _ApiError(400, "Bad Request: can't parse keyboard button: Text is empty")


def _check_flags(markup: JSON, names: tuple[str, ...]) -> None:
    for name in names:
        if name in markup and not isinstance(markup[name], bool):
            raise _ApiError(400, f'Bad Request: field "{name}" must be of type Boolean')


def _callback_data(markup: JSON | None) -> set[str]:
    rows = (markup or {}).get("inline_keyboard") or []
    return {str(b["callback_data"]) for row in rows for b in row if "callback_data" in b}


def _decode_json_params(params: JSON) -> JSON:
    """A copy of ``params`` with JSON-encoded objects (e.g. from a form body) decoded."""
    decoded = dict(params)
    for name in _JSON_PARAMS & decoded.keys():
        if isinstance(decoded[name], str):
            with contextlib.suppress(ValueError):  # else left as is: the method answers 400
                decoded[name] = json.loads(decoded[name])
    return decoded


def _optional_int(params: JSON, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _ApiError(400, f"Bad Request: wrong parameter {name} in request") from None


def _lenient_chat_id(params: JSON) -> int | None:
    """The numeric chat_id if there is one; for matching faults, never an error."""
    value = params.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def _scope_key(params: JSON) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)
