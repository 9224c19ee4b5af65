"""Reader commands end to end: updates in, Bot API calls out, through the real Application."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from standin import visible_length
from tests.conftest import Clock
from tests.e2e.harness import Harness, buttons


async def test_start_explains_the_bot(bot: Harness) -> None:
    text = await bot.reply_to("/start")
    assert "sitrep" in text and "/talks" in text


async def test_help_lists_every_command_with_an_example(bot: Harness) -> None:
    text = await bot.reply_to("/help")
    for command in ("/talks", "/incidents", "/statements", "/event", "/search", "/subscribe"):
        assert command in text
    assert "/incidents dnipro 7d" in text
    assert "Kyiv" in text  # the zone times are shown in


async def test_talks_shows_the_abu_dhabi_round_moved_from_1_feb(bot: Harness) -> None:
    text = await bot.reply_to("/talks")
    assert "Abu Dhabi" in text
    assert "Status:</i> postponed · was 1 Feb, now 4–5 Feb" in text
    assert "Wed 4 – Thu 5 Feb" in text


async def test_talks_lists_upcoming_before_earlier(bot: Harness, clock: Clock) -> None:
    clock.now = datetime(2026, 2, 2, 12, 0, tzinfo=UTC)  # after Florida, before Abu Dhabi
    text = await bot.reply_to("/talks")
    upcoming, earlier = text.index("Upcoming"), text.index("Earlier")
    assert upcoming < text.index("Abu Dhabi") < earlier < text.index("Florida")
    clock.advance(days=60)
    later = await bot.reply_to("/talks")
    assert "None announced yet" in later
    assert later.index("Earlier") < later.index("Abu Dhabi")


async def test_incidents_newest_first_with_casualties_and_source(bot: Harness) -> None:
    text = await bot.reply_to("/incidents")
    assert "DTEK" in text and "Zaporizhzhia" in text
    assert "Killed: at least 12" in text
    assert "Injured: 6" in text
    assert "says News report" in text


@pytest.mark.parametrize("area", ["dnipro", "Dnipropetrovsk", "DNIPRO"])
async def test_incidents_filter_by_area(bot: Harness, area: str) -> None:
    text = await bot.reply_to(f"/incidents {area}")
    assert "DTEK" in text
    assert "maternity" not in text


async def test_incidents_filter_by_period(bot: Harness, clock: Clock) -> None:
    clock.advance(days=30)  # 19 Feb: the strikes (Jan–3 Feb) are older than a week
    text = await bot.reply_to("/incidents dnipro 7d")
    assert "No incidents recorded in dnipro in the last 7d" in text
    text = await bot.reply_to("/incidents dnipro 1m")
    assert "DTEK" in text


@pytest.mark.parametrize("period", ["99x", "0d", "7days", "-5d", "12"])
@pytest.mark.parametrize("area", ["", "dnipro "])
async def test_incidents_bad_period_is_explained(bot: Harness, area: str, period: str) -> None:
    # Refused as a period, never read as an area: "No incidents recorded in 7days" would be
    # a wrong answer that looks like a right one.
    text = await bot.reply_to(f"/incidents {area}{period}")
    assert text.startswith(f"I can't read the period {period}."), text
    assert "DTEK" not in text and "No incidents" not in text


async def test_statements_show_speaker_channel_and_quote(bot: Harness) -> None:
    text = await bot.reply_to("/statements")
    assert "Zelensky" in text and "on Telegram" in text
    assert "Ukraine is ready for substantive talks" in text


async def test_event_shows_sources_note_and_history(bot: Harness) -> None:
    text = await bot.reply_to("/event 3")
    assert "Sources" in text and "Curator note" in text and "History" in text
    assert "start 2026-02-01 → 2026-02-04" in text
    assert "2024" in text  # the note explains the article's misprinted year


@pytest.mark.parametrize("ref", ["999", "abc", "#0", "'; DROP TABLE events; --", "<b>x</b>"])
async def test_event_unknown_id_gets_a_helpful_reply(bot: Harness, ref: str) -> None:
    text = await bot.reply_to(f"/event {ref}")
    assert "There is no record" in text
    assert bot.store.count() == 12


async def test_event_without_a_number_explains_usage(bot: Harness) -> None:
    assert "Which record?" in await bot.reply_to("/event")


async def test_event_by_slug(bot: Harness) -> None:
    text = await bot.reply_to("/event abu-dhabi-trilateral-2026-02")
    assert "#3" in text


async def test_search_finds_by_words(bot: Harness) -> None:
    assert "maternity hospital" in await bot.reply_to("/search maternity")
    assert "Shmyhal" in await bot.reply_to("/search cynical attack")


@pytest.mark.parametrize("words", ['"', "AND OR NOT", "NEAR(x", "*", "a:b", "-x"])
async def test_search_survives_fts_syntax(bot: Harness, words: str) -> None:
    text = await bot.reply_to(f"/search {words}")
    assert text  # an answer, not an error


async def test_search_without_words_explains(bot: Harness) -> None:
    assert "Tell me what to look for" in await bot.reply_to("/search")


async def test_statements_page_turn_edits_the_message(bot: Harness) -> None:
    [first] = await bot.say("/statements")
    [(label, data)] = buttons(first)
    assert label == "Older ›" and len(data.encode()) <= 64
    edited = await bot.press(first, data)
    assert [m.method for m in edited] == ["editMessageText"]
    page2 = edited[0].text
    assert page2 != first.text and "Newer" in str(edited[0].reply_markup)
    # And back again.
    [(_, back)] = buttons(edited[0])
    again = await bot.press(edited[0], back)
    assert again[0].text == first.text


@pytest.mark.parametrize("data", ["pg|inc|x|", "pg|zz|0|", "garbage", "pg|q|0|~nosuch", "x" * 64])
async def test_forged_or_stale_buttons_change_nothing(bot: Harness, data: str) -> None:
    [first] = await bot.say("/statements")
    sent = await bot.forge_press(first, data)
    assert sent == []  # no edit, no message: only a short answer on the button
    assert bot.fake.callback_answers[-1].get("text")


async def test_a_button_answer_is_plain_text_within_telegrams_limit(bot: Harness) -> None:
    [first] = await bot.say("/statements")  # a list with page buttons
    assert await bot.forge_press(first, "pg|inc|0|dnipro 9zz") == []
    toast = bot.fake.callback_answers[-1]["text"]
    assert toast.startswith("I can't read the period dnipro 9zz. Use a number and a unit: 24h, 7d")
    assert "<code>" not in toast and len(toast) <= 200


async def test_unknown_command_points_to_help(bot: Harness) -> None:
    assert "/help" in await bot.reply_to("/frobnicate now")


async def test_plain_text_in_private_points_to_help(bot: Harness) -> None:
    assert "/help" in await bot.reply_to("hello there")


async def test_group_commands_addressed_to_the_bot(bot: Harness) -> None:
    name = bot.fake.username
    text = await bot.reply_to(f"/talks@{name}", chat_id=-100123, user_id=7, chat_type="supergroup")
    assert "Abu Dhabi" in text


async def test_group_commands_for_other_bots_and_chatter_are_ignored(bot: Harness) -> None:
    group = {"chat_id": -100123, "user_id": 7, "chat_type": "supergroup"}
    assert await bot.say("/talks@some_other_bot", **group) == []
    assert await bot.say("/frobnicate", **group) == []
    assert await bot.say("just chatting", **group) == []
    unknown = await bot.reply_to(f"/frobnicate@{bot.fake.username}", **group)
    assert "/help" in unknown


async def test_commands_are_registered_with_telegram(bot: Harness) -> None:
    from bot.app import start_background, stop_background

    await start_background(bot.app)
    await stop_background(bot.app)
    names = [
        c["command"]
        for c in bot.fake.commands.get("default", next(iter(bot.fake.commands.values()), []))
    ]
    assert {"talks", "incidents", "statements", "event", "search", "help"} <= set(names)


async def test_long_replies_are_split_under_the_limit(bot: Harness) -> None:
    # Summary and note both near their limits (3,000), escaped on the way out: well over
    # Telegram's 4,096 characters in all.
    summary = ("Shelling & <strikes> " * 142).strip()
    note = ("Noted & <kept> " * 199).strip()
    bot.store.update(4, {"summary": summary, "note": note}, author="test", reason="long")
    sent = await bot.say("/event 4")
    assert len(sent) >= 2
    assert all(0 < visible_length(m.text) <= 4096 for m in sent)
    # Split, not cut: the summary and the note each arrive whole, in order.
    texts = [m.text for m in sent]
    has_summary = [i for i, t in enumerate(texts) if html.escape(summary, quote=False) in t]
    has_note = [i for i, t in enumerate(texts) if html.escape(note, quote=False) in t]
    assert len(has_summary) == 1 and len(has_note) == 1
    assert has_summary[0] <= has_note[0]
