"""One direction only: bot -> handlers -> storage. Checked on the source, with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_packages(source: str) -> set[str]:
    """The top-level names of every absolute import in `source`, wherever it appears."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def python_files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    return files


def violations(package: str, forbidden: set[str]) -> list[str]:
    out = []
    for path in python_files(package):
        bad = imported_packages(path.read_text(encoding="utf-8")) & forbidden
        if bad:
            out.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    return out


def test_storage_imports_neither_telegram_nor_handlers_nor_bot():
    assert violations("storage", {"telegram", "handlers", "bot"}) == []


# What drawing on a terminal needs; storage reports progress through callbacks instead.
TERMINAL_NAMES = {"stdin", "stdout", "stderr", "isatty", "TextIO", "get_terminal_size"}


def terminal_code(source: str) -> set[str]:
    """The names in `source` that only code drawing on a terminal uses."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        if name in TERMINAL_NAMES:
            found.add(name)
        if isinstance(node, ast.alias) and node.name in TERMINAL_NAMES:
            found.add(node.name)
    return found


def test_storage_draws_nothing_on_a_terminal():
    drawn = {
        str(path.relative_to(ROOT)): sorted(names)
        for path in python_files("storage")
        if (names := terminal_code(path.read_text(encoding="utf-8")))
    }
    assert drawn == {}


@pytest.mark.parametrize(
    "source",
    ["import sys\nsys.stderr.write('x')", "from typing import TextIO", "s.isatty()"],
)
def test_the_terminal_check_catches_each_form(source):
    assert terminal_code(source)


def test_handlers_do_not_import_bot():
    assert violations("handlers", {"bot"}) == []


def test_every_storage_module_is_checked():
    names = {p.name for p in python_files("storage")}
    assert {"events.py", "exchange.py", "model.py", "timeparse.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "import telegram",
        "import telegram.ext as ext",
        "from telegram import Update",
        "from telegram.ext import Application",
        "from handlers.render import esc",
        "import bot.cli",
        "def f():\n    from bot import settings\n",
        "try:\n    import telegram\nexcept ImportError:\n    pass\n",
        "if TYPE_CHECKING:\n    from telegram import Update\n",
        "import importlib\nimportlib.import_module('telegram')\n",
    ],
)
def test_the_check_catches_each_form_of_import(source):
    assert imported_packages(source) & {"telegram", "handlers", "bot"}


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite_utils",
        "from storage.events import EventStore",
        "from . import events",
        "from .bot import x",  # relative: inside the same package
        "telegram = 'a word in a string'",
        "import botocore",
    ],
)
def test_the_check_ignores_allowed_imports(source):
    assert not imported_packages(source) & {"telegram", "handlers", "bot"}


def test_the_bot_api_stand_in_imports_nothing_of_ours():
    # It ships as its own package and must work wherever sitrep is installed, so it may
    # depend on python-telegram-bot and aiohttp, never on the bot it stands in for.
    assert violations("standin", {"bot", "handlers", "storage"}) == []
