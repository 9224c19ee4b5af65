"""Arguments are never silently dropped: every command that takes fewer words than it was
given names the rest in a short note, and still does its job (issue 15)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.harness import ADMIN, Harness

READER = 1001


@pytest.fixture
async def jobs(bot: Harness) -> AsyncIterator[None]:
    """A running JobQueue: /add's ten-minute timeout is one of its jobs."""
    queue = bot.app.job_queue
    assert queue is not None
    await queue.start()
    yield
    await queue.stop(wait=False)


@pytest.mark.parametrize(
    "command, still",
    [
        ("/start please", "/talks"),
        ("/help me", "/subscribe"),
        ("/claims by trump", "Claims"),
        ("/statements today", "Zelensky"),
        ("/subscriptions talks", "no subscriptions"),
        ("/calendar now", "Import"),
    ],
)
async def test_a_command_without_arguments_names_the_words_it_left_out(
    bot: Harness, command: str, still: str
) -> None:
    name, extra = command.split(maxsplit=1)
    answer = await bot.reply_to(command, chat_id=READER)
    assert f"{name} takes nothing more, so I left out: {extra}" in answer
    assert still in answer  # and it still did its job


async def test_a_command_given_just_what_it_takes_has_no_note(bot: Harness) -> None:
    for command in ("/start", "/help", "/claims", "/subscriptions", "/calendar", "/talks"):
        assert "left out" not in await bot.reply_to(command, chat_id=READER), command


async def test_language_names_the_words_after_the_language_in_the_new_language(
    bot: Harness,
) -> None:
    answer = await bot.reply_to("/language uk please", chat_id=READER)
    assert "/language більше нічого не приймає, тож я пропустив: please" in answer
    assert bot.chats.settings(READER).language == "uk"


async def test_cancel_and_add_name_the_words_they_left_out(bot: Harness, jobs: None) -> None:
    answer = await bot.reply_to("/cancel everything", chat_id=ADMIN, user_id=ADMIN)
    assert "/cancel takes nothing more, so I left out: everything" in answer
    assert "nothing to cancel" in answer
    answer = await bot.reply_to("/add incident", chat_id=ADMIN, user_id=ADMIN)
    assert "/add takes nothing more, so I left out: incident" in answer
    assert "What are you adding?" in answer
    answer = await bot.reply_to("/cancel now", chat_id=ADMIN, user_id=ADMIN)
    assert "/cancel takes nothing more, so I left out: now" in answer
    assert "Nothing was saved" in answer


async def test_a_note_escapes_what_it_quotes(bot: Harness) -> None:
    answer = await bot.reply_to("/start <b>x</b>", chat_id=READER)
    assert "left out: &lt;b&gt;x&lt;/b&gt;" in answer
