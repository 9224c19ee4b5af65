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
