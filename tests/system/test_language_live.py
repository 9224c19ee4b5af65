"""One `sitrep reschedule` from another process: each subscriber is alerted in its language."""

from __future__ import annotations

from standin import check_telegram_html
from tests.system.conftest import LiveBot


def test_one_reschedule_alerts_ukrainian_and_english_subscribers(live: LiveBot) -> None:
    proc = live.start()
    live.wait_ready()
    uk = live.ask("/subscribe talks", chat_id=3001, language_code="uk").text
    assert "Підписку" in uk
    assert "Subscribed" in live.ask("/subscribe talks", chat_id=3002, language_code="en").text
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

    def alerts(chat_id: int) -> list[str]:
        return [m.text for m in live.fake.messages_for(chat_id)[1:]]

    assert live.fake.wait_for_blocking(lambda _: bool(alerts(3001) and alerts(3002)), 20)
    assert live.stop(proc) == 0
    [ukrainian], [english] = alerts(3001), alerts(3002)
    assert "було ср 4 – чт 5 лютого, тепер пт 6 – сб 7 лютого" in ukrainian
    assert "Повний запис" in ukrainian
    assert "was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb" in english
    assert "лютого" not in english
    for text in (ukrainian, english):
        assert check_telegram_html(text) is None
