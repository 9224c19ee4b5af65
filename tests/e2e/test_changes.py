"""Saying exactly what changed: each kind of schedule change, the years, the near dates, the
sources of figures and the records one can tap, through the real Application (issue 15)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from standin import SentMessage
from storage.db import connect
from storage.events import EventStore
from storage.exchange import apply_import, dump_json, export_events, parse_records, plan_import
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.e2e.harness import ADMIN, Harness, buttons
from tests.e2e.test_alerts import ABU_DHABI, drain, subscribe

READER = 1001


async def publish(bot: Harness, command: str) -> SentMessage:
    """A curator's command, previewed and published in their private chat: the preview."""
    sent = await bot.say(command, chat_id=ADMIN, user_id=ADMIN)
    assert sent and "Preview" in sent[0].text, sent[0].text if sent else command
    data = next(d for _, d in buttons(sent[-1]) if d.startswith("cur|pub|"))
    await bot.press(sent[-1], data, user_id=ADMIN)
    return sent[0]


async def alerts_after(bot: Harness, command: str) -> list[str]:
    """Publish `command` and deliver: the alerts the talks subscriber got."""
    before = len(bot.fake.sent)
    await publish(bot, command)
    await drain(bot)
    return [m.text for m in bot.fake.sent[before:] if m.chat_id == READER]


@pytest.fixture
async def told(bot: Harness) -> Harness:
    await subscribe(bot, READER, "talks")
    return bot


def status_line(talks: str, number: int) -> str:
    block = next(b for b in talks.split("\n\n") if b.startswith(f"<b>#{number} "))
    return next(line for line in block.split("\n") if line.startswith("<i>Status:</i>"))


# --- the kind of each change ---------------------------------------------------------------


async def test_earlier_dates_are_brought_forward_not_postponed(told: Harness) -> None:
    [alert] = await alerts_after(told, "/reschedule 3 2026-02-02 2026-02-03 — sooner")
    assert "brought forward: was Wed 4 – Thu 5 Feb, now Mon 2 – Tue 3 Feb" in alert
    assert "postponed" not in alert
    assert "This round has moved 2 times." in alert
    assert "brought forward: was 1 Feb, now 2–3 Feb (moved 2 times)" in await told.reply_to(
        "/talks"
    )


async def test_later_dates_are_postponed(told: Harness) -> None:
    [alert] = await alerts_after(told, "/reschedule 3 2026-02-06 2026-02-07")
    assert "postponed: was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in alert


async def test_reinstating_a_cancelled_round_says_so(told: Harness) -> None:
    [cancelled] = await alerts_after(told, "/status 3 cancelled — talks called off")
    assert "cancelled (was postponed)" in cancelled
    [reinstated] = await alerts_after(told, "/status 3 scheduled — back on")
    assert "reinstated (was cancelled)" in reinstated
    assert "postponed" not in reinstated


async def test_reinstating_from_the_command_line_with_new_dates_says_so(told: Harness) -> None:
    await alerts_after(told, "/status 3 cancelled")
    before = len(told.fake.sent)
    reschedule(
        told.store, ABU_DHABI, RescheduleRequest("2026-02-10", status="scheduled"), author="os:t"
    )
    await drain(told)
    [alert] = [m.text for m in told.fake.sent[before:]]
    assert "reinstated: was Wed 4 – Thu 5 Feb, now Tue 10 Feb" in alert
    assert "postponed" not in alert


async def test_a_revert_to_the_first_dates_says_so_and_is_not_another_move(
    told: Harness,
) -> None:
    [alert] = await alerts_after(told, "/revert 3 0")
    assert "back to the dates first announced: was Wed 4 – Thu 5 Feb, now Sun 1 Feb" in alert
    assert "postponed" not in alert
    assert "This round has moved once." in alert
    line = status_line(await told.reply_to("/talks"), 3)
    assert "back to the dates first announced: 1 Feb (moved once)" in line


async def test_going_back_to_earlier_dates_does_not_count_again(told: Harness) -> None:
    await alerts_after(told, "/reschedule 3 2026-02-06 2026-02-07")
    [alert] = await alerts_after(told, "/reschedule 3 2026-02-04 2026-02-05")
    assert "back to earlier dates: was Fri 6 – Sat 7 Feb, now Wed 4 – Thu 5 Feb" in alert
    assert "This round has moved 2 times." in alert
    # A move to dates the round never had counts again.
    [third] = await alerts_after(told, "/reschedule 3 2026-02-09")
    assert "This round has moved 3 times." in third


async def test_a_time_set_on_the_same_days_is_precision_not_a_move(told: Harness) -> None:
    [alert] = await alerts_after(
        told, "/reschedule 3 2026-02-04T10:00+04:00 2026-02-04T18:00+04:00 — agenda published"
    )
    assert "time set: was Wed 4 – Thu 5 Feb, now Wed 4 Feb, 08:00–16:00 (Kyiv)" in alert
    assert "postponed" not in alert
    assert "This round has moved once." not in alert
    assert told.store.get(3)["status"] == "postponed"  # a time set leaves the status alone
    [changed] = await alerts_after(told, "/reschedule 3 2026-02-04T12:00+04:00")
    assert "time changed: was Wed 4 Feb, 08:00–16:00 (Kyiv), now Wed 4 Feb, 10:00" in changed


async def test_a_new_venue_says_venue_changed(told: Harness) -> None:
    [alert] = await alerts_after(told, '/correct 3 place="Riyadh" region="Riyadh"')
    assert "venue changed" in alert
    assert "Venue: was Abu Dhabi, Abu Dhabi, now Riyadh, Riyadh" in alert


async def test_held_is_shown_by_talks_and_search_claims_nothing_upcoming(told: Harness) -> None:
    [alert] = await alerts_after(told, "/status 3 held — the round took place")
    assert "held (was postponed)" in alert
    talks = await told.reply_to("/talks")
    assert status_line(talks, 3).startswith("<i>Status:</i> held · ")
    assert "was 1 Feb, now 4–5 Feb" in status_line(talks, 3)
    found = await told.reply_to("/search abu dhabi")
    assert "#3 Trilateral" in found
    assert "Upcoming" not in found and "None announced" not in found and "Earlier" not in found


async def test_a_cancelled_round_with_future_dates_is_not_upcoming(told: Harness) -> None:
    await alerts_after(told, "/status 3 cancelled")
    talks = await told.reply_to("/talks")
    assert talks.index("Earlier") < talks.index("#3 Trilateral")
    assert "None announced yet" in talks
    assert status_line(talks, 3).startswith("<i>Status:</i> cancelled · ")


async def test_search_ranks_a_title_match_above_a_summary_match(bot: Harness) -> None:
    # "Florida" is in #2's title and in #3's summary; #3 is the newer record.
    found = await bot.reply_to("/search florida")
    assert found.index("#2 ") < found.index("#3 ")


# --- years and near dates -------------------------------------------------------------------


async def test_a_move_into_next_year_shows_the_year(told: Harness) -> None:
    [alert] = await alerts_after(told, "/reschedule 3 2027-02-10 2027-02-11")
    assert "postponed: was Wed 4 – Thu 5 Feb, now Wed 10 – Thu 11 Feb 2027" in alert
    talks = await told.reply_to("/talks")
    assert "Wed 10 – Thu 11 Feb 2027" in talks
    assert "was 1 Feb, now 10–11 Feb 2027" in status_line(talks, 3)


async def test_a_range_across_new_year_shows_both_years(told: Harness) -> None:
    [alert] = await alerts_after(told, "/reschedule 3 2026-12-30 2027-01-02")
    assert "now Wed 30 Dec 2026 – Sat 2 Jan 2027" in alert
    assert "now 30 Dec 2026 – 2 Jan 2027" in await told.reply_to("/talks")


async def test_near_dates_say_today_tomorrow_and_in_hours(told: Harness, clock: Clock) -> None:
    reschedule(told.store, ABU_DHABI, RescheduleRequest("2026-01-21"), author="t")
    assert "Wed 21 Jan · tomorrow" in await told.reply_to("/talks")
    clock.now = datetime(2026, 1, 21, 9, 0, tzinfo=UTC)  # 11:00 in Kyiv
    assert "Wed 21 Jan · today" in await told.reply_to("/talks")
    reschedule(told.store, ABU_DHABI, RescheduleRequest("2026-01-21T16:00+04:00"), author="t")
    assert "Wed 21 Jan, 14:00 (Kyiv) · in 3 h" in await told.reply_to("/talks")


async def test_history_times_are_in_the_readers_zone_and_labelled(bot: Harness) -> None:
    await publish(bot, "/reschedule 3 2026-02-06 — later")
    history = await bot.reply_to("/history 3")
    # The seed was loaded, and revision 2 written, at 12:00 UTC on 20 Jan: 14:00 in Kyiv.
    # Revision 1 was filed afterwards: it shows the day it happened, as the bot shows dates.
    assert "#0 Tue 20 Jan, 14:00 (Kyiv) by editor: created" in history
    assert "#1 around Sat 31 Jan by editor: <b>postponed</b>" in history
    assert "#2 Tue 20 Jan, 14:00 (Kyiv) by editor: <b>postponed</b>" in history
    await bot.reply_to("/settings zone Asia/Dubai")
    assert "#2 Tue 20 Jan, 16:00 (Dubai)" in await bot.reply_to("/history 3")


# --- figures and their sources ---------------------------------------------------------------


async def test_a_corrected_figure_shows_the_source_that_gave_it(bot: Harness) -> None:
    preview = await publish(bot, "/correct 4 killed=14+ — DTEK update | DTEK https://dtek.com")
    assert "DTEK" in preview.text
    incidents = await bot.reply_to("/incidents")
    assert "Killed: at least 14 · DTEK" in incidents
    assert "Killed: at least 14 · says News report" not in incidents
    event = await bot.reply_to("/event 4")
    assert "Killed:</i> at least 14 · DTEK" in event
    assert '<a href="https://dtek.com">DTEK</a> (for killed)' in event


async def test_the_figures_source_survives_export_and_import(bot: Harness) -> None:
    await publish(bot, "/correct 4 killed=14+ — DTEK update | DTEK https://dtek.com")
    exported = dump_json(export_events(bot.store))
    db = connect(":memory:")
    copy = EventStore(db)
    records, plan = plan_import(copy, parse_records(exported, "export.json"), "export.json")
    apply_import(copy, records, plan, author="t", reason="restore")
    assert copy.get(4)["sources"][-1] == {
        "name": "DTEK",
        "url": "https://dtek.com",
        "supports": ["killed"],
    }
    db.close()


# --- records one can tap --------------------------------------------------------------------


async def test_event_underscore_number_answers_like_event_number(bot: Harness) -> None:
    assert await bot.reply_to("/event_3") == await bot.reply_to("/event 3")
    assert "Trilateral US–Russia–Ukraine talks in Abu Dhabi" in await bot.reply_to("/event_3")


async def test_event_slug_is_matched_whatever_its_case(bot: Harness) -> None:
    found = await bot.reply_to("/event ABU-DHABI-TRILATERAL-2026-02")
    assert found == await bot.reply_to("/event 3")


async def test_event_link_in_a_group_answers_only_for_this_bot(bot: Harness) -> None:
    group = -100500
    assert await bot.say("/event_3@some_other_bot", chat_id=group) == []
    named = await bot.reply_to(f"/event_3@{bot.fake.username}", chat_id=group)
    assert named == await bot.reply_to("/event 3", chat_id=group)


async def test_every_list_line_and_alert_carries_its_event_command(told: Harness) -> None:
    for command in ("/talks", "/incidents", "/statements", "/search abu dhabi"):
        listed = await told.reply_to(command)
        numbers = re.findall(r"<b>#(\d+) ", listed)
        assert numbers, command
        for number in numbers:
            assert f"/event_{number}" in listed, (command, number)
    [alert] = await alerts_after(told, "/reschedule 3 2026-02-06")
    assert "/event_3" in alert


async def test_related_shows_numbers_and_titles(bot: Harness) -> None:
    event = await bot.reply_to("/event 3")
    related = next(line for line in event.split("\n") if line.startswith("<i>Related:</i>"))
    assert "#2 Witkoff–Dmitriev meeting in Florida" in related
    assert "/event_2" in related
    assert "florida-witkoff-dmitriev-2026-01-31" not in related


# --- areas ---------------------------------------------------------------------------------


async def test_subscribing_to_an_unknown_area_subscribes_to_nothing(bot: Harness) -> None:
    answer = await bot.reply_to("/subscribe incidents nonsense")
    assert "nothing was subscribed" in answer
    assert "Dnipro" in answer  # an area it knows, to try instead
    assert bot.chats.subscriptions(READER) == []
    assert "No incidents are recorded in" in await bot.reply_to("/incidents nonsense")


async def test_a_misspelt_area_gets_the_close_one(bot: Harness) -> None:
    answer = await bot.reply_to("/subscribe incidents zaporizzhhia")
    assert "<code>Zaporizhzhia</code>" in answer
    assert bot.chats.subscriptions(READER) == []


async def test_a_place_with_no_record_yet_can_be_subscribed_to(bot: Harness) -> None:
    # Known to the gazetteer (and spelt as people type it): a real place to wait for news of.
    assert "Subscribed" in await bot.reply_to("/subscribe incidents Kharkov")


# --- honest previews, forgiving input, nothing dropped silently ------------------------------


async def test_a_preview_shows_the_alert_as_readers_will_read_it_and_to_how_many(
    told: Harness,
) -> None:
    sent = await told.say("/reschedule 3 2026-02-02 - sooner than planned", chat_id=ADMIN)
    shown = sent[0].text
    assert "Readers will be told:" in shown
    assert "brought forward: was Wed 4 – Thu 5 Feb, now Mon 2 Feb" in shown
    assert "<i>Why:</i> sooner than planned" in shown  # the reason after a lone hyphen
    assert "This alert goes to 1 chat." in shown
    quiet = await told.say('/correct 3 summary="A shorter summary."', chat_id=ADMIN)
    assert "This alerts nobody" in quiet[0].text


async def test_a_preview_says_when_no_chat_is_subscribed(bot: Harness) -> None:
    sent = await bot.say("/status 3 cancelled", chat_id=ADMIN)
    assert "cancelled (was postponed)" in sent[0].text
    assert "No chat is subscribed to this yet" in sent[0].text


async def test_words_a_command_does_not_take_get_a_note(bot: Harness) -> None:
    talks = await bot.reply_to("/talks tomorrow")
    assert "/talks takes nothing more, so I left out: tomorrow" in talks
    assert "#3 Trilateral" in talks
    event = await bot.reply_to("/event 3 please")
    assert "left out: please" in event and "#3 Trilateral" in event
    assert "left out: now" in await bot.reply_to("/event_3 now")


async def test_a_period_beyond_the_longest_says_the_longest(bot: Harness) -> None:
    answer = await bot.reply_to("/incidents 9999y")
    assert "the longest period is <code>100y</code>" in answer
