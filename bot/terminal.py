"""What the command line draws on a terminal: Telegram HTML as ANSI styles (links spelled
out), and the progress line of a long import. Storage only reports progress, through a
callback; drawing it is the command line's business."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from typing import TextIO

_STYLES = {
    "b": "1",
    "strong": "1",
    "i": "3",
    "em": "3",
    "u": "4",
    "ins": "4",
    "s": "9",
    "strike": "9",
    "del": "9",
    "code": "36",
    "pre": "36",
    "tg-spoiler": "2",
}
_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def html_to_terminal(markup: str, *, color: bool) -> str:
    """Render Telegram HTML for a terminal; with color=False, plain text."""
    out: list[str] = []
    stack: list[str] = []
    links: list[str] = []
    pos = 0
    for match in _TAG.finditer(markup):
        out.append(html.unescape(markup[pos : match.start()]))
        pos = match.end()
        closing, name, attrs = match.group(1), match.group(2), match.group(3)
        if name == "blockquote":
            out.append("" if closing else "│ ")
            continue
        if name == "a":
            if closing and links:
                out.append(f" ({links.pop()})")
            elif not closing:
                href = _HREF.search(attrs)
                links.append(html.unescape(href.group(1)) if href else "")
            continue
        code = _STYLES.get(name)
        if code is None or not color:
            continue
        if closing:
            if stack:
                stack.pop()
            out.append("\033[0m" + "".join(f"\033[{c}m" for c in stack))
        else:
            stack.append(code)
            out.append(f"\033[{code}m")
    out.append(html.unescape(markup[pos:]))
    return "".join(out)


class ProgressLine:
    """How far a phase has got, of a total, and its rate, on one terminal line redrawn with a
    carriage return: ``reading lines: 45,000/100,001 (44%), 38,211/s``.

    Silent for the first second, so short imports print nothing; at most ten redraws a second.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        delay: float = 1.0,
        interval: float = 0.1,
    ):
        self.stream = stream
        self.clock = clock
        self.delay = delay
        self.interval = interval
        self.started = clock()
        self.phase = ""
        # The rate is measured from the first report of a phase: (time, rows done then).
        self.base = (self.started, 0)
        self.drawn_at: float | None = None
        self.width = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self.clock()
        if phase != self.phase:
            self.phase, self.base = phase, (now, done)
        if now - self.started < self.delay:
            return
        if self.drawn_at is not None and now - self.drawn_at < self.interval and done < total:
            return
        elapsed = now - self.base[0]
        rate = f", {(done - self.base[1]) / elapsed:,.0f}/s" if elapsed > 0 else ""
        share = f" ({100 * done // total}%)" if total else ""
        line = f"{phase}: {done:,}/{total:,}{share}{rate}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(line))
        self.drawn_at = now

    def finish(self) -> None:
        """End the line, if one was drawn."""
        if self.drawn_at is not None:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn_at = None
            self.width = 0
