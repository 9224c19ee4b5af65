"""Telegram HTML shown in a terminal: bold, italics and code as ANSI styles, links spelled out."""

from __future__ import annotations

import html
import re

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
