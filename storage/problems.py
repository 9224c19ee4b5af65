"""What is wrong with a curator's input, as a code with its parameters: never as words.

Storage finds the problem; the catalogue words it, in the language of whoever reads it (a
curator's chat in Ukrainian, the command line in English), so storage stays free of any
language. A parameter is a value (a number, the text at fault, a list of allowed codes), never
an English phrase.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def describe(code: str, params: Mapping[str, Any]) -> str:
    """A developer's form for logs and exception text: `code (name=value, …)`; readers are
    told through the catalogue (handlers.problems)."""
    if not params:
        return code
    shown = ", ".join(f"{k}={v!r:.60}" for k, v in params.items())
    return f"{code} ({shown})"


class CodedError(ValueError):
    """An error a curator or reader is told of: `code` names it, `params` fill its words."""

    def __init__(self, code: str, **params: Any):
        super().__init__(describe(code, params))
        self.code = code
        self.params: dict[str, Any] = params
