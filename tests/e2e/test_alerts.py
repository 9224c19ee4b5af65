"""Subscriptions and alerts through the stand-in: who is told, once, within Telegram's limits."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest

from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.e2e.harness import Harness, VirtualTime, buttons

ABU_DHABI = "abu-dhabi-trilateral-2026-02"


async def subscribe(bot: Harness, chat_id: int, *args: str) -> None:
    reply = await bot.reply_to(f"/subscribe {' '.join(args)}", chat_id=chat_id)
    assert "Subscribed" in reply or "already" in reply


def move_abu_dhabi(bot: Harness) -> None:
    reschedule(
        bot.store,
        ABU_DHABI,
        RescheduleRequest(
            "2026-02-06",
            "2026-02-07",
            reason="Delegations asked for more time",
            source={"name": "Office of the President of Ukraine"},
        ),
        author="os:test",
    )


async def drain(bot: Harness, time: VirtualTime | None = None, **kwargs: object) -> VirtualTime:
    time = time or VirtualTime()
    engine = bot.engine(time, **kwargs)  # type: ignore[arg-type]
    while True:
        busy = await engine.cycle()
        if engine.tasks:  # let sends finish: their outcome may owe another pass
            await asyncio.gather(*list(engine.tasks))
            continue
        if not busy:
            break
    await engine.stop()
    return time


async def test_reschedule_reaches_each_talks_subscriber_once(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    await subscribe(bot, 1002, "talks")
    await subscribe(bot, 1003, "incidents")
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    alerts = bot.fake.sent[before:]
    assert sorted(m.chat_id for m in alerts) == [1001, 1002]
    text = alerts[0].text
    assert "Abu Dhabi" in text
    assert "was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in text
    assert "Delegations asked for more time" in text
    assert "Office of the President of Ukraine" in text
    assert "moved 2 times" in text
    # Nothing is owed any more, and a second drain sends nothing.
    await drain(bot)
    assert len(bot.fake.sent) == before + 2


async def test_copy_edit_alerts_nobody(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    before = len(bot.fake.sent)
    bot.store.update(ABU_DHABI, {"summary": "A corrected summary."}, author="t", reason="typo")
    await drain(bot)
    assert len(bot.fake.sent) == before
    assert bot.outbox.unfanned() == []


async def test_blocked_chat_is_deactivated_and_revived_when_it_writes(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    await subscribe(bot, 1002, "talks")
    bot.fake.block(1002)
    move_abu_dhabi(bot)
    await drain(bot)
    assert not bot.chats.settings(1002).active
    assert [m.chat_id for m in bot.fake.sent[-1:]] == [1001]
    # Still blocked: a second change is not even tried there.
    calls_before = len(bot.fake.calls)
    bot.store.update(ABU_DHABI, {"status": "cancelled"}, author="t", reason="called off")
    await drain(bot)
    tried = [p.get("chat_id") for m, p in bot.fake.calls[calls_before:] if m == "sendMessage"]
    assert tried == [1001]
    bot.fake.unblock(1002)
    await bot.say("/talks", chat_id=1002)
    assert bot.chats.settings(1002).active


async def test_429_waits_retry_after_and_delivers_once(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    await subscribe(bot, 1002, "talks")
    bot.fake.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 7",
        retry_after=7,
        chat_id=1001,
    )
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    time = VirtualTime()
    start = time.now
    await drain(bot, time)
    delivered = Counter(m.chat_id for m in bot.fake.sent[before:])
    assert delivered == {1001: 1, 1002: 1}
    assert time.now - start >= 7


async def test_bad_request_is_not_retried(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    bot.fake.fail_next("sendMessage", error_code=400, description="Bad Request: PEER_ID_INVALID")
    move_abu_dhabi(bot)
    await drain(bot)
    await drain(bot)
    attempts = [c for c in bot.fake.calls if c[0] == "sendMessage" and c[1].get("chat_id") == 1001]
    reply_count = 1  # the /subscribe reply
    assert len(attempts) == reply_count + 1
    assert bot.outbox.pending_count() == 0


async def test_a_chat_telegram_does_not_know_is_deactivated_not_retried(bot: Harness) -> None:
    # In the store, but never reachable (a deleted account, a store moved to another bot).
    bot.chats.subscribe(5555, "private", "talks")
    await subscribe(bot, 1001, "talks")
    move_abu_dhabi(bot)
    await drain(bot)
    assert ("sendMessage", 400, "Bad Request: chat not found") in [
        (method, code, text) for method, params, code, text in bot.fake.errors_returned
    ]
    assert not bot.chats.settings(5555).active
    assert bot.chats.settings(1001).active
    reschedule(bot.store, ABU_DHABI, RescheduleRequest("2026-02-09"), author="os:test")
    await drain(bot)
    tries = [c for c in bot.fake.calls if c[0] == "sendMessage" and c[1].get("chat_id") == 5555]
    assert len(tries) == 1  # the second alert is not tried there at all
    assert bot.outbox.pending_count() == 0


async def test_a_user_seen_only_in_a_group_is_not_written_to_first(bot: Harness) -> None:
    await bot.say("/talks", chat_id=-100777, user_id=6006)  # Telegram now knows user 6006
    bot.chats.subscribe(6006, "private", "talks")  # but they never started the bot
    move_abu_dhabi(bot)
    await drain(bot)
    assert (403, "Forbidden: bot can't initiate conversation with a user") in [
        (code, text) for method, params, code, text in bot.fake.errors_returned
    ]
    assert not bot.chats.settings(6006).active
    assert bot.outbox.pending_count() == 0


async def test_timeout_is_retried_after_backoff(bot: Harness, clock: Clock) -> None:
    await subscribe(bot, 1001, "talks")
    bot.fake.timeout_next("sendMessage", chat_id=1001)
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert len(bot.fake.sent) == before and bot.outbox.pending_count() == 1
    clock.advance(seconds=5)
    await drain(bot)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [1001]


async def test_group_migration_is_followed(bot: Harness) -> None:
    group, supergroup = -2001, -1002001
    bot.fake.admins[group] = {7}
    await bot.say("/subscribe talks", chat_id=group, user_id=7, chat_type="group")
    bot.open_chat(supergroup, "supergroup")  # the group became it, the bot still in it
    bot.fake.fail_next(
        "sendMessage",
        error_code=400,
        description="Bad Request: group chat was upgraded",
        migrate_to_chat_id=supergroup,
        chat_id=group,
    )
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [supergroup]
    assert [s.topic for s in bot.chats.subscriptions(supergroup)] == ["talks"]


async def test_pacing_keeps_telegram_limits(bot: Harness) -> None:
    for chat_id in range(10_000, 10_600):
        bot.subscribe(chat_id, "private", "talks")
    time = VirtualTime()
    bot.fake.clock = time  # the stand-in stamps and counts each send on the virtual time
    bot.fake.enforce_limits = True
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot, time)
    stamps = [m.at for m in bot.fake.sent[before:]]
    assert len(stamps) == 600
    assert bot.fake.rate_limited == 0
    assert most_in_any_second(stamps) <= 30
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    assert rate >= 27


def most_in_any_second(stamps: list[float]) -> int:
    """The most sends in any sliding second, as Telegram counts them."""
    ordered = sorted(stamps)
    start = best = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_new_recent_incident_reaches_matching_regions_only(
    bot: Harness, clock: Clock
) -> None:
    await subscribe(bot, 1001, "incidents", "kharkiv")
    await subscribe(bot, 1002, "incidents", "odesa")
    await subscribe(bot, 1003, "incidents")
    before = len(bot.fake.sent)
    bot.store.create(
        {
            "id": "kharkiv-strike-2026-01-19",
            "kind": "incident",
            "title": "Missile strike on Kharkiv",
            "status": "reported",
            "start": "2026-01-19",
            "time_precision": "day",
            "timezone": "Europe/Kyiv",
            "place": "Kharkiv",
            "region": "Kharkiv Oblast",
            "country": "Ukraine",
            "killed": {"count": 2, "qualifier": "at_least"},
            "sources": [{"name": "Kharkiv Regional Military Administration"}],
        },
        author="t",
    )
    await drain(bot)
    got = sorted(m.chat_id for m in bot.fake.sent[before:])
    assert got == [1001, 1003]
    assert "Killed: at least 2" in bot.fake.sent[-1].text
    # A correction reaches the chats that were told.
    before = len(bot.fake.sent)
    bot.store.update(
        "kharkiv-strike-2026-01-19",
        {"killed": {"count": 4, "qualifier": "at_least"}},
        author="t",
        reason="regional administration update",
    )
    await drain(bot)
    corrections = bot.fake.sent[before:]
    assert sorted(m.chat_id for m in corrections) == [1001, 1003]
    assert "was at least 2, now at least 4" in corrections[0].text


async def test_archive_incident_alerts_nobody(bot: Harness) -> None:
    await subscribe(bot, 1003, "incidents")
    before = len(bot.fake.sent)
    bot.store.create(
        {
            "id": "old-2023",
            "kind": "incident",
            "title": "An incident in 2023",
            "status": "reported",
            "start": "2023-05-01",
            "timezone": "Europe/Kyiv",
            "sources": [{"name": "Archive"}],
        },
        author="t",
    )
    await drain(bot)
    assert len(bot.fake.sent) == before


async def test_group_subscriptions_need_an_administrator(bot: Harness) -> None:
    group = -100777
    bot.fake.admins[group] = {7}
    refused = await bot.reply_to(
        "/subscribe talks", chat_id=group, user_id=8, chat_type="supergroup"
    )
    assert "administrators" in refused
    assert bot.chats.subscriptions(group) == []
    ok = await bot.reply_to("/subscribe talks", chat_id=group, user_id=7, chat_type="supergroup")
    assert "Subscribed" in ok


async def test_menu_buttons_toggle_topics(bot: Harness) -> None:
    [menu] = await bot.say("/subscribe")
    data = dict((d, label) for label, d in buttons(menu))
    assert "sub|talks" in data
    [edited] = await bot.press(menu, "sub|talks")
    assert "✅ Talks" in str(edited.reply_markup)
    assert [s.topic for s in bot.chats.subscriptions(1001)] == ["talks"]
    await bot.press(edited, "sub|talks")
    assert bot.chats.subscriptions(1001) == []


async def test_subscriptions_list_removes_with_a_button(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    await subscribe(bot, 1001, "incidents", "Zaporizhzhia")
    [listing] = await bot.say("/subscriptions")
    assert "incident alerts in Zaporizhzhia" in listing.text
    remove = next(d for label, d in buttons(listing) if "Zaporizhzhia" in label)
    await bot.press(listing, remove)
    assert [s.topic for s in bot.chats.subscriptions(1001)] == ["talks"]


@pytest.mark.parametrize(
    "args, expected",
    [
        ("nonsense", "Subscribe with"),
        ("talks kyiv", "Only incidents"),
        ("incidents " + "x" * 80, "too long"),
        ("all", "talks, incidents and statements"),
    ],
)
async def test_subscribe_arguments(bot: Harness, args: str, expected: str) -> None:
    assert expected in await bot.reply_to(f"/subscribe {args}")


async def test_unsubscribe_all(bot: Harness) -> None:
    await subscribe(bot, 1001, "all")
    assert "All subscriptions stopped" in await bot.reply_to("/unsubscribe all")
    assert bot.chats.subscriptions(1001) == []


async def test_settings_zone_changes_how_alerts_read(bot: Harness) -> None:
    await subscribe(bot, 1001, "talks")
    assert "Asia/Tokyo" in await bot.reply_to("/settings zone Asia/Tokyo")
    assert "didn't work" in await bot.reply_to("/settings zone Mars/Olympus")
    assert "didn't work" in await bot.reply_to("/settings reminders 3 weeks")
    assert "off" in await bot.reply_to("/settings reminders off")
    assert "Tokyo" in await bot.reply_to("/settings")


async def test_channel_gets_every_alert(bot: Harness) -> None:
    channel = -100999
    bot.chats.touch(channel, "channel")
    bot.open_chat(channel, "channel")  # the bot is an administrator of its channel
    before = len(bot.fake.sent)
    move_abu_dhabi(bot)
    await drain(bot, channel_id=channel)
    assert [m.chat_id for m in bot.fake.sent[before:]] == [channel]


async def test_alert_in_reader_zone_shows_instants_there(bot: Harness, clock: Clock) -> None:
    await subscribe(bot, 1001, "talks")
    await bot.say("/settings zone America/New_York")
    reschedule(
        bot.store,
        ABU_DHABI,
        RescheduleRequest("2026-02-06T10:00:00+04:00", "2026-02-06T18:00:00+04:00"),
        author="t",
    )
    before = len(bot.fake.sent)
    await drain(bot)
    [alert] = bot.fake.sent[before:]
    assert "01:00" in alert.text and "New York" in alert.text  # 10:00 in Abu Dhabi
    clock.now = datetime(2026, 2, 1, tzinfo=UTC)
