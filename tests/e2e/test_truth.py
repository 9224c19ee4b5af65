"""Truth in every line, as readers and curators see it in chat: quotes, claims, curators' faces."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import cli
from handlers.limits import LIMITER_KEY, FloodGate
from standin import SentMessage
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, assert_valid_telegram_messages, buttons, make_harness
from tests.e2e.test_alerts import drain, subscribe
from tests.e2e.test_curation import preview, publish_data

READER = 1001
GROUP = -100777
TRUMP = "trump-claim-kyiv-strike-pause-2026"
CURATOR_NAME = "olena_k"
SYSTEM_USER = "mariia_secret_login"
SOURCE = "Kyiv City Military Administration https://kyiv.example/report"


def plain(messages: list[SentMessage]) -> str:
    """What a reader reads: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", "\n".join(m.text for m in messages)))


async def every_statement_page(bot: Harness) -> str:
    """/statements, pressing Older › until the last page."""
    pages = await bot.say("/statements", chat_id=READER)
    shown = plain(pages)
    while older := [d for label, d in buttons(pages[-1]) if "Older" in label]:
        pages = await bot.press(pages[-1], older[0])
        shown += "\n" + plain(pages)
    return shown


async def test_paraphrase_is_never_shown_in_quotation_marks(bot: Harness) -> None:
    statements = [e for e in bot.store.iter_all() if e["kind"] == "statement"]
    listed = await every_statement_page(bot)
    assert all(f"#{e['number']} " in listed for e in statements)
    paraphrased = [e for e in statements if e["paraphrase"]]
    assert {e["number"] for e in paraphrased} >= {10, 11, 12}
    for event in statements:
        full = plain(await bot.say(f"/event {event['number']}", chat_id=READER))
        for shown in (listed, full):
            if event["paraphrase"]:
                words = " ".join(event["paraphrase"].split())
                assert words in shown
                # Neither in quotation marks, nor unattributed.
                assert f"“{words}" not in shown and f'"{words}' not in shown
                assert f"not quoted: {words}" in shown
            if event["quote"]:
                assert f"“{' '.join(event['quote'].split())}”" in shown


async def test_trump_and_dtek_speak_only_through_the_article(bot: Harness) -> None:
    listed = await every_statement_page(bot)
    assert "“Russia had agreed" not in listed
    assert "“the bus was the scene" not in listed
    assert (
        "Reported by News report (seed article, late January / early February 2026), "
        "not quoted: Russia had agreed to temporarily cease targeting Kyiv" in listed
    )


# --- curators are never exposed ------------------------------------------------------------


@pytest.fixture
async def filed(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
    """A bot over a database file the command line can write to as well."""
    path = tmp_path / "sitrep.db"
    db = connect(path)
    store = EventStore(db, clock=clock)
    load_seed_if_empty(store)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("SITREP_DB", str(path))
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, SYSTEM_USER)
    harness = make_harness(store, clock)
    async with harness.app:
        yield harness
    assert_valid_telegram_messages(harness.fake)
    db.close()


async def curated_from_chat_and_command_line(bot: Harness) -> None:
    """A curator publishes a change from chat; the command line makes another."""
    raw = bot.fake.message_update(
        '/correct 3 note="Venue unchanged." — per the President\'s office',
        chat_id=ADMIN,
        user_id=ADMIN,
        username=CURATOR_NAME,
    )
    [shown] = await bot.feed(raw)
    await bot.press(shown, publish_data(shown))
    assert cli.main(["reschedule", "3", "--start", "2026-02-06", "--reason", "more time"]) == 0
    authors = [r.author for r in bot.store.revisions("abu-dhabi-trilateral-2026-02")]
    assert authors[-2:] == [f"tg:{ADMIN} @{CURATOR_NAME}", f"os:{SYSTEM_USER}"]


def names_a_curator(text: str) -> list[str]:
    found = [w for w in (str(ADMIN), CURATOR_NAME, SYSTEM_USER) if w in text]
    return found + re.findall(r"\b(?:tg|os|file|curator):\S+", text)


async def test_readers_see_when_and_what_but_never_who(filed: Harness) -> None:
    bot = filed
    await curated_from_chat_and_command_line(bot)
    for command in ("/event 3", "/history 3"):
        shown = await bot.reply_to(command, chat_id=READER)
        assert "more time" in shown and "Venue unchanged." in shown, command
        assert names_a_curator(shown) == [], command
        assert "by editor" in shown
    # A curator asking in a group is answered for the whole group: the public face.
    in_group = await bot.reply_to("/history 3", chat_id=GROUP, user_id=ADMIN)
    assert "more time" in in_group and names_a_curator(in_group) == []


async def test_a_curator_sees_every_author_in_a_private_chat(filed: Harness) -> None:
    bot = filed
    await curated_from_chat_and_command_line(bot)
    for command in ("/history 3", "/event 3"):
        shown = await bot.reply_to(command, chat_id=ADMIN, user_id=ADMIN)
        assert f"tg:{ADMIN} @{CURATOR_NAME}" in shown, command
        assert f"os:{SYSTEM_USER}" in shown and "curator:seed" in shown, command


async def test_readers_see_the_alias_a_curator_chose(seeded: EventStore, clock: Clock) -> None:
    bot = make_harness(seeded, clock, aliases={ADMIN: "Newsroom desk"})
    async with bot.app:
        shown = await preview(bot, "/status 3 held — the round took place")
        await bot.press(shown, publish_data(shown))
        history = await bot.reply_to("/history 3", chat_id=READER)
    assert "by Newsroom desk: <b>held</b>: status postponed → held" in history
    assert "by editor: created" in history  # the seed's author has no alias
    assert str(ADMIN) not in history


# --- claims ----------------------------------------------------------------------------------


async def test_claims_lists_trumps_claim_with_its_status(bot: Harness) -> None:
    shown = plain(await bot.say("/claims", chat_id=READER))
    assert "#11 Donald Trump, President of the United States" in shown
    assert "Claim: unverified · scope: Ukraine" in shown
    assert "#6 " not in shown  # Zelensky's statement is no claim


async def test_a_claims_event_lists_the_incidents_recorded_in_its_scope_since(
    bot: Harness,
) -> None:
    shown = plain(await bot.say("/event 11", chat_id=READER))
    assert "Status, as the editors set it: unverified" in shown
    section = shown.split("Incidents recorded in its scope since it was made\n", 1)[1]
    lines = section.split("\n\n", 1)[0].splitlines()
    assert [line.split(" ", 2)[1] for line in lines] == ["#5", "#4"]
    assert "Russian drone strike on a DTEK bus carrying mineworkers" in lines[1]
    assert "Killed: at least 12" in lines[1] and "Injured: 6" in lines[0]


async def test_a_new_claim_status_is_previewed_published_and_alerted(bot: Harness) -> None:
    await subscribe(bot, READER, "statements")
    await drain(bot)
    shown = await preview(bot, f"/claim 11 disputed — Strikes on cities continued | {SOURCE}")
    assert "• claim: unverified · scope: Ukraine · why: The article reports" in shown.text
    assert (
        "→ disputed · scope: Ukraine · why: Strikes on cities continued · "
        "source: Kyiv City Military Administration\n"
    ) in shown.text
    assert bot.store.get(TRUMP)["claim"]["status"] == "unverified"  # not before Publish
    await bot.press(shown, publish_data(shown))
    claim = bot.store.get(TRUMP)["claim"]
    assert claim == {
        "status": "disputed",
        "scope": ["Ukraine"],
        "reason": "Strikes on cities continued",
        "source": {
            "name": "Kyiv City Military Administration",
            "url": "https://kyiv.example/report",
        },
    }
    before = len(bot.fake.sent)
    await drain(bot)
    [alert] = bot.fake.sent[before:]
    assert alert.chat_id == READER
    assert "Claim disputed" in alert.text and "Donald Trump" in alert.text
    assert "Status was unverified." in alert.text
    assert "Strikes on cities continued" in alert.text
    assert "“Russia had agreed" not in alert.text
    shown_event = plain(await bot.say("/event 11", chat_id=READER))
    assert "Status, as the editors set it: disputed (why: Strikes on cities continued)" in (
        shown_event
    )
    assert "On the word of: Kyiv City Military Administration" in shown_event
    assert "Claim: disputed" in plain(await bot.say("/claims", chat_id=READER))


async def test_the_same_status_again_alerts_nobody(bot: Harness) -> None:
    await subscribe(bot, READER, "statements")
    await drain(bot)
    shown = await preview(bot, '/claim 11 unverified scope="Kyiv, Kharkiv Oblast" — narrower')
    await bot.press(shown, publish_data(shown))
    assert bot.store.get(TRUMP)["claim"]["scope"] == ["Kyiv", "Kharkiv Oblast"]
    before = len(bot.fake.sent)
    await drain(bot)
    assert bot.fake.sent[before:] == []


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/claim 11 false", "claim.source: is required for the status false"),
        ("/claim 4 disputed — x | Reuters", "Only statements can be claims"),
        ("/claim 6 unverified", "is not a claim yet: give its scope"),
        ("/claim 11 wrong — x | Reuters", "is not a claim status"),
        ("/claim 11", "Use <code>/claim N STATUS"),
        ("/claim 99 confirmed — x | Reuters", "There is no record"),
    ],
)
async def test_bad_claim_commands_are_explained_and_change_nothing(
    bot: Harness, command: str, answer: str
) -> None:
    before = [e["claim"] for e in bot.store.iter_all()]
    shown = await bot.reply_to(command, chat_id=ADMIN, user_id=ADMIN)
    assert answer in shown
    assert "Publish" not in shown
    assert [e["claim"] for e in bot.store.iter_all()] == before


async def test_a_statement_becomes_a_claim_with_a_scope(bot: Harness) -> None:
    shown = await preview(bot, "/claim 6 unverified scope=Zaporizhzhia")
    await bot.press(shown, publish_data(shown))
    page = plain(await bot.say("/event 6", chat_id=READER))
    section = page.split("Incidents recorded in its scope since it was made\n", 1)[1]
    assert section.startswith("• #5 Russian drone attack on a maternity hospital")
    assert "#4 " not in section.split("\n\n", 1)[0]


async def test_readers_cannot_set_a_claims_status(bot: Harness) -> None:
    answer = await bot.reply_to(f"/claim 11 confirmed — seen | {SOURCE}", chat_id=READER)
    assert "only sitrep's curators" in answer
    assert bot.store.get(TRUMP)["claim"]["status"] == "unverified"


@pytest.fixture
async def job_queue(bot: Harness) -> AsyncIterator[None]:
    """A running JobQueue: /add's ten-minute timeout is one of its jobs."""
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield
    await queue.stop(wait=False)


async def test_add_keeps_reported_speech_as_a_paraphrase(bot: Harness, job_queue: None) -> None:
    bot.app.bot_data[LIMITER_KEY] = FloodGate(burst=1e9)
    await subscribe(bot, READER, "statements")
    await drain(bot)
    await bot.say("/add", chat_id=ADMIN, user_id=ADMIN)
    for answer in ("statement", "Kremlin on a pause", "2026-02-02", "-", "Dmitry Peskov"):
        await bot.say(answer, chat_id=ADMIN, user_id=ADMIN)
    [asked] = await bot.say("~ Russia had agreed to no pause", chat_id=ADMIN, user_id=ADMIN)
    assert "Where was it said" in asked.text
    await bot.say("-", chat_id=ADMIN, user_id=ADMIN)
    [shown] = await bot.say("TASS", chat_id=ADMIN, user_id=ADMIN)
    assert "paraphrase: Russia had agreed to no pause" in shown.text
    await bot.press(shown, publish_data(shown))
    event = bot.store.get("kremlin-on-a-pause-2026-02-02")
    assert (event["quote"], event["paraphrase"]) == ("", "Russia had agreed to no pause")
    before = len(bot.fake.sent)
    await drain(bot)
    [alert] = bot.fake.sent[before:]
    assert "Reported by TASS, not quoted:</i> Russia had agreed to no pause" in alert.text
    assert "“Russia had agreed" not in alert.text
    listed = plain(await bot.say("/statements", chat_id=READER))
    assert "Reported by TASS, not quoted: Russia had agreed to no pause" in listed
    assert "“Russia had agreed to no pause" not in listed
