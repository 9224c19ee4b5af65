"""What the bot sends outside a reply, and the parts of a reply rendered apart (a record's
web-page link, the calendar file), in the chat's language: never a hard-coded English."""

from __future__ import annotations

from icalendar import Calendar

from handlers.i18n import use_language
from tests.e2e.harness import Harness
from tests.e2e.test_alerts import drain, move_abu_dhabi
from tests.e2e.test_board import ADMIN_USER, GROUP, edits, make_group
from tests.e2e.test_calendar import PUBLIC, public_bot  # noqa: F401  (a fixture)

UK = {"language_code": "uk"}


async def test_a_ukrainian_groups_board_is_redrawn_in_ukrainian(bot: Harness) -> None:
    make_group(bot)
    assert "українською" in await bot.reply_to("/language uk", chat_id=GROUP, user_id=ADMIN_USER)
    posted = await bot.reply_to("/board", chat_id=GROUP, user_id=ADMIN_USER)
    assert "табло" in posted and "лютого" in posted
    before = len(bot.fake.sent)
    # From outside any update, as `sitrep reschedule` and the engine's own task are (the
    # harness feeds updates in the test's task, so the last update's language would linger).
    with use_language("en"):
        move_abu_dhabi(bot)
        await drain(bot)
    [redrawn] = edits(bot, before)
    assert "табло" in redrawn and "лютого" in redrawn
    assert "status board" not in redrawn and "Fri 6" not in redrawn


async def test_a_ukrainian_readers_record_links_its_page_in_ukrainian(
    public_bot: Harness,  # noqa: F811
) -> None:
    shown = await public_bot.reply_to("/event 3", chat_id=601, **UK)
    assert f'Вебсторінка: <a href="{PUBLIC}/event/3">' in shown
    english = await public_bot.reply_to("/event 3", chat_id=602, language_code="en")
    assert f'Web page: <a href="{PUBLIC}/event/3">' in english


async def test_a_ukrainian_chats_calendar_is_in_ukrainian(public_bot: Harness) -> None:  # noqa: F811
    [sent] = await public_bot.say("/calendar", chat_id=603, **UK)
    assert "Календар переговорів" in sent.text and "живий календар" in sent.text
    cal = Calendar.from_ical(sent.params["document"]["content"])
    assert str(cal["X-WR-CALNAME"]) == "sitrep: мирні переговори"
    abu_dhabi = next(e for e in cal.walk("VEVENT") if "abu-dhabi" in str(e["UID"]))
    assert "Тристоронні переговори" in str(abu_dhabi["SUMMARY"])
