"""A checker for Telegram's HTML parse mode, so tests catch markup Telegram would refuse.

Telegram answers 400 "can't parse entities" for markup it does not accept, and a bot that
renders curated text without escaping it only finds out in production. This checker follows
tdlib's parser and its error wording, and is deliberately *stricter* in a few places, so that
what passes here also renders as intended there:

- a bare ``&`` or ``>`` in text is an error (Telegram keeps them literally, which hides
  missing escaping, and ``&nbsp;``-style named entities would show up verbatim);
- attribute values must be quoted, and only the attributes Telegram uses are accepted
  (``<a href>``, ``<blockquote expandable>``, ``<span class="tg-spoiler">``,
  ``<tg-emoji emoji-id>``, ``<code class="language-...">``); ``<a>`` needs its ``href``.

Lengths are counted in UTF-16 code units, as Telegram counts the 4,096 limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_LENGTH = 4096
Entity = dict[str, Any]  # a MessageEntity as JSON

# Tag -> {attribute: required}. Tags Telegram documents for parse_mode HTML.
_ALLOWED: dict[str, dict[str, bool]] = {
    **{tag: {} for tag in ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del")},
    "a": {"href": True},
    "code": {"class": False},
    "pre": {},
    "blockquote": {"expandable": False},
    "tg-spoiler": {},
    "span": {"class": False},  # checked below: only class="tg-spoiler"
    "tg-emoji": {"emoji-id": True},
}
# Attributes that carry no value (`<blockquote expandable>`).
_VALUELESS = {("blockquote", "expandable")}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_NAME_CHARS = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_NAME_CHARS = re.compile(r"[a-zA-Z0-9_-]*")


class HtmlError(ValueError):
    """Markup Telegram would refuse; the message is what follows "can't parse entities: "."""


# Tag -> the type of entity Telegram makes of it.
_ENTITY_TYPES = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


_PLAIN_RUN = re.compile(r"[^<&>]+")


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int  # UTF-16 offset in the visible text, where the entity begins
    language: str | None = None  # a <pre> learns it from the <code class="language-x"> inside


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP count twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def check_telegram_html(text: str) -> str | None:
    """Return None if Telegram's HTML parse mode accepts ``text``, else why it would not.

    The description reads like Telegram's: ``can't parse entities: <reason>``.
    """
    try:
        parse_telegram_html(text)
    except HtmlError as exc:
        return f"can't parse entities: {exc}"
    return None


def visible_length(text: str) -> int:
    """UTF-16 length of ``text`` as shown: tags removed and entities decoded.

    Raises ``HtmlError`` (a ``ValueError``) when the markup is not valid, because then
    Telegram would show nothing at all.
    """
    return utf16_length(parse_telegram_html(text)[0])


def parse_telegram_html(text: str) -> tuple[str, list[Entity]]:
    """Parse ``text`` as Telegram does: the visible text and its entities (as in a Message).

    Raises HtmlError for markup Telegram refuses.
    """
    return _Parser(text).run()


class _Parser:
    """A single left-to-right pass over the markup, like tdlib's ``parse_html``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16_pos = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[Entity] = []

    def offset(self, index: int) -> int:
        """Telegram reports positions as UTF-8 byte offsets."""
        return len(self.text[:index].encode("utf-8", "surrogatepass"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16_pos += utf16_length(chars)

    def run(self) -> tuple[str, list[Entity]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "<":
                if text.startswith("</", self.pos):
                    self.end_tag()
                else:
                    self.start_tag()
            elif char == "&":
                self.emit(self.entity())
            elif char == ">":
                raise HtmlError(
                    f"Character '>' at byte offset {self.offset(self.pos)} must be escaped as &gt;"
                )
            else:
                # A whole run of plain text at once: per character, the stand-in's parsing
                # cost more than the bot's own work and skewed every benchmark.
                run = _PLAIN_RUN.match(text, self.pos)
                assert run is not None  # text[self.pos] is not one of "<&>"
                self.emit(run.group())
                self.pos = run.end()
        if self.stack:
            raise HtmlError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def entity(self) -> str:
        match = _ENTITY.match(self.text, self.pos)
        decoded = _decode_entity(match) if match else None
        if match is None or decoded is None:
            raise HtmlError(
                f"Character '&' at byte offset {self.offset(self.pos)} must be escaped as &amp;"
            )
        self.pos = match.end()
        return decoded

    def start_tag(self) -> None:
        text, begin = self.text, self.pos
        name_match = _NAME_CHARS.match(text, begin + 1)
        assert name_match is not None  # the pattern matches the empty string
        name = name_match.group().lower()
        self.pos = name_match.end()
        if self.pos >= len(text):
            raise HtmlError(f"Unclosed start tag at byte offset {self.offset(begin)}")
        if name not in _ALLOWED or (text[self.pos] not in " \t\r\n>"):
            bad = name + _NAME_CHARS.match(text, self.pos).group()  # type: ignore[union-attr]
            raise HtmlError(f'Unsupported start tag "{bad}" at byte offset {self.offset(begin)}')
        attributes = self.attributes(name, begin)
        for attribute, required in _ALLOWED[name].items():
            if required and attribute not in attributes:
                raise HtmlError(
                    f'Missing attribute "{attribute}" in the tag "{name}" at byte offset '
                    f"{self.offset(begin)}"
                )
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlError(f'Unsupported start tag "span" at byte offset {self.offset(begin)}')
        if name == "code" and not attributes.get("class", "language-").startswith("language-"):
            raise HtmlError(
                f'Unsupported class of the tag "code" at byte offset {self.offset(begin)}'
            )
        self.stack.append(_OpenTag(name, attributes, self.utf16_pos))

    def attributes(self, tag: str, begin: int) -> dict[str, str]:
        """Read ``name="value"`` pairs up to and including the closing ``>``."""
        text, found = self.text, dict[str, str]()
        while True:
            while self.pos < len(text) and text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos >= len(text):
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {self.offset(begin)}')
            if text[self.pos] == ">":
                self.pos += 1
                return found
            name_match = _ATTR_NAME_CHARS.match(text, self.pos)
            assert name_match is not None
            attribute = name_match.group().lower()
            if not attribute:
                raise HtmlError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {self.offset(begin)}'
                )
            if attribute not in _ALLOWED[tag]:
                raise HtmlError(
                    f'Unsupported attribute "{attribute}" in the tag "{tag}" at byte offset '
                    f"{self.offset(begin)}"
                )
            self.pos = name_match.end()
            if (tag, attribute) in _VALUELESS and (
                self.pos >= len(text) or text[self.pos] in " \t\r\n>"
            ):
                found[attribute] = ""
                continue
            found[attribute] = self.attribute_value(tag, attribute, begin)

    def attribute_value(self, tag: str, attribute: str, begin: int) -> str:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(text) or text[self.pos] != "=":
            raise HtmlError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte '
                f"offset {self.offset(begin)}"
            )
        self.pos += 1
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(text):
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {self.offset(begin)}')
        quote = text[self.pos]
        if quote not in "\"'":
            raise HtmlError(
                f'Unquoted value of the attribute "{attribute}" in the tag "{tag}" at byte '
                f"offset {self.offset(self.pos)}"
            )
        end = text.find(quote, self.pos + 1)
        if end < 0:
            raise HtmlError(f"Unclosed start tag at byte offset {self.offset(begin)}")
        raw = text[self.pos + 1 : end]
        self.pos = end + 1
        # Inside a value Telegram decodes entities but keeps a bare "&" (URLs are full of them).
        return _ENTITY.sub(lambda m: _decode_entity(m) or m.group(), raw)

    def end_tag(self) -> None:
        text, begin = self.text, self.pos
        close = text.find(">", begin)
        if begin + 2 >= len(text):
            raise HtmlError(f"Unexpected end tag at byte offset {self.offset(begin)}")
        if close < 0:
            raise HtmlError(f"Unclosed end tag at byte offset {self.offset(begin)}")
        name = text[begin + 2 : close].strip().lower()
        self.pos = close + 1
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self.offset(begin)}")
        tag = self.stack.pop()
        if name != tag.name:
            raise HtmlError(
                f'Unmatched end tag at byte offset {self.offset(begin)}, expected "</{tag.name}>", '
                f'found "</{name}>"'
            )
        self.add_entity(tag)

    def add_entity(self, tag: _OpenTag) -> None:
        """Turn a closed tag into the entity Telegram would report for it."""
        language = tag.attributes.get("class", "").removeprefix("language-")
        if tag.name == "code" and language and self.stack and self.stack[-1].name == "pre":
            self.stack[-1].language = language  # <pre><code class=..>: one pre entity
            return
        length = self.utf16_pos - tag.start
        if length == 0:
            return  # Telegram drops empty entities
        entity: Entity = {"type": _ENTITY_TYPES[tag.name], "offset": tag.start}
        entity["length"] = length
        if tag.name == "a":
            entity["url"] = tag.attributes["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        self.entities.append(entity)


def _decode_entity(match: re.Match[str]) -> str | None:
    """The character an entity stands for, or None if Telegram does not know it."""
    decimal, hexadecimal, named = match.groups()
    if named is not None:
        return _NAMED_ENTITIES.get(named)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)
