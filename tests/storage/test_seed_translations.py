"""The seed in Ukrainian: every curated text a record has, translated, with no new facts."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from storage.model import TRANSLATABLE
from storage.seed import seed_text

RECORDS: list[dict[str, Any]] = yaml.safe_load(seed_text())
# Words of the article quoted in a note stay as printed, in «», with a translation beside them.
ARTICLE_WORDS = re.compile(r"«([A-Za-z][^»]*)»")


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_every_curated_text_has_its_ukrainian(record: dict[str, Any]) -> None:
    uk = record["translations"]["uk"]
    wanted = {field for field in TRANSLATABLE if record.get(field)}
    assert wanted - set(uk) == set()
    assert all(re.search("[а-яіїєґ]", uk[field]) for field in wanted - {"quote"} if uk.get(field))


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_a_translated_note_adds_no_number_the_curated_note_lacks(record: dict[str, Any]) -> None:
    english, ukrainian = record["note"], record["translations"]["uk"]["note"]
    assert set(re.findall(r"[0-9]+", ukrainian)) <= set(re.findall(r"[0-9]+", english))


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_the_articles_words_in_a_note_are_the_notes_own(record: dict[str, Any]) -> None:
    english = " ".join(record["note"].split())
    for words in ARTICLE_WORDS.findall(record["translations"]["uk"]["note"]):
        assert words in english, words
