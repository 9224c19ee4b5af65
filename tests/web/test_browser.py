"""The pages in a real browser: headless Chromium loads them from the server on 127.0.0.1.

Each test asserts on the DOM Chromium built (`--dump-dom`) and keeps a phone-sized
screenshot in test-artifacts/browser/. Without Chromium these tests skip, saying how to get
it; in CI (CI=true), where .ci/run installs it, a missing Chromium is a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from tests.web.conftest import Site

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "browser"
HOW_TO_GET = "no Chromium found: `apt-get install -y chromium` (Debian) runs the browser tests"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=412,915",  # a phone
)


def find_chromium() -> str | None:
    given = os.environ.get("SITREP_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(HOW_TO_GET, allow_module_level=True)  # one line for the whole module


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        pytest.fail(f"CI must run the browser tests: {HOW_TO_GET}")
    return CHROMIUM


async def load(chromium: str, url: str, name: str, profile: Path) -> str:
    """The DOM Chromium built for `url`; its screenshot saved as test-artifacts/browser/NAME.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    proc = await asyncio.create_subprocess_exec(
        chromium,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--screenshot={shot}",
        "--dump-dom",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # The server answers on this same loop while Chromium loads; the bound is a guard only.
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no screenshot of {url}"
    return out.decode()


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        ("/", "home", ["<h1><b>Peace talks</b></h1>", "Latest incidents", "DTEK"]),
        (
            "/talks",
            "talks",
            [
                "Trilateral US–Russia–Ukraine talks in Abu Dhabi",
                "postponed: was 1 Feb, now 4–5 Feb",
                "Wed 4 – Thu 5 Feb · Abu Dhabi, United Arab Emirates",
            ],
        ),
        (
            "/event/3",
            "event-3",
            [
                "<title>#3 Trilateral US–Russia–Ukraine talks in Abu Dhabi · sitrep</title>",
                "<dt>When</dt><dd>Wed 4 – Thu 5 Feb</dd>",
                "Zelensky announced the talks would be postponed",
            ],
        ),
    ],
)
async def test_pages_render_in_chromium(
    site: Site, chromium: str, tmp_path: Path, path: str, name: str, expected: list[str]
) -> None:
    dom = await load(chromium, site.url + path, name, tmp_path / "profile")
    for text in expected:
        assert text in dom, f"{text!r} not in the page Chromium rendered for {path}"
    assert "<script" not in dom


async def test_a_script_in_a_title_stays_text_in_chromium(
    site: Site, chromium: str, tmp_path: Path
) -> None:
    title = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
    site.store.update(3, {"title": title}, author="test")
    dom = await load(chromium, site.url + "/event/3", "event-3-script-title", tmp_path / "p")
    assert "<title>#3 &lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "pwned · sitrep" not in dom  # the script never ran
    assert "<script" not in dom and "<img" not in dom
