"""The seed says only what its article says: quotes word for word, reported speech as such.

The article is tests/data/seed-article.txt, a copy of ../shared/seed-article.txt (see
tests/data/README.md): CI clones only this repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from storage.seed import seed_text

REPO = Path(__file__).resolve().parents[2]
ARTICLE = REPO / "tests" / "data" / "seed-article.txt"
ORIGINAL = REPO.parent / "shared" / "seed-article.txt"
# What the article prints inside quotation marks (curly or straight).
QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def seed() -> list[dict[str, Any]]:
    records = yaml.safe_load(seed_text())
    assert isinstance(records, list)
    return records


def by_id(ident: str) -> dict[str, Any]:
    return next(r for r in seed() if r["id"] == ident)


def quoted_passages() -> list[str]:
    return [flat(a or b) for a, b in QUOTED.findall(article())]


def test_the_article_copy_quotes_five_passages() -> None:
    # Guards the test below: a copy that lost its quotation marks would make it vacuous.
    assert len(quoted_passages()) == 5


@pytest.mark.skipif(not ORIGINAL.exists(), reason="../shared/seed-article.txt is not here")
def test_the_article_copy_is_the_original() -> None:
    assert ARTICLE.read_bytes() == ORIGINAL.read_bytes()


@pytest.mark.parametrize("record", seed(), ids=lambda r: str(r["id"]))
def test_every_quote_is_words_the_article_prints_inside_quotation_marks(
    record: dict[str, Any],
) -> None:
    quote = flat(record.get("quote") or "")
    if not quote:
        return
    assert any(quote in passage for passage in quoted_passages()), (
        f"{record['id']}: {quote!r} is not inside quotation marks in the article"
    )


def _cited(record: dict[str, Any]) -> list[str]:
    sources = list(record.get("sources") or [])
    sources += [r["source"] for r in record.get("revisions") or [] if r.get("source")]
    return [s["quote"] for s in sources if s.get("quote")]


@pytest.mark.parametrize("record", seed(), ids=lambda r: str(r["id"]))
def test_every_cited_sentence_is_the_article_word_for_word(record: dict[str, Any]) -> None:
    text = flat(article())
    for cited in _cited(record):
        for piece in flat(cited).split(" [...] "):
            assert piece in text, f"{record['id']}: {piece!r} is not in the article"


def test_reported_speech_is_paraphrase_not_quote() -> None:
    for ident in (
        "dtek-terrorist-attack-statement-2026",
        "trump-claim-kyiv-strike-pause-2026",
        "donbas-positions-context-2026",
    ):
        record = by_id(ident)
        assert not record.get("quote"), ident
        assert record["paraphrase"], ident
    trump = by_id("trump-claim-kyiv-strike-pause-2026")
    assert trump["paraphrase"] == (
        "Russia had agreed to temporarily cease targeting Kyiv and other urban centers"
    )
    assert flat(trump["paraphrase"]) in flat(article())


def test_the_small_inaccuracies_are_fixed() -> None:
    everything = seed_text()
    zelensky = by_id("zelensky-telegram-substantive-talks-2026")
    assert "closer to a real and dignified end" in flat(zelensky["summary"])
    assert by_id("trilateral-talks-2026-01")["time_precision"] == "month"
    # The bus was DTEK's; the article does not say the mineworkers were.
    assert "DTEK mineworkers" not in everything and "DTEK miners" not in everything
    assert "energy" not in by_id("trump-claim-kyiv-strike-pause-2026")["tags"]
    (postponed,) = [
        r for r in by_id("abu-dhabi-trilateral-2026-02")["revisions"] if r["sequence"] == 1
    ]
    assert "on social media" in postponed["source"]["name"]
    assert "Telegram" not in postponed["source"]["name"]
    assert zelensky["channel"] == "Telegram"


def test_the_seed_invents_no_clock_times_for_its_history() -> None:
    for record in seed():
        for revision in record.get("revisions") or []:
            assert "at" not in revision, record["id"]
            assert "T" not in str(revision.get("happened") or ""), record["id"]
