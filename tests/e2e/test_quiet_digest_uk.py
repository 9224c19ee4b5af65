"""A Ukrainian chat's catch-up after quiet hours and its daily digest, through the real
Application: Ukrainian words, CLDR plural forms and genitive dates, no English."""

from __future__ import annotations

from bot.app import Runtime
from tests.conftest import Clock
from tests.e2e.harness import Harness
from tests.e2e.test_alerts import drain, move_abu_dhabi
from tests.e2e.test_quiet_digest import (  # noqa: F401
    fire_digest,
    incident,
    kyiv,
    move_again,
    quiet_off,
    running,
    to,
)

CHAT = 1001
UK = {"language_code": "uk"}


async def subscribe(bot: Harness, chat_id: int, topic: str) -> None:
    assert "оформлено" in await bot.reply_to(f"/subscribe {topic}", chat_id=chat_id, **UK)


async def test_a_ukrainian_chat_gets_its_catch_up_in_ukrainian(bot: Harness, clock: Clock) -> None:
    clock.now = kyiv(21, 0, 30)
    await bot.say("/start", chat_id=CHAT, **UK)
    await subscribe(bot, CHAT, "talks")
    await subscribe(bot, CHAT, "incidents")
    assert "23:00-07:00" in await bot.reply_to("/quiet 23:00-07:00", chat_id=CHAT, **UK)
    move_abu_dhabi(bot)
    move_again(bot)
    for event_id, place, region in (
        ("zap-1", "Zaporizhzhia", "Zaporizhzhia Oblast"),
        ("zap-2", "Vilniansk", "Zaporizhzhia Oblast"),
        ("kha-1", "Kharkiv", "Kharkiv Oblast"),
    ):
        bot.store.create(incident(event_id, place, region, 2), author="os:test")
    await drain(bot)
    off, catch_up = await quiet_off(bot, CHAT, **UK)
    assert "Тихі години" in off or "тихі години" in off
    text = catch_up.text
    assert "🌙 <b>Поки вас не було</b>" in text
    # Five updates (CLDR "many"), two changes to the round; genitive months, uk weekdays.
    assert "5 оновлень" in text and "(змін, поки вас не було: 2)" in text
    assert "було ср 4 – чт 5 лютого, тепер пн 9 – вт 10 лютого" in text
    assert "#3 Тристоронні переговори США, Росії та України в Абу-Дабі" in text
    # Areas named in Ukrainian, counted with their plural forms (few, one).
    assert "<b>Запорізька область</b>: 2 інциденти" in text
    assert "<b>Харківська область</b>: 1 інцидент" in text
    assert "While you were away" not in text and " Feb" not in text and "incidents" not in text


async def test_a_ukrainian_chat_gets_its_digest_in_ukrainian(
    bot: Harness,
    clock: Clock,
    running: Runtime,  # noqa: F811
) -> None:
    clock.now = kyiv(20, 14, 0)
    await bot.say("/start", chat_id=CHAT, **UK)
    await subscribe(bot, CHAT, "talks")
    assert "08:00" in await bot.reply_to("/digest 08:00", chat_id=CHAT, **UK)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert to(bot, CHAT, before) == []
    clock.now = kyiv(21, 8, 0)
    await fire_digest(bot, CHAT)
    [digest] = to(bot, CHAT, before)
    text = digest.text
    assert "📰 <b>Щоденний дайджест</b>: 1 оновлення від вт 20 січня" in text
    assert "було ср 4 – чт 5 лютого, тепер пт 6 – сб 7 лютого" in text
    assert "#3 Тристоронні переговори США, Росії та України в Абу-Дабі" in text
    assert "Daily digest" not in text and " Feb" not in text and " Jan" not in text
