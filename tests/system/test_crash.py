"""Crash safety: SIGKILL at 50 seeded moments, the history survives every one.

Sessions (``stretch hold``, a tiny routine in plain mode) and manual records
(``stretch log add``) are started one after another on the same history and killed at a
random moment: anywhere in the process's life, or in the window between the session's
last step and its summary, which is when the record is written (more kills follow while
fewer than three have landed there: how many do depends on the machine's speed). Some of
the routines are killed instead while they wait for the answer to their first pain check,
a moment that does not depend on timing. After every kill the
database must pass ``PRAGMA integrity_check``, hold every session recorded before, and
hold the session of every run that finished. A session killed after its first step has
left its journal (journal.py), and the next command that opens the history adds it: at the
end every one of them is in the history and no journal file is left. A second part kills
the very first run of a new history (while the database is being created): the next run
must still work.

Nothing sleeps: each kill waits for the process (``wait(timeout)``) or for its output.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pty_support import (
    DB_NAME,
    STRETCH,
    assert_no_traceback,
    db_state,
    logged,
    program_env,
    run_stretch,
)

from stretchcli.history.journal import RECOVERED_NOTE
from support import TINY

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

SEED = int(os.environ.get("STRETCH_CRASH_SEED", "20240506"))  # another seed: a new soak
KILLS = 40  # on one growing history
FIRST_RUN_KILLS = 10  # each on a new history, while it is being created
SPEED = 1000

MAX_KILLS = 160  # more, only while fewer than 3 have landed in the save (or waited)
# What each kind of run is: arguments, its input, and the line it prints just before the
# session record is written (None: no line before the write).
RUNS: dict[str, tuple[list[str], str, str | None]] = {
    "hold": (["hold", "1", "--plain"], "", "Hold: hold 1 s"),
    "routine": (["start", "tiny", "--plain", "--no-rating"], "1\n1\n", "answer: fine"),
    "log add": (["log", "add", "tiny", "--note", "after a crash"], "", None),
}
DONE_LINE = {"hold": "Session complete.", "routine": "Session complete.", "log add": "logged tiny"}
# A kind killed at a moment that does not depend on timing: the routine waiting for the
# answer to its first pain check (its input left open and empty). Its journal was written
# at its first step, so every such kill leaves one.
WAITING = "routine, waiting"
WAITING_ARGS = RUNS["routine"][0]
WAITING_LINE = "pain check"


@dataclass
class Outcome:
    """How one run ended: its exit code (-9 when killed) and what it printed."""

    code: int
    out: str
    err: str
    killed_after_marker: bool = False


class Run:
    """``stretch ARGS`` with pipes; output read as it comes, with timeouts."""

    def __init__(self, args: Sequence[str], env: dict[str, str], stdin: str | None) -> None:
        """``stdin``: all the input, then end of input; None: no input, left open."""
        self.proc = subprocess.Popen(
            [*STRETCH, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None
        self.waiting_input = self.proc.stdin if stdin is None else None
        if stdin is not None:
            self.proc.stdin.write(stdin.encode())
            self.proc.stdin.close()
        self.proc.stdin = None  # so that communicate() does not flush or close it
        self.out = b""
        self.err = b""

    def read_until(self, marker: str, timeout: float = 30.0) -> bool:
        """Read stdout until it holds ``marker`` (True), or the process ends (False)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        end = time.monotonic() + timeout
        while marker.encode() not in self.out:
            assert time.monotonic() < end, f"no {marker!r} within {timeout} s: {self.out!r}"
            readable, _, _ = select.select([fd], [], [], 0.5)
            if readable:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return False
                self.out += chunk
        return True

    def kill_after(self, delay: float) -> None:
        """SIGKILL the process ``delay`` seconds from now, unless it has ended by then."""
        try:
            self.proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)

    def finish(self) -> Outcome:
        out, err = self.proc.communicate(timeout=30)
        if self.waiting_input is not None:
            self.waiting_input.close()
        return Outcome(
            self.proc.returncode, (self.out + out).decode(errors="replace"), err.decode()
        )


def calibrate(env: dict[str, str], kind: str) -> tuple[float, float]:
    """(whole run, marker to the line after the save) in seconds for an undisturbed run."""
    args, stdin, marker = RUNS[kind]
    start = time.monotonic()
    run = Run(args, env, stdin)
    at_marker = start
    if marker is not None:
        assert run.read_until(marker)
        at_marker = time.monotonic()
        assert run.read_until(DONE_LINE[kind])
    saved = time.monotonic()
    outcome = run.finish()
    assert outcome.code == 0, outcome.err
    return time.monotonic() - start, saved - at_marker


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tiny.toml").write_text(TINY, encoding="utf-8")
    return program_env(tmp_path, speed=SPEED, routines=routines)


def test_sigkill_at_random_moments_never_corrupts_or_loses_the_history(
    env: dict[str, str], record_property: pytest.RecordProperty
) -> None:
    rng = random.Random(SEED)
    db = Path(env["STRETCH_HOME"]) / DB_NAME
    lifetime: dict[str, float] = {}
    window: dict[str, float] = {}
    for kind in RUNS:
        lifetime[kind], window[kind] = calibrate(env, kind)
    check, known = db_state(db)
    assert check == "ok"
    assert len(known) == len(RUNS)

    journals = Path(env["STRETCH_HOME"]) / "in-progress"
    left: set[str] = set()  # killed sessions that only their journal holds, so far
    recovered = 0
    killed_while_saving = 0
    waiting_kills = 0
    number = 0
    while number < KILLS or (min(killed_while_saving, waiting_kills) < 3 and number < MAX_KILLS):
        kind = rng.choice([*RUNS, WAITING])
        if kind == WAITING:
            at_save = False
            run = Run(WAITING_ARGS, env, None)
            assert run.read_until(WAITING_LINE)
            run.kill_after(rng.uniform(0.0, 0.05))  # it waits for its input: the kill lands
            waiting_kills += 1
        else:
            args, stdin, marker = RUNS[kind]
            run = Run(args, env, stdin)
            at_save = marker is not None and rng.random() < 0.5
            if at_save and marker is not None and run.read_until(marker):
                # Somewhere between the session's last line and its summary: the save.
                run.kill_after(rng.uniform(0.0, window[kind]))
            else:
                run.kill_after(rng.uniform(0.0, lifetime[kind] * 1.2))
        outcome = run.finish()
        assert_no_traceback(outcome.out, outcome.err)
        if kind == WAITING:
            assert outcome.code == -signal.SIGKILL, outcome
        elif at_save and outcome.code == -signal.SIGKILL and DONE_LINE[kind] not in outcome.out:
            killed_while_saving += 1

        check, ids = db_state(db)
        assert check == "ok", f"kill {number} ({kind}): {check}"
        assert known <= ids, f"kill {number} ({kind}) lost sessions: {known - ids}"
        # Besides its own, a run that opened the history added the journals left before.
        recovered += len((ids - known) & left)
        fresh = ids - known - left
        assert len(fresh) <= (0 if kind == WAITING else 1)
        if outcome.code == 0:
            assert DONE_LINE[kind] in outcome.out
            assert len(fresh) == 1, f"run {number} ({kind}) finished, not saved: {outcome}"
        else:
            assert outcome.code == -signal.SIGKILL, outcome
        known = ids
        left = {path.stem for path in journals.glob("*.json")} - ids
        number += 1

    record_property("kills", number)
    record_property("killed_while_saving", killed_while_saving)
    assert killed_while_saving >= 3, "too few kills landed while the record was written"
    # Afterwards every command that reads the history works and sees every session, the
    # killed ones that left a journal too; no journal, lock or temporary file is left.
    listed = run_stretch(env, "log", "--limit", "0")
    assert listed.returncode == 0, listed.stderr
    assert_no_traceback(listed.stdout, listed.stderr)
    assert "tiny" in listed.stdout
    everything = logged(env)
    assert {session["id"] for session in everything} == known | left
    assert not journals.exists()
    record_property("recovered_from_journals", recovered + len(left))
    # Every kill of a waiting session left a journal; the random ones may have left more.
    assert waiting_kills >= 3
    assert recovered + len(left) >= waiting_kills
    notes = {session["note"] for session in everything if session["id"] in left}
    assert notes <= {"", RECOVERED_NOTE}  # the final record (killed while saving) has none
    stats = run_stretch(env, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert '"total_sessions": ' + str(len(everything)) in stats.stdout


# One quick exercise, then one whose hold lasts an hour even at speed 10.
QUICK_THEN_LONG = """
title = "Quick then long"
[defaults]
prep = 1
reps = 1
[[exercises]]
name = "Quick"
hold = 1
[[exercises]]
name = "Long"
hold = "1h"
"""


def test_a_session_killed_mid_hold_is_in_the_history_as_far_as_it_got(
    tmp_path: Path,
) -> None:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "quick-long.toml").write_text(QUICK_THEN_LONG, encoding="utf-8")
    env = program_env(tmp_path, speed=10, routines=routines)
    run = Run(["start", "quick-long", "--plain", "--no-rating"], env, "1\n")
    assert run.read_until("[2/2] Long: hold")
    journals = Path(env["STRETCH_HOME"]) / "in-progress"

    # Another command meanwhile: the running session is not taken for a dead one.
    assert logged(env) == []
    assert len(list(journals.glob("*.json"))) == 1

    run.proc.send_signal(signal.SIGKILL)
    assert run.finish().code == -signal.SIGKILL
    (session,) = logged(env)  # `stretch log` adds it
    assert not journals.exists()
    assert (session["routine"], session["status"], session["note"]) == (
        "quick-long",
        "quit",
        RECOVERED_NOTE,
    )
    held = {s["exercise"]: (s["held_s"], s["holds"]) for s in session["sides"]}
    assert held.pop("Quick") == (1.0, 1)
    long_held, long_holds = held.pop("Long", (0.0, 0))  # begun when the journal was written
    assert (held, long_holds) == ({}, 0) and 0.0 <= long_held < 60.0
    assert [(p["exercise"], p["answer"]) for p in session["pain"]] == [("Quick", "fine")]
    assert 2.0 <= session["duration_s"] < 60.0  # prep and hold of Quick, prep of Long
    assert session["started_at"] <= session["ended_at"]


def test_sigkill_while_a_new_history_is_created_leaves_it_usable(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tiny.toml").write_text(TINY, encoding="utf-8")
    base = program_env(tmp_path, speed=SPEED, routines=routines)
    args, stdin, _ = RUNS["log add"]
    calibration = dict(base, STRETCH_HOME=str(tmp_path / "calibration"))
    lifetime, _ = calibrate(calibration, "log add")
    for number in range(FIRST_RUN_KILLS):
        env = dict(base, STRETCH_HOME=str(tmp_path / f"home-{number}"))
        run = Run(args, env, stdin)
        # The database is made at the end of the run: aim at the last part of it.
        run.kill_after(rng.uniform(lifetime * 0.5, lifetime * 1.1))
        first = run.finish()
        assert first.code in (0, -signal.SIGKILL), first
        again = run_stretch(env, "log", "add", "tiny")
        assert again.returncode == 0, f"kill {number}: {again.stderr}"
        assert_no_traceback(again.stdout, again.stderr)
        check, ids = db_state(Path(env["STRETCH_HOME"]) / DB_NAME)
        assert check == "ok"
        assert len(ids) == (2 if first.code == 0 else len(ids))
        assert len(ids) in (1, 2)


# A process that writes the history in SQLite's rollback-journal mode (as while it is
# created, before the switch to WAL) and dies in the middle of a transaction, after SQLite
# has spilled changed pages into the database file: the hot journal it leaves is what a
# kill at the wrong moment of the first run leaves.
_DIE_MID_WRITE = """
import os, sqlite3, sys
from stretchcli.history.schema import MIGRATIONS
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
for statement in MIGRATIONS[0].statements:
    conn.execute(statement)
conn.execute(f"PRAGMA user_version = {MIGRATIONS[0].version}")
conn.execute("COMMIT")
conn.execute("PRAGMA cache_size = 1")
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE filler(x)")
conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,)] * 500)
os._exit(9)
"""


def test_a_write_cut_off_while_the_history_is_created_is_rolled_back(tmp_path: Path) -> None:
    """The hot journal such a kill leaves is SQLite's to roll back (a read-only look cannot):
    the next command opens the history, with what was committed, and works."""
    from stretchcli.history.schema import APPLICATION_ID
    from stretchcli.history.store import HistoryStore

    path = tmp_path / DB_NAME
    died = subprocess.run([sys.executable, "-c", _DIE_MID_WRITE, str(path)], check=False)
    assert died.returncode == 9
    journal = path.with_name(path.name + "-journal")
    assert journal.stat().st_size > 0
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID

    with HistoryStore.open(path) as store:
        assert store.sessions() == []
        tables = {row[0] for row in store._conn.execute("SELECT name FROM sqlite_master")}
    assert "filler" not in tables  # the cut-off write was undone, the committed one kept
    assert "sessions" in tables
    assert not journal.exists()
    env = program_env(tmp_path, speed=SPEED, routines=tmp_path)
    env["STRETCH_HOME"] = str(tmp_path)
    added = run_stretch(env, "log", "add", "desk-break")
    assert added.returncode == 0, added.stderr
    check, ids = db_state(path)
    assert (check, len(ids)) == ("ok", 1)
