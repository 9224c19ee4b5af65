"""Ukrainian and English readers through the real Application: each chat in its own language,
from its user's Telegram client or /language, in replies and in alerts sent unasked."""

from __future__ import annotations

import json
from pathlib import Path

from telegram.ext import CallbackContext

from bot.app import RUNTIME_KEY, start_background, stop_background
from bot.sync import FolderJob
from tests.e2e.harness import Harness, buttons
from tests.e2e.test_alerts import drain

UK = {"language_code": "uk"}
EN = {"language_code": "en"}


async def test_a_ukrainian_client_gets_ukrainian(bot: Harness) -> None:
    start = await bot.reply_to("/start", **UK)
    assert "мирні переговори" in start and "Try /talks" not in start
    help_text = await bot.reply_to("/help", **UK)
    assert "<b>Команди</b>" in help_text
    assert "/language" in help_text and "Час показано за поясом Київ" in help_text
    talks = await bot.reply_to("/talks", **UK)
    assert "<b>Мирні переговори</b>" in talks
    # The Abu Dhabi round on 4–5 лютого, moved from 1 лютого; its place in Ukrainian.
    assert "ср 4 – чт 5 лютого · Абу-Дабі" in talks
    assert "<i>Статус:</i> перенесено · було 1 лютого, тепер 4–5 лютого" in talks
    incidents = await bot.reply_to("/incidents", **UK)
    assert "<b>Інциденти</b>" in incidents
    assert "Запоріжжя, Запорізька область, Україна" in incidents
    assert "Поранених: 6" in incidents and "Загиблих: щонайменше 12" in incidents
    statements = await bot.reply_to("/statements", **UK)
    assert "<b>Заяви</b>" in statements and "не цитата" in statements
    event = await bot.reply_to("/event 3", **UK)
    assert "<i>Коли:</i> ср 4 – чт 5 лютого" in event
    assert "<i>Де:</i> Абу-Дабі" in event
    # Related records by their titles in the reader's language.
    assert "#2 Зустріч Віткоффа і Дмитрієва у Флориді" in event
    assert "перенесено: було 1 лютого, тепер 4–5 лютого" in event
    assert "<b>Історія змін</b>" in event and "редактор: " in event
    assert "статус заплановано → перенесено" in event
    assert "початок 2026-02-01 → 2026-02-04" in event
    # No English dates: curated words stay as curated (their translations are records' own).
    for reply in (talks, statements, event):
        assert " Feb" not in reply.replace("February", "") and "Wed " not in reply


async def test_an_english_client_gets_english(bot: Harness) -> None:
    talks = await bot.reply_to("/talks", chat_id=1002, **EN)
    assert "<b>Peace talks</b>" in talks
    assert "Wed 4 – Thu 5 Feb · Abu Dhabi" in talks
    assert "<i>Status:</i> postponed · was 1 Feb, now 4–5 Feb" in talks
    assert "лютого" not in talks
    event = await bot.reply_to("/event 3", chat_id=1002, **EN)
    assert "<i>When:</i> Wed 4 – Thu 5 Feb" in event and "by editor:" in event
    # Any language the bot does not speak reads SITREP_LANGUAGE (English here).
    assert "<b>Peace talks</b>" in await bot.reply_to("/talks", chat_id=1003, language_code="de")


async def test_a_private_chat_keeps_the_language_it_started_in(bot: Harness) -> None:
    await bot.say("/start", **UK)
    assert bot.chats.settings(1001).language == "uk"
    # Later updates without a language (a client that sends none) still read Ukrainian.
    assert "<b>Мирні переговори</b>" in await bot.reply_to("/talks")


async def test_one_reschedule_alerts_each_subscriber_in_their_language(bot: Harness) -> None:
    await bot.say("/subscribe talks", chat_id=1001, **UK)
    await bot.say("/subscribe talks", chat_id=1002, **EN)
    before = len(bot.fake.sent)
    # What `sitrep reschedule` calls.
    from tests.e2e.test_alerts import move_abu_dhabi

    move_abu_dhabi(bot)
    await drain(bot)
    alerts = {m.chat_id: m.text for m in bot.fake.sent[before:]}
    assert sorted(alerts) == [1001, 1002]
    assert "перенесено: було ср 4 – чт 5 лютого, тепер пт 6 – сб 7 лютого" in alerts[1001]
    assert "Цей раунд переносили 2 рази." in alerts[1001]
    assert "<i>Причина:</i> Delegations asked for more time" in alerts[1001]
    assert "Повний запис: /event_3" in alerts[1001]
    assert "postponed: was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in alerts[1002]
    assert "This round has moved 2 times." in alerts[1002]
    assert "лютого" not in alerts[1002]


async def test_language_command_switches_a_chat_and_back(bot: Harness) -> None:
    await bot.say("/start", **UK)
    await bot.say("/subscribe talks", **UK)
    switched = await bot.reply_to("/language en", **UK)
    assert switched == "From now on I answer this chat in English."
    assert "<b>Peace talks</b>" in await bot.reply_to("/talks", **UK)
    assert "Language: English" in await bot.reply_to("/settings", **UK)
    back = await bot.reply_to("/language uk", **UK)
    assert back == "Відтепер відповідаю в цьому чаті українською."
    assert "<b>Мирні переговори</b>" in await bot.reply_to("/talks", **UK)
    # Unknown languages change nothing, and say which there are.
    unknown = await bot.reply_to("/language fr", **UK)
    assert "<code>/language en</code> (English)" in unknown
    assert bot.chats.settings(1001).language == "uk"


async def test_language_buttons(bot: Harness) -> None:
    shown = (await bot.say("/language", **EN))[0]
    assert buttons(shown) == [("English", "lang|en"), ("Українська", "lang|uk")]
    await bot.press(shown, "lang|uk")
    assert bot.chats.settings(1001).language == "uk"
    assert bot.fake.sent[-1].text == "Відтепер відповідаю в цьому чаті українською."
    assert "<b>Мирні переговори</b>" in await bot.reply_to("/talks", **EN)


async def test_in_a_group_only_administrators_change_the_language(bot: Harness) -> None:
    group = {"chat_id": -100777, "chat_type": "supergroup", "user_id": 55}
    refused = await bot.reply_to("/language uk", **group, **UK)
    assert "administrators" in refused
    assert bot.chats.settings(-100777).language is None
    # A group reads SITREP_LANGUAGE, whatever its members' clients say.
    assert "<b>Peace talks</b>" in await bot.reply_to("/talks", **group, **UK)
    bot.fake.admins[-100777] = {56}
    admin = {**group, "user_id": 56}
    assert "українською" in await bot.reply_to("/language uk", **admin)
    assert "<b>Мирні переговори</b>" in await bot.reply_to("/talks", **group, **EN)


async def test_the_command_menu_in_every_language(bot: Harness) -> None:
    await start_background(bot.app)
    await stop_background(bot.app)
    menus = {
        json.loads(key)[1]: {c["command"]: c["description"] for c in commands}
        for key, commands in bot.fake.commands.items()
    }
    assert set(menus) == {"", "en", "uk"}
    assert menus["uk"]["talks"].startswith("Раунди переговорів")
    assert menus["en"]["talks"].startswith("Talks rounds")
    assert menus[""] == menus["en"]  # the default: SITREP_LANGUAGE
    assert "language" in menus["uk"] and set(menus["uk"]) == set(menus["en"])


async def test_the_curators_chat_is_told_in_its_own_language(bot: Harness, tmp_path: Path) -> None:
    curators = -100555
    bot.open_chat(curators, "supergroup")
    bot.chats.set_language(curators, "supergroup", "uk")
    language_of = bot.app.bot_data[RUNTIME_KEY]
    job = FolderJob(
        bot.store,
        tmp_path,
        curators,
        lambda: None,
        lambda chat_id: language_of.chats.settings(chat_id).language or "en",
    )
    (tmp_path / "broken.yaml").write_text("- id: bad-one\n  kind: talks\n  title: No sources\n")
    await job.run(CallbackContext(bot.app))
    [reported] = bot.fake.messages_for(curators)
    assert "<b>Файл broken.yaml не імпортовано</b>" in reported.text
    # Each record's problems in the chat's language too: storage names them, the catalogue words.
    assert "broken.yaml: запис 1 (id bad-one): status: для talks має бути одним із" in reported.text
    assert "start: обов’язкове поле" in reported.text
    assert "sources: потрібне принаймні одне джерело" in reported.text
    assert "is required" not in reported.text


async def test_parties_are_named_in_the_readers_language_as_a_cldr_list(bot: Harness) -> None:
    uk = await bot.reply_to("/event 3", **UK)
    assert "<i>Сторони:</i> Україна, Росія і США" in uk
    assert "<i>Сторони:</i> Україна, Росія і США" in await bot.reply_to("/talks", **UK)
    # A party that is not a state (a company) stays as curated.
    assert "<i>Сторони:</i> Росія, Україна і DTEK" in await bot.reply_to("/event 4", **UK)
    en = await bot.reply_to("/event 3", chat_id=1002, **EN)
    assert "<i>Parties:</i> Ukraine, Russia, and United States" in en
