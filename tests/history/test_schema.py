"""Migrations of the schema (schema.py, run by database.py)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history import schema
from stretchcli.history.aggregate import add_totals
from stretchcli.history.rows import session_row
from stretchcli.history.schema import Migration
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NEXT = schema.schema_version() + 1  # the version of a migration a test adds


def test_a_first_version_history_is_upgraded_with_every_session_whole(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 2 rebuilds the sessions table (a skip is a new status): the sides and pain
    answers that refer to it must all still be there, nothing cascaded away."""
    records = [make_record(), make_record(note="second")]
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    with HistoryStore.open(db) as store:
        assert store.user_version == 1
        with store._conn:  # the rows as the first version wrote them
            for pk, record in enumerate(records, 1):
                store._conn.execute(
                    f"INSERT INTO sessions VALUES ({', '.join('?' * 13)})",
                    (pk, *session_row(record)[:12]),
                )
                for seq, s in enumerate(record.sides):
                    store._conn.execute(
                        "INSERT INTO session_sides VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (pk, seq, s.exercise_index, s.exercise, s.side, s.held_s, s.holds),
                    )
                for seq, a in enumerate(record.pain):
                    store._conn.execute(
                        "INSERT INTO session_pain VALUES (?, ?, ?, ?, ?, ?)",
                        (pk, seq, a.exercise_index, a.exercise, a.answer, a.side),
                    )
            add_totals(store._conn, records)
    monkeypatch.undo()
    with HistoryStore.open(db) as store:
        assert store.user_version == schema.schema_version() >= 2
        assert sorted(store.sessions(), key=lambda r: r.note) == sorted(
            records, key=lambda r: r.note
        )
        assert store._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        skipped = make_record(status="skipped", reason="no time", duration_s=0.0, sides=(), pain=())
        store.record(skipped)
        assert store.get(skipped.id) == skipped
        assert store.stats(today=skipped.started_at.date(), tz=BERLIN).total_sessions == 2


# --- migrations ---


def test_an_older_database_is_upgraded_in_place(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = make_record()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        NEXT, "test: a tags table", ("CREATE TABLE session_tags (session_id TEXT, tag TEXT)",)
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    with HistoryStore.open(db) as store:
        assert store.user_version == NEXT
        assert store.get(record.id) == record
        store._conn.execute("SELECT * FROM session_tags")


def test_a_failing_migration_leaves_the_database_at_its_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make_record()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        NEXT,
        "test: fails half-way",
        ("CREATE TABLE half (x)", "INSERT INTO no_such_table VALUES (1)"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    with pytest.raises(HistoryError, match="no such table: no_such_table"):
        HistoryStore.open(db)
    monkeypatch.undo()
    with HistoryStore.open(db) as store:
        assert store.user_version == NEXT - 1
        tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        assert store.get(record.id) == record
