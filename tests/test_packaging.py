"""The two locks: the runtime one (pip install, the Docker image) carries no development tools,
and every dependency pyproject declares, with all it pulls in, is pinned in the right one."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {"pytest", "pytest-asyncio", "hypothesis", "ruff", "mypy", "iniconfig"}


def pins(lock: str) -> dict[str, str]:
    """name -> pinned version of one lock file, without what it includes with -r."""
    found: dict[str, str] = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", line)
        assert match, f"{lock}: {line!r} is not pinned as name==version"
        found[canonicalize_name(match[1])] = match[2]
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def closure(requirements: list[str]) -> set[str]:
    """Every distribution these requirements pull in on this Python, extras included,
    read from the installed packages' own metadata."""
    seen: set[str] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        for wanted in ["", *sorted(req.extras)]:
            key = f"{name}[{wanted}]"
            if key in seen:
                continue
            seen.add(key)
            todo.extend((Requirement(r), wanted) for r in metadata.requires(name) or [])
    return {key.split("[", 1)[0] for key in seen}


def test_the_runtime_lock_carries_no_development_tools():
    runtime = pins("requirements.lock")
    tools = {n for n in runtime if n in DEV_TOOLS or n.startswith("types-")}
    assert not tools, f"development tools in the runtime lock: {sorted(tools)}"


def test_every_runtime_dependency_is_pinned_in_the_runtime_lock_within_its_range():
    runtime = pins("requirements.lock")
    for spec in pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in runtime, f"{req.name} (pyproject) is not pinned in requirements.lock"
        assert req.specifier.contains(runtime[name], prereleases=True), (
            f"{req.name}=={runtime[name]} is outside {req.specifier}"
        )


def test_what_the_runtime_dependencies_pull_in_is_pinned_in_the_runtime_lock():
    runtime = pins("requirements.lock")
    missing = closure(pyproject()["project"]["dependencies"]) - runtime.keys()
    assert not missing, f"pulled in at run time but not in requirements.lock: {sorted(missing)}"


def test_the_development_lock_adds_the_tools_to_the_runtime_lock():
    text = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
    assert "-r requirements.lock" in text.splitlines()
    dev, runtime = pins("requirements-dev.lock"), pins("requirements.lock")
    assert not dev.keys() & runtime.keys(), "pinned in both locks"
    everything = dev | runtime
    missing = closure(pyproject()["project"]["optional-dependencies"]["dev"]) - everything.keys()
    assert not missing, f"development tools not pinned: {sorted(missing)}"


def test_the_docker_image_installs_the_runtime_lock_only():
    lines = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8").splitlines()
    dockerfile = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "-r requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile
