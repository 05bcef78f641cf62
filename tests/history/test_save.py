"""Saving a finished session whatever happens (save.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history import database
from stretchcli.history.export import parse_export, read_export
from stretchcli.history.save import save_session
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- saving a finished session whatever happens ---


def test_save_session_goes_to_the_database(db: Path) -> None:
    record = make_record()
    result = save_session(record, db)
    assert (result.path, result.in_database, result.problem) == (db, True, None)
    with HistoryStore.open(db) as store:
        assert store.get(record.id) == record


def _readonly_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    raise sqlite3.OperationalError("attempt to write a readonly database")


def test_unwritable_database_saves_a_fallback_file_that_imports(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make_record()
    with monkeypatch.context() as patch:
        patch.setattr(database.sqlite3, "connect", _readonly_connect)
        result = save_session(record, db)
    assert not result.in_database
    assert result.path.parent == db.parent
    assert result.path.name == f"stretch-session-20240506-080000-{record.id[:12]}.json"
    assert result.problem is not None and "attempt to write a readonly database" in result.problem
    assert read_export(result.path) == [record]
    with HistoryStore.open(db) as store:
        assert store.import_file(result.path).added == 1
        assert store.get(record.id) == record


def test_data_folder_that_cannot_be_created_falls_back_to_home(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = blocker / "data" / "history.sqlite3"
    record = make_record()
    result = save_session(record, db, home=tmp_path / "home")
    assert not result.in_database
    assert result.path.parent == tmp_path / "home"
    assert read_export(result.path) == [record]


def test_database_locked_past_the_timeout_falls_back(db: Path) -> None:
    with HistoryStore.open(db):
        pass
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        record = make_record()
        result = save_session(record, db, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not result.in_database
    assert result.problem is not None and "database is locked" in result.problem
    assert read_export(result.path) == [record]


def test_disk_full_while_writing_falls_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: HistoryStore, sessions: Any, *, trusted: bool = False) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(HistoryStore, "record_many", full)
    result = save_session(make_record(), db)
    assert not result.in_database
    assert result.problem == "database or disk is full"


def test_corrupt_database_falls_back_and_stays_untouched(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"\x00garbage" * 1000)
    before = db.read_bytes()
    record = make_record()
    result = save_session(record, db)
    assert not result.in_database
    assert db.read_bytes() == before
    assert read_export(result.path) == [record]


def test_when_nothing_can_be_written_the_record_is_in_the_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    record = make_record()
    with pytest.raises(HistoryError) as caught:
        save_session(record, blocker / "db" / "history.sqlite3", home=blocker / "home")
    message = str(caught.value)
    assert "\n" not in message
    document = json.loads(message[message.index("{") :])
    assert parse_export(document) == [record]
