"""The HTML checker accepts what Telegram renders and refuses, with Telegram's words, the rest."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standin import check_telegram_html, visible_length
from standin.html import HtmlError, parse_telegram_html


@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "<b>bold <i>and italic</i></b> <u>u</u> <s>s</s> <strike>x</strike> <del>d</del>",
        "<strong>s</strong><em>e</em><ins>i</ins>",
        '<a href="https://example.org/?a=1&amp;b=2">link</a>',
        '<a href="https://example.org/?a=1&b=2">a bare &amp; is fine inside a value</a>',
        '<pre><code class="language-python">print("hi")</code></pre>',
        "<code>x &lt; y</code>",
        "<blockquote>quote</blockquote><blockquote expandable>long quote</blockquote>",
        '<tg-spoiler>hidden</tg-spoiler> <span class="tg-spoiler">hidden</span>',
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "&lt;&gt;&amp;&quot;&#39;&#x1F600;",
        "<B>upper-case tags</B>",
        "<b\n>newline before the bracket</b>",
    ],
)
def test_valid_markup_is_accepted(text: str) -> None:
    assert check_telegram_html(text) is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("ab <div>x</div>", 'Unsupported start tag "div" at byte offset 3'),
        ("é<div>x</div>", 'Unsupported start tag "div" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<i>a</i   ", "Unclosed end tag at byte offset 4"),
        ("<abacaba", "Unclosed start tag at byte offset 0"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("R&D", "Character '&' at byte offset 1 must be escaped as &amp;"),
        ("a&nbsp;b", "Character '&' at byte offset 1 must be escaped as &amp;"),
        ("2 > 1", "Character '>' at byte offset 2 must be escaped as &gt;"),
        ("<a>x</a>", 'Missing attribute "href" in the tag "a" at byte offset 0'),
        (
            "<a href=x>y</a>",
            'Unquoted value of the attribute "href" in the tag "a" at byte offset 8',
        ),
        ('<a href="x" target="_blank">y</a>', 'Unsupported attribute "target" in the tag "a"'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Unsupported start tag "span" at byte offset 0'),
        ('<span class="bold">x</span>', 'Unsupported start tag "span" at byte offset 0'),
        ("<i =aba>x</i>", 'Empty attribute name in the tag "i" at byte offset 0'),
    ],
)
def test_invalid_markup_is_refused_like_telegram(text: str, error: str) -> None:
    description = check_telegram_html(text)
    assert description is not None
    assert description.startswith("can't parse entities: ")
    assert error in description


def test_visible_length_counts_utf16_units_after_parsing() -> None:
    assert visible_length("<b>a</b> &amp;") == 3
    assert visible_length("😀") == 2  # outside the BMP: a surrogate pair, as Telegram counts
    assert visible_length('<a href="https://example.org/very/long">x</a>') == 1


def test_visible_length_refuses_invalid_markup() -> None:
    with pytest.raises(HtmlError):
        visible_length("<div>")


def test_entities_use_utf16_offsets_like_telegram() -> None:
    text, entities = parse_telegram_html(
        '😀<b>bold</b> <a href="https://x.org">l</a><pre><code class="language-py">c</code></pre>'
    )
    assert text == "😀bold lc"
    assert entities == [
        {"type": "bold", "offset": 2, "length": 4},
        {"type": "text_link", "offset": 7, "length": 1, "url": "https://x.org"},
        {"type": "pre", "offset": 8, "length": 1, "language": "py"},
    ]


@given(st.text())
def test_escaped_text_is_always_valid_and_keeps_its_length(text: str) -> None:
    escaped = html.escape(text)
    assert check_telegram_html(escaped) is None
    assert visible_length(escaped) == len(text.encode("utf-16-le")) // 2
