"""`sitrep run` with SITREP_HTTP_PORT: the live feed, pages and /healthz of a real process."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import date

from icalendar import Calendar

from tests.system.conftest import LiveBot

UID = "abu-dhabi-trilateral-2026-02@sitrep"


def fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def abu_dhabi(body: bytes) -> tuple[date, date, int, str]:
    event = next(e for e in Calendar.from_ical(body).walk("VEVENT") if e["UID"] == UID)
    return event.decoded("DTSTART"), event.decoded("DTEND"), event["SEQUENCE"], str(event["UID"])


def test_live_feed_moves_with_a_reschedule_and_pages_answer(live: LiveBot) -> None:
    live.seed()
    proc = live.start(SITREP_HTTP_PORT="0", SITREP_PUBLIC_URL="https://sitrep.example.org")
    live.wait_ready()  # post_init has run: the server is up
    found = re.search(r"web: serving on (http://127\.0\.0\.1:\d+)", live.log.read_text())
    assert found, live.log.read_text()[-2000:]
    base = found[1]

    status, headers, body = fetch(f"{base}/calendar/talks.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag = headers["ETag"]
    start, end, sequence, uid = abu_dhabi(body)
    assert (start, end) == (date(2026, 2, 4), date(2026, 2, 6))
    assert fetch(f"{base}/calendar/talks.ics", **{"If-None-Match": etag})[0] == 304

    moved = live.cli("reschedule", "3", "--start", "2026-02-06", "--end", "2026-02-07")
    assert moved.returncode == 0, moved.stderr
    status, headers, body = fetch(f"{base}/calendar/talks.ics", **{"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    assert abu_dhabi(body) == (date(2026, 2, 6), date(2026, 2, 8), sequence + 1, uid)

    status, _, page = fetch(f"{base}/talks")
    assert status == 200 and "now 6–7 Feb" in page.decode()
    assert fetch(f"{base}/event/3")[0] == 200
    assert fetch(f"{base}/event/987654")[0] == 404
    assert fetch(f"{base}/talks", method="POST")[0] == 405
    status, _, health = fetch(f"{base}/healthz")
    assert status == 200 and b'"status": "ok"' in health
    checked = live.cli("healthz", "--url", f"{base}/healthz")
    assert checked.returncode == 0 and '"store": "ok"' in checked.stdout
    assert live.stop(proc) == 0
    assert live.cli("healthz", "--url", f"{base}/healthz").returncode == 1  # nobody answers


def test_export_format_ics_is_a_calendar_icalendar_reads(live: LiveBot) -> None:
    live.seed()
    done = live.cli("export", "--format", "ics")
    assert done.returncode == 0, done.stderr
    cal = Calendar.from_ical(done.stdout)
    event = next(e for e in cal.walk("VEVENT") if e["UID"] == UID)
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        date(2026, 2, 4),
        date(2026, 2, 6),
    )
    assert "DTSTART;VALUE=DATE:20260204" in done.stdout
