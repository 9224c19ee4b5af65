"""/chart through the stand-in: PNG photos a phone can read, with the figures in the caption."""

from __future__ import annotations

import struct

from storage.events import EventStore
from tests.e2e.harness import Harness
from tests.e2e.test_alerts import move_abu_dhabi

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_header(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's own header (read here, not by the stand-in's code)."""
    assert data[:8] == PNG_SIGNATURE, data[:8]
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def the_photo(sent: list) -> bytes:  # type: ignore[type-arg]
    photos = [m for m in sent if m.method == "sendPhoto"]
    assert len(photos) == 1, [(m.method, m.text[:80]) for m in sent]
    assert photos[0].photo is not None
    return photos[0].photo


def store_state(store: EventStore) -> tuple[object, ...]:
    """Everything a chart must leave alone: records, revisions, alerts, chats, boards."""
    conn = store.db.conn
    tables = ("events", "revisions", "alerts", "deliveries", "chats", "subscriptions", "boards")
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    return (*counts, conn.execute("SELECT sum(sequence) FROM events").fetchone()[0])


async def test_chart_incidents_sends_a_wide_png_with_the_figures(bot: Harness) -> None:
    sent = await bot.say("/chart incidents")
    width, height = png_header(the_photo(sent))
    assert width >= 1000 and height >= 500
    caption = sent[0].text
    # The seed's two incidents: the DTEK bus (12 killed) and the maternity hospital (6 hurt).
    assert "Incidents: 2" in caption
    assert "Killed: 12" in caption and "injured: 6" in caption


async def test_chart_incidents_reads_area_and_period_as_incidents_does(bot: Harness) -> None:
    sent = await bot.say("/chart incidents Запоріжжя 1y")
    png_header(the_photo(sent))
    caption = sent[0].text
    assert "in Запоріжжя in the last 1y" in caption
    assert "Incidents: 1" in caption and "Killed: 0" in caption and "injured: 6" in caption
    listed = await bot.reply_to("/incidents Запоріжжя 1y")
    assert listed.count("<b>#") == 1  # the list and the chart count the same incidents


async def test_chart_talks_draws_each_move_from_the_revision_history(bot: Harness) -> None:
    sent = await bot.say("/chart talks")
    width, _ = png_header(the_photo(sent))
    assert width >= 1000
    assert "rounds: 3" in sent[0].text and "moves in all: 1" in sent[0].text
    assert "1 Feb → 4 Feb" in sent[0].text
    move_abu_dhabi(bot)
    again = await bot.say("/chart talks")
    png_header(the_photo(again))
    assert "moves in all: 2" in again[0].text
    assert "1 Feb → 4 Feb, 4 Feb → 6 Feb" in again[0].text


async def test_a_long_talks_caption_stays_within_telegrams_limit(bot: Harness) -> None:
    for n in range(40):
        bot.store.create(
            {
                "id": f"round-{n}",
                "kind": "talks",
                "title": f"A round of talks with a long enough title, number {n}",
                "status": "scheduled",
                "start": f"2026-03-{n % 28 + 1:02d}",
                "time_precision": "day",
                "timezone": "Europe/Kyiv",
                "sources": [{"name": "Test"}],
            },
            author="os:test",
        )
        bot.store.update(
            f"round-{n}", {"start": f"2026-04-{n % 28 + 1:02d}"}, author="os:test", reason="moved"
        )
    sent = await bot.say("/chart talks")
    png_header(the_photo(sent))
    assert len(sent[0].text) <= 1024
    assert "… and" in sent[0].text
    assert not bot.fake.errors_returned


async def test_bad_chart_requests_get_a_clear_answer_and_change_nothing(bot: Harness) -> None:
    await bot.say("/start")  # the chat is remembered by any command: not the chart's doing
    before = store_state(bot.store)
    answers = {
        "/chart": "Which chart?",
        "/chart frob": "I have no chart called <code>frob</code>",
        "/chart incidents nowhere 99y": "No incidents recorded in nowhere in the last 99y",
        "/chart incidents 5x": "I can't read the period 5x",
        "/chart talks 7d": "takes no area or period",
    }
    for command, expected in answers.items():
        sent = await bot.say(command)
        assert [m.method for m in sent] == ["sendMessage"], command
        assert expected in sent[0].text, (command, sent[0].text)
    assert store_state(bot.store) == before


async def test_no_talks_means_a_text_answer_not_an_empty_chart(bot: Harness) -> None:
    bot.store.db.conn.execute("DELETE FROM events WHERE kind = 'talks'")
    sent = await bot.say("/chart talks")
    assert [m.method for m in sent] == ["sendMessage"]
    assert "nothing to chart" in sent[0].text


async def test_help_and_the_menu_list_chart_and_board(bot: Harness) -> None:
    text = await bot.reply_to("/help")
    assert "/chart incidents" in text and "/chart talks" in text and "/board" in text
    import handlers

    assert {"chart", "board"} <= {c.command for c in handlers.bot_commands()}
