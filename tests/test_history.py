"""The history store: records, queries, storage safety, export/import, statistics."""

from __future__ import annotations

import io
import json
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchcli import history
from stretchcli.errors import HistoryError
from stretchcli.history import (
    HistoryStore,
    Migration,
    PainRecord,
    SessionRecord,
    SideRecord,
    compute_stats,
    new_session_id,
    read_export,
    save_session,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def make(
    started: datetime = datetime(2024, 5, 6, 8, 0, tzinfo=BERLIN), **changes: Any
) -> SessionRecord:
    """A full guided session starting at ``started``; any field can be changed."""
    record = SessionRecord(
        id=new_session_id(),
        routine="lower-back",
        title="Lower back: extension and rotation",
        started_at=started,
        ended_at=started + timedelta(minutes=12, seconds=30),
        duration_s=725.25,
        status="completed",
        source="guided",
        pain_before=5,
        pain_after=3,
        sides=(
            SideRecord(0, "Prone on elbows", None, 120.0, 1),
            SideRecord(1, "Hooklying trunk rotation", "left", 90.5, 3),
            SideRecord(1, "Hooklying trunk rotation", "right", 88.0, 3),
        ),
        pain=(
            PainRecord(0, "Prone on elbows", "fine"),
            PainRecord(1, "Hooklying trunk rotation", "sore"),
        ),
        note="felt good",
    )
    return replace(record, **changes)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(db) as opened:
        yield opened


def json_list(records: list[SessionRecord]) -> list[dict[str, Any]]:
    return [r.to_json_dict() for r in records]


# --- records and queries ---


def test_record_then_get_gives_every_field_back(store: HistoryStore) -> None:
    record = make()
    assert store.record(record) is True
    got = store.get(record.id)
    assert got == record
    assert got is not None and got.to_json_dict() == record.to_json_dict()
    assert got.started_at.utcoffset() == timedelta(hours=2)


def test_get_unknown_id_is_none(store: HistoryStore) -> None:
    assert store.get("nope") is None


def test_recording_the_same_id_twice_keeps_the_first(store: HistoryStore) -> None:
    record = make()
    assert store.record(record) is True
    assert store.record(replace(record, note="changed")) is False
    assert [r.note for r in store.sessions()] == ["felt good"]


def test_sessions_newest_first_with_filters(store: HistoryStore) -> None:
    base = datetime(2024, 5, 1, 7, 0, tzinfo=BERLIN)
    records = [
        make(base + timedelta(days=i), routine="hold" if i % 2 else "lower-back") for i in range(6)
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
    earlier = make(datetime(2024, 5, 6, 9, 0, tzinfo=BERLIN))  # 07:00 UTC
    later = make(datetime(2024, 5, 6, 8, 0, tzinfo=UTC))  # 08:00 UTC
    store.record_many([later, earlier])
    assert [r.id for r in store.sessions()] == [later.id, earlier.id]


def test_record_many_is_one_batch_and_skips_duplicates(store: HistoryStore) -> None:
    first = make()
    batch = [first, make(), first, make()]
    assert store.record_many(batch) == 3
    assert store.record_many(batch) == 0
    assert store.count() == 3


def test_a_naive_datetime_is_refused(store: HistoryStore) -> None:
    record = make(started_at=datetime(2024, 5, 6, 8, 0))
    with pytest.raises(HistoryError, match="started_at: expected an ISO 8601 date-time"):
        store.record(record)
    assert store.count() == 0


def test_missing_database_with_create_false_makes_no_file(db: Path) -> None:
    with HistoryStore.open(db, create=False) as empty:
        assert empty.sessions() == []
    assert not db.exists()
    assert not db.parent.exists()


def test_new_database_uses_wal_foreign_keys_and_indexes(db: Path, store: HistoryStore) -> None:
    store.record(make())
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == history.schema_version()
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


# --- JSON form ---


def test_json_form_of_a_record() -> None:
    record = make(id="abc123", started_at=datetime(2024, 5, 6, 8, 0, 1, 500, tzinfo=BERLIN))
    data = record.to_json_dict()
    assert data == {
        "id": "abc123",
        "routine": "lower-back",
        "title": "Lower back: extension and rotation",
        "started_at": "2024-05-06T08:00:01.000500+02:00",
        "ended_at": "2024-05-06T08:12:30+02:00",
        "duration_s": 725.25,
        "status": "completed",
        "source": "guided",
        "pain_before": 5,
        "pain_after": 3,
        "sides": [
            {
                "exercise_index": 0,
                "exercise": "Prone on elbows",
                "side": None,
                "held_s": 120.0,
                "holds": 1,
            },
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "side": "left",
                "held_s": 90.5,
                "holds": 3,
            },
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "side": "right",
                "held_s": 88.0,
                "holds": 3,
            },
        ],
        "pain": [
            {"exercise_index": 0, "exercise": "Prone on elbows", "answer": "fine", "side": None},
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "answer": "sore",
                "side": None,
            },
        ],
        "note": "felt good",
    }
    assert SessionRecord.from_json_dict(json.loads(json.dumps(data))) == record


def test_from_json_dict_defaults_source_to_import() -> None:
    data = make().to_json_dict()
    for optional in ("source", "pain_before", "pain_after", "sides", "pain", "note"):
        del data[optional]
    record = SessionRecord.from_json_dict(data)
    assert (record.source, record.pain_before, record.sides, record.pain, record.note) == (
        "import",
        None,
        (),
        (),
        "",
    )


BAD_RECORDS = [
    ({"id": None}, "record: id: expected a string, got null"),
    ({"id": "a b"}, "record: id: expected 1-64 letters, digits, '.', '_' or '-', got 'a b'"),
    ({"routine": " "}, "record: routine: must not be empty"),
    (
        {"started_at": "2024-05-06T08:00:00"},
        "record: started_at: expected an ISO 8601 date-time with a UTC offset, "
        "got '2024-05-06T08:00:00'",
    ),
    (
        {"ended_at": "yesterday"},
        "record: ended_at: expected an ISO 8601 date-time with a UTC offset, got 'yesterday'",
    ),
    (
        {"ended_at": "2024-05-06T07:00:00+02:00"},
        "record: ended_at: is before started_at ('2024-05-06T07:00:00+02:00')",
    ),
    ({"duration_s": "60"}, "record: duration_s: expected a number of seconds, got a string"),
    ({"duration_s": -1}, "record: duration_s: expected a number of seconds >= 0, got -1"),
    ({"duration_s": True}, "record: duration_s: expected a number of seconds, got true/false"),
    (
        {"status": "done"},
        "record: status: expected one of completed, stopped, quit, got 'done'",
    ),
    (
        {"source": "timer"},
        "record: source: expected one of guided, manual, import, got 'timer'",
    ),
    ({"pain_before": 11}, "record: pain_before: expected a whole number 0-10 or null, got 11"),
    ({"pain_after": 2.5}, "record: pain_after: expected a whole number 0-10 or null, got 2.5"),
    ({"sides": {}}, "record: sides: expected a list, got an object"),
    (
        {"sides": [{"exercise_index": 0, "exercise": "x", "side": "left", "held_s": -3}]},
        "record: sides[0].holds: missing",
    ),
    (
        {
            "sides": [
                {"exercise_index": 0, "exercise": "x", "side": "left", "held_s": -3, "holds": 1}
            ]
        },
        "record: sides[0].held_s: expected a number of seconds >= 0, got -3",
    ),
    (
        {"pain": [{"exercise_index": 0, "exercise": "x", "answer": "ouch"}]},
        "record: pain[0].answer: expected one of fine, sore, sharp, numbness, stop, got 'ouch'",
    ),
    ({"note": 3}, "record: note: expected a string, got a int"),
    (
        {"mood": "great"},
        "record: (record): unknown field 'mood' (allowed: duration_s, ended_at, id, note, pain, "
        "pain_after, pain_before, routine, sides, source, started_at, status, title)",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_RECORDS)
def test_bad_records_are_refused_naming_the_field(change: dict[str, Any], message: str) -> None:
    data = make(started_at=datetime(2024, 5, 6, 8, 0, tzinfo=BERLIN)).to_json_dict()
    data.update(change)
    with pytest.raises(HistoryError) as caught:
        SessionRecord.from_json_dict(data)
    assert str(caught.value) == message


def test_a_record_without_a_required_field_is_refused() -> None:
    data = make().to_json_dict()
    del data["started_at"]
    with pytest.raises(HistoryError, match=r"^record: started_at: missing$"):
        SessionRecord.from_json_dict(data)


# --- export and import ---


def test_export_then_import_into_an_empty_home_is_identical(tmp_path: Path) -> None:
    records = [
        make(),
        make(datetime(2024, 3, 31, 1, 59, 59, 999999, tzinfo=BERLIN), status="stopped"),
        make(
            datetime(2023, 12, 1, 22, 0, tzinfo=ZoneInfo("Asia/Kathmandu")),
            source="manual",
            sides=(),
            pain=(PainRecord(2, "Standing back extension", "stop", "left"),),
            pain_before=None,
            pain_after=0,
            note='ünïcödé, "quotes"\nand a newline',
            duration_s=1 / 3,
        ),
        make(datetime(2022, 1, 1, tzinfo=UTC), source="import", routine="hold", title="Hold"),
    ]
    with HistoryStore.open(tmp_path / "a" / "history.sqlite3") as first:
        first.record_many(records)
        out = io.StringIO()
        assert first.export_json(out) == 4
        exported = first.all_sessions()
    export = tmp_path / "backup.json"
    export.write_text(out.getvalue(), encoding="utf-8")
    with HistoryStore.open(tmp_path / "b" / "history.sqlite3") as second:
        result = second.import_file(export)
        assert (result.read, result.added, result.skipped) == (4, 4, 0)
        imported = second.all_sessions()
    assert imported == exported
    assert json_list(imported) == json_list(exported)
    assert {r.id: r.to_json_dict() for r in records} == {r.id: r.to_json_dict() for r in imported}


def test_export_format_envelope(store: HistoryStore) -> None:
    record = make()
    store.record(record)
    out = io.StringIO()
    store.export_json(out)
    data = json.loads(out.getvalue())
    assert data == {
        "format": "stretchcli-history",
        "version": 1,
        "sessions": [record.to_json_dict()],
    }


def test_empty_export_is_valid_json(store: HistoryStore) -> None:
    out = io.StringIO()
    assert store.export_json(out) == 0
    assert json.loads(out.getvalue())["sessions"] == []


def test_reimport_adds_nothing(tmp_path: Path, store: HistoryStore) -> None:
    store.record_many([make(), make()])
    out = io.StringIO()
    store.export_json(out)
    export = tmp_path / "backup.json"
    export.write_text(out.getvalue(), encoding="utf-8")
    before = json_list(store.all_sessions())
    result = store.import_file(export)
    assert (result.read, result.added, result.skipped) == (2, 0, 2)
    assert json_list(store.all_sessions()) == before


def test_import_refuses_a_file_with_one_bad_record_and_imports_nothing(
    tmp_path: Path, store: HistoryStore
) -> None:
    records = [make().to_json_dict() for _ in range(3)]
    records[2]["pain_after"] = "low"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "stretchcli-history", "version": 1, "sessions": records}))
    with pytest.raises(HistoryError) as caught:
        store.import_file(path)
    assert str(caught.value) == (
        f"{path}: record 3: pain_after: expected a whole number 0-10 or null, got 'low'"
    )
    assert store.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "{path}:1:2: not valid JSON (Expecting property name enclosed in double quotes)"),
        ('{"sessions": []}', "{path}: not a stretchcli history export (no format marker)"),
        (
            '{"format": "stretchcli-history", "version": 2, "sessions": []}',
            "{path}: export version 2 is not supported (this stretchcli reads version 1); "
            "upgrade stretchcli",
        ),
        ('"hello"', "{path}: expected a list of sessions"),
        ("[1]", "{path}: record 1: (record): expected an object, got a int"),
    ],
)
def test_import_refuses_files_that_are_not_exports(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(text)
    with pytest.raises(HistoryError) as caught:
        read_export(path)
    assert str(caught.value) == message.format(path=path)


def test_import_accepts_a_bare_list_as_log_json_prints(tmp_path: Path, store: HistoryStore) -> None:
    record = make()
    path = tmp_path / "log.json"
    path.write_text(json.dumps([record.to_json_dict()]))
    assert store.import_file(path).added == 1
    assert store.get(record.id) == record


def test_csv_export_has_one_row_per_session(store: HistoryStore) -> None:
    import csv

    record = make(pain_before=None)
    store.record(record)
    out = io.StringIO()
    assert store.export_csv(out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == record.id
    assert row["started_at"] == "2024-05-06T08:00:00+02:00"
    assert row["pain_before"] == ""
    assert row["pain_after"] == "3"
    assert json.loads(row["sides"]) == record.to_json_dict()["sides"]
    assert json.loads(row["pain"]) == record.to_json_dict()["pain"]


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
        store.record(make())
    _sqlite_file(db, f"PRAGMA user_version = {history.schema_version() + 1}")
    _assert_refused_untouched(db, "was written by a newer stretchcli")


@pytest.mark.parametrize("keep", [1000, 4096, 9000])
def test_a_truncated_database_is_refused_untouched(db: Path, keep: int) -> None:
    with HistoryStore.open(db) as store:
        store.record_many([make() for _ in range(40)])
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
        store.record(make())
        assert store.count() == 1


# --- migrations ---


def test_an_older_database_is_upgraded_in_place(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = make()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        2, "test: a tags table", ("CREATE TABLE session_tags (session_id TEXT, tag TEXT)",)
    )
    monkeypatch.setattr(history, "_MIGRATIONS", (*history._MIGRATIONS, step))
    with HistoryStore.open(db) as store:
        assert store.user_version == 2
        assert store.get(record.id) == record
        store._conn.execute("SELECT * FROM session_tags")


def test_a_failing_migration_leaves_the_database_at_its_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make()
    with HistoryStore.open(db) as store:
        store.record(record)
    step = Migration(
        2,
        "test: fails half-way",
        ("CREATE TABLE half (x)", "INSERT INTO no_such_table VALUES (1)"),
    )
    monkeypatch.setattr(history, "_MIGRATIONS", (*history._MIGRATIONS, step))
    with pytest.raises(HistoryError, match="no such table: no_such_table"):
        HistoryStore.open(db)
    monkeypatch.undo()
    with HistoryStore.open(db) as store:
        assert store.user_version == 1
        tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        assert store.get(record.id) == record


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

    monkeypatch.setattr(history.time, "sleep", other_finishes)
    with HistoryStore.open(db) as store:
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.record(make())
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
        result = save_session(make(id=session_id), Path(db))
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


# --- saving a finished session whatever happens ---


def test_save_session_goes_to_the_database(db: Path) -> None:
    record = make()
    result = save_session(record, db)
    assert (result.path, result.in_database, result.problem) == (db, True, None)
    with HistoryStore.open(db) as store:
        assert store.get(record.id) == record


def _readonly_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    raise sqlite3.OperationalError("attempt to write a readonly database")


def test_unwritable_database_saves_a_fallback_file_that_imports(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make()
    with monkeypatch.context() as patch:
        patch.setattr(history.sqlite3, "connect", _readonly_connect)
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
    record = make()
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
        record = make()
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
    result = save_session(make(), db)
    assert not result.in_database
    assert result.problem == "database or disk is full"


def test_corrupt_database_falls_back_and_stays_untouched(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"\x00garbage" * 1000)
    before = db.read_bytes()
    record = make()
    result = save_session(record, db)
    assert not result.in_database
    assert db.read_bytes() == before
    assert read_export(result.path) == [record]


def test_when_nothing_can_be_written_the_record_is_in_the_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    record = make()
    with pytest.raises(HistoryError) as caught:
        save_session(record, blocker / "db" / "history.sqlite3", home=blocker / "home")
    message = str(caught.value)
    assert "\n" not in message
    document = json.loads(message[message.index("{") :])
    assert history.parse_export(document) == [record]


# --- local days, streaks, statistics ---


def at(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def stats_both_ways(records: list[SessionRecord], today: date, tz: tzinfo) -> history.Stats:
    """Stats from SQL and from Python; they must agree."""
    with HistoryStore.open(Path("/nonexistent/history.sqlite3"), create=False) as memory:
        memory.record_many(records)
        from_sql = memory.stats(today=today, tz=tz)
    assert compute_stats(records, today=today, tz=tz) == from_sql
    return from_sql


def test_local_days_and_streak_across_the_spring_dst_change() -> None:
    records = [
        make(at(BERLIN, 2024, 3, 29, 23, 30)),  # CET, 22:30 UTC
        make(at(BERLIN, 2024, 3, 30, 23, 45)),  # CET; with today's +2 it would be the 31st
        make(at(BERLIN, 2024, 3, 31, 0, 15)),  # CET, 23:15 UTC on the 30th
        make(at(BERLIN, 2024, 4, 1, 0, 30)),  # CEST, 22:30 UTC on the 31st
    ]
    stats = stats_both_ways(records, date(2024, 4, 2), BERLIN)
    assert {d.isoformat(): n for d, n in stats.heatmap.items()} == {
        "2024-03-29": 1,
        "2024-03-30": 1,
        "2024-03-31": 1,
        "2024-04-01": 1,
    }
    assert (stats.current_streak, stats.longest_streak) == (4, 4)


def test_streak_across_the_autumn_dst_change() -> None:
    records = [
        make(at(BERLIN, 2024, 10, 26, 23, 30)),  # CEST
        make(at(BERLIN, 2024, 10, 27, 2, 30)),  # the hour that happens twice
        make(at(BERLIN, 2024, 10, 27, 23, 30)),  # CET
        make(at(BERLIN, 2024, 10, 28, 0, 10)),  # CET, 23:10 UTC on the 27th
    ]
    stats = stats_both_ways(records, date(2024, 10, 28), BERLIN)
    assert {d.isoformat(): n for d, n in stats.heatmap.items()} == {
        "2024-10-26": 1,
        "2024-10-27": 2,
        "2024-10-28": 1,
    }
    assert (stats.current_streak, stats.longest_streak) == (3, 3)


def test_streak_across_midnight_in_new_york() -> None:
    records = [
        make(at(NEW_YORK, 2024, 1, 10, 23, 50)),  # 04:50 UTC on the 11th
        make(at(NEW_YORK, 2024, 1, 11, 0, 10)),  # 05:10 UTC on the 11th: same UTC day
    ]
    assert stats_both_ways(records, date(2024, 1, 11), NEW_YORK).current_streak == 2
    yesterday = stats_both_ways(records, date(2024, 1, 12), NEW_YORK)
    assert (yesterday.current_streak, yesterday.longest_streak) == (2, 2)
    gone = stats_both_ways(records, date(2024, 1, 13), NEW_YORK)
    assert (gone.current_streak, gone.longest_streak, gone.last_day) == (0, 2, date(2024, 1, 11))
    in_utc = stats_both_ways(records, date(2024, 1, 11), ZoneInfo("UTC"))
    assert (in_utc.current_streak, in_utc.heatmap) == (1, {date(2024, 1, 11): 2})


def test_longest_streak_is_the_longest_run_anywhere() -> None:
    days = [1, 2, 3, 4, 6, 7, 10]
    records = [make(at(BERLIN, 2024, 6, d, 9, 0)) for d in days]
    stats = stats_both_ways(records, date(2024, 6, 11), BERLIN)
    assert (stats.current_streak, stats.longest_streak) == (1, 4)


def test_no_sessions_means_empty_stats() -> None:
    stats = stats_both_ways([], date(2024, 6, 11), BERLIN)
    assert (stats.total_sessions, stats.current_streak, stats.longest_streak) == (0, 0, 0)
    assert stats.heatmap == {}
    assert [w.sessions for w in stats.weeks] == [0] * 8
    assert stats.sides == ()


def test_stats_totals_weeks_routines_pain_and_sides() -> None:
    today = date(2024, 6, 12)  # a Wednesday
    records = [
        make(at(BERLIN, 2024, 6, 10, 8, 0)),
        make(
            at(BERLIN, 2024, 6, 11, 8, 0),
            status="stopped",
            pain_before=7,
            pain_after=None,
            pain=(
                PainRecord(0, "Prone on elbows", "sore"),
                PainRecord(1, "Hooklying trunk rotation", "stop", "left"),
            ),
            sides=(SideRecord(1, "Hooklying trunk rotation", "left", 10.0, 0),),
        ),
        make(at(BERLIN, 2024, 6, 5, 8, 0), routine="hold", sides=(), pain=(), duration_s=60.0),
        make(at(BERLIN, 2023, 1, 2, 8, 0)),  # long ago: totals and routines only
    ]
    stats = stats_both_ways(records, today, BERLIN)
    assert stats.total_sessions == 4
    assert stats.total_duration_s == pytest.approx(725.25 * 3 + 60)
    assert [(w.start.isoformat(), w.sessions) for w in stats.weeks[-2:]] == [
        ("2024-06-03", 1),
        ("2024-06-10", 2),
    ]
    assert stats.weeks[0].start == date(2024, 4, 22)
    assert stats.heatmap_start == date(2023, 12, 18)
    assert date(2023, 1, 2) not in stats.heatmap
    assert [(r.routine, r.sessions) for r in stats.routines] == [("lower-back", 3), ("hold", 1)]
    this_week = stats.pain_weeks[-1]
    assert (this_week.sessions, this_week.stopped, this_week.sore) == (2, 1, 2)
    assert this_week.answers == {"fine": 1, "sore": 2, "stop": 1}
    assert (this_week.before_mean, this_week.after_mean) == (6.0, 3.0)
    assert stats.pain_weeks[-2].before_mean == 5.0
    assert stats.pain_weeks[0].before_mean is None
    sides = {s.side: s for s in stats.sides}
    assert list(sides) == ["left", "right"]
    assert (sides["left"].held_s, sides["left"].holds) == (90.5 * 2 + 10.0, 6)
    assert sides["left"].answers == {"stop": 1}
    assert (sides["right"].held_s, sides["right"].answers) == (88.0 * 2, {})
    assert [(e.exercise, dict(e.held_s)) for e in stats.side_exercises] == [
        ("Hooklying trunk rotation", {"left": 191.0, "right": 176.0})
    ]
    data = stats.to_json_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["current_streak"] == 2
    assert data["pain_weeks"][-1]["sore"] == 2


def test_running_totals_follow_inserts_and_deletes(store: HistoryStore) -> None:
    records = [make(routine="hold"), make(), make(sides=()), make()]
    store.record_many(records[:2])
    store.record_many(records[2:])
    conn = store._conn

    def totals() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return (
            conn.execute(
                "SELECT routine, sessions, duration_s FROM routine_totals ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT exercise, side, held_s, holds FROM side_totals ORDER BY 1, 2"
            ).fetchall(),
        )

    def recomputed() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return (
            conn.execute(
                "SELECT routine, count(*), total(duration_s) FROM sessions GROUP BY 1 ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT exercise, side, total(held_s), sum(holds) FROM session_sides "
                "WHERE side IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall(),
        )

    assert totals() == recomputed()
    assert totals()[0] == [("hold", 1, 725.25), ("lower-back", 3, 725.25 * 3)]
    conn.execute("DELETE FROM sessions WHERE routine = 'hold'")
    conn.execute("DELETE FROM sessions WHERE id = ?", (records[1].id,))
    assert totals() == recomputed()
    conn.execute("DELETE FROM sessions")
    assert totals() == ([], [])


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from(ZONES),
    stamps=st.lists(
        st.integers(min_value=1_600_000_000, max_value=1_760_000_000), min_size=1, max_size=40
    ),
    today_offset=st.integers(min_value=-3, max_value=200),
)
def test_sql_and_python_statistics_agree(zone: str, stamps: list[int], today_offset: int) -> None:
    tz = ZoneInfo(zone)
    records = [
        make(datetime.fromtimestamp(ts, UTC).astimezone(tz), duration_s=float(ts % 900))
        for ts in stamps
    ]
    today = datetime.fromtimestamp(max(stamps), tz).date() + timedelta(days=today_offset)
    stats = stats_both_ways(records, today, tz)
    local_days = [r.started_at.astimezone(tz).date() for r in records]
    shown = [d for d in local_days if stats.heatmap_start <= d <= today]
    assert sum(stats.heatmap.values()) == len(shown)
    assert (stats.longest_streak >= 1) == any(d <= today for d in local_days)


def test_offset_segments_find_each_change_to_the_second() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    end = datetime(2024, 12, 31, tzinfo=UTC).timestamp()
    segments = history._offset_segments(BERLIN, start, end)
    assert segments == [
        (int(start), 3600),
        (int(datetime(2024, 3, 31, 1, 0, tzinfo=UTC).timestamp()), 7200),
        (int(datetime(2024, 10, 27, 1, 0, tzinfo=UTC).timestamp()), 3600),
    ]


def test_system_timezone_follows_tz_with_its_dst_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        tz = history.local_timezone()
        winter = datetime(2024, 1, 10, 23, 30, tzinfo=UTC)
        summer = datetime(2024, 4, 10, 22, 30, tzinfo=UTC)
        assert winter.astimezone(tz).isoformat() == "2024-01-11T00:30:00+01:00"
        assert summer.astimezone(tz).isoformat() == "2024-04-11T00:30:00+02:00"
        records = [make(winter), make(summer)]
        assert set(stats_both_ways(records, date(2024, 4, 11), tz).heatmap) == {
            date(2024, 1, 11),
            date(2024, 4, 11),
        }
    finally:
        monkeypatch.undo()
        time.tzset()
