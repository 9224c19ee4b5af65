"""Storage's problems in words: a code and its parameters (storage/problems.py) worded by the
catalogue (`problem_<code>`), in the language of whoever reads them.

One place for every reader of a problem: a curator's chat gets HTML in its language; the
command line and its import reports get plain English from the same templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from handlers.catalogue import EN, text
from handlers.render import esc
from storage.exchange import RecordError
from storage.model import FieldError
from storage.problems import CodedError


def _shown(name: str, value: Any, lang: str | None, html: bool) -> str:
    if name == "unit":
        return text(f"problem_unit_{value}", lang)
    if isinstance(value, tuple | list):
        value = ", ".join(str(v) for v in value)
    return esc(value) if html else str(value)


def words(
    code: str, params: Mapping[str, Any], lang: str | None = None, *, html: bool = True
) -> str:
    """The problem `code` in `lang` (default: the current language). HTML-escaped for a chat,
    plain for the command line (`html=False`). A code the catalogue lacks is shown as given."""
    key = f"problem_{code}"
    if key not in EN:
        return esc(code) if html else code
    values = {name: _shown(name, value, lang, html) for name, value in params.items()}
    return text(key, lang, **values)


def of_error(exc: CodedError, lang: str | None = None, *, html: bool = True) -> str:
    """A coded error (a date, a zone) in words."""
    return words(exc.code, exc.params, lang, html=html)


def field_problem(error: FieldError, lang: str | None = None, *, html: bool = True) -> str:
    """'start: 2026-13-01 is an impossible date': the field by its own name, then what is wrong."""
    return text(
        "problem_field",
        lang,
        field=esc(error.field) if html else error.field,
        problem=words(error.code, error.params, lang, html=html),
    )


def field_problems(
    errors: Iterable[FieldError], lang: str | None = None, *, html: bool = True
) -> str:
    """Every problem of a record on one line, '; ' between them."""
    return "; ".join(field_problem(e, lang, html=html) for e in errors)


def record_problem(
    problem: RecordError | str, lang: str | None = None, *, html: bool = True
) -> str:
    """One record of an import file and everything wrong with it (a file-level problem, which
    names no record, comes as text and is shown as it is)."""
    if isinstance(problem, str):
        return esc(problem) if html else problem
    return text(
        "problem_record",
        lang,
        file=esc(problem.file) if html else problem.file,
        unit=text(f"problem_unit_{problem.unit}", lang),
        index=problem.index,
        id=(esc(problem.event_id) if html else problem.event_id) or "?",
        problems=field_problems(problem.errors, lang, html=html),
    )
