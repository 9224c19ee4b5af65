"""Running the `sitrep` command in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`sitrep ARGV...`: its exit code, what it printed, and what it wrote to stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
