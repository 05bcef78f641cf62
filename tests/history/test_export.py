"""Export and import (export.py, and the store's export and import)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history.export import read_export
from stretchcli.history.record import PainRecord, SessionRecord
from stretchcli.history.store import HistoryStore
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def json_list(records: list[SessionRecord]) -> list[dict[str, Any]]:
    return [r.to_json_dict() for r in records]


# --- export and import ---


def test_export_then_import_into_an_empty_home_is_identical(tmp_path: Path) -> None:
    records = [
        make_record(),
        make_record(datetime(2024, 3, 31, 1, 59, 59, 999999, tzinfo=BERLIN), status="stopped"),
        make_record(
            datetime(2023, 12, 1, 22, 0, tzinfo=ZoneInfo("Asia/Kathmandu")),
            source="manual",
            sides=(),
            pain=(PainRecord(2, "Standing back extension", "stop", "left"),),
            pain_before=None,
            pain_after=0,
            note='ünïcödé, "quotes"\nand a newline',
            duration_s=1 / 3,
        ),
        make_record(
            datetime(2022, 1, 1, tzinfo=UTC), source="import", routine="hold", title="Hold"
        ),
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
    record = make_record()
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
    store.record_many([make_record(), make_record()])
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
    records = [make_record().to_json_dict() for _ in range(3)]
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
        (
            '{"format": "stretchcli-history", "version": true, "sessions": []}',
            "{path}: export version True is not supported (this stretchcli reads version 1); "
            "upgrade stretchcli",
        ),
        ('{"format": "stretchcli-history", "version": 1}', "{path}: expected a list of sessions"),
        ('"hello"', "{path}: not a stretchcli export: expected JSON or CSV"),
        ("", "{path}: not a stretchcli export: expected JSON or CSV"),
        ("date,routine\n2024-05-06,x\n", "{path}: not a stretchcli export: expected JSON or CSV"),
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
    record = make_record()
    path = tmp_path / "log.json"
    path.write_text(json.dumps([record.to_json_dict()]))
    assert store.import_file(path).added == 1
    assert store.get(record.id) == record


def test_csv_export_has_one_row_per_session(store: HistoryStore) -> None:
    import csv

    record = make_record(pain_before=None)
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
