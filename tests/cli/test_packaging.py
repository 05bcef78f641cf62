"""A plain, non-editable install of the wheel finds its built-in routines (package data)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from support import BUILTIN_IDS

ROOT = Path(__file__).resolve().parents[2]
DEPENDENCIES = {"typer", "rich", "pydantic", "platformdirs", "tomlkit", "jinja2"}


def pip(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The running interpreter's pip (it can install into another environment with --python)."""
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def build_wheel(out: Path) -> Path:
    """Build the project's wheel, offline when hatchling is already importable."""
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    result = pip("wheel", "--no-deps", "-q", *isolation, "-w", str(out), str(ROOT))
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("stretchcli-*.whl")
    return wheel


def make_venv(where: Path) -> Path:
    """A fresh virtual environment without pip (the outer pip installs into it); its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert python.exists()
    return python


def install(wheel: Path, python: Path) -> None:
    """Install the wheel with its dependencies from the package index. Without an index,
    install it alone and let the venv import the dependencies the tests run with."""
    result = pip("--python", str(python), "install", "-q", str(wheel), timeout=180)
    if result.returncode == 0:
        return
    result = pip("--python", str(python), "install", "-q", "--no-deps", str(wheel))
    assert result.returncode == 0, result.stderr
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Appended after the venv's own site-packages, so the installed stretchcli wins.
    (Path(purelib) / "_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, venv python) for a non-editable install into a fresh venv."""
    base = tmp_path_factory.mktemp("packaging")
    wheel = build_wheel(base / "dist")
    python = make_venv(base / "venv")
    install(wheel, python)
    return wheel, python


def run(python: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the venv's ``stretch`` script outside the checkout, with a private STRETCH_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "STRETCH_"))}
    env["STRETCH_HOME"] = str(home)
    script = python.parent / ("stretch.exe" if os.name == "nt" else "stretch")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home.parent,
        timeout=60,
        check=False,
    )


def test_wheel_ships_the_routines_and_declares_the_dependencies(
    installed: tuple[Path, Path],
) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        message = Parser().parsestr(archive.read(metadata).decode())
        entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    shipped = sorted(
        Path(n).stem for n in names if n.startswith("stretchcli/routines/") and n.endswith(".toml")
    )
    assert shipped == BUILTIN_IDS
    requires = {
        req.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for req in message.get_all("Requires-Dist") or []
        if "extra ==" not in req
    }
    assert requires == DEPENDENCIES
    assert "stretch = stretchcli.cli.entry:main" in entry_points


def test_installed_stretch_lists_the_six_builtins(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, python = installed
    home = tmp_path / "home"
    result = run(python, "list", "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == BUILTIN_IDS
    venv = python.parent.parent
    for row in rows:
        assert row["source"] == "built-in"
        # Found inside the installed package, not in the checkout this test runs from.
        assert Path(row["path"]).is_relative_to(venv), row["path"]


def test_installed_stretch_shows_lower_back(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, python = installed
    result = run(python, "show", "lower-back", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("30 s × 3 each side") == 2
    assert "5 exercises, about 12 min (11:45)" in result.stdout
    version = subprocess.run(
        [str(python), "-m", "stretchcli", "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0
    assert version.stdout.startswith("stretch ")


def test_installed_stretch_writes_a_report_from_its_shipped_template(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    wheel, python = installed
    with zipfile.ZipFile(wheel) as archive:
        assert "stretchcli/view/templates/report.html.j2" in archive.namelist()
    result = run(python, "report", "-o", "-", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert '<h2 id="h-summary">Summary</h2>' in result.stdout
