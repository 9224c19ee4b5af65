"""Curators in chat: every change previewed first, written only on the curator's own Publish."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram.ext import ConversationHandler

import handlers
from handlers.common import DEPS_KEY, Deps
from handlers.limits import LIMITER_KEY, FloodGate
from standin import SentMessage
from storage.events import EventStore
from storage.exchange import dump_json, export_events
from tests.conftest import Clock
from tests.e2e.harness import (
    ADMIN,
    Harness,
    assert_valid_telegram_messages,
    buttons,
    make_harness,
)
from tests.e2e.test_alerts import drain, subscribe

ABU_DHABI = "abu-dhabi-trilateral-2026-02"
DTEK = "dtek-bus-strike-dnipro-2026"
OTHER_CURATOR = 5555
READER = 1001
MOVE = (
    "/reschedule 3 2026-02-06 2026-02-07 — Delegations asked for more time "
    "| Office of the President of Ukraine https://www.president.gov.ua/"
)


def snapshot(bot: Harness) -> str:
    """Every record with its revisions: what an unpublished change must leave alone."""
    return dump_json(export_events(bot.store))


def pending_rows(bot: Harness) -> list[tuple[int, str]]:
    return bot.store.db.conn.execute("SELECT id, state FROM pending_changes ORDER BY id").fetchall()


async def curator(bot: Harness, command: str, user_id: int = ADMIN) -> list[SentMessage]:
    """A command from a curator in their private chat with the bot."""
    return await bot.say(command, chat_id=user_id, user_id=user_id)


async def preview(bot: Harness, command: str, user_id: int = ADMIN) -> SentMessage:
    sent = await curator(bot, command, user_id)
    assert sent, command
    last = sent[-1]
    assert "Preview" in sent[0].text, sent[0].text
    assert [label for label, _ in buttons(last)] == ["✅ Publish", "✖ Cancel"]
    return last


def publish_data(message: SentMessage) -> str:
    return next(data for _, data in buttons(message) if data.startswith("cur|pub|"))


def cancel_data(message: SentMessage) -> str:
    return next(data for _, data in buttons(message) if data.startswith("cur|cancel|"))


def last_answer(bot: Harness) -> str:
    return str(bot.fake.callback_answers[-1].get("text", ""))


@pytest.fixture
def wakes(bot: Harness) -> list[int]:
    """Records each wake of the delivery engine (no engine runs in these tests)."""
    calls: list[int] = []
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    deps.wake_delivery = lambda: calls.append(1)
    return calls


@pytest.fixture
async def jobs(bot: Harness) -> AsyncIterator[None]:
    """A running JobQueue: /add's ten-minute timeout is one of its jobs."""
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield
    await queue.stop(wait=False)


def test_curator_commands_stay_out_of_the_public_menu() -> None:
    public = {c.command for c in handlers.bot_commands("en")}
    assert not public & {"reschedule", "status", "correct", "revert", "add", "history", "claim"}


async def test_reader_cannot_reschedule(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    before = snapshot(bot)
    with caplog.at_level(logging.WARNING, logger="sitrep.curation"):
        answer = await bot.reply_to(MOVE, chat_id=READER)
    assert "only sitrep's curators" in answer
    assert "Preview" not in answer
    assert snapshot(bot) == before
    assert pending_rows(bot) == []
    assert any("user 1001" in r.getMessage() for r in caplog.records)


async def test_reschedule_is_written_only_on_publish_and_alerts_at_once(
    bot: Harness, wakes: list[int]
) -> None:
    await subscribe(bot, READER, "talks")
    before = snapshot(bot)
    shown = await preview(bot, MOVE)
    assert "start: 2026-02-04 → 2026-02-06" in shown.text
    assert "end: 2026-02-05 → 2026-02-07" in shown.text
    assert "Delegations asked for more time" in shown.text
    assert len(publish_data(shown).encode()) < 64
    # A preview is not a change: the store, /talks and the subscribers see nothing yet.
    assert snapshot(bot) == before
    assert "Wed 4 – Thu 5 Feb" in await bot.reply_to("/talks", chat_id=READER)
    sent_before = len(bot.fake.sent)
    await drain(bot)
    assert len(bot.fake.sent) == sent_before

    [edited] = await bot.press(shown, publish_data(shown))
    assert "Published</b> as revision 2 of #3" in edited.text
    assert buttons(edited) == []
    assert wakes == [1]
    assert "Fri 6 – Sat 7 Feb" in await bot.reply_to("/talks", chat_id=READER)
    revision = bot.store.revisions(ABU_DHABI)[-1]
    assert (revision.sequence, revision.author) == (2, f"tg:{ADMIN}")
    assert revision.source == {
        "name": "Office of the President of Ukraine",
        "url": "https://www.president.gov.ua/",
    }

    before_alerts = len(bot.fake.sent)
    await drain(bot)
    [alert] = bot.fake.sent[before_alerts:]
    assert alert.chat_id == READER
    assert "was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in alert.text
    assert "Delegations asked for more time" in alert.text
    assert "Office of the President of Ukraine" in alert.text


async def test_reader_replaying_publish_data_changes_nothing(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    shown = await preview(bot, MOVE)
    before = snapshot(bot)
    [menu] = await bot.say("/subscribe", chat_id=READER)  # a message of the reader's own
    with caplog.at_level(logging.WARNING, logger="sitrep.curation"):
        edits = await bot.forge_press(menu, publish_data(shown), user_id=READER)
    assert edits == []
    assert "Only curators" in last_answer(bot)
    assert any("user 1001" in r.getMessage() for r in caplog.records)
    assert snapshot(bot) == before
    assert [state for _, state in pending_rows(bot)] == ["pending"]
    # The curator's own preview still works.
    await bot.press(shown, publish_data(shown))
    assert bot.store.get(ABU_DHABI)["start"] == "2026-02-06"


async def test_publish_pressed_twice_publishes_once(bot: Harness) -> None:
    shown = await preview(bot, MOVE)
    await bot.press(shown, publish_data(shown))
    after_first = snapshot(bot)
    again = await bot.press(shown, publish_data(shown))
    assert again == []
    assert "Already published, as revision 2" in last_answer(bot)
    assert snapshot(bot) == after_first
    assert [r.sequence for r in bot.store.revisions(ABU_DHABI)] == [0, 1, 2]


async def test_another_curator_cannot_publish_or_cancel_a_preview(
    seeded: EventStore, clock: Clock
) -> None:
    bot = make_harness(seeded, clock, admins=frozenset({ADMIN, OTHER_CURATOR}))
    async with bot.app:
        shown = await preview(bot, MOVE)
        before = snapshot(bot)
        for data in (publish_data(shown), cancel_data(shown)):
            assert await bot.press(shown, data, user_id=OTHER_CURATOR) == []
            assert "Only the curator who asked" in last_answer(bot)
        assert snapshot(bot) == before
        assert [state for _, state in pending_rows(bot)] == ["pending"]
        # The other curator may make and publish a preview of their own.
        own = await preview(bot, "/status 4 confirmed — DSNS confirmed", user_id=OTHER_CURATOR)
        await bot.press(own, publish_data(own), user_id=OTHER_CURATOR)
        assert bot.store.get(DTEK)["status"] == "confirmed"
        assert bot.store.revisions(DTEK)[-1].author == f"tg:{OTHER_CURATOR}"
    assert_valid_telegram_messages(bot.fake)


async def test_cancel_discards_the_preview(bot: Harness) -> None:
    before = snapshot(bot)
    shown = await preview(bot, MOVE)
    [edited] = await bot.press(shown, cancel_data(shown))
    assert "Cancelled. Nothing was changed." in edited.text
    # The old keyboard can still be pressed: it publishes nothing.
    await bot.press(shown, publish_data(shown))
    assert "cancelled" in last_answer(bot)
    assert snapshot(bot) == before
    assert [state for _, state in pending_rows(bot)] == ["cancelled"]


async def test_stale_preview_is_refused_with_a_fresh_command(bot: Harness) -> None:
    shown = await preview(bot, MOVE)
    bot.store.update(ABU_DHABI, {"note": "Edited meanwhile."}, author="os:other", reason="x")
    before = snapshot(bot)
    [edited] = await bot.press(shown, publish_data(shown))
    assert "#3 changed after this preview (it is now at revision 2)" in edited.text
    assert "/reschedule 3 2026-02-06 2026-02-07 — Delegations asked" in edited.text
    assert snapshot(bot) == before
    assert [state for _, state in pending_rows(bot)] == ["expired"]
    # The offered command makes a fresh preview, which publishes.
    fresh = await preview(bot, MOVE)
    await bot.press(fresh, publish_data(fresh))
    assert bot.store.get(ABU_DHABI)["sequence"] == 3


async def test_a_day_old_preview_expires(bot: Harness, clock: Clock) -> None:
    shown = await preview(bot, MOVE)
    before = snapshot(bot)
    clock.advance(hours=25)
    [edited] = await bot.press(shown, publish_data(shown))
    assert "more than a day old" in edited.text
    assert snapshot(bot) == before
    assert [state for _, state in pending_rows(bot)] == ["expired"]


async def test_correct_killed_alerts_subscribers_and_chats_told_before(bot: Harness) -> None:
    await subscribe(bot, 1001, "incidents", "dnipro")
    await subscribe(bot, 1002, "incidents", "odesa")
    await subscribe(bot, 1003, "incidents")
    shown = await preview(bot, "/correct 4 killed=14+ — DTEK updated the toll")
    assert "killed: at least 12 → at least 14" in shown.text
    await bot.press(shown, publish_data(shown))
    before = len(bot.fake.sent)
    await drain(bot)
    corrections = bot.fake.sent[before:]
    assert sorted(m.chat_id for m in corrections) == [1001, 1003]
    assert "Correction" in corrections[0].text
    assert "Killed: was at least 12, now at least 14" in corrections[0].text
    assert "DTEK updated the toll" in corrections[0].text
    # A chat that was told about the incident hears of the next correction even after it
    # stopped its subscription.
    await bot.say("/unsubscribe all", chat_id=1003)
    shown = await preview(bot, "/correct 4 killed=~15 injured=3")  # 3 is exactly 3
    assert "injured: — → 3" in shown.text
    await bot.press(shown, publish_data(shown))
    before = len(bot.fake.sent)
    await drain(bot)
    assert sorted(m.chat_id for m in bot.fake.sent[before:]) == [1001, 1003]
    assert bot.store.get(DTEK)["killed"] == {"count": 15, "qualifier": "about"}


async def test_status_and_a_quoted_correction_name_the_author(bot: Harness) -> None:
    raw = bot.fake.message_update(
        '/correct 4 place="Kryvyi Rih" killed_qualifier=exact — per the regional administration',
        chat_id=ADMIN,
        user_id=ADMIN,
        username="editor",
    )
    [shown] = await bot.feed(raw)
    assert "place: Dnipro → Kryvyi Rih" in shown.text
    assert "killed: at least 12 → 12" in shown.text
    await bot.press(shown, publish_data(shown))
    revision = bot.store.revisions(DTEK)[-1]
    assert revision.author == f"tg:{ADMIN} @editor"
    assert revision.reason == "per the regional administration"
    shown = await preview(bot, "/status 3 held -- the round took place")
    assert "status: postponed → held" in shown.text
    await bot.press(shown, publish_data(shown))
    assert bot.store.get(ABU_DHABI)["status"] == "held"


async def test_history_is_open_to_readers(bot: Harness) -> None:
    shown = await preview(bot, MOVE)
    await bot.press(shown, publish_data(shown))
    history = await bot.reply_to("/history 3", chat_id=READER)
    assert "History of #3" in history
    # Readers see when (in their zone, labelled) and what kind of change, never who:
    # "editor" stands for every curator.
    assert "#0 Tue 20 Jan, 14:00 (Kyiv) by editor: created" in history
    assert (
        "#1 around Sat 31 Jan by editor: <b>postponed</b>: start 2026-02-01 → 2026-02-04" in history
    )
    assert (
        "#2 Tue 20 Jan, 14:00 (Kyiv) by editor: <b>postponed</b>: start 2026-02-04 → 2026-02-06"
        in history
    )
    assert str(ADMIN) not in history and "curator:seed" not in history
    assert "Delegations asked for more time" in history


async def test_revert_restores_revision_zero_as_a_new_revision(bot: Harness) -> None:
    shown = await preview(bot, "/revert 3 0")
    assert "start: 2026-02-04 → 2026-02-01" in shown.text
    assert "status: postponed → scheduled" in shown.text
    assert bot.store.get(ABU_DHABI)["start"] == "2026-02-04"
    [edited] = await bot.press(shown, publish_data(shown))
    assert "revision 2" in edited.text
    event = bot.store.get(ABU_DHABI)
    assert (event["start"], event["end"], event["status"]) == ("2026-02-01", None, "scheduled")
    revisions = bot.store.revisions(ABU_DHABI)
    assert [r.sequence for r in revisions] == [0, 1, 2]
    assert revisions[-1].reason == "reverted to revision 0"
    assert revisions[1].changes["start"]["new"] == "2026-02-04"  # history is kept


async def test_add_an_incident_with_its_source(bot: Harness, jobs: None) -> None:
    await subscribe(bot, READER, "incidents", "kharkiv")
    before = snapshot(bot)
    [question] = await curator(bot, "/add")
    assert [data for _, data in buttons(question)] == [
        "cur|kind|talks",
        "cur|kind|incident",
        "cur|kind|statement",
    ]
    sent = await bot.press(question, "cur|kind|incident")
    assert "New record:</b> incident" in sent[0].text
    assert "title" in sent[-1].text
    assert "When?" in (await curator(bot, "Missile strike on Kharkiv"))[0].text
    assert "not a date" in (await curator(bot, "the other day"))[0].text  # asked again
    assert "Where?" in (await curator(bot, "2026-01-19"))[0].text
    assert "Killed / injured?" in (await curator(bot, "Kharkiv, Kharkiv Oblast, Ukraine"))[0].text
    assert "can't be negative" in (await curator(bot, "-2 / 6"))[0].text
    assert "source?" in (await curator(bot, "2+ / 6"))[0].text
    [shown] = await curator(bot, "Kharkiv Regional Military Administration https://t.me/synegubov")
    assert "new incident <code>missile-strike-on-kharkiv-2026-01-19</code>" in shown.text
    assert "killed: at least 2" in shown.text and "timezone: Europe/Kyiv" in shown.text
    assert snapshot(bot) == before

    [edited] = await bot.press(shown, publish_data(shown))
    assert "Published</b> as revision 0 of #13 Missile strike on Kharkiv" in edited.text
    event = bot.store.get("missile-strike-on-kharkiv-2026-01-19")
    assert event["killed"] == {"count": 2, "qualifier": "at_least"}
    assert event["injured"] == {"count": 6, "qualifier": "exact"}
    assert event["status"] == "reported"
    assert event["sources"] == [
        {"name": "Kharkiv Regional Military Administration", "url": "https://t.me/synegubov"}
    ]
    assert bot.store.revisions(event["id"])[0].author == f"tg:{ADMIN}"
    before_alerts = len(bot.fake.sent)
    await drain(bot)
    [alert] = bot.fake.sent[before_alerts:]
    assert alert.chat_id == READER and "Missile strike on Kharkiv" in alert.text


async def test_add_a_statement_with_the_same_title_gets_its_own_id(
    bot: Harness, jobs: None
) -> None:
    # Two whole conversations in one test are more updates than a reader's burst allows.
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)
    for speaker in ("Volodymyr Zelensky", "Andrii Sybiha"):
        await curator(bot, "/add")
        for answer in (
            "statement",
            "Ready for substantive talks",
            "2026-01-31",
            "-",
            speaker,
            "Ukraine is ready for substantive talks.",
            "Telegram",
        ):
            await curator(bot, answer)
        [shown] = await curator(bot, "Seed article")
        await bot.press(shown, publish_data(shown))
    ids = [e["id"] for e in export_events(bot.store) if e["title"] == "Ready for substantive talks"]
    assert ids == [
        "ready-for-substantive-talks-2026-01-31",
        "ready-for-substantive-talks-2026-01-31-2",
    ]
    assert bot.store.get(ids[1])["speaker"] == "Andrii Sybiha"


async def test_cancel_leaves_add(bot: Harness, jobs: None) -> None:
    before = snapshot(bot)
    [question] = await curator(bot, "/add")
    await bot.press(question, "cur|kind|talks")
    assert "Nothing was saved" in (await curator(bot, "/cancel"))[0].text
    # Out of the conversation: plain text is plain text again.
    assert "I answer commands" in (await curator(bot, "Talks in Geneva"))[0].text
    assert "nothing to cancel" in (await curator(bot, "/cancel"))[0].text
    assert snapshot(bot) == before
    assert pending_rows(bot) == []


async def test_add_times_out_after_ten_minutes(bot: Harness, jobs: None) -> None:
    await curator(bot, "/add")
    await curator(bot, "talks")
    conversation = next(h for h in bot.app.handlers[0] if isinstance(h, ConversationHandler))
    [job] = list(conversation.timeout_jobs.values())
    assert job.next_t is not None
    assert 590 < (job.next_t - datetime.now(UTC)).total_seconds() <= 600
    before = len(bot.fake.sent)
    await job.run(bot.app)  # the job's moment, without waiting ten minutes for it
    assert "ended after 10 minutes" in bot.fake.sent[before].text
    assert "I answer commands" in (await curator(bot, "Talks in Geneva"))[0].text


async def test_add_is_refused_to_readers_and_kept_to_private_chats(bot: Harness) -> None:
    assert "only sitrep's curators" in await bot.reply_to("/add", chat_id=READER)
    group = -100500
    answer = await bot.reply_to("/add", chat_id=group, user_id=ADMIN, chat_type="supergroup")
    assert "private chat" in answer


@pytest.mark.parametrize(
    "command, expected",
    [
        ("/reschedule 999 2026-02-06", "There is no record"),
        ("/reschedule 3 2026-13-45", "impossible date"),
        ("/reschedule 3 tomorrow garbage", "'garbage' is not a date"),
        ("/reschedule 3 2026-02-06T10:00:00", "no UTC offset"),
        ("/reschedule 3 2026-02-07 2026-02-06", "before the start"),
        ("/reschedule 3 2026-02-04 2026-02-05", "exactly as it is"),
        ("/reschedule 4 2026-02-06", "only talks rounds"),
        ("/reschedule 3", "Use <code>/reschedule"),
        ("/status 3 finished", "must be one of scheduled, postponed, held, cancelled"),
        ("/status 6 held", "statement records have no status"),
        ("/status 3 held — " + "x" * 501, "keep it to 500"),
        ("/correct 4 colour=red", "can't be corrected this way"),
        ("/correct 4 killed=-3", "can't be negative"),
        ("/correct 4 killed=many", "must be a whole number"),
        ("/correct 4 killed=about:99999999999", "must be a whole number"),
        ("/correct 4 injured_qualifier=exact", "no injured figure"),
        ("/correct 4 killed=14 killed=15", "given twice"),
        ("/correct 6 killed=3", "only incidents have casualty figures"),
        ("/correct 4 start=2026-02-10", "before the start"),
        ("/correct 4 timezone=Mars/Olympus", "unknown time zone"),
        ('/correct 4 place="Kryvyi Rih', "No closing quotation"),
        ("/correct 4 title=" + "x" * 4000, "at most 200"),
        ("/correct 4 <b>bold</b> <script>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("/correct 4 note='; DROP TABLE events; --", "No closing quotation"),
        ('/correct 4 title="x" -- reason | not-a-link https://', "is not a link"),
        ("/correct 4", "Use <code>/correct"),
        ("/revert 3 7", "has no revision 7"),
        ("/revert 3 x", "not a revision number"),
        ("/revert 3 1", "exactly as it is"),
        ("/reschedule " + "9" * 4070 + " 2026-02-06", "There is no record"),
        ("/history 999", "There is no record"),
        ("/history", "Which record?"),
    ],
)
async def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    bot: Harness, command: str, expected: str
) -> None:
    before = snapshot(bot)
    sent = await curator(bot, command[:4096])
    assert sent
    assert expected in "\n".join(m.text for m in sent)
    assert all(buttons(m) == [] for m in sent)
    assert snapshot(bot) == before
    assert pending_rows(bot) == []


@pytest.mark.parametrize(
    "data", ["cur|pub|", "cur|pub|abc", "cur|pub|999", "cur|nuke|1", "cur|pub|1|2"]
)
async def test_forged_curation_buttons_change_nothing(bot: Harness, data: str) -> None:
    shown = await preview(bot, MOVE)
    before = snapshot(bot)
    assert await bot.forge_press(shown, data) == []
    assert snapshot(bot) == before
    assert [state for _, state in pending_rows(bot)] == ["pending"]
