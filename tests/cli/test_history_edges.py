"""The history commands at the edges: output paths that must not be overwritten, unbounded
inputs, values at the edges of their types, and damaged state left by others (the
hardening issue). Each failure is one line on stderr with its exit code; nothing already
in the history is lost or changed."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchcli.history import days
from stretchcli.history.export import export_document
from stretchcli.history.save import save_session
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME
from support import make_record

Run = Callable[..., Any]
THREE = [make_record(datetime(2024, 6, 10 + n, 8, 0, tzinfo=UTC), id=f"s{n}") for n in range(3)]


def fill(home: Path, records: list[Any] = THREE) -> Path:
    db = home / DB_NAME
    with HistoryStore.open(db) as store:
        store.record_many(records)
    return db


def ids(stretch: Run) -> list[str]:
    result = stretch("log", "--json")
    assert result.code == 0, result.err
    return [record["id"] for record in json.loads(result.out)]


def strict_json(text: str) -> Any:
    """JSON as the standard has it: no NaN, no Infinity."""

    def refuse(word: str) -> None:
        raise ValueError(f"{word} in JSON output")

    return json.loads(text, parse_constant=refuse)


# --- 1. output paths that must not be overwritten ---


@pytest.mark.parametrize(
    "target",
    ["history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", "in-progress/x.json"],
)
def test_export_onto_the_history_files_is_refused_and_nothing_is_lost(
    stretch: Run, home: Path, target: str
) -> None:
    db = fill(home)
    before = db.read_bytes()
    result = stretch("export", "-o", home / target)
    own = home / target if target != "in-progress/x.json" else home / "in-progress"
    what = "that is in the history's own folder" if own.name == "in-progress" else "that is"
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"{home / target}: {what}") and result.err.count("\n") == 1
    assert str(own) in result.err
    assert db.read_bytes() == before
    assert ids(stretch) == ["s2", "s1", "s0"]
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]


def test_export_through_a_hard_link_or_a_symbolic_link_to_the_database_is_refused(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    db = fill(home)
    before = db.read_bytes()
    hard, soft = tmp_path / "hard.json", tmp_path / "soft.json"
    os.link(db, hard)
    soft.symlink_to(db)
    for target in (hard, soft):
        result = stretch("export", "-o", target)
        assert (result.code, result.out, result.err) == (
            1,
            "",
            f"{target}: that is the history's own {db}; it was left as it was: name another file\n",
        )
    assert db.read_bytes() == before
    assert soft.is_symlink()
    assert ids(stretch) == ["s2", "s1", "s0"]


def test_export_to_a_fifo_is_written_through_and_the_fifo_stays(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    fill(home)
    fifo = tmp_path / "backup.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = stretch("export", "-o", fifo)
    reader.join(timeout=30)
    # The message goes to stderr: the pipe may be this command's own output.
    assert (result.code, result.out, result.err) == (0, "", f"exported 3 sessions to {fifo}\n")
    assert [r["id"] for r in json.loads(received[0])["sessions"]] == ["s0", "s1", "s2"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_to_dev_stdout_writes_the_export_there_and_the_message_to_stderr(
    home: Path,
) -> None:
    fill(home)
    done = subprocess.run(
        [sys.executable, "-m", "stretchcli", "export", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        env={**os.environ, "STRETCH_HOME": str(home)},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "exported 3 sessions to /dev/stdout\n")
    assert [r["id"] for r in json.loads(done.stdout)["sessions"]] == ["s0", "s1", "s2"]


def test_export_that_cannot_be_written_reports_no_success(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    fill(home)
    full = stretch("export", "-o", "/dev/full")
    assert (full.code, full.out, full.err) == (
        1,
        "",
        "/dev/full: cannot write (No space left on device)\n",
    )
    folder = stretch("export", "-o", tmp_path)
    assert (folder.code, folder.out, folder.err) == (
        1,
        "",
        f"{tmp_path}: is a folder; name a file to write\n",
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_to_a_full_standard_output_is_one_line_not_a_traceback(home: Path, fmt: str) -> None:
    fill(home)
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "stretchcli", "export", "--format", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "STRETCH_HOME": str(home)},
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "stretch: cannot write the output (No space left on device)\n",
    )


def test_export_to_a_symbolic_link_writes_its_target(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    fill(home)
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert stretch("export", "-o", link).out == f"exported 3 sessions to {link}\n"
    assert link.is_symlink()
    assert len(json.loads(real.read_text(encoding="utf-8"))["sessions"]) == 3


# --- 3. unbounded reads ---


def test_import_of_a_device_is_refused_at_once(stretch: Run, home: Path) -> None:
    result = stretch("import", "/dev/zero")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        "/dev/zero: is a character device, not a file\n",
    )
    assert not (home / DB_NAME).exists()


def test_import_of_endless_stdin_stops_at_the_bound_with_bounded_memory(home: Path) -> None:
    with Path("/dev/zero").open("rb") as zero:
        process = subprocess.Popen(
            [sys.executable, "-m", "stretchcli", "import", "-"],
            stdin=zero,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "STRETCH_HOME": str(home)},
        )
        _, status, usage = os.wait4(process.pid, 0)
    assert process.stderr is not None and process.stdout is not None
    assert os.waitstatus_to_exitcode(status) == 1
    assert (
        process.stderr.read()
        == b"standard input: is more than 256 MiB; an export may be at most 256 MiB\n"
    )
    assert process.stdout.read() == b""
    assert usage.ru_maxrss < 450 * 1024  # KiB: the 256 MiB read, not a copy of it, not more
    assert not (home / DB_NAME).exists()


def test_import_from_a_fifo_reads_it_to_its_end(stretch: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "in.pipe"
    os.mkfifo(fifo)
    document = json.dumps(export_document(THREE)).encode()
    writer = threading.Thread(target=lambda: fifo.write_bytes(document))
    writer.start()
    result = stretch("import", fifo)
    writer.join(timeout=30)
    assert (result.code, result.out) == (0, f"imported 3 sessions from {fifo}\n")
    assert ids(stretch) == ["s2", "s1", "s0"]


def test_import_of_a_huge_file_is_refused_without_reading_it(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    result = stretch("import", huge)
    assert (result.code, result.err) == (
        1,
        f"{huge}: file is 300 MiB; an export may be at most 256 MiB\n",
    )
    folder = stretch("import", tmp_path)
    assert (folder.code, folder.err) == (1, f"{tmp_path}: is a folder, not a file\n")
    assert not (home / DB_NAME).exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b'{"format": "stretchcli-history\xff"}',
            "cannot read file (not UTF-8 text: byte 0xff at offset 30)",
        ),
        (b"[" * 100_000, "not valid JSON (nested too deeply)"),
        (b"[" + b"7" * 5000 + b"]", "not valid JSON (a number with too many digits)"),
        (b'[{"duration_s": NaN}]', "not valid JSON (NaN is not a JSON number)"),
        (b"[-Infinity]", "not valid JSON (-Infinity is not a JSON number)"),
    ],
)
def test_import_of_undecodable_json_is_one_line(
    stretch: Run, home: Path, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    result = stretch("import", path)
    assert (result.code, result.out, result.err) == (1, "", f"{path}: {problem}\n")
    assert not (home / DB_NAME).exists()


# --- 4. values at the edges of their types ---

GOOD = THREE[0].to_json_dict()
SIDE = GOOD["sides"][1]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"started_at": "9999-12-31T23:59:59-05:00", "ended_at": "9999-12-31T23:59:59-05:00"},
            "started_at: must be from 2000-01-01 to 2099-12-31 (UTC), got "
            "'9999-12-31T23:59:59-05:00'",
        ),
        (
            {"started_at": "0001-01-01T00:00:00+05:00"},
            "started_at: must be from 2000-01-01 to 2099-12-31 (UTC), got "
            "'0001-01-01T00:00:00+05:00'",
        ),
        (
            {"ended_at": "2100-01-01T00:00:00+00:00"},
            "ended_at: must be from 2000-01-01 to 2099-12-31 (UTC), got "
            "'2100-01-01T00:00:00+00:00'",
        ),
        (
            {"duration_s": 1e308},
            "duration_s: expected a number of seconds from 0 to 86400 (24 h), got 1e+308",
        ),
        (
            {"duration_s": 10**30},
            "duration_s: expected a number of seconds from 0 to 86400 (24 h), got "
            "1000000000000000000000000000000",
        ),
        (
            {"duration_s": 10**400},
            "duration_s: expected a number of seconds from 0 to 86400 (24 h), got "
            "a number of about 401 digits",
        ),
        (
            {"sides": [{**SIDE, "held_s": 1e12}]},
            "sides[0].held_s: expected a number of seconds from 0 to 86400 (24 h), got "
            "1000000000000.0",
        ),
        (
            {"sides": [{**SIDE, "exercise_index": 1e20}]},
            "sides[0].exercise_index: expected a whole number from 0 to 999, got 1e+20",
        ),
        (
            {"sides": [{**SIDE, "exercise_index": 10**20}]},
            "sides[0].exercise_index: expected a whole number from 0 to 999, got "
            "100000000000000000000",
        ),
        (
            {"sides": [{**SIDE, "holds": -3}]},
            "sides[0].holds: expected a whole number from 0 to 10000, got -3",
        ),
        ({"sides": [SIDE] * 1001}, "sides: has 1001 items; at most 1000"),
        ({"title": "x" * 1_000_000}, "title: is 1000000 characters long; at most 500"),
        ({"note": "\ud800 lone"}, "note: contains an unpaired surrogate (U+D800) at 0"),
        ({"routine": "back\x1b[2J"}, "routine: contains a control character (U+001B) at 4"),
        (
            {"status": "y" * 100},
            "status: expected one of completed, stopped, quit, skipped, got "
            "'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...'",
        ),
    ],
)
def test_import_refuses_values_outside_their_bounds_in_one_line(
    stretch: Run, home: Path, tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{**GOOD, **change}]), encoding="utf-8")
    result = stretch("import", path)
    assert (result.code, result.out, result.err) == (1, "", f"{path}: record 1: {problem}\n")
    assert not (home / DB_NAME).exists()


def test_values_at_the_bounds_import_and_every_command_works(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    edge = {
        **GOOD,
        "started_at": "2000-01-01T00:00:00+00:00",
        "ended_at": "2099-12-31T23:59:59.999999+00:00",
        "duration_s": 86400,
        "title": "t" * 500,
        "note": "tab\tand\nnew line",
        "sides": [{**SIDE, "exercise_index": 999, "held_s": 86400, "holds": 10000}] * 1000,
    }
    # The first and the last instants, written with the largest UTC offsets.
    early = {**GOOD, "id": "early", "started_at": "2000-01-01T14:00:00+14:00"}
    late = {
        **GOOD,
        "id": "late",
        "started_at": "2099-12-31T11:59:59.999999-12:00",
        "ended_at": "2099-12-31T11:59:59.999999-12:00",
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps([edge, early, late]), encoding="utf-8")
    assert stretch("import", path).out == f"imported 3 sessions from {path}\n"
    for args in (("log",), ("log", "--limit", "0"), ("stats",), ("export", "--format", "csv")):
        result = stretch(*args)
        assert (result.code, result.err) == (0, ""), args
    assert sorted(r["id"] for r in strict_json(stretch("log", "--json").out)) == [
        "early",
        "late",
        "s0",
    ]
    strict_json(stretch("stats", "--json").out)
    again = tmp_path / "again.json"
    assert stretch("export", "-o", again).code == 0
    assert json.loads(again.read_text(encoding="utf-8"))["sessions"][1] == {
        **edge,
        "duration_s": 86400.0,
        "sides": [{**SIDE, "exercise_index": 999, "held_s": 86400.0, "holds": 10000}] * 1000,
    }


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("log", "--limit", "9223372036854775808"),
            "--limit: must be a whole number from 0 (all) to 1000000000 "
            '(got "9223372036854775808")',
        ),
        (
            ("log", "--limit", "-1"),
            '--limit: must be a whole number from 0 (all) to 1000000000 (got "-1")',
        ),
        (
            ("log", "--json", "-n", "many"),
            '--limit: must be a whole number from 0 (all) to 1000000000 (got "many")',
        ),
        (
            ("log", "add", "hold", "--duration", "99999999999999999999"),
            '--duration: must be between 0s and 24h (got "99999999999999999999")',
        ),
        (
            ("log", "add", "hold", "--duration", "25h"),
            '--duration: must be between 0s and 24h (got "25h")',
        ),
        (
            ("log", "add", "hold", "--duration", "-5"),
            '--duration: must be between 0s and 24h (got "-5")',
        ),
        (
            ("log", "add", "hold", "--at", "1999-12-31"),
            '--at: out of range: a session is from 2000-01-01 to 2099-12-31 (got "1999-12-31")',
        ),
        (
            ("log", "add", "hold", "--at", "0001-01-01T00:00+05:00"),
            "--at: out of range: a session is from 2000-01-01 to 2099-12-31 "
            '(got "0001-01-01T00:00+05:00")',
        ),
        (
            ("log", "add", "hold", "--at", "0001-01-01"),
            '--at: out of range: a session is from 2000-01-01 to 2099-12-31 (got "0001-01-01")',
        ),
        (
            ("log", "add", "hold", "--note", "x" * 10_001),
            "--note: is 10001 characters long; at most 10000",
        ),
        (
            ("log", "add", "hold", "--note", "look\x1b[31m red"),
            "--note: contains a control character (U+001B) at 4",
        ),
    ],
)
def test_history_options_out_of_range_are_one_line_and_exit_2(
    stretch: Run, home: Path, args: tuple[str, ...], line: str
) -> None:
    result = stretch(*args)
    assert (result.code, result.out, result.err) == (2, "", line + "\n")
    assert not (home / DB_NAME).exists()


def test_history_options_at_their_bounds_work(
    stretch: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(days, "now_local", lambda: datetime(2024, 6, 12, 18, 0, tzinfo=UTC))
    assert stretch("log", "add", "hold", "--duration", "24h", "--at", "2000-01-01T00:00Z").code == 0
    assert stretch("log", "add", "hold", "--duration", "0", "--note", "n" * 10_000).code == 0
    assert len(ids(stretch)) == 2
    assert stretch("log", "--limit", "1000000000").code == 0
    # --since is a filter: before 2000 is from the first session on, after 2099 none.
    everything = stretch("log", "--json").out
    for since in ("1990-01-01", "0001-01-01", "0001-01-01T00:00+05:00", "9999w"):
        assert stretch("log", "--json", "--since", since).out == everything
    for since in ("9999-12-31T23:59", "2100-01-01"):
        assert stretch("log", "--since", since).out == "No sessions match.\n"


def test_an_old_database_with_values_out_of_range_still_works_everywhere(
    stretch: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older stretchcli accepted years up to 9999, any finite duration, any text: such a
    history still gives log, stats and an export that imports again (those sessions left
    out, with a warning); stats does not walk the days to year 9999."""
    db = fill(home, [*THREE, *(make_record(id=f"old{n}") for n in range(5))])
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE sessions SET started_at = ?, ended_at = ?, started_ts = ? WHERE id = 'old0'",
            ("9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59-05:00", far.timestamp()),
        )
        conn.execute("UPDATE sessions SET duration_s = 1e308 WHERE id IN ('old1', 'old2')")
        conn.execute("UPDATE routine_totals SET duration_s = 9e999")  # 1e308 + 1e308
        conn.execute(
            "UPDATE session_sides SET held_s = 1e308 WHERE session_pk = "
            "(SELECT pk FROM sessions WHERE id = 'old3')"
        )
        conn.execute("UPDATE side_totals SET held_s = 9e999")
        conn.execute("UPDATE sessions SET started_at = 'soon' WHERE id = 'old4'")
    calls = []
    real = days.utc_offset_at
    monkeypatch.setattr(days, "utc_offset_at", lambda *a: calls.append(1) or real(*a))

    log = stretch("log")
    assert log.code == 0
    assert log.err == (
        "stretch: 5 stored sessions out of range left out (still in the database): 'old0': "
        "started_at: must be from 2000-01-01 to 2099-12-31 (UTC), got "
        "'9999-12-31T23:59:59-05:00'; and 4 more\n"
    )
    assert ids(stretch) == ["s2", "s1", "s0"]
    for args in (("stats",), ("stats", "--json")):
        result = stretch(*args)
        assert (result.code, result.err) == (0, "")
    stats = strict_json(stretch("stats", "--json").out)
    assert stats["total_sessions"] == 8
    assert 0 < stats["total_duration_s"] <= 8 * 86400
    assert all(s["held_s"] <= 86400 * 8 for s in stats["sides"])
    assert len(calls) < 20_000  # days from 2000 to now, not to 9999 (2.9 million)

    backup = tmp_path / "backup.json"
    export = stretch("export", "-o", backup)
    assert (export.code, export.out) == (0, f"exported 3 sessions to {backup}\n")
    assert export.err.startswith("stretch: 5 stored sessions out of range left out")
    monkeypatch.setenv("STRETCH_HOME", str(tmp_path / "new-home"))
    assert stretch("import", backup).out == f"imported 3 sessions from {backup}\n"


# --- 6. damaged state left by others ---


def damaged_history(home: Path) -> tuple[Path, bytes]:
    """A history of 3,000 sessions with one page in the middle overwritten with garbage."""
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    # Fixed ids: the same pages every run, so the same page is damaged.
    db = fill(home, [make_record(start + timedelta(hours=n), id=f"{n:032x}") for n in range(3000)])
    pages = db.stat().st_size // 4096
    with db.open("r+b") as handle:
        handle.seek(pages // 2 * 4096)
        handle.write(bytes(range(256)) * 16)
    return db, db.read_bytes()


def test_a_damaged_database_is_refused_for_writing_and_left_as_it_was(
    stretch: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, before = damaged_history(home)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(export_document([make_record()])), encoding="utf-8")
    assert stretch("log", "--limit", "1").code == 0  # the pages it needs are intact
    for args in (("log", "add", "hold", "--duration", "1m"), ("import", backup)):
        result = stretch(*args)
        assert (result.code, result.out) == (1, "")
        assert result.err.startswith(f"history database {db} is damaged (")
        assert result.err.endswith(
            "); nothing was written to it and it was left as it was: move it away (or set "
            "STRETCH_HOME to another folder) and run stretch again to start a new history\n"
        )
        assert result.err.count("\n") == 1
        assert db.read_bytes() == before
        assert sorted(p.name for p in home.iterdir()) == [DB_NAME]

    # A guided session goes to the fallback file, which imports into a good history.
    record = make_record()
    saved = save_session(record, db, home=tmp_path)
    assert not saved.in_database
    assert saved.problem is not None and "is damaged" in saved.problem
    assert db.read_bytes() == before
    monkeypatch.setenv("STRETCH_HOME", str(tmp_path / "new-home"))
    assert stretch("import", saved.path).out == f"imported 1 session from {saved.path}\n"
    assert ids(stretch) == [record.id]


def test_a_garbage_journal_is_one_warning_and_the_command_goes_on(stretch: Run, home: Path) -> None:
    fill(home)
    journal = home / "in-progress" / "0123abcd.json"
    journal.parent.mkdir()
    journal.write_text("[" * 100_000, encoding="utf-8")
    first = stretch("log", "--json")
    aside = home / "in-progress" / "bad" / journal.name
    assert (first.code, first.err) == (
        0,
        f"stretch: set aside a damaged session journal {journal} (not valid JSON (nested too "
        f"deeply)): it is now {aside}\n",
    )
    assert [r["id"] for r in json.loads(first.out)] == ["s2", "s1", "s0"]
    second = stretch("stats")
    assert (second.code, second.err) == (0, "")
    assert aside.read_text(encoding="utf-8") == "[" * 100_000
