"""The history store (store.py): recording and querying sessions, and two processes
recording at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history import database
from stretchcli.history.save import save_session
from stretchcli.history.schema import schema_version
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- records and queries ---


def test_record_then_get_gives_every_field_back(store: HistoryStore) -> None:
    record = make_record()
    assert store.record(record) is True
    got = store.get(record.id)
    assert got == record
    assert got is not None and got.to_json_dict() == record.to_json_dict()
    assert got.started_at.utcoffset() == timedelta(hours=2)


def test_get_unknown_id_is_none(store: HistoryStore) -> None:
    assert store.get("nope") is None


def test_recording_the_same_id_twice_keeps_the_first(store: HistoryStore) -> None:
    record = make_record()
    assert store.record(record) is True
    assert store.record(replace(record, note="changed")) is False
    assert [r.note for r in store.sessions()] == ["felt good"]


def test_sessions_newest_first_with_filters(store: HistoryStore) -> None:
    base = datetime(2024, 5, 1, 7, 0, tzinfo=BERLIN)
    records = [
        make_record(base + timedelta(days=i), routine="hold" if i % 2 else "lower-back")
        for i in range(6)
    ]
    assert store.record_many(reversed(records)) == 6
    assert [r.id for r in store.sessions()] == [r.id for r in reversed(records)]
    assert [r.id for r in store.sessions(limit=2)] == [records[5].id, records[4].id]
    assert [r.id for r in store.sessions(routine="hold")] == [
        records[5].id,
        records[3].id,
        records[1].id,
    ]
    since = datetime(2024, 5, 4, tzinfo=BERLIN)
    assert [r.id for r in store.sessions(since=since)] == [
        records[5].id,
        records[4].id,
        records[3].id,
    ]
    assert [r.id for r in store.sessions(since=since, routine="lower-back", limit=5)] == [
        records[4].id
    ]
    assert store.count() == 6
    assert store.count(routine="hold", since=since) == 2


def test_order_is_by_instant_not_by_local_clock(store: HistoryStore) -> None:
    earlier = make_record(datetime(2024, 5, 6, 9, 0, tzinfo=BERLIN))  # 07:00 UTC
    later = make_record(datetime(2024, 5, 6, 8, 0, tzinfo=UTC))  # 08:00 UTC
    store.record_many([later, earlier])
    assert [r.id for r in store.sessions()] == [later.id, earlier.id]


def test_record_many_is_one_batch_and_skips_duplicates(store: HistoryStore) -> None:
    first = make_record()
    batch = [first, make_record(), first, make_record()]
    assert store.record_many(batch) == 3
    assert store.record_many(batch) == 0
    assert store.count() == 3


def test_a_naive_datetime_is_refused(store: HistoryStore) -> None:
    record = make_record(started_at=datetime(2024, 5, 6, 8, 0))
    with pytest.raises(HistoryError, match="started_at: expected an ISO 8601 date-time"):
        store.record(record)
    assert store.count() == 0


def test_missing_database_with_create_false_makes_no_file(db: Path) -> None:
    with HistoryStore.open(db, create=False) as empty:
        assert empty.sessions() == []
    assert not db.exists()
    assert not db.parent.exists()


def test_new_database_uses_wal_foreign_keys_and_indexes(db: Path, store: HistoryStore) -> None:
    store.record(make_record())
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    plan = " ".join(
        str(row)
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE routine = ? ORDER BY started_ts DESC",
            ("x",),
        )
    )
    assert "sessions_by_routine" in plan
    conn.execute("DELETE FROM sessions")
    assert conn.execute("SELECT count(*) FROM session_sides").fetchone()[0] == 0


# --- two processes at once ---


def _rollback_mode_history(db: Path) -> None:
    """A migrated history still in rollback-journal mode, as one is while being created."""
    with HistoryStore.open(db):
        pass
    conn = sqlite3.connect(db, isolation_level=None)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()


def test_switching_to_wal_waits_for_a_writer_that_sqlite_does_not_wait_for(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process holds the write lock (its own creation step, say): SQLite refuses
    # the journal-mode change at once as busy, without its busy handler.
    _rollback_mode_history(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    waits: list[float] = []

    def other_finishes(seconds: float) -> None:
        waits.append(seconds)
        if other.in_transaction:
            other.execute("COMMIT")

    monkeypatch.setattr(database.time, "sleep", other_finishes)
    with HistoryStore.open(db) as store:
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.record(make_record())
    assert len(waits) == 1
    other.close()


def test_a_writer_that_never_finishes_gives_up_after_the_busy_timeout(db: Path) -> None:
    _rollback_mode_history(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(HistoryError, match=r"cannot prepare \(database is locked\)"):
        HistoryStore.open(db, busy_timeout=0.0)
    other.execute("ROLLBACK")
    other.close()
    with HistoryStore.open(db) as store:
        assert store.count() == 0


def _record_in_child(db: str, barrier: Any, ids: list[str]) -> None:
    barrier.wait()
    for session_id in ids:
        result = save_session(make_record(id=session_id), Path(db))
        assert result.in_database, result.problem


@pytest.mark.parametrize("existing", [False, True])
def test_two_processes_recording_at_once_both_land(db: Path, existing: bool) -> None:
    if existing:
        with HistoryStore.open(db):
            pass
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    ids = [[f"p{p}-{i}" for i in range(25)] for p in range(2)]
    procs = [ctx.Process(target=_record_in_child, args=(str(db), barrier, i)) for i in ids]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0, 0]
    with HistoryStore.open(db) as store:
        assert sorted(r.id for r in store.sessions()) == sorted(ids[0] + ids[1])
    assert not list(db.parent.glob("stretch-session-*.json"))
