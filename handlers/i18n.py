"""The language of what is being rendered now: set in one place per update or send, read by
every render.

The language is a ContextVar: the bot sets it once per update (a TypeHandler that runs before
every other handler) and once per send (the delivery engine), and every renderer reads
`current_language()` instead of taking a guess of its own. Outside any update it is
DEFAULT_LANGUAGE.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from typing import ParamSpec, TypeVar

# The catalogue's own language: what every other language falls back to, key by key.
DEFAULT_LANGUAGE = "en"


def _languages() -> tuple[str, ...]:
    """One module per language in handlers/locales/ (en.py, uk.py): a new file is a new
    language."""
    found = {
        entry.name.removesuffix(".py")
        for entry in resources.files("handlers.locales").iterdir()
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    }
    return (DEFAULT_LANGUAGE, *sorted(found - {DEFAULT_LANGUAGE}))


# Every language the bot speaks, the default first.
LANGUAGES: tuple[str, ...] = _languages()

_current: ContextVar[str] = ContextVar("sitrep_language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of the update or send being handled now."""
    return _current.get()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Render in `lang` inside the block (an unknown language gives DEFAULT_LANGUAGE)."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def renders_in(render: Callable[P, R]) -> Callable[P, R]:
    """A render that takes `lang` renders everything (labels, dates, places) in it when it is
    given, and in the current language otherwise."""
    signature = inspect.signature(render)

    @functools.wraps(render)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        lang = signature.bind(*args, **kwargs).arguments.get("lang")
        if not lang:
            return render(*args, **kwargs)
        with use_language(str(lang)):
            return render(*args, **kwargs)

    return wrapper


def set_language(lang: str) -> str:
    """Set the language for the rest of this task (the per-update handler uses it: PTB runs
    each update in its own task, so the setting ends with the update)."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _current.set(chosen)
    return chosen


def supported(lang: str | None) -> str | None:
    """`lang` if the bot speaks it (case and region ignored: `uk-UA` is `uk`), else None."""
    if not lang:
        return None
    base = lang.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


def negotiate(language_code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """A new chat's language from its user's Telegram client (`from.language_code`): a
    language the bot speaks, else `default` (SITREP_LANGUAGE)."""
    return supported(language_code) or supported(default) or DEFAULT_LANGUAGE
