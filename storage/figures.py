"""Casualty figures as people write them: one syntax for /add, /correct, imports and ACLED.

`12` is exactly 12, `12+` at least 12, `~12` about 12; `none`, `unknown`, `-`, `?` or an
empty value mean the figure is not known. The long forms curators already used are read the
same way (`at least 12`, `about 12`, `at_least:12`, `about:12`, `exact:12`). A stored figure
is `{"count": N, "qualifier": "at_least" | "about" | "exact"}` and is accepted as it is.

Every reader of killed and injured calls `read_figure`, so a text means one thing wherever it
is typed. A bad figure raises `FigureError`, a coded problem (`figure_negative`,
`figure_not_number`, `figure_too_big`, `figure_qualifier`; its `problem` is the code without
`figure_`) that the catalogue words for a chat, and for files and the command line in English.
"""

from __future__ import annotations

import re
from typing import Any

from storage.problems import CodedError

UNKNOWN_WORDS = ("none", "unknown", "-", "?", "")
MAX_COUNT = 10_000_000  # as the record's own check: beyond it no figure is plausible

_LONG_FORMS = (
    # Longer alternatives first: "about:12" must not read as "about" then ":12".
    (re.compile(r"(?:at[ _-]least:|at[ _-]least|>=)\s*(.*)"), "at_least"),
    (re.compile(r"(?:about:|about|approximately|approx\.?|~|≈|circa)\s*(.*)"), "about"),
    (re.compile(r"(?:exactly|exact:|exact)\s*(.*)"), "exact"),
)


class FigureError(CodedError):
    """A figure that cannot be read: `code` (`figure_<problem>`) and its params say why for the
    catalogue; `problem` is the code's last part, `value` what was given."""

    def __init__(self, code: str, given: str, /, **params: Any):
        super().__init__(code, **params)
        self.problem = code.removeprefix("figure_")
        self.value = given


def _count(digits: str, original: str) -> int:
    digits = digits.strip()
    if re.fullmatch(r"-\s*[0-9]+", digits):
        raise FigureError("figure_negative", original, value=original.strip()[:40])
    if not re.fullmatch(r"[0-9]{1,9}", digits):
        raise FigureError("figure_not_number", original, value=original.strip()[:40])
    count = int(digits)
    if count > MAX_COUNT:
        raise FigureError("figure_too_big", original, count=count)
    return count


def read_figure(value: Any, *, bare: str = "exact") -> dict[str, Any] | None:
    """A figure from text (`12`, `12+`, `~12`, `none`), a whole number, or a stored mapping.

    `bare` is what a plain number means: exactly that many, everywhere people type figures.
    ACLED's fatalities column is the one exception, read as "at least" because ACLED says its
    counts are conservative (see storage/acled.py).
    """
    if value is None:
        return None
    if isinstance(value, dict):
        return value  # the stored form; the record's check judges its count and qualifier
    if isinstance(value, bool):
        raise FigureError("figure_not_number", str(value), value=str(value))
    if isinstance(value, int):
        return {"count": _count(str(value), str(value)), "qualifier": bare}
    if not isinstance(value, str):
        raise FigureError("figure_not_number", str(value)[:40], value=str(value)[:40])
    raw = " ".join(value.lower().split())
    if raw in UNKNOWN_WORDS:
        return None
    if raw.endswith("+"):
        return {"count": _count(raw[:-1], value), "qualifier": "at_least"}
    for pattern, qualifier in _LONG_FORMS:
        if match := pattern.fullmatch(raw):
            return {"count": _count(match[1], value), "qualifier": qualifier}
    if ":" in raw:
        qualifier = raw.partition(":")[0].strip().replace(" ", "_").replace("-", "_")
        raise FigureError("figure_qualifier", qualifier, value=qualifier[:40])
    return {"count": _count(raw, value), "qualifier": bare}
