"""The language of the current render: one ContextVar, set per update and per send."""

from __future__ import annotations

import asyncio

import pytest

from handlers.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    negotiate,
    use_language,
)


def test_default_outside_any_update() -> None:
    assert current_language() == DEFAULT_LANGUAGE == "en"
    assert LANGUAGES[0] == DEFAULT_LANGUAGE


def test_use_language_sets_and_restores() -> None:
    with use_language("uk") as lang:
        assert lang == "uk"
        assert current_language() == "uk"
        with use_language("en"):
            assert current_language() == "en"
        assert current_language() == "uk"
    assert current_language() == "en"


def test_unknown_language_falls_back() -> None:
    with use_language("xx"):
        assert current_language() == DEFAULT_LANGUAGE


async def test_each_task_keeps_its_own_language() -> None:
    seen: dict[str, str] = {}
    started = asyncio.Event()

    async def render(lang: str) -> None:
        with use_language(lang):
            if lang == "uk":
                started.set()
            else:
                await started.wait()
            await asyncio.sleep(0)
            seen[lang] = current_language()

    await asyncio.gather(render("uk"), render("en"))
    assert seen == {"uk": "uk", "en": "en"}


@pytest.mark.parametrize(
    ("code", "default", "expected"),
    [
        ("uk", "en", "uk"),
        ("uk-UA", "en", "uk"),
        ("UK", "en", "uk"),
        ("en", "uk", "en"),
        ("ru", "en", "en"),
        ("ru", "uk", "uk"),
        ("de", "xx", "en"),
        (None, "uk", "uk"),
        ("", "en", "en"),
    ],
)
def test_negotiate(code: str | None, default: str, expected: str) -> None:
    assert negotiate(code, default) == expected
