"""Every problem storage can report has words in the catalogue; they read in each language."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

from handlers.catalogue import CATALOGUES, EN
from handlers.i18n import LANGUAGES
from handlers.problems import field_problem, record_problem, words
from storage.exchange import RecordError
from storage.model import FieldError, normalise, validate

CODED = {
    "CodedError": 0,
    "TimeFormatError": 0,
    "LocalTimeError": 0,
    "FigureError": 0,
    "FieldError": 1,
}


def codes_storage_reports() -> set[str]:
    """Every code written as a literal where storage builds a problem."""
    found: set[str] = set()
    for entry in resources.files("storage").iterdir():
        if not entry.name.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(entry.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = CODED.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def test_every_code_storage_reports_has_words() -> None:
    codes = codes_storage_reports()
    assert len(codes) > 60  # the scan finds them (a scan that finds nothing proves nothing)
    assert sorted(c for c in codes if f"problem_{c}" not in EN) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_record_s_problems_read_in_each_language(lang: str) -> None:
    errors = validate(normalise({"id": "x-1", "kind": "talks", "status": "held"}))
    shown = [field_problem(e, lang) for e in errors]
    assert len(shown) == len(errors) >= 3
    assert all(": " in s and "problem_" not in s for s in shown)
    assert all(
        CATALOGUES[lang][f"problem_{e.code}"].split("{")[0] in s
        for e, s in zip(errors, shown, strict=True)
    )


def test_values_are_escaped_in_a_chat_and_plain_on_the_command_line() -> None:
    error = FieldError("related", "not_event_id", {"value": "<b>x</b>"})
    assert field_problem(error, "en") == "related: '&lt;b&gt;x&lt;/b&gt;' is not an event id"
    assert field_problem(error, "en", html=False) == "related: '<b>x</b>' is not an event id"


def test_lists_and_units_are_worded() -> None:
    assert words("one_of", {"choices": ("held", "cancelled")}, "uk") == (
        "має бути одним із: held, cancelled"
    )
    problem = RecordError("f.csv", 3, "", [FieldError("record", "record_not_mapping")], "row")
    assert record_problem(problem, "uk") == "f.csv: рядок 3 (id ?): record: не є відображенням"
    assert record_problem(problem, "en") == "f.csv: row 3 (id ?): record: is not a mapping"


def test_a_code_without_words_is_shown_as_given() -> None:
    assert words("<some new code>", {}, "uk") == "&lt;some new code&gt;"
