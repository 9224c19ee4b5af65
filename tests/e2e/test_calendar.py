"""/calendar, and links to the web pages, end to end through the stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest
from icalendar import Calendar

import handlers
from bot.app import RUNTIME_KEY, Runtime
from handlers.common import DEPS_KEY, Deps
from storage.events import EventStore
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime, assert_valid_telegram_messages, make_harness

PUBLIC = "https://sitrep.example.org"


@pytest.fixture
async def public_bot(seeded: EventStore, clock: Clock) -> AsyncIterator[Harness]:
    """The bot with SITREP_PUBLIC_URL set."""
    harness = make_harness(seeded, clock)
    runtime: Runtime = harness.app.bot_data[RUNTIME_KEY]
    runtime.settings = replace(runtime.settings, public_url=PUBLIC)
    deps: Deps = harness.app.bot_data[DEPS_KEY]
    deps.public_url = PUBLIC
    async with harness.app:
        yield harness
        for engine in harness.engines:
            await engine.stop()
    assert_valid_telegram_messages(harness.fake)


async def test_calendar_sends_talks_ics_that_icalendar_reads(bot: Harness) -> None:
    sent = await bot.say("/calendar")
    assert [m.method for m in sent] == ["sendDocument"]
    document = sent[0].params["document"]
    assert document["file_name"] == "talks.ics"
    assert document["content_type"] == "text/calendar"
    cal = Calendar.from_ical(document["content"])
    event = next(e for e in cal.walk("VEVENT") if "abu-dhabi" in str(e["UID"]))
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        date(2026, 2, 4),
        date(2026, 2, 6),
    )
    caption = sent[0].text
    assert "Import" in caption and "/calendar" in caption
    assert "live calendar" not in caption  # no public address, no feed to offer


async def test_calendar_offers_the_live_feed_with_a_public_address(public_bot: Harness) -> None:
    sent = await public_bot.say("/calendar")
    assert f"{PUBLIC}/calendar/talks.ics" in sent[0].text
    cal = Calendar.from_ical(sent[0].params["document"]["content"])
    urls = {str(e["URL"]) for e in cal.walk("VEVENT")}
    assert f"{PUBLIC}/event/3" in urls


async def test_calendar_is_in_help_and_the_command_menu(bot: Harness) -> None:
    assert "/calendar" in await bot.reply_to("/help")
    assert "calendar" in {c.command for c in handlers.bot_commands()}


async def test_event_links_to_its_page_only_with_a_public_address(
    bot: Harness, public_bot: Harness
) -> None:
    assert "/event/3" not in await bot.reply_to("/event 3")
    text = await public_bot.reply_to("/event 3")
    assert f'<a href="{PUBLIC}/event/3">{PUBLIC}/event/3</a>' in text


async def test_alerts_link_to_the_record_page(public_bot: Harness, clock: Clock) -> None:
    await public_bot.say("/subscribe talks", chat_id=501)
    reschedule(public_bot.store, "3", RescheduleRequest("2026-02-06"), author="os:test")
    time = VirtualTime()
    engine = public_bot.engine(time, public_url=PUBLIC)
    await engine.cycle()
    while engine.tasks:
        await asyncio.gather(*list(engine.tasks))
    alert = public_bot.fake.messages_for(501)[-1].text
    assert "postponed" in alert and f'href="{PUBLIC}/event/3"' in alert


async def test_healthz_names_the_last_bot_api_error_of_a_reply_or_a_send(
    public_bot: Harness, clock: Clock
) -> None:
    import json

    import aiohttp

    from bot.app import start_web

    runtime: Runtime = public_bot.app.bot_data[RUNTIME_KEY]
    runtime.settings = replace(runtime.settings, http_port=0)
    server = await start_web(runtime, public_bot.app.bot_data[DEPS_KEY])
    try:
        url = f"http://127.0.0.1:{server.port}/healthz"
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as response:
                assert (await response.json())["last_bot_api_error"] is None
            public_bot.fake.fail_next(
                "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
            )
            await public_bot.say("/talks", chat_id=909)
            async with http.get(url) as response:
                report = json.loads(await response.text())
        assert response.status == 200
        assert report["last_bot_api_error"] == {
            "at": "2026-01-20T12:00:00Z",
            "error": "Forbidden: bot was blocked by the user",
        }
    finally:
        await server.stop()
