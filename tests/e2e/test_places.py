"""Places in either script, through the real Application: /incidents, /subscribe, /search,
/settings zone."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Harness
from tests.e2e.test_alerts import drain


@pytest.mark.parametrize("area", ["Запоріжжя", "запоріжжя", "Zaporozhye", "Запорізька область"])
async def test_incidents_in_zaporizhzhia_by_any_name(bot: Harness, area: str) -> None:
    text = await bot.reply_to(f"/incidents {area}")
    assert "maternity hospital" in text
    assert "bus carrying DTEK mineworkers" not in text
    assert area in text  # the filter is shown as the reader typed it


@pytest.mark.parametrize("area", ["Дніпро", "Dnepr", "dnipro", "Дніпропетровська область"])
async def test_incidents_in_dnipro_by_any_name(bot: Harness, area: str) -> None:
    text = await bot.reply_to(f"/incidents {area}")
    assert "DTEK" in text
    assert "maternity" not in text


async def test_subscribing_in_ukrainian_is_the_same_area(bot: Harness) -> None:
    assert "Subscribed" in await bot.reply_to("/subscribe incidents Запоріжжя")
    assert "already" in await bot.reply_to("/subscribe incidents zaporizhzhia")
    [sub] = bot.chats.subscriptions(1001)
    assert sub.region == "zaporizhzhia"
    assert "Subscribed" in await bot.reply_to("/subscribe incidents Kharkiv", chat_id=1002)
    # A new incident as ACLED writes it: admin1 "Zaporizhia" is the oblast.
    before = len(bot.fake.sent)
    bot.store.create(
        {
            "id": "acled-orikhiv",
            "kind": "incident",
            "title": "Shelling in Orikhiv",
            "status": "reported",
            "start": "2026-01-19",
            "timezone": "Europe/Kyiv",
            "place": "Orikhiv",
            "region": "Zaporizhia",
            "country": "Ukraine",
            "sources": [{"name": "ACLED"}],
        },
        author="t",
    )
    await drain(bot)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [1001]
    assert "Stopped incident alerts" in await bot.reply_to("/unsubscribe incidents Zaporozhye")
    assert bot.chats.subscriptions(1001) == []


@pytest.mark.parametrize("words", ["Запоріжжя", "пологовий Запоріжжя", "Zaporozhye"])
async def test_search_by_a_ukrainian_place_name(bot: Harness, words: str) -> None:
    text = await bot.reply_to(f"/search {words}")
    # "пологовий" is a word of the record's Ukrainian translation; the place, any spelling.
    assert "maternity hospital" in text and "bus carrying DTEK mineworkers" not in text


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Київ", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Washington", "America/New_York"),
        ("Abu Dhabi", "Asia/Dubai"),
        ("europe/berlin", "Europe/Berlin"),
    ],
)
async def test_settings_zone_by_place_name(bot: Harness, typed: str, zone: str) -> None:
    await bot.reply_to("/settings zone Asia/Tokyo")
    assert zone in await bot.reply_to(f"/settings zone {typed}")
    assert bot.chats.settings(1001).zone == zone


async def test_an_unknown_zone_suggests_and_changes_nothing(bot: Harness) -> None:
    await bot.reply_to("/settings zone Asia/Tokyo")
    text = await bot.reply_to("/settings zone Kiyv")
    assert "/settings zone Kyiv" in text and "Europe/Kyiv" in text
    text = await bot.reply_to("/settings zone Europe/Kiyv")
    assert "/settings zone Europe/Kyiv" in text
    text = await bot.reply_to("/settings zone <b>Nowhere</b>")
    assert "&lt;b&gt;Nowhere" in text and "Did you mean" not in text
    assert bot.chats.settings(1001).zone == "Asia/Tokyo"
