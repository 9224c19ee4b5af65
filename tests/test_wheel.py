"""The package as users install it: a wheel built from the source tree, installed with the
runtime lock into a fresh virtual environment, answers `printf '/talks\\n' | sitrep chat`.

Marked `wheel` (15-40 s; `pytest -m "not wheel"` leaves it out). No network: the runtime lock's wheels come from the wheelhouse
`make` keeps in .venv/wheels, and the chat runs in a directory outside the checkout, so only
what the wheel installed can be imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = Path(sys.prefix) / "wheels"  # built by `make` from requirements.lock
# pip as on a clean machine: no user or site configuration, no extra indexes, no prompts.
PIP_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def run(*argv: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": os.environ.get("HOME", "/")}
    env.update(PIP_ENV)
    result = subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=300, env=env, **kwargs
    )
    assert result.returncode == 0, f"{argv}: {result.stderr[-3000:]}"
    return result


def copy_source_tree(into: Path) -> Path:
    """What a clean clone holds: tracked files and new ones not ignored, nothing built."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree stays out
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def test_a_wheel_in_a_fresh_venv_answers_talks_in_sitrep_chat(tmp_path):
    assert (WHEELHOUSE / ".").is_dir(), f"no wheelhouse at {WHEELHOUSE}: run `make test`"
    source = copy_source_tree(tmp_path / "source")
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--wheel-dir", dist, source)  # fmt: skip
    (wheel,) = dist.glob("sitrep_bot-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile", "--no-index",
        "--find-links", WHEELHOUSE, "-r", source / "requirements.lock", wheel)  # fmt: skip

    home = tmp_path / "elsewhere"  # not the checkout: nothing can be imported from there
    home.mkdir()
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}{os.defpath}", "HOME": str(home)}
    env["SITREP_DB"] = str(home / "sitrep.db")
    chat = subprocess.run(
        [venv / "bin" / "sitrep", "chat"],
        input="/talks\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
        env=env,
    )
    assert chat.returncode == 0, chat.stderr[-3000:]
    assert "Trilateral US–Russia–Ukraine talks in Abu Dhabi" in chat.stdout
    assert "Status: postponed · was 1 Feb" in chat.stdout

    modules = ["bot", "handlers", "standin", "storage"]
    imports = f"import {', '.join(modules)}; print({', '.join(f'{m}.__file__' for m in modules)})"
    where = subprocess.run(
        [python, "-c", imports],
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(p).is_relative_to(venv) for p in where.stdout.split()), where.stdout
