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
    uk_inside, en_inside = asyncio.Event(), asyncio.Event()

    # Events, not a sleep: each task reads its language while the other is inside its own.
    async def render_uk() -> None:
        with use_language("uk"):
            uk_inside.set()
            await en_inside.wait()
            seen["uk"] = current_language()

    async def render_en() -> None:
        await uk_inside.wait()
        with use_language("en"):
            en_inside.set()
            seen["en"] = current_language()

    await asyncio.gather(render_uk(), render_en())
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
