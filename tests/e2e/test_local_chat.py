"""The local chat mode (`make run` without a token): who is a curator there."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.chat import LOCAL_USER, chat_loop
from bot.settings import Settings


async def chat(tmp_path: Path, admins: frozenset[int], lines: str) -> str:
    out = io.StringIO()
    settings = Settings(db_path=str(tmp_path / "local.db"), admins=admins)
    await chat_loop(settings, io.StringIO(lines), out)
    return out.getvalue()


async def test_the_person_at_the_terminal_is_a_curator_without_sitrep_admins(
    tmp_path: Path,
) -> None:
    said = await chat(tmp_path, frozenset(), "/status 3 held\n")
    assert "Preview" in said


@pytest.mark.parametrize(
    ("admins", "curator"), [(frozenset({999}), False), (frozenset({999, LOCAL_USER}), True)]
)
async def test_sitrep_admins_decides_in_the_local_chat_too(
    tmp_path: Path, admins: frozenset[int], curator: bool
) -> None:
    said = await chat(tmp_path, admins, "/status 3 held\n")
    assert ("Preview" in said) is curator
    assert ("only sitrep's curators" in said) is not curator


async def test_sitrep_chat_language_uk_answers_in_ukrainian(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = Settings(db_path=str(tmp_path / "local.db"))
    await chat_loop(settings, io.StringIO("/talks\n"), out, language="uk")
    said = out.getvalue()
    assert "Мирні переговори" in said and "лютого" in said
    assert "Peace talks" not in said


async def test_the_flag_turns_a_chat_that_read_english_ukrainian(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "local.db"))
    first, second = io.StringIO(), io.StringIO()
    await chat_loop(settings, io.StringIO("/talks\n"), first)
    assert "Peace talks" in first.getvalue()
    await chat_loop(settings, io.StringIO("/talks\n"), second, language="uk")
    assert "Мирні переговори" in second.getvalue()


async def test_sitrep_language_is_the_terminal_users_client_language(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = Settings(db_path=str(tmp_path / "local.db"), language="uk")
    await chat_loop(settings, io.StringIO("/start\n"), out)
    assert "мирні переговори" in out.getvalue()


def test_the_chat_command_takes_only_a_language_the_bot_speaks(capsys) -> None:
    from bot.cli import parser

    assert parser().parse_args(["chat", "--language", "uk"]).language == "uk"
    with pytest.raises(SystemExit):
        parser().parse_args(["chat", "--language", "de"])
    assert "invalid choice" in capsys.readouterr().err
