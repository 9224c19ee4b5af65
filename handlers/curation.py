"""Curators' commands: /reschedule, /status, /correct, /revert (previewed, then Publish), /history.

Only users in SITREP_ADMINS may change anything; /history is read-only and open to everyone,
like the history at the foot of /event. A change is never written by the command itself:
the command shows a preview with Publish and Cancel, and the write happens on Publish, by the
same curator, if the event has not changed since (see storage.pending).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Update, User
from telegram.ext import ContextTypes

from handlers import curation_view as view
from handlers.catalogue import text
from handlers.common import (
    Deps,
    answer,
    author_face,
    deps,
    edit,
    offload,
    reader_today,
    reader_zone,
    reply,
    without_surrogates,
)
from handlers.curation_answers import corrected_dates, read_edit_dates
from handlers.curation_parse import (
    CORRECTABLE,
    BadInput,
    Command,
    corrections,
    field_pairs,
    parse_command,
    shown,
)
from handlers.render import esc
from storage.claims import claim_with, split_scope
from storage.events import EventNotFound, InvalidEvent
from storage.model import CLAIM_STATUSES, STATUSES, Event
from storage.pending import NothingChanges, PendingChange, PendingChanges, Requester
from storage.schedule import RescheduleRequest
from storage.timeparse import typed_parts

log = logging.getLogger("sitrep.curation")
_PENDING_ID_DIGITS = 12


def author_of(user: User) -> str:
    """How a revision names its Telegram author: tg:<id>, with @username when there is one."""
    return f"tg:{user.id} @{user.username}" if user.username else f"tg:{user.id}"


def usage(key: str, **values: Any) -> str:
    """A command's usage, with how to give the reason and the source."""
    return f"{text(key, **values)}\n{text('cur_reason_hint')}"


def proposals_of(d: Deps) -> PendingChanges:
    """Previews over `d`'s connection (a worker's: proposing and publishing write)."""
    return PendingChanges(d.store, d.clock)


async def is_curator(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str) -> bool:
    """True for a curator; anyone else is refused politely, and the attempt is logged."""
    user = update.effective_user
    if user is not None and user.id in deps(context).admins:
        return True
    chat = update.effective_chat
    log.warning(
        "refused %s from user %s in chat %s: not a curator",
        what,
        user.id if user else "?",
        chat.id if chat else "?",
    )
    if update.callback_query is not None:
        await answer(update.callback_query, text("cur_press_refused"), alert=True)
    else:
        await reply(update, text("cur_refused"))
    return False


def raw_arguments(update: Update) -> str:
    """The command's text after its name, as typed (quotes and dashes intact)."""
    message = update.effective_message
    words = without_surrogates((message.text or "") if message else "").split(maxsplit=1)
    return words[1] if len(words) > 1 else ""


def requester(update: Update) -> Requester:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    assert user is not None and chat is not None
    typed = without_surrogates(message.text or "") if message else ""
    return Requester(author_of(user), chat.id, user.id, typed)


# Makes a preview, off the loop (it writes the pending change), with that thread's Deps.
Proposal = Callable[[Deps, Requester], tuple[PendingChange, Event]]


async def _preview(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ref: str, propose: Proposal
) -> None:
    """Make the proposal and show its preview, or say plainly why it cannot be made."""
    who = requester(update)
    try:
        pending, event = await offload(context, lambda d: propose(d, who))
    except EventNotFound:
        await reply(update, text("event_not_found", ref=shown(ref)))
        return
    except InvalidEvent as exc:
        await reply(update, view.problems(exc.errors))
        return
    except NothingChanges:
        await reply(update, text("cur_nothing", ref=shown(ref)))
        return
    except BadInput as exc:
        await reply(update, str(exc))
        return
    zone, today = reader_zone(update, context), reader_today(update, context)
    await reply(update, view.preview(pending, event, zone, today), view.keyboard(pending))


async def _curator_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, name: str
) -> Command | None:
    """A curator's parsed arguments; None once a refusal or a parse error has been answered."""
    if not await is_curator(update, context, name):
        return None
    try:
        return parse_command(raw_arguments(update))
    except BadInput as exc:
        await reply(update, str(exc))
        return None


async def reschedule_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reschedule N START [END] [STATUS] [— reason | source]: new dates for a talks round."""
    command = await _curator_command(update, context, "/reschedule")
    if command is None:
        return
    words = command.words
    status = None
    if len(words) >= 3 and words[-1].lower() in STATUSES["talks"]:
        status = words.pop().lower()
    # A day and its time of day are one date: `tomorrow 14:00 tomorrow 18:00` is two.
    dates = typed_parts(" ".join(words[1:]))
    if len(words) < 2 or len(dates) not in (1, 2):
        await reply(update, usage("cur_usage_reschedule"))
        return
    ref, chat_zone = words[0], reader_zone(update, context)
    typed = {"start": dates[0], "end": dates[1] if len(dates) == 2 else None}

    def propose(d: Deps, who: Requester) -> tuple[PendingChange, Event]:
        read = read_edit_dates(typed, d.store.get(ref), chat_zone, d.clock())
        request = RescheduleRequest(
            start=read.values["start"] or "",
            end=read.values["end"],
            status=status,
            reason=command.reason,
            source=command.source,
        )
        pending, event = proposals_of(d).propose_reschedule(ref, request, who)
        return read.noted(pending), event

    await _preview(update, context, ref, propose)


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status N STATUS [— reason | source]: scheduled, postponed, held, cancelled; reported..."""
    command = await _curator_command(update, context, "/status")
    if command is None:
        return
    if len(command.words) != 2:
        await reply(update, usage("cur_usage_status"))
        return
    ref, status = command.words[0], command.words[1].lower()
    await _preview(
        update,
        context,
        ref,
        lambda d, who: proposals_of(d).propose_update(
            "status",
            ref,
            {"status": status},
            who,
            reason=command.reason,
            source=command.source,
        ),
    )


async def correct_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/correct N field=value ... [— reason | source]: fix figures, places, texts, dates."""
    if not await is_curator(update, context, "/correct"):
        return
    try:
        command = parse_command(raw_arguments(update))
        if not command.words:
            raise BadInput(usage("cur_usage_correct", fields=esc(", ".join(CORRECTABLE))))
        ref = command.words[0]
        pairs = field_pairs(command.words[1:])
    except BadInput as exc:
        await reply(update, str(exc))
        return

    chat_zone = reader_zone(update, context)

    def propose(d: Deps, who: Requester) -> tuple[PendingChange, Event]:
        event = d.store.get(ref)
        changes = corrections(pairs, event)
        dates = corrected_dates(changes, event, chat_zone, d.clock())
        pending, event = proposals_of(d).propose_update(
            "correct", ref, changes, who, reason=command.reason, source=command.source
        )
        return (dates.noted(pending) if dates else pending), event

    await _preview(update, context, ref, propose)


async def revert_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/revert N SEQUENCE [— reason | source]: the content as at that revision, as a new one."""
    command = await _curator_command(update, context, "/revert")
    if command is None:
        return
    if len(command.words) != 2:
        await reply(update, usage("cur_usage_revert"))
        return
    ref, sequence_text = command.words[0], command.words[1].lstrip("#")
    if not (sequence_text.isascii() and sequence_text.isdigit() and len(sequence_text) < 10):
        await reply(update, text("cur_bad_sequence", value=shown(command.words[1])))
        return
    sequence = int(sequence_text)
    try:
        event = deps(context).store.get(ref)
    except EventNotFound:
        await reply(update, text("event_not_found", ref=shown(ref)))
        return
    if not any(r.sequence == sequence for r in deps(context).store.revisions(event["id"])):
        await reply(update, text("cur_no_revision", number=event["number"], sequence=sequence))
        return
    reason = command.reason or text("cur_revert_reason", sequence=sequence)
    await _preview(
        update,
        context,
        ref,
        lambda d, who: proposals_of(d).propose_revert(
            event["id"], sequence, who, reason=reason, source=command.source
        ),
    )


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history N: every revision of a record, who, when, old -> new and why (for everyone)."""
    words = raw_arguments(update).split()
    if len(words) != 1:
        await reply(update, text("cur_usage_history"))
        return
    store = deps(context).store
    try:
        event = store.get(words[0][:100])
    except EventNotFound:
        await reply(update, text("event_not_found", ref=shown(words[0])))
        return
    face = author_face(update, context)
    zone, today = reader_zone(update, context), reader_today(update, context)
    history = view.history(event, store.revisions(event["id"]), zone, today, author=face)
    await reply(update, history)


async def claim_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/claim N STATUS [scope=PLACES] [— reason | source]: a claim's status, with its source."""
    command = await _curator_command(update, context, "/claim")
    if command is None:
        return
    words = command.words
    scope: list[str] | None = None
    if words and words[-1].lower().startswith("scope="):
        scope = split_scope(words.pop().partition("=")[2])
    if len(words) != 2:
        await reply(update, usage("cur_usage_claim"))
        return
    ref, status = words[0], words[1].lower()
    if status not in CLAIM_STATUSES:
        await reply(update, text("cur_bad_claim_status", status=shown(words[1])))
        return

    def propose(d: Deps, who: Requester) -> tuple[PendingChange, Event]:
        event = d.store.get(ref)
        if event["kind"] != "statement":
            raise BadInput(text("cur_claim_not_statement", number=event["number"]))
        if not scope and not event.get("claim"):
            raise BadInput(text("cur_claim_needs_scope", number=event["number"]))
        claim = claim_with(event, status, scope=scope, reason=command.reason, source=command.source)
        return proposals_of(d).propose_update(
            "claim", ref, {"claim": claim}, who, reason=command.reason, source=command.source
        )

    await _preview(update, context, ref, propose)


def _decision(data: str) -> tuple[str, int] | None:
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != "cur" or parts[1] not in ("pub", "cancel"):
        return None
    if not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) <= _PENDING_ID_DIGITS):
        return None
    return parts[1], int(parts[2])


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Publish or Cancel on a preview: only by the curator who made it, only once."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    decision = _decision(query.data or "")
    if decision is None:
        await answer(query, text("button_expired"))
        return
    action, pending_id = decision
    if not await is_curator(update, context, f"{action} of preview {pending_id}"):
        return
    if action == "cancel":
        outcome = await offload(context, lambda d: proposals_of(d).cancel(pending_id, user.id))
    else:
        try:
            outcome = await offload(context, lambda d: proposals_of(d).publish(pending_id, user.id))
        except InvalidEvent as exc:
            await answer(query, text("cur_not_published"))
            await reply(update, view.problems(exc.errors))
            return
    kind = outcome.outcome
    if kind == "not_yours":
        log.warning(
            "user %d pressed %s on preview %d of another curator", user.id, action, pending_id
        )
        await answer(query, text("cur_not_yours"), alert=True)
    elif kind == "published" and outcome.event is not None:
        deps(context).wake_delivery()  # the alert is in the outbox: send it now
        await answer(query, text("cur_published_toast"))
        await edit(update, view.published(outcome.event, outcome.revision), None)
    elif kind == "cancelled":
        await answer(query, text("cur_cancelled_toast"))
        await edit(update, text("cur_cancelled"), None)
    elif kind == "stale" and outcome.pending is not None and outcome.event is not None:
        await answer(query, text("cur_not_published"))
        markup = view.stale(outcome.pending, outcome.current_sequence, outcome.event["number"])
        await edit(update, markup, None)
    elif kind == "already_published" and outcome.pending is not None:
        await answer(query, text("cur_already_published", sequence=outcome.pending.result_sequence))
    elif kind in ("expired", "gone"):
        await answer(query, text("cur_not_published"))
        await edit(update, text(f"cur_{kind}"), None)
    elif kind in ("already_cancelled", "already_expired"):
        await answer(query, text(f"cur_{kind}"))
    else:
        await answer(query, text("button_expired"))
