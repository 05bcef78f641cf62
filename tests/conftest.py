"""Shared fixtures: every test gets its own data folder, never the user's."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from stretchcli.play.testing import FakeClock


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp STRETCH_HOME (history database, user routines) and an empty STRETCH_ROUTINES
    folder; HOME points inside it too, so nothing can reach the real home folder."""
    data = tmp_path / "home"
    routines = tmp_path / "routines"
    data.mkdir()
    routines.mkdir()
    monkeypatch.setenv("STRETCH_HOME", str(data))
    monkeypatch.setenv("STRETCH_ROUTINES", str(routines))
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    return data


@dataclass(frozen=True)
class Result:
    """What one `stretch` run printed and how it exited."""

    code: int
    out: str
    err: str


@pytest.fixture
def stretch(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run the `stretch` entry point in-process, as the console script does (errors become
    one line per problem and an exit code), and return its exit code, stdout and stderr."""
    from stretchcli.cli.entry import main

    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)

    def run(*args: str | Path) -> Result:
        monkeypatch.setattr(sys, "argv", ["stretch", *map(str, args)])
        capsys.readouterr()
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        else:
            code = 0
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The session's clock is a FakeClock that each plain-mode wait moves forward, so a
    session runs instantly and its times are exact (the real clock is test_e2e's job)."""
    from stretchcli.play import clock as clock_module
    from stretchcli.play import lineinput
    from stretchcli.play.testing import FakeClock

    fake = FakeClock()
    monkeypatch.setattr(clock_module, "SystemClock", lambda speed=1.0: fake)
    monkeypatch.setattr(
        lineinput, "time", SimpleNamespace(sleep=fake.advance, monotonic=time.monotonic)
    )
    return fake
