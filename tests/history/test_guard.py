"""A file at the database path that is not ours is refused and left as it was (guard.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history.schema import schema_version
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- a file at the database path that is not ours ---


def _sqlite_file(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _assert_refused_untouched(path: Path, message: str) -> None:
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_garbage_file_is_refused_and_left_byte_for_byte(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database\n" * 200)
    _assert_refused_untouched(db, "is not a SQLite database")


def test_another_programs_sqlite_database_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    _sqlite_file(db, "CREATE TABLE notes (x)", "INSERT INTO notes VALUES (1)")
    _assert_refused_untouched(db, "is another program's SQLite database")


def test_an_empty_other_sqlite_database_with_wal_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    _sqlite_file(db, "PRAGMA journal_mode = WAL", "PRAGMA user_version = 7")
    _assert_refused_untouched(db, "is another program's SQLite database")


def test_a_database_from_a_newer_version_is_refused_untouched(db: Path) -> None:
    with HistoryStore.open(db) as store:
        store.record(make_record())
    _sqlite_file(db, f"PRAGMA user_version = {schema_version() + 1}")
    _assert_refused_untouched(db, "was written by a newer stretchcli")


@pytest.mark.parametrize("keep", [1000, 4096, 9000])
def test_a_truncated_database_is_refused_untouched(db: Path, keep: int) -> None:
    with HistoryStore.open(db) as store:
        store.record_many([make_record() for _ in range(40)])
    db.write_bytes(db.read_bytes()[:keep])
    _assert_refused_untouched(db, "is damaged")


def test_a_folder_at_the_database_path_is_refused(db: Path) -> None:
    db.mkdir(parents=True)
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore.open(db)


def test_a_zero_byte_file_becomes_a_new_database(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.touch()
    with HistoryStore.open(db) as store:
        store.record(make_record())
        assert store.count() == 1
