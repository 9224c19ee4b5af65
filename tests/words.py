"""Storage's problems as the command line words them: English, from the catalogue.

Storage reports a code and its parameters; these tests read them as a curator would, so a
test that names the words ("is required") still checks what a person is told.
"""

from __future__ import annotations

from typing import Any

from handlers.problems import field_problem, field_problems, of_error, record_problem
from storage.exchange import RecordError
from storage.model import FieldError, InvalidEvent
from storage.problems import CodedError


def english(problem: Any) -> str:
    """A FieldError, RecordError, InvalidEvent or coded error in plain English."""
    if isinstance(problem, FieldError):
        return field_problem(problem, "en", html=False)
    if isinstance(problem, RecordError):
        return record_problem(problem, "en", html=False)
    if isinstance(problem, InvalidEvent):
        return field_problems(problem.errors, "en", html=False)
    if isinstance(problem, CodedError):
        return of_error(problem, "en", html=False)
    raise TypeError(f"not a problem: {problem!r}")
