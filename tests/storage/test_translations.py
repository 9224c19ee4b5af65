"""Translations on records: the format, validation, history, alerts and search in both languages."""

from __future__ import annotations

import json

import pytest

from storage.db import connect
from storage.events import EventStore, InvalidEvent
from storage.exchange import (
    ImportRejected,
    apply_import,
    dump_json,
    export_events,
    parse_records,
    plan_import,
)
from storage.migrations import migrations
from storage.model import MAX_TEXT, normalise, validate
from storage.rows import row_from_record
from tests.storage.records import incident, statement
from tests.words import english

MATERNITY = "zaporizhzhia-maternity-hospital-strike-2026"


def numbers(page) -> list[int]:
    return [e["number"] for e in page.events]


def import_records(store, raw, name="import.json"):
    records, plan = plan_import(store, raw, name)
    apply_import(store, records, plan, author="file:test", reason="test import")
    return plan


def problems(record) -> list[str]:
    return [english(e) for e in validate(normalise(record))]


def test_export_import_export_is_identical_with_translations(seeded, clock):
    seeded.update(
        "dtek-bus-strike-dnipro-2026",
        {"translations": {"uk": {"title": "Удар по автобусу", "note": "Примітка"}}},
        author="curator:ed",
        reason="translated",
    )
    first = dump_json(export_events(seeded))
    assert '"translations": {\n      "uk": {\n        "title": "Удар по автобусу"' in first
    fresh = EventStore(connect(":memory:"), clock=clock)
    import_records(fresh, json.loads(first), "export.json")
    second = dump_json(export_events(fresh))
    assert second == first
    assert fresh.get(MATERNITY)["translations"]["uk"]["title"].startswith("Атака російського")


def test_a_record_without_translations_reads_back_with_none(store):
    store.create(incident(), author="a")
    assert store.get("incident-test")["translations"] == {}


def test_reimporting_translated_records_changes_nothing(seeded):
    plan = import_records(seeded, json.loads(dump_json(export_events(seeded))))
    assert (plan.created, plan.updated, plan.unchanged) == ([], {}, 12)


def test_a_translation_in_yaml_is_read(store):
    raw = parse_records(
        "- id: a-1\n  kind: incident\n  status: reported\n  title: Strike\n  start: 2026-01-10\n"
        "  sources: [{name: Wire}]\n  translations:\n    uk:\n      title: '  Удар  '\n",
        "x.yaml",
    )
    import_records(store, raw, "x.yaml")
    assert store.get("a-1")["translations"] == {"uk": {"title": "Удар"}}


@pytest.mark.parametrize(
    ("translations", "expected"),
    [
        ({"de": {"title": "Angriff"}}, "translations.de: is not a language records are translated"),
        ({"uk": {"speaker": "Хтось"}}, "translations.uk.speaker: cannot be translated (only title"),
        ({"uk": {"title": 5}}, "translations.uk.title: must be text"),
        ({"uk": "Удар"}, "translations.uk: must map fields"),
        (["uk"], "translations: must map languages"),
        (
            {"uk": {"title": "у" * (MAX_TEXT["title"] + 1)}},
            f"translations.uk.title: is {MAX_TEXT['title'] + 1} characters; at most 200",
        ),
        (
            {"uk": {"quote": "Цитата"}},
            "translations.uk.quote: translates a quote the record does not have",
        ),
    ],
)
def test_bad_translations_are_named(translations, expected):
    found = problems(incident(translations=translations))
    assert any(p.startswith(expected) for p in found), found


def test_good_translations_pass_and_empty_ones_are_no_translation():
    assert problems(statement(translations={"uk": {"quote": "Нам нічого додати."}})) == []
    assert (
        normalise(incident(translations={"uk": {"title": " ", "summary": None}}))["translations"]
        == {}
    )


def test_an_import_with_a_bad_translation_writes_nothing(store):
    with pytest.raises(ImportRejected) as caught:
        plan_import(store, [incident(translations={"en": {"title": "x"}})], "f.json")
    assert "translations.en" in english(caught.value.problems[0])
    assert store.count() == 0


def test_a_translation_edit_is_a_revision_and_alerts_nobody(seeded):
    alerts = seeded.db.conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    rev = seeded.update(
        MATERNITY,
        {"translations": {"uk": {"title": "Новий заголовок"}}},
        author="curator:ed",
        reason="copy-edit",
    )
    assert rev is not None
    assert rev.changes["translations"]["new"] == {"uk": {"title": "Новий заголовок"}}
    assert rev.changes["translations"]["old"]["uk"]["title"].startswith("Атака")
    assert seeded.db.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == alerts


def test_a_bad_translation_update_is_refused(seeded):
    with pytest.raises(InvalidEvent):
        seeded.update(MATERNITY, {"translations": {"xx": {"title": "?"}}}, author="a")
    assert seeded.get(MATERNITY)["translations"]["uk"]["title"].startswith("Атака")


# --- search in both languages -------------------------------------------------------------


def test_a_ukrainian_word_form_finds_the_maternity_hospital_by_prefix(seeded):
    assert numbers(seeded.search("пологов")) == [5]
    assert numbers(seeded.search("ПОЛОГОВИЙ будинок")) == [5]


def test_place_names_and_english_words_still_find_it(seeded):
    assert numbers(seeded.search("Запоріжжя")) == [5]
    assert numbers(seeded.search("maternity hospital")) == [5]
    assert numbers(seeded.search("hospita")) == [5]  # a word it begins


def test_a_changed_translation_is_searched_and_the_old_words_are_not(seeded):
    seeded.update(
        MATERNITY, {"translations": {"uk": {"title": "Удар по лікарні"}}}, author="a", reason="x"
    )
    assert numbers(seeded.search("лікарн")) == [5]
    assert numbers(seeded.search("шестеро")) == []  # was in the old Ukrainian title only


def test_short_words_and_user_syntax_stay_literal(seeded):
    assert numbers(seeded.search('пологов" OR "Trump')) == []  # quotes never become syntax
    assert numbers(seeded.search("пологов*")) == [5]  # a typed star is a character, not syntax
    assert numbers(seeded.search("NEAR(Trump")) == []


def test_the_migration_indexes_translations_of_rows_stored_before_it(clock):
    db = connect(":memory:", migrate=False)
    migrations.apply(db, stop_before="m007_translations")
    rec = normalise(incident(id="old", title="Strike on a maternity hospital"))
    row = row_from_record({**rec, "number": 1, "sequence": 0}, clock())
    del row["translations"], row["translations_text"]  # the columns m007 adds
    db["events"].insert(row)
    migrations.apply(db)
    store = EventStore(db, clock=clock)
    assert store.get("old")["translations"] == {}
    assert numbers(store.search("maternity")) == [1]
    store.update("old", {"translations": {"uk": {"title": "Удар по пологовому"}}}, author="a")
    assert numbers(store.search("пологов")) == [1]


def test_a_translated_note_is_not_searched_as_the_original_note_is_not(seeded):
    # "висновок" is only in the seed's Ukrainian notes; "inferred" only in the English ones.
    assert seeded.search("висновок").events == []
    assert seeded.search("inferred").events == []
    assert seeded.search("пологовий").events  # a translated title is searched
