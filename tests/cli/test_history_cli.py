"""The history commands: `stretch log`, `log add`, `stats`, `export`, `import`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from stretchcli.history import database, days
from stretchcli.history.export import export_document
from stretchcli.history.record import PainRecord, SessionRecord, SideRecord
from stretchcli.history.save import save_session
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME
from stretchcli.view.stats import heatmap_lines
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2024, 6, 12, 18, 0, tzinfo=BERLIN)  # a Wednesday evening

Run = Callable[..., Any]


@pytest.fixture(autouse=True)
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Berlin's, and "now" is NOW, for every command run in-process."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    monkeypatch.setattr(days, "now_local", lambda: NOW)
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def session(started: datetime, **changes: object) -> SessionRecord:
    """A guided lower-back session, 11 minutes long; any field can be changed."""
    fields: dict[str, object] = {
        "ended_at": started + timedelta(minutes=11),
        "duration_s": 645.5,
        "pain_before": 4,
        "pain_after": 2,
        "sides": (
            SideRecord(1, "Hooklying trunk rotation", "left", 90.0, 3),
            SideRecord(1, "Hooklying trunk rotation", "right", 60.0, 2),
        ),
        "pain": (PainRecord(0, "Prone on elbows", "fine"),),
        "note": "",
    }
    fields.update(changes)
    return make_record(started, **fields)


def fill(home: Path, *records: SessionRecord) -> None:
    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(records)


THREE = (
    session(datetime(2024, 6, 10, 7, 5, tzinfo=BERLIN), id="a1"),
    session(
        datetime(2024, 6, 11, 21, 40, tzinfo=BERLIN),
        id="b2",
        status="stopped",
        pain_before=6,
        pain_after=None,
        duration_s=200.0,
        pain=(
            PainRecord(0, "Prone on elbows", "sore"),
            PainRecord(1, "Hooklying trunk rotation", "stop", "left"),
        ),
    ),
    # 23:30 UTC on the 11th is already the 12th in Berlin.
    session(
        datetime(2024, 6, 11, 23, 30, tzinfo=ZoneInfo("UTC")),
        id="c3",
        routine="hold",
        title="Hold 30s",
        source="manual",
        duration_s=30.0,
        pain_before=None,
        pain_after=None,
        sides=(),
        pain=(),
    ),
)


# --- stretch log ---


def test_log_with_no_history_says_so_and_creates_nothing(stretch: Run, home: Path) -> None:
    result = stretch("log")
    assert (result.code, result.out, result.err) == (
        0,
        "No sessions yet. Start one with: stretch start ROUTINE (see stretch list)\n",
        "",
    )
    assert not (home / DB_NAME).exists()


LOG_TABLE = """\
History
┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ date             ┃ routine       ┃  time ┃ status    ┃ pain          ┃
┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ 2024-06-12 01:30 │ hold (manual) │  0:30 │ completed │               │
│ 2024-06-11 21:40 │ lower-back    │  3:20 │ stopped   │ 6→– sore stop │
│ 2024-06-10 07:05 │ lower-back    │ 10:46 │ completed │ 4→2           │
└──────────────────┴───────────────┴───────┴───────────┴───────────────┘
"""


def test_log_table_newest_first_in_local_time(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    result = stretch("log")
    assert result.code == 0
    lines = [line.rstrip() for line in result.out.splitlines()]
    assert lines == LOG_TABLE.splitlines()


def test_log_footer_when_not_everything_is_shown(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    result = stretch("log", "--limit", "1")
    assert result.out.splitlines()[-1] == (
        "1 newest of 3 sessions shown; use --limit N for more (0: all)"
    )
    assert "2024-06-12 01:30" in result.out
    assert "2024-06-11" not in result.out
    everything = stretch("log", "--limit", "0")
    assert "shown" not in everything.out
    assert everything.out.count("lower-back") == 2


def ids(result: Any) -> list[str]:
    assert result.code == 0, result.err
    return [record["id"] for record in json.loads(result.out)]


def test_log_json_filters(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    assert ids(stretch("log", "--json")) == ["c3", "b2", "a1"]
    assert ids(stretch("log", "--json", "--limit", "2")) == ["c3", "b2"]
    assert ids(stretch("log", "--json", "--routine", "lower-back")) == ["b2", "a1"]
    assert ids(stretch("log", "--json", "--since", "2024-06-11")) == ["c3", "b2"]
    assert ids(stretch("log", "--json", "--since", "today")) == ["c3"]
    assert ids(stretch("log", "--json", "--since", "yesterday")) == ["c3", "b2"]
    assert ids(stretch("log", "--json", "--since", "3d")) == ["c3", "b2", "a1"]
    assert ids(stretch("log", "--json", "--since", "2024-06-11T22:00")) == ["c3"]
    assert ids(stretch("log", "--json", "--routine", "nope")) == []


def test_log_json_is_the_full_record(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    data = json.loads(stretch("log", "--json").out)
    assert data[1] == THREE[1].to_json_dict()
    assert data[1]["pain"] == [
        {"exercise_index": 0, "exercise": "Prone on elbows", "answer": "sore", "side": None},
        {
            "exercise_index": 1,
            "exercise": "Hooklying trunk rotation",
            "answer": "stop",
            "side": "left",
        },
    ]


def test_log_with_filters_that_match_nothing(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    assert stretch("log", "--routine", "desk-break").out == "No sessions match.\n"


@pytest.mark.parametrize("value", ["last week", "2024-13-01", "-3d", ""])
def test_log_refuses_a_bad_since(stretch: Run, value: str) -> None:
    result = stretch("log", "--since", value)
    assert result.code == 2
    assert "--since" in result.err
    assert "is not a date (2024-05-06) or date-time (2024-05-06T08:30)" in result.err


# --- stretch log add ---


def test_log_add_records_a_manual_session(stretch: Run, home: Path) -> None:
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.timeline import build_timeline

    planned = build_timeline(load_routine("lower-back").routine).total_seconds
    result = stretch("log", "add", "lower-back", "--at", "07:30", "--note", "before work")
    minutes, seconds = divmod(planned, 60)
    assert (result.code, result.out, result.err) == (
        0,
        f"logged lower-back at 2024-06-12 07:30 ({minutes}:{seconds:02d})\n",
        "",
    )
    [record] = json.loads(stretch("log", "--json").out)
    assert record["routine"] == "lower-back"
    assert record["title"] == "Lower back: extension and rotation"
    assert record["started_at"] == "2024-06-12T07:30:00+02:00"
    assert record["duration_s"] == planned
    assert (record["source"], record["status"], record["note"]) == (
        "manual",
        "completed",
        "before work",
    )
    assert (record["pain_before"], record["pain_after"], record["sides"]) == (None, None, [])


def test_log_add_hold_with_a_duration_and_a_date(stretch: Run) -> None:
    result = stretch("log", "add", "hold", "--at", "2024-06-01", "--duration", "2m")
    assert result.out == "logged hold at 2024-06-01 12:00 (2:00)\n"
    [record] = json.loads(stretch("log", "--json").out)
    assert (record["routine"], record["duration_s"]) == ("hold", 120.0)
    assert record["ended_at"] == "2024-06-01T12:02:00+02:00"


def test_log_add_now_by_default(stretch: Run) -> None:
    assert stretch("log", "add", "hold").out == "logged hold at 2024-06-12 18:00 (0:00)\n"


def test_log_add_refuses_an_unknown_routine_with_close_matches(stretch: Run, home: Path) -> None:
    result = stretch("log", "add", "lowr-back")
    assert result.code == 1
    assert result.err.startswith("no routine 'lowr-back'; did you mean: lower-back")
    assert result.err.count("\n") == 1
    assert not (home / DB_NAME).exists()


def test_log_add_accepts_a_user_routine(stretch: Run, home: Path, tmp_path: Path) -> None:
    assert stretch("new", "my-morning").code == 0
    assert stretch("log", "add", "my-morning", "--at", "06:00").code == 0
    assert ids(stretch("log", "--json", "--routine", "my-morning"))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--at", "19:00", "'19:00' is in the future"),
        ("--at", "25:00", "'25:00' is not a time of day (HH:MM)"),
        ("--at", "soon", "'soon' is not a date"),
        ("--duration", "long", "must be whole seconds"),
    ],
)
def test_log_add_refuses_bad_options(
    stretch: Run, home: Path, option: str, value: str, message: str
) -> None:
    result = stretch("log", "add", "hold", option, value)
    assert result.code == 2
    assert message in result.err
    assert not (home / DB_NAME).exists()


# --- stretch stats ---


def test_stats_json(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    data = json.loads(stretch("stats", "--json").out)
    assert data["today"] == "2024-06-12"
    assert (data["total_sessions"], data["total_duration_s"]) == (3, 645.5 + 200 + 30)
    assert (data["current_streak"], data["longest_streak"]) == (3, 3)
    assert data["heatmap"]["days"] == {"2024-06-10": 1, "2024-06-11": 1, "2024-06-12": 1}
    assert data["weeks"][-1] == {"start": "2024-06-10", "sessions": 3, "duration_s": 875.5}
    assert data["routines"] == [
        {"routine": "lower-back", "sessions": 2, "duration_s": 845.5},
        {"routine": "hold", "sessions": 1, "duration_s": 30.0},
    ]
    week = data["pain_weeks"][-1]
    assert (week["stopped"], week["sore"], week["pain_before_mean"]) == (1, 1, 5.0)
    assert week["pain_after_mean"] == 2.0
    assert data["sides"] == [
        {"side": "left", "held_s": 180.0, "holds": 6, "answers": {"stop": 1}},
        {"side": "right", "held_s": 120.0, "holds": 4, "answers": {}},
    ]


def test_stats_text(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    result = stretch("stats")
    assert result.code == 0
    lines = [line.rstrip() for line in result.out.splitlines()]
    assert lines[:2] == [
        "3 sessions, 15 min in all; last on 2024-06-12",
        "Current streak: 3 days   Longest streak: 3 days",
    ]
    assert "Jun 10  ██████████████████████████████ 3" in lines
    heat = lines[lines.index("Last 26 weeks") + 1 :][:9]
    assert heat[0].startswith("    Dec")
    assert heat[1] == "Mon " + "· " * 25 + "░"
    assert heat[2] == "Tue " + "· " * 25 + "░"
    assert heat[3] == "Wed " + "· " * 25 + "░"
    assert heat[4] == "Thu " + "· " * 24 + "·"
    assert "Left / right" in result.out


def test_stats_with_no_history(stretch: Run, home: Path) -> None:
    result = stretch("stats")
    assert result.out.startswith("No sessions yet.")
    assert not (home / DB_NAME).exists()


def test_heatmap_without_colour_still_shows_levels() -> None:
    from datetime import date

    start = date(2024, 1, 1)
    counts = {start + timedelta(days=i): i for i in range(5)}
    lines = heatmap_lines(counts, start=start, today=date(2024, 1, 7))
    plain = Console(no_color=True, force_terminal=True, width=80, record=True)
    for line in lines:
        plain.print(line)
    text = plain.export_text()
    assert [row.rstrip() for row in text.splitlines()[1:8]] == [
        "Mon ·",
        "Tue ░",
        "Wed ▒",
        "Thu ▓",
        "Fri █",
        "Sat ·",
        "Sun ·",
    ]
    coloured = Console(force_terminal=True, color_system="truecolor", width=80, record=True)
    for line in lines:
        coloured.print(line)
    assert "\x1b[" in coloured.export_text(styles=True)
    assert "\x1b[" not in plain.export_text(styles=True)


# --- export and import ---


def test_export_then_import_into_an_empty_home_is_identical(
    stretch: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(home, *THREE)
    backup = tmp_path / "backup.json"
    assert stretch("export", "-o", backup).out == f"exported 3 sessions to {backup}\n"
    before = stretch("log", "--json").out
    other = tmp_path / "other-home"
    monkeypatch.setenv("STRETCH_HOME", str(other))
    assert stretch("log", "--json").out == "[]\n"
    first = stretch("import", backup)
    assert (first.code, first.out) == (0, f"imported 3 sessions from {backup}\n")
    assert stretch("log", "--json").out == before
    again = stretch("import", backup)
    assert again.out == f"imported 0 sessions from {backup} (3 already in the history)\n"
    assert stretch("log", "--json").out == before


def test_export_json_to_stdout_round_trips(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    data = json.loads(stretch("export").out)
    assert data["format"] == "stretchcli-history"
    assert [r["id"] for r in data["sessions"]] == ["a1", "b2", "c3"]
    assert data["sessions"][1] == THREE[1].to_json_dict()


def test_export_csv(stretch: Run, home: Path) -> None:
    fill(home, *THREE)
    lines = stretch("export", "--format", "csv").out.splitlines()
    assert lines[0] == (
        "id,routine,title,started_at,ended_at,duration_s,status,source,pain_before,"
        "pain_after,sides,pain,note,resumes,step"
    )
    assert lines[3] == (
        "c3,hold,Hold 30s,2024-06-11T23:30:00+00:00,2024-06-11T23:41:00+00:00,30.0,"
        "completed,manual,,,[],[],,,"
    )
    assert stretch("export", "--format", "xml").code == 2


def test_import_of_a_bad_file_imports_nothing(stretch: Run, home: Path, tmp_path: Path) -> None:
    records = [r.to_json_dict() for r in THREE]
    records[1]["status"] = "finished"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "stretchcli-history", "version": 1, "sessions": records}))
    result = stretch("import", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{path}: record 2: status: expected one of completed, stopped, quit, got 'finished'\n"
    )
    assert not (home / DB_NAME).exists()


def test_import_of_a_missing_file(stretch: Run, tmp_path: Path) -> None:
    result = stretch("import", tmp_path / "nope.json")
    assert result.code == 1
    assert result.err == f"{tmp_path / 'nope.json'}: cannot read file (No such file or directory)\n"


def test_a_fallback_file_imports(stretch: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    record = THREE[0]

    def readonly(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with monkeypatch.context() as patch:
        patch.setattr(database.sqlite3, "connect", readonly)
        saved = save_session(record, home / DB_NAME)
    assert not saved.in_database and saved.path.parent == home
    result = stretch("import", saved.path)
    assert result.out == f"imported 1 session from {saved.path}\n"
    assert ids(stretch("log", "--json")) == ["a1"]


# --- a database that is not ours ---


@pytest.mark.parametrize(
    "args",
    [("log",), ("log", "--json"), ("stats",), ("export",), ("log", "add", "hold")],
)
def test_a_corrupt_database_gives_one_line_and_stays_untouched(
    stretch: Run, home: Path, args: tuple[str, ...]
) -> None:
    db = home / DB_NAME
    db.write_bytes(b"\x13\x37 not sqlite at all " * 300)
    before = db.read_bytes()
    result = stretch(*args)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"history database {db} is not a SQLite database (damaged, or another file); it was "
        "left untouched: move it away (or set STRETCH_HOME to another folder) and run stretch "
        "again to start a new history\n"
    )
    assert db.read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]


def test_a_corrupt_database_refuses_import(stretch: Run, home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    backup.write_text(json.dumps(export_document(THREE)))
    db = home / DB_NAME
    db.write_bytes(b"junk" * 100)
    result = stretch("import", backup)
    assert result.code == 1
    assert str(db) in result.err and result.err.count("\n") == 1
    assert db.read_bytes() == b"junk" * 100


# --- help and start-up cost ---


@pytest.mark.parametrize(
    ("args", "example"),
    [
        (("log",), "Example: stretch log"),
        (("log", "add"), "Example: stretch log add"),
        (("stats",), "Example: stretch stats"),
        (("export",), "Example: stretch export"),
        (("import",), "Example: stretch import"),
    ],
)
def test_every_history_command_has_help_with_an_example(
    stretch: Run, args: tuple[str, ...], example: str
) -> None:
    result = stretch(*args, "--help")
    assert result.code == 0
    assert example in " ".join(result.out.split())


def test_help_does_not_load_the_database_code(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from stretchcli.cli.app import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlite3', 'stretchcli.history', 'rich.live', 'pydantic')"
        " if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "STRETCH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stderr.strip() == "[]"


def test_import_from_stdin(stretch: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    document = json.dumps([THREE[0].to_json_dict()]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document)))
    result = stretch("import", "-")
    assert (result.code, result.out) == (0, "imported 1 session from -\n")
    assert ids(stretch("log", "--json")) == ["a1"]
