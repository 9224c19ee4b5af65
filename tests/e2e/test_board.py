"""/board through the stand-in: a pinned board, edited in place by the delivery engine."""

from __future__ import annotations

import asyncio

from storage.board import BoardStore
from tests.e2e.harness import Harness, VirtualTime
from tests.e2e.test_alerts import drain, move_abu_dhabi

GROUP, ADMIN_USER, READER = -100500, 77, 88


def make_group(bot: Harness, *, bot_is_admin: bool = True) -> None:
    bot.fake.register_chat(GROUP, "supergroup", "Newsroom")
    bot.fake.admins.setdefault(GROUP, set()).add(ADMIN_USER)
    if bot_is_admin:
        bot.fake.admins[GROUP].add(bot.fake.bot_id)


def board_rows(bot: Harness) -> list[tuple[object, ...]]:
    return bot.store.db.conn.execute("SELECT chat_id, message_id FROM boards").fetchall()


async def post_board(bot: Harness) -> int:
    sent = await bot.say("/board", chat_id=GROUP, user_id=ADMIN_USER)
    assert [m.method for m in sent] == ["sendMessage"], [m.text for m in sent]
    board = sent[0]
    assert "status board" in board.text
    assert "Abu Dhabi" in board.text and "Wed 4 – Thu 5 Feb" in board.text
    assert bot.fake.pinned[GROUP] == [board.message_id]
    return board.message_id


def edits(bot: Harness, since: int) -> list[str]:
    return [
        m.text
        for m in bot.fake.sent[since:]
        if m.method == "editMessageText" and m.chat_id == GROUP
    ]


async def test_admin_board_is_pinned_and_edited_in_place_when_talks_move(bot: Harness) -> None:
    make_group(bot)
    message_id = await post_board(bot)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)  # as `sitrep reschedule` does: a store change, nothing else
    await drain(bot)
    changed = [m for m in bot.fake.sent[before:] if m.chat_id == GROUP]
    assert [(m.method, m.message_id) for m in changed] == [("editMessageText", message_id)]
    assert "Fri 6 – Sat 7 Feb" in changed[0].text and "moved 2 times" in changed[0].text
    assert bot.fake.pinned[GROUP] == [message_id]
    # Drawn: a second drain sends nothing.
    await drain(bot)
    assert len(bot.fake.sent) == before + 1


async def test_not_modified_is_no_error(bot: Harness) -> None:
    make_group(bot)
    message_id = await post_board(bot)
    before = len(bot.fake.sent)
    # A copy edit of a round's summary makes the board stale, but it shows no summary.
    bot.store.update(
        "abu-dhabi-trilateral-2026-02", {"summary": "Corrected."}, author="os:t", reason="typo"
    )
    assert BoardStore(bot.store.db).due()
    await drain(bot)
    refused = [e for e in bot.fake.errors_returned if e[0] == "editMessageText"]
    assert refused and "not modified" in refused[-1][3]
    assert len(bot.fake.sent) == before  # nothing posted instead
    assert BoardStore(bot.store.db).due() == []
    row = bot.store.db.conn.execute("SELECT message_id, error FROM boards").fetchone()
    assert row == (message_id, None)


async def test_a_deleted_board_is_posted_and_pinned_again(bot: Harness) -> None:
    make_group(bot)
    old_id = await post_board(bot)
    status, _ = await bot.fake.handle("deleteMessage", {"chat_id": GROUP, "message_id": old_id})
    assert status == 200  # an administrator deleted it
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    posted = [m for m in bot.fake.sent[before:] if m.chat_id == GROUP]
    assert [m.method for m in posted] == ["sendMessage"]
    new_id = posted[0].message_id
    assert new_id != old_id and "Fri 6 – Sat 7 Feb" in posted[0].text
    assert bot.fake.pinned[GROUP][-1] == new_id
    assert board_rows(bot) == [(GROUP, new_id)]
    # And it is the new one that the next change edits.
    bot.store.update(
        "abu-dhabi-trilateral-2026-02", {"status": "cancelled"}, author="os:t", reason="off"
    )
    since = len(bot.fake.sent)
    await drain(bot)
    assert [m.message_id for m in bot.fake.sent[since:] if m.chat_id == GROUP] == [new_id]
    # A cancelled round is no longer among the next rounds.
    assert "Abu Dhabi" not in edits(bot, since)[0]


async def test_readers_are_refused_politely_and_nothing_is_posted(bot: Harness) -> None:
    make_group(bot)
    sent = await bot.say("/board", chat_id=GROUP, user_id=READER)
    assert [m.method for m in sent] == ["sendMessage"]
    assert "Only this group's administrators" in sent[0].text
    assert board_rows(bot) == [] and GROUP not in bot.fake.pinned
    off = await bot.say("/board off", chat_id=GROUP, user_id=READER)
    assert "Only this group's administrators" in off[0].text
    private = await bot.say("/board", chat_id=1001)
    assert "for groups and channels" in private[0].text and board_rows(bot) == []


async def test_board_off_unpins_and_stops_the_edits(bot: Harness) -> None:
    make_group(bot)
    message_id = await post_board(bot)
    settings = await bot.reply_to("/settings", chat_id=GROUP, user_id=ADMIN_USER)
    assert "Status board: pinned here" in settings
    sent = await bot.say("/board off", chat_id=GROUP, user_id=ADMIN_USER)
    assert "stopped and unpinned" in sent[0].text
    assert bot.fake.pinned[GROUP] == [] and board_rows(bot) == []
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert edits(bot, before) == []
    assert message_id not in bot.fake.pinned[GROUP]
    again = await bot.say("/board off", chat_id=GROUP, user_id=ADMIN_USER)
    assert "has no status board" in again[0].text
    bad = await bot.say("/board frob", chat_id=GROUP, user_id=ADMIN_USER)
    assert "<code>/board off</code>" in bad[0].text and board_rows(bot) == []


async def test_without_pin_rights_the_board_is_kept_and_the_admin_told(bot: Harness) -> None:
    make_group(bot, bot_is_admin=False)
    sent = await bot.say("/board", chat_id=GROUP, user_id=ADMIN_USER)
    assert [m.method for m in sent] == ["sendMessage", "sendMessage"]
    assert "may not pin it" in sent[1].text
    assert board_rows(bot) == [(GROUP, sent[0].message_id)]
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert len(edits(bot, before)) == 1


async def test_board_edits_are_paced_with_the_groups_alerts(bot: Harness) -> None:
    make_group(bot)
    reply = await bot.reply_to("/subscribe talks", chat_id=GROUP, user_id=ADMIN_USER)
    assert "Subscribed" in reply
    await post_board(bot)
    time = VirtualTime()
    at: list[tuple[str, float]] = []
    bot.fake.listeners.append(lambda m: at.append((m.method, time.now)))
    move_abu_dhabi(bot)
    await drain(bot, time)
    group = [(method, t) for method, t in at]
    assert [method for method, _ in group] == ["sendMessage", "editMessageText"]
    # A burst of 3 in a chat, then 1 a second: the /subscribe reply, the board and the alert
    # spent the burst, so the edit waits its second behind the alert.
    assert group[1][1] - group[0][1] >= 1


async def test_an_alert_after_a_board_edit_waits_its_turn_in_the_group(bot: Harness) -> None:
    make_group(bot)
    reply = await bot.reply_to("/subscribe talks", chat_id=GROUP, user_id=ADMIN_USER)
    assert "Subscribed" in reply
    await post_board(bot)
    time = VirtualTime()
    at: list[tuple[str, float]] = []
    bot.fake.listeners.append(lambda m: at.append((m.method, time.now)))
    engine = bot.engine(time)

    async def run_until_idle() -> None:
        while True:
            busy = await engine.cycle()
            if engine.tasks:
                await asyncio.gather(*list(engine.tasks))
                continue
            if not busy:
                return

    # A change of the round's title: the board is redrawn, nobody is alerted.
    bot.store.update("abu-dhabi-trilateral-2026-02", {"title": "Talks in Abu Dhabi"},
                     author="os:t", reason="shorter")  # fmt: skip
    await run_until_idle()
    move_abu_dhabi(bot)
    await run_until_idle()
    await engine.stop()
    assert [method for method, _ in at] == ["editMessageText", "sendMessage", "editMessageText"]
    # The reply, the board and the first edit spent the chat's burst: 1 a second after it.
    assert at[1][1] - at[0][1] >= 1 and at[2][1] - at[1][1] >= 1
