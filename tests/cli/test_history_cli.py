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
from stretchcli.history.dates import NOT_READ as FORMS
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
id  date              routine         time  status     pain 0-10
c3  2024-06-12 01:30  hold (manual)   0:30  completed
b2  2024-06-11 21:40  lower-back      3:20  stopped    6 → –, sore, stopped with !
a1  2024-06-10 07:05  lower-back     10:46  completed  4 → 2
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


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("last week", FORMS),
        ("-3d", FORMS),
        ("", FORMS),
        ("2024-13-01", "2024-13-01 is not a day of the calendar"),
        ("yesterday 25:00", "25:00 is not a time of day (00:00 to 23:59)"),
    ],
)
def test_log_refuses_a_bad_since(stretch: Run, value: str, problem: str) -> None:
    result = stretch("log", "--since", value)
    assert (result.code, result.out) == (2, "")
    assert result.err == f'--since: {problem} (got "{value}")\n'


# --- stretch log add ---


def test_log_add_records_a_manual_session(stretch: Run, home: Path) -> None:
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.timeline import build_timeline

    planned = build_timeline(load_routine("lower-back").routine).total_seconds
    result = stretch("log", "add", "lower-back", "--at", "07:30", "--note", "before work")
    minutes, seconds = divmod(planned, 60)
    [record] = json.loads(stretch("log", "--json").out)
    assert (result.code, result.out, result.err) == (
        0,
        f"logged lower-back at 2024-06-12 07:30 ({minutes}:{seconds:02d}), id {record['id'][:6]}\n",
        "",
    )
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
    [record] = json.loads(stretch("log", "--json").out)
    assert result.out == (
        "logged hold at 2024-06-01 12:00 (2:00; no time given: 12:00 used), "
        f"id {record['id'][:6]}\n"
    )
    assert (record["routine"], record["duration_s"]) == ("hold", 120.0)
    assert record["ended_at"] == "2024-06-01T12:02:00+02:00"


def test_log_add_now_by_default(stretch: Run) -> None:
    result = stretch("log", "add", "hold", "--duration", "45")
    assert result.out.startswith("logged hold at 2024-06-12 18:00 (0:45), id ")


def test_log_add_hold_needs_a_duration(stretch: Run, home: Path) -> None:
    """A hold has no planned time: without --duration it would be logged as lasting 0:00."""
    result = stretch("log", "add", "hold")
    assert (result.code, result.out) == (2, "")
    assert result.err == "--duration: say how long the hold took, e.g. --duration 2m\n"
    assert not (home / DB_NAME).exists()


def test_log_add_with_pain_ratings_and_dates_as_people_type_them(stretch: Run) -> None:
    result = stretch(
        "log",
        "add",
        "lower-back",
        "--at",
        "yesterday 8am",
        "--pain-before",
        "6",
        "--pain-after",
        "3",
        "--duration",
        "10m",
    )
    assert result.code == 0, result.err
    assert result.out.startswith("logged lower-back at 2024-06-11 08:00 (10:00), id ")
    assert stretch("log", "add", "hold", "--at", "monday 7:30pm", "--duration", "1m").code == 0
    assert stretch("log", "add", "hold", "--at", "2 days ago", "--duration", "1m").code == 0
    records = json.loads(stretch("log", "--json").out)
    assert [(r["started_at"], r["pain_before"], r["pain_after"]) for r in records] == [
        ("2024-06-11T08:00:00+02:00", 6, 3),
        ("2024-06-10T19:30:00+02:00", None, None),
        ("2024-06-10T12:00:00+02:00", None, None),
    ]
    table = stretch("log")
    assert "6 → 3" in table.out


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
        ("--at", "19:00", '--at: in the future: it is 2024-06-12 18:00 now (got "19:00")'),
        ("--at", "25:00", '--at: 25:00 is not a time of day (00:00 to 23:59) (got "25:00")'),
        ("--at", "13pm", '--at: 13pm is not a time of day (12am to 11:59pm) (got "13pm")'),
        ("--at", "soon", f'--at: {FORMS} (got "soon")'),
        ("--duration", "long", "--duration: must be whole seconds"),
        ("--pain-before", "11", '--pain-before: must be a whole number from 0 to 10 (got "11")'),
        ("--pain-after", "-1", '--pain-after: must be a whole number from 0 to 10 (got "-1")'),
    ],
)
def test_log_add_refuses_bad_options(
    stretch: Run, home: Path, option: str, value: str, message: str
) -> None:
    result = stretch("log", "add", "hold", "--duration", "1m", option, value)
    assert result.code == 2
    assert result.err.startswith(message)
    assert result.err.count("\n") == 1
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
    assert lines[:3] == [
        "All time: 2024-06-10 (the first session) to 2024-06-12",
        "3 sessions, 14:36 in all; last on 2024-06-12",
        "Current streak: 3 days   Longest streak: 3 days",
    ]
    # No rows for the weeks before the first session.
    weeks = lines[lines.index("Sessions per week, 2024-06-10 to 2024-06-12") + 1 :][:2]
    assert weeks == ["Jun 10  ██████████████████████████████ 3", ""]
    heat = lines[lines.index("Calendar, 2024-06-10 to 2024-06-12") + 1 :][:9]
    assert heat[:5] == ["    Jun", "Mon ░", "Tue ░", "Wed ░", "Thu"]
    trend = lines[lines.index("Pain by week, 2024-06-10 to 2024-06-12") + 1 :][:2]
    assert trend == ["before ▅  5.0", "after  ▂  2.0"]
    assert "Routines, all time: 2024-06-10 (the first session) to 2024-06-12" in lines
    assert "Left / right, all time: 2024-06-10 (the first session) to 2024-06-12" in lines
    assert "│ lower-back │        2 │ 14:06 │" in lines


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
        "pain_after,sides,pain,note,reason,resumes,step,extra_hold_s,removed"
    )
    assert lines[3] == (
        "c3,hold,Hold 30s,2024-06-11T23:30:00+00:00,2024-06-11T23:41:00+00:00,30.0,"
        "completed,manual,,,[],[],,,,,0,false"
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
        f"{path}: record 2: status: expected one of completed, stopped, quit, skipped, "
        "got 'finished'\n"
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
    [
        ("log",),
        ("log", "--json"),
        ("stats",),
        ("export",),
        ("log", "add", "hold", "--duration", "1m"),
    ],
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
    assert (result.code, result.out) == (0, "imported 1 session from standard input\n")
    assert ids(stretch("log", "--json")) == ["a1"]
