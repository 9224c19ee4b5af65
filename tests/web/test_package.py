"""The templates ship: a wheel built from the tree holds every template the views load."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_wheel_carries_the_templates_and_the_stylesheet(tmp_path: Path) -> None:
    # Built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds.
    source = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for package in ("bot", "handlers", "storage", "standin"):
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("sitrep_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted((ROOT / "handlers" / "templates").iterdir())
    assert templates
    for template in templates:
        assert f"handlers/templates/{template.name}" in names, f"{template.name} not in the wheel"
