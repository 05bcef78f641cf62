"""History housekeeping: `log rm` / `log restore` / `log --removed` (a removed session is
kept, and left out of log, stats, streaks and the plan), the short ids `log` shows, and
the CSV export read back by `import`, losslessly.

The ``removed`` column comes with the migration of the second version's history columns;
until it is in, these tests add it to their database themselves (``with_removed_column``)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Result
from stretchcli.history.record import PainRecord, SideRecord
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME
from support import make_record

Stretch = Callable[..., Result]
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Berlin's; "now" is Wednesday 2026-12-02 18:00 (STRETCH_TODAY)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("STRETCH_TODAY", "2026-12-02T18:00")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def at(day: int, hour: int = 8) -> datetime:
    return (
        datetime(2026, 11, day, hour, 0, tzinfo=BERLIN)
        if day > 2
        else datetime(2026, 12, day, hour, 0, tzinfo=BERLIN)
    )


# Three days in a row (a streak of 3), two ids that share their first six characters.
RECORDS = [
    make_record(at(30), id="abc123aaaa", note=""),
    make_record(at(1), id="abc123bbbb", pain_before=6, pain_after=2, note=""),
    make_record(at(2), id="ffff00cccc", note="a note\nover two lines"),
]


def with_removed_column(db: Path) -> None:
    """Add the ``removed`` column the second version's migration brings, if not there."""
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        if "removed" not in columns:
            conn.execute("ALTER TABLE sessions ADD COLUMN removed INTEGER NOT NULL DEFAULT 0")
    conn.close()


@pytest.fixture
def history(home: Path) -> Path:
    db = home / DB_NAME
    with HistoryStore.open(db) as store:
        store.record_many(RECORDS)
    with_removed_column(db)
    return db


def stats(stretch: Stretch, *args: str) -> dict[str, object]:
    result = stretch("stats", "--json", *args)
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


def test_log_shows_the_shortest_ids_that_tell_sessions_apart(
    stretch: Stretch, history: Path
) -> None:
    lines = stretch("log").out.splitlines()
    assert [line.split()[0] for line in (lines[2], lines[5], lines[6])] == [
        "ffff00c",
        "abc123b",
        "abc123a",
    ]
    assert [line.rstrip() for line in lines[3:5]] == [
        " " * 9 + "a note",
        " " * 9 + "over two lines",
    ]


def test_rm_and_restore_round_trip_through_log_and_stats(stretch: Stretch, history: Path) -> None:
    before = stats(stretch)
    assert (before["total_sessions"], before["current_streak"]) == (3, 3)

    removed = stretch("log", "rm", "abc123b")
    assert (removed.code, removed.err) == (0, "")
    assert removed.out == (
        "removed abc123b (lower-back, 2026-12-01 08:00); to undo: stretch log restore abc123b\n"
    )
    assert [r["id"] for r in json.loads(stretch("log", "--json").out)] == [
        "ffff00cccc",
        "abc123aaaa",
    ]
    after = stats(stretch)
    assert (after["total_sessions"], after["current_streak"], after["longest_streak"]) == (2, 1, 1)
    assert after["routines"] == [{"routine": "lower-back", "sessions": 2, "duration_s": 725.25 * 2}]
    assert [s["held_s"] for s in after["sides"]] == [90.5 * 2, 88.0 * 2]  # type: ignore[attr-defined]
    listed = stretch("log", "--removed")
    assert "abc123b" in listed.out and "ffff00c" not in listed.out
    assert listed.out.startswith("Removed sessions (stretch log restore ID brings one back)\n")
    assert [r["id"] for r in json.loads(stretch("log", "--removed", "--json").out)] == [
        "abc123bbbb"
    ]
    # Still in the database, whole.
    with HistoryStore.open(history) as store:
        assert store.get("abc123bbbb") == replace(RECORDS[1], removed=True)

    again = stretch("log", "rm", "abc123bbbb")
    assert again.out == "abc123b (lower-back, 2026-12-01 08:00) was removed already\n"

    restored = stretch("log", "restore", "abc123b")
    assert restored.out == "restored abc123b (lower-back, 2026-12-01 08:00)\n"
    assert stats(stretch) == before
    assert stretch("log", "--removed").out == "No removed sessions.\n"


def test_rm_of_an_unknown_or_ambiguous_id_changes_nothing(stretch: Stretch, history: Path) -> None:
    ambiguous = (
        "'abc123' is the start of more than one session id (abc123aaaa, abc123bbbb, ...): "
        "give more of it"
    )
    for ref, line in (
        ("abc123", ambiguous),
        ("zzz", "no session 'zzz' (stretch log shows the ids)"),
    ):
        result = stretch("log", "rm", "ffff00c", ref)
        assert (result.code, result.out, result.err) == (1, "", line + "\n")
    assert stats(stretch)["total_sessions"] == 3
    assert stretch("log", "rm").code == 2  # no id at all: usage


def test_stats_since_leaves_out_removed_sessions_too(stretch: Stretch, history: Path) -> None:
    assert stretch("log", "rm", "ffff00c").code == 0
    data = stats(stretch, "--since", "yesterday")
    assert (data["total_sessions"], data["since"], data["first_day"]) == (
        1,
        "2026-12-01",
        "2026-12-01",
    )


def test_a_removed_session_is_not_done_in_the_plan(stretch: Stretch, home: Path) -> None:
    (home / "plan.toml").write_text(
        'starts = 2026-11-30\n[[items]]\nroutine = "lower-back"\n', encoding="utf-8"
    )
    assert stretch("log", "add", "lower-back", "--at", "9am").code == 0
    with_removed_column(home / DB_NAME)

    def done() -> int:
        items = json.loads(stretch("today", "--json").out)["items"]
        return int(items[0]["done"])

    assert done() == 1
    short = json.loads(stretch("log", "--json").out)[0]["id"][:6]
    assert stretch("log", "rm", short).code == 0
    assert done() == 0
    assert stretch("log", "restore", short).code == 0
    assert done() == 1


def test_exports_keep_removed_sessions_and_import_them_removed(
    stretch: Stretch, history: Path, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stretch("log", "rm", "abc123b").code == 0
    for fmt in ("json", "csv"):
        out = tmp_path / f"backup.{fmt}"
        assert stretch("export", "-f", fmt, "-o", out).code == 0
        text = out.read_text(encoding="utf-8")
        assert ('"removed": true' in text) if fmt == "json" else (",true\n" in text)
        monkeypatch.setenv("STRETCH_HOME", str(tmp_path / f"home-{fmt}"))
        assert stretch("import", out).code == 0
        assert [r["id"] for r in json.loads(stretch("log", "--removed", "--json").out)] == [
            "abc123bbbb"
        ]
        assert stats(stretch)["total_sessions"] == 2
        monkeypatch.setenv("STRETCH_HOME", str(home))


# --- CSV import ---


def varied() -> list[object]:
    """Sessions with everything a CSV cell could get wrong: commas, quotes and line breaks
    in notes, text that looks like a number, nulls, empty lists, floats."""
    return [
        make_record(at(3), id="s1", note='say "hi", then\nstretch; 12', title="123"),
        make_record(at(4), id="s2", pain_before=None, pain_after=0, note="", sides=(), pain=()),
        make_record(
            at(5),
            id="s3",
            routine="hold",
            title="Hold 30s",
            source="manual",
            status="quit",
            duration_s=0.1 + 0.2,
            sides=(SideRecord(0, "Hold", "left", 1e-7, 0),),
            pain=(PainRecord(0, "Hold", "stop", "left"),),
            note="naïve — ✓ ☃",
        ),
    ]


def test_csv_export_imports_into_an_empty_home_as_the_json_does(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(varied())  # type: ignore[arg-type]
    exported = {}
    for fmt in ("json", "csv"):
        path = tmp_path / f"backup.{fmt}"
        assert stretch("export", "--format", fmt, "-o", path).code == 0
        exported[fmt] = path
    original = stretch("export").out
    round_trips = {}
    for fmt, path in exported.items():
        monkeypatch.setenv("STRETCH_HOME", str(tmp_path / f"from-{fmt}"))
        result = stretch("import", path)
        assert (result.code, result.out) == (0, f"imported 3 sessions from {path}\n")
        round_trips[fmt] = stretch("export").out
        again = stretch("import", path)
        assert again.out == f"imported 0 sessions from {path} (3 already in the history)\n"
    assert round_trips["csv"] == round_trips["json"] == original


def test_csv_from_standard_input(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(varied())  # type: ignore[arg-type]
    csv_text = stretch("export", "-f", "csv").out
    monkeypatch.setenv("STRETCH_HOME", str(tmp_path / "other"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(csv_text.encode())))
    result = stretch("import", "-")
    assert (result.code, result.out) == (0, "imported 3 sessions from standard input\n")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("hello\n", "{path}: not a stretchcli export: expected JSON or CSV"),
        ("", "{path}: not a stretchcli export: expected JSON or CSV"),
        ("id,routine\nx\n", "{path}:2: expected 2 columns as in the header, got 1"),
        (
            "id,routine,title,started_at,ended_at,duration_s,status\n"
            "a,r,t,2026-01-01T08:00+01:00,2026-01-01T08:10+01:00,ten,completed\n",
            "{path}: record 1: duration_s: expected a number of seconds, got a string",
        ),
        ('id,routine\n"a,b\n', "{path}:2: not valid CSV (unexpected end of data)"),
    ],
)
def test_a_file_that_is_no_export_is_one_line(
    stretch: Stretch, home: Path, tmp_path: Path, text: str, line: str
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    result = stretch("import", path)
    assert (result.code, result.out, result.err) == (1, "", line.format(path=path) + "\n")
    assert not (home / DB_NAME).exists()


def test_stats_since_labels_every_span(stretch: Stretch, home: Path) -> None:
    os.environ["COLUMNS"] = "100"
    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(
            [make_record(at(day), id=f"d{day}") for day in (3, 4, 20, 25)]
            + [make_record(at(30) - timedelta(days=120), id="old")]
        )
    text = stretch("stats", "--since", "2026-11-10").out.splitlines()
    assert text[:2] == [
        "Since 2026-11-10: 2026-11-20 (the first session) to 2026-12-02",
        "2 sessions, 24:10 in all; last on 2026-11-25",
    ]
    assert "Sessions per week, 2026-11-20 to 2026-12-02" in text
    assert "Calendar, 2026-11-20 to 2026-12-02" in text
    assert "Routines, since 2026-11-10: 2026-11-20 (the first session) to 2026-12-02" in text
    whole = stretch("stats").out.splitlines()
    assert whole[0] == "All time: 2026-08-02 (the first session) to 2026-12-02"
    assert "Sessions per week, 2026-09-14 to 2026-12-02" in whole  # the last 12 weeks
    nothing = stretch("stats", "--since", "today")
    assert nothing.out == "No sessions since 2026-12-02.\n"
