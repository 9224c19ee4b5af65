"""/add: a guided conversation for a new talks round, incident or statement, then a preview.

Kind (buttons or typed), title, when, where, then casualties (incidents) or speaker, quote and
channel (statements), then the source; the answer to each step is checked before the next
question. The result is a preview with Publish and Cancel like every other change: nothing is
written until Publish. /cancel leaves at any step; ten quiet minutes end it too.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import chats
from handlers import curation_view as view
from handlers.catalogue import text
from handlers.common import (
    DEPS_KEY,
    Deps,
    answer,
    command_args,
    deps,
    edit,
    ignored,
    offload,
    reader_today,
    reader_zone,
    reply,
    without_surrogates,
)
from handlers.curation import is_curator, proposals_of, requester
from handlers.curation_answers import (
    SKIP,
    read_casualties,
    read_when,
    read_where,
    when_problem,
)
from handlers.curation_parse import BadInput, parse_source
from handlers.render import esc
from storage.events import InvalidEvent
from storage.model import KINDS, MAX_TEXT
from storage.timeparse import TimeFormatError

KIND, TITLE, WHEN, WHERE, CASUALTIES, SPEAKER, QUOTE, CHANNEL, SOURCE = range(9)
TIMEOUT_SECONDS = 600
DRAFT_KEY = "curation_add"
TYPED_WHEN = "when_typed"  # the draft keeps the dates as typed until the zone is known
KIND_PREFIX = "cur|kind|"
FIRST_STATUS = {"talks": "scheduled", "incident": "reported", "statement": None}
# An answer to "the words?" that starts with this is reported speech, not a quotation.
REPORTED_MARK = "~"


class KindButtonHandler(BaseHandler[Update, ContextTypes.DEFAULT_TYPE, object]):
    """A press on one of /add's kind buttons (callback data cur|kind|KIND).

    Not a CallbackQueryHandler on purpose: this conversation is tracked per chat and user
    (per_message=False), because every other step is a typed answer; PTB warns about a
    CallbackQueryHandler in such a conversation, since it cannot tell one message's buttons
    from another's. That is fine here: any kind button of this chat answers the question.
    """

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update) or update.callback_query is None:
            return False
        return (update.callback_query.data or "").startswith(KIND_PREFIX)


def _draft(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    user_data = context.user_data
    assert user_data is not None
    draft: dict[str, Any] = user_data.setdefault(DRAFT_KEY, {})
    return draft


def _answer(update: Update) -> str:
    message = update.effective_message
    return " ".join(without_surrogates((message.text or "") if message else "").split())


async def _retry(update: Update, problem: str) -> None:
    await reply(update, text("cur_add_bad", problem=problem))


def _kind_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text(f"cur_add_button_{k}"), callback_data=KIND_PREFIX + k)
                for k in KINDS
            ]
        ]
    )


class FromCurator(filters.UpdateFilter):
    """Updates from a user in SITREP_ADMINS, read from the running bot's Deps when asked."""

    def __init__(self, bot_data: dict[Any, Any]):
        super().__init__(name="FromCurator")
        self.bot_data = bot_data

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        found = self.bot_data.get(DEPS_KEY)
        return user is not None and isinstance(found, Deps) and user.id in found.admins


async def add_refused(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add outside the conversation: from a reader (refused), or a curator in a group."""
    if not await is_curator(update, context, "/add"):
        return
    await reply(update, ignored("/add", command_args(context)) + text("cur_add_private"))


async def start_add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/add from a curator in a private chat: ask what kind of record."""
    user_data = context.user_data
    assert user_data is not None
    user_data[DRAFT_KEY] = {}
    note = ignored("/add", command_args(context))
    await reply(update, note + text("cur_add_kind"), _kind_keyboard())
    return KIND


async def _ask_title(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> int:
    _draft(context)["kind"] = kind
    await reply(update, text("cur_add_title", limit=MAX_TEXT["title"]))
    return TITLE


async def kind_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """A kind button: remember the kind, take the buttons away, ask for the title."""
    query = update.callback_query
    assert query is not None
    kind = (query.data or "").removeprefix(KIND_PREFIX)
    await answer(query)
    if kind not in KINDS:
        return None
    await edit(update, text("cur_add_kind_chosen", kind=text(f"cur_kind_{kind}")), None)
    return await _ask_title(update, context, kind)


async def kind_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The kind typed instead of pressed: talks, incident or statement."""
    word = _answer(update).lower().rstrip("s")
    kind = {"talk": "talks", "incident": "incident", "statement": "statement"}.get(word)
    if kind is None:
        await reply(update, text("cur_add_kind_again"), _kind_keyboard())
        return None
    return await _ask_title(update, context, kind)


def _text_answer(update: Update, field: str) -> str:
    answer = _answer(update)
    if not answer:
        raise BadInput(text("cur_add_empty"))
    if len(answer) > MAX_TEXT[field]:
        raise BadInput(
            text("cur_too_long", what=esc(field), length=len(answer), limit=MAX_TEXT[field])
        )
    return answer


async def got_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    try:
        _draft(context)["title"] = _text_answer(update, "title")
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    await reply(update, text("cur_add_when"))
    return WHEN


async def got_when(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The dates, checked now in the chat's zone; kept as typed, and read for good in the
    record's zone once the place is known (a local time means the venue's clock)."""
    typed = _answer(update)
    try:
        read_when(typed, reader_zone(update, context), deps(context).clock())
    except TimeFormatError as exc:
        await _retry(update, when_problem(exc))
        return None
    _draft(context)[TYPED_WHEN] = typed
    await reply(update, text("cur_add_where"))
    return WHERE


async def got_where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    try:
        where = read_where(_answer(update), str(reader_zone(update, context).key))
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    draft = _draft(context)
    try:
        start, end, precision = read_when(
            draft[TYPED_WHEN], ZoneInfo(where["timezone"]), deps(context).clock()
        )
    except TimeFormatError as exc:
        # Readable in the chat's zone, not in the place's (a time its clocks skip): ask again.
        await _retry(update, when_problem(exc))
        await reply(update, text("cur_add_when"))
        return WHEN
    draft.update(where, start=start, end=end, time_precision=precision)
    if draft["kind"] == "incident":
        await reply(update, text("cur_add_casualties"))
        return CASUALTIES
    if draft["kind"] == "statement":
        await reply(update, text("cur_add_speaker"))
        return SPEAKER
    await reply(update, text("cur_add_source"))
    return SOURCE


async def got_casualties(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    try:
        killed, injured = read_casualties(_answer(update))
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    _draft(context).update(killed=killed, injured=injured)
    await reply(update, text("cur_add_source"))
    return SOURCE


async def got_speaker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    try:
        _draft(context)["speaker"] = _text_answer(update, "speaker")
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    await reply(update, text("cur_add_quote", limit=MAX_TEXT["quote"]))
    return QUOTE


async def got_quote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The words as the source quotes them; after `~`, reported speech (a paraphrase)."""
    try:
        words = _text_answer(update, "quote")
        paraphrase = words.startswith(REPORTED_MARK)
        if paraphrase:
            words = words.removeprefix(REPORTED_MARK).strip()
            if not words:
                raise BadInput(text("cur_add_empty"))
        _draft(context)["paraphrase" if paraphrase else "quote"] = words
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    await reply(update, text("cur_add_channel"))
    return CHANNEL


async def got_channel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    answer = _answer(update)
    if len(answer) > MAX_TEXT["channel"]:
        await _retry(
            update,
            text("cur_too_long", what="channel", length=len(answer), limit=MAX_TEXT["channel"]),
        )
        return None
    _draft(context)["channel"] = "" if answer.lower() in SKIP else answer
    await reply(update, text("cur_add_source"))
    return SOURCE


async def got_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The source, then the preview with Publish and Cancel; the conversation ends here."""
    try:
        source = parse_source(_answer(update))
    except BadInput as exc:
        await _retry(update, str(exc))
        return None
    draft = _draft(context)
    zone_from = draft.get("zone_from")
    fields = {k: v for k, v in draft.items() if k not in (TYPED_WHEN, "zone_from")}
    record = {**fields, "status": FIRST_STATUS[draft["kind"]], "sources": [source]}
    try:
        who, reason = requester(update), text("cur_add_reason")
        pending = await offload(
            context,
            lambda d: proposals_of(d).propose_add(record, who, reason=reason, source=source),
        )
    except InvalidEvent as exc:
        await reply(update, view.problems(exc.errors))
        return _finish(context)
    zone, today = reader_zone(update, context), reader_today(update, context)
    await reply(update, view.add_preview(pending, zone, today, zone_from), view.keyboard(pending))
    return _finish(context)


def _finish(context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    return ConversationHandler.END


async def cancel_add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel inside /add: drop the draft."""
    await reply(update, ignored("/cancel", command_args(context)) + text("cur_add_cancelled"))
    return _finish(context)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker or photo mid-conversation: ask for text, stay at the same step."""
    await reply(update, text("cur_add_text_only"))


async def timed_out(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ten minutes without an answer: say so; the conversation then ends."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await reply(update, text("cur_add_timeout"))


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside /add."""
    note = ignored("/cancel", command_args(context))
    await reply(update, note + text("cur_nothing_to_cancel"))


def conversation(bot_data: dict[Any, Any]) -> ConversationHandler[ContextTypes.DEFAULT_TYPE]:
    """The /add conversation, per chat and user, with its buttons and typed answers.

    Only a curator's /add in a private chat (a group hides typed answers from bots) enters
    it; every other /add falls through to `add_refused`. Entering only when there is a
    conversation to have keeps the timeout machinery out of refusals.
    """
    typed = filters.TEXT & ~filters.COMMAND
    entry = FromCurator(bot_data) & filters.ChatType.PRIVATE
    return ConversationHandler(
        entry_points=[CommandHandler("add", start_add, filters=entry)],
        states={
            KIND: [KindButtonHandler(kind_pressed), MessageHandler(typed, kind_typed)],
            TITLE: [MessageHandler(typed, got_title)],
            WHEN: [MessageHandler(typed, got_when)],
            WHERE: [MessageHandler(typed, got_where)],
            CASUALTIES: [MessageHandler(typed, got_casualties)],
            SPEAKER: [MessageHandler(typed, got_speaker)],
            QUOTE: [MessageHandler(typed, got_quote)],
            CHANNEL: [MessageHandler(typed, got_channel)],
            SOURCE: [MessageHandler(typed, got_source)],
            # A timeout runs as a job, outside the update: its language is set the same way,
            # by the one function that sets every update's.
            ConversationHandler.TIMEOUT: [
                TypeHandler(Update, chats.choose_language),
                TypeHandler(Update, timed_out),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel_add),
            MessageHandler(~filters.COMMAND, not_text),
        ],
        allow_reentry=True,
        per_chat=True,
        per_user=True,
        per_message=False,
        conversation_timeout=TIMEOUT_SECONDS,
        name="curation_add",
    )
