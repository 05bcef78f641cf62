"""Fixtures of the history tests: a database path in a folder that does not exist yet,
and a store opened there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchcli.history.store import HistoryStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(db) as opened:
        yield opened
