"""The web pages answer a bad request in the page's language, as they render the page."""

from __future__ import annotations

from tests.web.conftest import Site


async def test_a_bad_request_is_answered_in_the_pages_language(site: Site) -> None:
    status, _, body = await site.get("/talks?page=x&lang=uk")
    assert status == 400 and "Не можу прочитати цей запит" in body
    status, _, body = await site.get("/talks?page=x&lang=en")
    assert status == 400 and "That request cannot be read" in body
