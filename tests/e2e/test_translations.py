"""Curated content in two languages: curators set translations in chat, readers see their
language with an honest mark where there is none, and quotes stay as published."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from handlers.alerts import render_alert
from handlers.catalogue import text
from handlers.i18n import use_language
from handlers.render import full_event, list_item
from storage.outbox import Alert
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.test_alerts import drain, subscribe
from tests.e2e.test_curation import preview, publish_data

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 2, 2)
MATERNITY = "zaporizhzhia-maternity-hospital-strike-2026"
DTEK = "dtek-bus-strike-dnipro-2026"
ZELENSKY = "zelensky-telegram-substantive-talks-2026"


async def test_correct_a_ukrainian_title_previews_old_and_new_then_publishes(bot: Harness) -> None:
    await subscribe(bot, 1001, "incidents")
    shown = await preview(bot, '/correct 5 uk.title="Удар по пологовому будинку" — copy-edit')
    assert "uk.title: Атака російського дрона на пологовий будинок" in shown.text
    assert "→ Удар по пологовому будинку" in shown.text
    assert "uk.summary" not in shown.text  # only what changes
    assert bot.store.get(MATERNITY)["translations"]["uk"]["title"].startswith("Атака")
    await bot.press(shown, publish_data(shown))
    stored = bot.store.get(MATERNITY)["translations"]["uk"]
    assert stored["title"] == "Удар по пологовому будинку"
    assert stored["summary"].startswith("Українські служби")  # the rest is kept
    revision = bot.store.revisions(MATERNITY)[-1]
    assert revision.reason == "copy-edit"
    assert "uk.title" in await bot.reply_to("/history 5")
    before = len(bot.fake.sent)
    await drain(bot)
    assert bot.fake.sent[before:] == []  # a copy-edit alerts nobody


async def test_correct_sets_a_translation_where_there_was_none(bot: Harness) -> None:
    uk = bot.store.get(DTEK)["translations"]["uk"]
    untranslated = {k: v for k, v in uk.items() if k != "note"}
    bot.store.update(DTEK, {"translations": {"uk": untranslated}}, author="a")
    shown = await preview(bot, '/correct 4 uk.note="Місце за статтею: Дніпро."')
    assert "uk.note: — → Місце за статтею: Дніпро." in shown.text
    await bot.press(shown, publish_data(shown))
    assert bot.store.get(DTEK)["translations"]["uk"]["note"] == "Місце за статтею: Дніпро."


async def test_bad_translation_fields_are_refused_and_change_nothing(bot: Harness) -> None:
    before = bot.store.get(MATERNITY)
    reply = await bot.reply_to('/correct 5 de.title="Angriff"', chat_id=ADMIN, user_id=ADMIN)
    assert "can't be corrected this way" in reply and "uk.title" in reply
    reply = await bot.reply_to('/correct 5 uk.quote="Цитата"', chat_id=ADMIN, user_id=ADMIN)
    assert "translates a quote the record does not have" in reply
    reply = await bot.reply_to(f'/correct 5 uk.title="{"у" * 201}"', chat_id=ADMIN, user_id=ADMIN)
    assert "at most 200" in reply
    assert bot.store.get(MATERNITY) == before


async def test_search_finds_ukrainian_word_forms_and_english_words(bot: Harness) -> None:
    found = await bot.reply_to("/search пологов")
    assert "#5 " in found and "#4 " not in found
    found = await bot.reply_to("/search Запоріжжя")
    assert "#5 " in found
    found = await bot.reply_to("/search maternity hospital")
    assert "#5 " in found


# --- what a reader of each language sees: the language given explicitly, or read from
# handlers.i18n (the per-update setting) -------------------------------------------------


def test_a_ukrainian_reader_sees_the_translation_without_a_mark(bot: Harness) -> None:
    rec = bot.store.get(MATERNITY)
    shown = full_event(rec, bot.store.revisions(MATERNITY), KYIV, TODAY, lang="uk")
    assert "#5 Атака російського дрона на пологовий будинок у Запоріжжі" in shown
    assert "Українські служби екстреного реагування" in shown
    assert "maternity hospital" not in shown.split("\n")[0]
    mark = text("untranslated_mark", "uk")
    assert mark not in shown.split("\n")[0]
    # The curator's note in Ukrainian too; without its translation, in English, marked.
    note = shown.split(text("label_note", "uk"))[1]
    assert "Кількість — за даними українських служб" in note and mark not in note
    bot.store.update(MATERNITY, {"translations": {"uk": {"title": "Атака"}}}, author="a")
    shown = full_event(bot.store.get(MATERNITY), [], KYIV, TODAY, lang="uk")
    note = shown.split(text("label_note", "uk"))[1]
    assert "Figure per Ukrainian emergency services" in note and mark in note


def test_an_english_reader_sees_the_original_and_no_mark(bot: Harness) -> None:
    rec = bot.store.get(MATERNITY)
    shown = full_event(rec, bot.store.revisions(MATERNITY), KYIV, TODAY, lang="en")
    assert "#5 Russian drone attack on a maternity hospital" in shown
    assert "Атака" not in shown
    assert text("untranslated_mark", "en") not in shown


def test_an_untranslated_record_is_shown_in_the_original_with_the_mark(bot: Harness) -> None:
    bot.store.update(MATERNITY, {"translations": {}}, author="a", reason="x")
    rec = bot.store.get(MATERNITY)
    lines = list_item(rec, [], KYIV, TODAY, lang="uk")
    mark = text("untranslated_mark", "uk")
    assert (
        lines[0]
        == f"<b>#5 Russian drone attack on a maternity hospital in Zaporizhzhia injures six</b> {mark} /event_5"
    )
    assert lines[2].endswith(mark)  # the summary, too
    assert mark not in "\n".join(list_item(rec, [], KYIV, TODAY, lang="en"))


def test_a_quote_is_shown_as_published_then_its_translation_marked(bot: Harness) -> None:
    rec = bot.store.get(ZELENSKY)
    shown = full_event(rec, bot.store.revisions(ZELENSKY), KYIV, TODAY, lang="uk")
    published = "“Ukraine is ready for substantive talks and we are interested in an outcome"
    translated = text(
        "quote_translation",
        "uk",
        text="Україна готова до предметних переговорів, і ми зацікавлені в результаті, який "
        "наблизить нас до справжнього й гідного завершення війни.",
    )
    assert published in shown and translated in shown
    assert shown.index(published) < shown.index(translated)
    assert "“Україна" not in shown  # a translation is never in quotation marks
    listed = "\n".join(list_item(rec, [], KYIV, TODAY, lang="uk"))
    assert published in listed and text("quote_translation", "uk", text="Україна")[:-7] in listed
    english = full_event(rec, [], KYIV, TODAY, lang="en")
    assert published in english and "Україна" not in english


def test_a_quote_without_its_translation_is_marked(bot: Harness) -> None:
    bot.store.update(ZELENSKY, {"translations": {"uk": {"title": "Заголовок"}}}, author="a")
    rec = bot.store.get(ZELENSKY)
    shown = full_event(rec, [], KYIV, TODAY, lang="uk")
    mark = text("untranslated_mark", "uk")
    assert f"war.”</blockquote> {mark}" in shown
    assert text("quote_translation", "uk", text="")[:10] not in shown


def test_an_alert_is_in_the_readers_language(bot: Harness) -> None:
    rec = bot.store.get(ZELENSKY)
    alert = Alert(1, ZELENSKY, "statement_new", "statements", 0, {}, "2026-02-01T00:00:00Z")
    shown = render_alert(alert, rec, KYIV, TODAY, lang="uk")
    assert "“Ukraine is ready for substantive talks" in shown
    assert "Україна готова до предметних переговорів" in shown
    incident = bot.store.get(MATERNITY)
    alert = Alert(2, MATERNITY, "incident_new", "incidents", 0, {}, "2026-02-01T00:00:00Z")
    assert "Атака російського дрона" in render_alert(alert, incident, KYIV, TODAY, lang="uk")
    assert "Атака" not in render_alert(alert, incident, KYIV, TODAY, lang="en")


def test_renders_read_the_language_of_the_update_being_handled(bot: Harness) -> None:
    rec = bot.store.get(MATERNITY)
    with use_language("uk"):
        assert "Атака російського дрона" in full_event(rec, [], KYIV, TODAY)
        assert "Атака російського дрона" in list_item(rec, [], KYIV, TODAY)[0]
    assert "Атака" not in full_event(rec, [], KYIV, TODAY)
