"""The web server over real HTTP on 127.0.0.1: the feed's validators, errors, headers, safety."""

from __future__ import annotations

import json
import sqlite3

import pytest
from icalendar import Calendar

from storage.chats import ChatStore
from storage.outbox import Outbox
from storage.schedule import RescheduleRequest, reschedule
from tests.conftest import Clock
from tests.web.conftest import Site

FEED = "/calendar/talks.ics"
ABU_DHABI_UID = "abu-dhabi-trilateral-2026-02@sitrep"


def abu_dhabi(body: str) -> dict[str, object]:
    event = next(e for e in Calendar.from_ical(body).walk("VEVENT") if e["UID"] == ABU_DHABI_UID)
    return {
        "start": event.decoded("DTSTART"),
        "end": event.decoded("DTEND"),
        "sequence": event["SEQUENCE"],
    }


async def test_the_feed_answers_with_validators_and_304_while_nothing_changed(
    site: Site, clock: Clock
) -> None:
    status, headers, body = await site.get(FEED)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    assert abu_dhabi(body)["sequence"] == 1
    clock.advance(hours=2)  # time passing is no change
    status, again, body = await site.get(FEED, headers={"If-None-Match": etag})
    assert (status, body, again["ETag"]) == (304, "", etag)
    status, _, _ = await site.get(FEED, headers={"If-Modified-Since": last_modified})
    assert status == 304


async def test_after_a_reschedule_the_feed_has_the_new_dates_same_uid_sequence_plus_one(
    site: Site, clock: Clock
) -> None:
    _, headers, body = await site.get(FEED)
    before = abu_dhabi(body)
    clock.advance(hours=1)
    reschedule(site.store, "3", RescheduleRequest("2026-02-06", "2026-02-07"), author="os:test")
    status, after_headers, body = await site.get(FEED, headers={"If-None-Match": headers["ETag"]})
    assert status == 200
    assert after_headers["ETag"] != headers["ETag"]
    after = abu_dhabi(body)
    assert after["sequence"] == before["sequence"] + 1  # type: ignore[operator]
    assert str(after["start"]) == "2026-02-06" and str(after["end"]) == "2026-02-08"
    old_since = {"If-Modified-Since": headers["Last-Modified"]}
    assert (await site.get(FEED, headers=old_since))[0] == 200


async def test_pages_show_the_records(site: Site) -> None:
    status, headers, body = await site.get("/talks")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Trilateral US–Russia–Ukraine talks in Abu Dhabi" in body
    assert "postponed: was 1 Feb, now 4–5 Feb" in body
    assert 'href="/event/3"' in body
    status, _, body = await site.get("/event/3")
    assert status == 200
    assert "Wed 4 – Thu 5 Feb" in body and "Abu Dhabi, United Arab Emirates" in body
    assert "Zelensky announced the talks would be postponed" in body  # history, with its why
    status, _, body = await site.get("/incidents?area=dnipro")
    assert status == 200 and "DTEK" in body and "maternity" not in body
    status, _, body = await site.get("/")
    assert "Abu Dhabi" in body and "DTEK" in body


async def test_incidents_page_like_the_bot(site: Site, clock: Clock) -> None:
    status, _, body = await site.get("/incidents?area=dnipro&period=7d")
    assert status == 200 and "DTEK" in body  # 20 Jan: the strike is within a week
    clock.advance(days=30)
    _, _, body = await site.get("/incidents?area=dnipro&period=7d")
    assert "No incidents recorded in dnipro in the last 7d" in body
    status, _, body = await site.get("/incidents?period=7days")
    assert status == 400 and "I can't read the period" in body


async def test_public_pages_never_show_who_curated_a_record(site: Site) -> None:
    site.store.update(3, {"note": "checked twice"}, author="tg:4242 @night_editor", reason="x")
    _, _, body = await site.get("/event/3")
    assert "checked twice" in body
    assert "by editor: note" in body  # readers' face of an author, as in chat
    for secret in ("4242", "night_editor", "tg:", "curator:seed", "os:"):
        assert secret not in body
    site.server.aliases[4242] = "Newsroom desk"  # SITREP_ADMINS=4242:Newsroom desk
    _, _, body = await site.get("/event/3")
    assert "by Newsroom desk: note" in body and "night_editor" not in body


async def test_an_unknown_record_or_page_is_404(site: Site) -> None:
    status, headers, body = await site.get("/event/987654")
    assert status == 404 and "There is no record" in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert (await site.get("/no/such/page"))[0] == 404
    assert (await site.get("/talks?page=40"))[0] == 404
    assert (await site.get("/talks?page=x"))[0] == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_only_get_and_head_are_answered(site: Site, method: str) -> None:
    for path in ("/", "/talks", FEED, "/nowhere"):
        async with site.http.request(method, site.url + path, data=b"x=1") as response:
            assert response.status == 405
            assert response.headers["Allow"] == "GET, HEAD"
    async with site.http.head(site.url + "/talks") as response:
        assert response.status == 200 and await response.read() == b""


async def test_every_response_forbids_script_and_sniffing(site: Site) -> None:
    for path in ("/", "/talks", "/event/3", FEED, "/style.css", "/nope"):
        _, headers, _ = await site.get(path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


async def test_a_title_with_a_script_tag_shows_as_text(site: Site) -> None:
    site.store.update(3, {"title": "<script>alert(1)</script> & co"}, author="t")
    for path in ("/event/3", "/talks", "/"):
        _, _, body = await site.get(path)
        assert "<script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body


async def test_healthz_reports_the_store_and_deliveries(site: Site) -> None:
    status, headers, body = await site.get("/healthz")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    report = json.loads(body)
    assert report["status"] == "ok" and report["store"] == "ok"
    assert report["events"] == site.store.count()
    assert report["deliveries"]["pending"] == 0
    assert report["last_bot_api_error"] is None
    site.api_error.append(("2026-01-20T12:00:00Z", "Forbidden: bot was blocked by the user"))
    report = json.loads((await site.get("/healthz"))[2])
    assert report["last_bot_api_error"]["error"].startswith("Forbidden")


async def test_healthz_is_503_when_deliveries_are_stuck(site: Site, clock: Clock) -> None:
    chats = ChatStore(site.store.db, clock)
    chats.subscribe(77, "private", "talks")
    reschedule(site.store, "3", RescheduleRequest("2026-02-08"), author="os:test")
    Outbox(site.store.db, clock).fan_out(1)
    status, _, body = await site.get("/healthz")
    assert status == 200 and '"pending": 1' in body  # owed, but only just
    clock.advance(minutes=11)  # and nothing sent since
    status, _, body = await site.get("/healthz")
    assert status == 503
    assert '"stuck": true' in body and '"oldest_pending_age_seconds": 660' in body


async def test_healthz_is_503_when_the_store_fails_its_check(site: Site) -> None:
    assert (await site.get("/healthz"))[0] == 200
    other = sqlite3.connect(site.server.reader.path)
    other.execute("ALTER TABLE events RENAME TO events_gone")
    other.commit()
    other.close()
    status, _, body = await site.get("/healthz")
    assert status == 503 and '"store": "error: no such table: events"' in body


async def test_pages_are_in_the_language_asked_for(site: Site) -> None:
    status, _, body = await site.get("/talks?lang=uk")
    assert status == 200 and '<html lang="uk">' in body
    assert "Мирні переговори" in body and "4–5 лютого" in body and "Абу-Дабі" in body
    _, _, body = await site.get("/talks", headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert '<html lang="uk">' in body
    _, _, body = await site.get("/talks?lang=en", headers={"Accept-Language": "uk"})
    assert '<html lang="en">' in body and "4–5 Feb" in body and "лютого" not in body
    status, _, _ = await site.get(FEED + "?lang=en")
    assert status == 200


async def test_lists_are_paged_like_the_bot(site: Site) -> None:
    for n in range(6):
        site.store.create(
            {
                "id": f"strike-{n}",
                "kind": "incident",
                "title": f"Strike number {n}",
                "status": "reported",
                "start": f"2026-01-1{n}",
                "time_precision": "day",
                "timezone": "Europe/Kyiv",
                "place": "Dnipro",
                "sources": [{"name": "Test"}],
            },
            author="test",
        )
    _, _, first = await site.get("/incidents?area=dnipro")
    assert first.count('class="record incident"') == 5  # as many as a bot page
    assert '<a rel="next" href="/incidents?area=dnipro&amp;page=2">Older ›</a>' in first
    _, _, second = await site.get("/incidents?area=dnipro&page=2")
    assert second.count('class="record incident"') == 2
    assert '<a rel="prev" href="/incidents?area=dnipro">‹ Newer</a>' in second
    _, _, talks = await site.get("/talks")
    assert 'class="pager"' not in talks  # three rounds: one page


async def test_a_claim_page_shows_reported_speech_unquoted_and_the_facts_beside_it(
    site: Site,
) -> None:
    _, _, body = await site.get("/event/11")
    assert "Reported by" in body and "not quoted" in body
    assert "“Russia had agreed" not in body  # a paraphrase is never in quotation marks
    assert "Status, as the editors set it" in body
    assert "DTEK" in body and "maternity" in body  # incidents recorded in its scope since
