"""Migrations of the schema (schema.py, run by database.py)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history import schema
from stretchcli.history.schema import Migration
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- migrations ---


def test_an_older_database_is_upgraded_in_place(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = make_record()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        2, "test: a tags table", ("CREATE TABLE session_tags (session_id TEXT, tag TEXT)",)
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    with HistoryStore.open(db) as store:
        assert store.user_version == 2
        assert store.get(record.id) == record
        store._conn.execute("SELECT * FROM session_tags")


def test_a_failing_migration_leaves_the_database_at_its_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make_record()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        2,
        "test: fails half-way",
        ("CREATE TABLE half (x)", "INSERT INTO no_such_table VALUES (1)"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    with pytest.raises(HistoryError, match="no such table: no_such_table"):
        HistoryStore.open(db)
    monkeypatch.undo()
    with HistoryStore.open(db) as store:
        assert store.user_version == 1
        tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        assert store.get(record.id) == record
