"""Shared fixtures: every test gets its own data folder, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


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
