"""The whole bot as a process: commands over HTTP, a second process writing, signals."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter

from bot.delivery import IN_FLIGHT, PAID_IN_FLIGHT
from handlers.catalogue import text
from standin import check_telegram_html
from storage.chats import ChatStore
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.system.conftest import TOKEN, LiveBot


def test_run_answers_every_reader_command_and_follows_a_second_process(live: LiveBot) -> None:
    proc = live.start()
    live.wait_ready()
    assert live.ask("/start").text == text("start")
    talks = live.ask("/talks").text
    assert "Status:</i> postponed · was 1 Feb" in talks  # "2026" too when run in 2027
    assert "DTEK" in live.ask("/incidents").text
    assert "Dnipro" in live.ask("/incidents dnipro").text
    assert "Zelensky" in live.ask("/statements").text
    assert "Sources" in live.ask("/event 3").text
    assert "maternity" in live.ask("/search maternity").text
    group = live.ask("/talks@sitrep_live_bot", chat_id=-1001234, user_id=77, chat_type="supergroup")
    assert "Abu Dhabi" in group.text

    done = live.cli(
        "reschedule",
        "3",
        "--start",
        "2026-02-06",
        "--end",
        "2026-02-07",
        "--reason",
        "Delegations asked for more time",
    )
    assert done.returncode == 0, done.stderr
    changed_at = time.monotonic()
    talks = live.ask("/talks").text
    assert "now 6–7 Feb" in talks
    assert time.monotonic() - changed_at < 10  # reported, not a timing test: see bench/
    history = live.ask("/event 3").text
    # A reader sees that an editor moved it, never the system user who did.
    assert (
        "by editor: <b>postponed</b>: start 2026-02-04 → 2026-02-06" in history
        and "os:" not in history
    )

    for message in live.fake.snapshot_sent():
        assert check_telegram_html(message.text) is None, message.text[:200]
    assert live.stop(proc) == 0
    log = live.log.read_text()
    assert "DEBUG" in log  # the debug log was really on
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


def test_reschedule_from_another_process_alerts_each_subscriber_once(live: LiveBot) -> None:
    proc = live.start()
    live.wait_ready()
    for chat_id in (2001, 2002):
        assert "Subscribed" in live.ask("/subscribe talks", chat_id=chat_id).text
    live.ask("/start", chat_id=2003)
    done = live.cli(
        "reschedule",
        "abu-dhabi-trilateral-2026-02",
        "--start",
        "2026-02-06",
        "--end",
        "2026-02-07",
        "--reason",
        "Delegations asked for more time",
    )
    assert done.returncode == 0, done.stderr

    def alerted(chat_id: int) -> list[str]:
        return [m.text for m in live.fake.messages_for(chat_id) if "was Wed 4" in m.text]

    assert live.fake.wait_for_blocking(lambda _: bool(alerted(2001) and alerted(2002)), 20)
    # Idle for good: a stopped engine has finished and recorded its sends in flight. Nothing
    # may still be owed then, so nothing else would ever have arrived.
    assert live.stop(proc) == 0
    assert owed(live) == {"alerts not fanned out": 0, "deliveries pending": 0}
    [first], [second] = alerted(2001), alerted(2002)
    assert "now Fri 6 – Sat 7 Feb" in first and first == second
    assert len(live.fake.messages_for(2003)) == 1  # only its /start reply


def owed(live: LiveBot) -> dict[str, int]:
    """What the outbox still owes anyone, read from the database."""
    check = sqlite3.connect(live.db)
    try:
        unfanned = check.execute("SELECT count(*) FROM alerts WHERE fanned_out_at IS NULL")
        pending = check.execute("SELECT count(*) FROM deliveries WHERE state = 'pending'")
        return {
            "alerts not fanned out": unfanned.fetchone()[0],
            "deliveries pending": pending.fetchone()[0],
        }
    finally:
        check.close()


def kill_mid_fan_out(
    live: LiveBot, subscribers: range, kill_after: int, env: dict[str, str]
) -> Counter[int]:
    """Subscribe `subscribers` to talks, move a round, kill -9 the bot once `kill_after`
    alerts have reached the stand-in, start it again, wait until every subscriber has had
    the alert, and stop it cleanly: how many times each got it."""
    db = connect(live.db)
    load_seed_if_empty(EventStore(db))
    chats = ChatStore(db)
    with db.atomic():
        for chat_id in subscribers:
            chats.subscribe(chat_id, "private", "talks")
    db.close()
    live.fake.start_bot(*subscribers)  # real subscribers have written to the bot
    first = live.start(**env)
    live.wait_ready()
    done = live.cli("reschedule", "3", "--start", "2026-02-06", "--reason", "test")
    assert done.returncode == 0, done.stderr

    def alerts() -> Counter[int]:
        return Counter(
            m.chat_id
            for m in live.fake.snapshot_sent()
            if m.chat_id in subscribers and m.method == "sendMessage"
        )

    assert live.fake.wait_for_blocking(lambda _: sum(alerts().values()) >= kill_after, 60)
    live.stop(first, signal.SIGKILL)
    at_kill = sum(alerts().values())
    assert at_kill < len(subscribers), "the kill came too late to test anything"

    second = live.start(**env)
    assert live.fake.wait_for_blocking(lambda _: len(alerts()) == len(subscribers), 120), (
        live.log.read_text()[-2000:]
    )
    # The last sends are recorded in the engine's next group commit, a moment after the
    # stand-in saw them: a clean stop writes what was answered before the process ends.
    assert live.stop(second) == 0, live.log.read_text()[-2000:]
    return alerts()


def test_sigkill_mid_fan_out_loses_nothing(live: LiveBot) -> None:
    subscribers = range(100_000, 105_000)
    # Paid broadcast: fast, so the kill lands mid fan-out.
    counts = kill_mid_fan_out(live, subscribers, 800, {"SITREP_PAID_BROADCAST": "1"})
    lost = [c for c in subscribers if counts[c] == 0]
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    assert lost == []
    # Only the sends in flight at the kill (answered or not, but not yet recorded).
    assert duplicates <= PAID_IN_FLIGHT
    check = sqlite3.connect(live.db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    pending = check.execute("SELECT count(*) FROM deliveries WHERE state = 'pending'")
    assert pending.fetchone()[0] == 0


def test_sigkill_mid_paced_fan_out_150_ms_away_repeats_at_most_ten(live: LiveBot) -> None:
    """Telegram 150 ms away and counting 429s: the sends in flight (at most 10) are all a
    kill -9 can repeat, and nothing is lost."""
    subscribers = range(200_000, 200_300)
    live.fake.latency, live.fake.jitter, live.fake.enforce_limits = 0.15, 0.01, True
    counts = kill_mid_fan_out(live, subscribers, 100, {})
    assert [c for c in subscribers if counts[c] == 0] == []
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    assert duplicates <= IN_FLIGHT == 10
    refused = [e[3] for e in live.fake.errors_returned if e[2] == 429]
    assert refused == [], live.log.read_text()[-3000:]
