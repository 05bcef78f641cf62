"""Faults: what the user sees, and what is kept, when the machine misbehaves.

Every test asserts the exit code, the one-line message and what is on disk afterwards,
that no traceback appears, and that the sessions recorded before the fault are still there.

Real faults where the OS lets a test make them: a read-only bind mount and a tiny tmpfs
(both need ``mount``, skipped where it is not permitted), a lock held by another process,
files replaced by garbage, symlink loops, a sparse 50 MB file, a 15-column pty, a closed
stdin. Where root cannot be refused (tests run as root on CI, and root ignores file
modes), the same fault is injected in-process at the boundary the program uses: SQLite
connections that are read-only or whose inserts fail as on a full disk, a folder listing
that raises PermissionError, ``fsync`` failing with ENOSPC.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pty_support import (
    DB_NAME,
    STRETCH,
    PtyRun,
    assert_no_traceback,
    assert_restored,
    db_state,
    logged,
    one_line,
    program_env,
    run_stretch,
)

from support import TINY_WITH_CUE, make_record

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX faults")

Stretch = Callable[..., Any]  # the `stretch` fixture: returns code, out, err

FALLBACK = re.compile(
    r"^The history database could not be written; this session was saved to (?P<path>\S+)\. "
    r"Add it later with: stretch import (?P=path)$",
    re.MULTILINE,
)
LEFT_UNTOUCHED = "it was left untouched: move it away (or set STRETCH_HOME to another folder)"


# --- helpers ---


def seed_history(home: Path, count: int = 2) -> set[str]:
    """Record ``count`` sessions before the fault (in this process); returns their ids."""
    from stretchcli.history.store import HistoryStore

    start = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    records = [
        make_record(
            start + timedelta(days=day),
            title="Lower back",
            ended_at=start + timedelta(days=day, minutes=12),
            duration_s=720.0,
            source="manual",
            pain_before=None,
            pain_after=None,
            sides=(),
            pain=(),
            note=f"before the fault, day {day}",
        )
        for day in range(count)
    ]
    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(records)
    return {record.id for record in records}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def fallback_path(out: str) -> Path:
    """The fallback file the summary names (fails when it names none)."""
    match = FALLBACK.search(out)
    assert match, f"no fallback line in {out!r}"
    path = Path(match["path"])
    assert path.is_file()
    return path


def assert_fallback_file(path: Path, routine: str, status: str) -> dict[str, Any]:
    """A fallback file holds exactly one session of ``routine`` with ``status``."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "stretchcli-history"
    [session] = document["sessions"]
    assert session["routine"] == routine
    assert session["status"] == status
    return dict(session)


def ids_in(home: Path) -> set[str]:
    check, ids = db_state(home / DB_NAME)
    assert check == "ok"
    return ids


@pytest.fixture
def tiny(home: Path) -> Path:
    """The ``tiny`` routine in the STRETCH_ROUTINES folder of the ``home`` fixture."""
    path = Path(os.environ["STRETCH_ROUTINES"]) / "tiny.toml"
    path.write_text(TINY_WITH_CUE, encoding="utf-8")
    return path


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Countdowns 1000x faster for sessions run in this process."""
    monkeypatch.setenv("STRETCH_SPEED", "1000")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment for the program as a subprocess, with the ``tiny`` routine."""
    routines = tmp_path / "routines"
    routines.mkdir(exist_ok=True)
    (routines / "tiny.toml").write_text(TINY_WITH_CUE, encoding="utf-8")
    (tmp_path / "home").mkdir(exist_ok=True)
    return program_env(tmp_path, speed=1000, routines=routines)


@pytest.fixture
def mount() -> Iterator[Callable[..., None]]:
    """``mount(*options, target)``; skips the test where mounting is not permitted.
    Everything mounted is unmounted afterwards."""
    mounted: list[Path] = []

    def do(*options: str, target: Path) -> None:
        if shutil.which("mount") is None or os.geteuid() != 0:
            pytest.skip("mounting needs root and mount(8)")
        done = subprocess.run(
            ["mount", *options, str(target)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.skip(f"mount {' '.join(options)} not permitted here: {done.stderr.strip()}")
        mounted.append(target)

    yield do
    for target in reversed(mounted):
        subprocess.run(["umount", str(target)], check=False, capture_output=True)
        if os.path.ismount(target):
            subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


# --- the history folder read-only ---


def test_read_only_history_folder_saves_the_session_to_a_file_to_import(
    env: dict[str, str], mount: Callable[..., None]
) -> None:
    home = Path(env["STRETCH_HOME"])
    before = seed_history(home)
    db_digest, files = digest(home / DB_NAME), listing(home)
    mount("--bind", str(home), target=home)
    mount("-o", "remount,bind,ro", target=home)

    done = run_stretch(env, "hold", "1", "--plain")
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    assert "Session complete." in done.stdout
    saved = fallback_path(done.stdout)
    assert saved.parent == Path(env["HOME"])  # the data folder cannot take it
    assert_fallback_file(saved, "hold", "completed")

    added = run_stretch(env, "log", "add", "tiny")
    assert added.returncode == 1
    assert added.stdout == ""
    message = one_line(added.stderr)
    assert str(home / DB_NAME) in message
    assert "read-only" in message

    assert digest(home / DB_NAME) == db_digest
    assert listing(home) == files

    subprocess.run(["umount", str(home)], check=True)  # the folder is writable again
    imported = run_stretch(env, "import", saved)
    assert imported.returncode == 0, imported.stderr
    assert one_line(imported.stdout) == f"imported 1 session from {saved}"
    sessions = logged(env)
    assert before < {s["id"] for s in sessions}
    assert [s["routine"] for s in sessions].count("hold") == 1


def read_only_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SQLite connection to a file opens read-only, as in a read-only folder."""
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if kwargs.get("uri") or str(database) == ":memory:":
            return real(database, *args, **kwargs)
        uri = f"{Path(database).absolute().as_uri()}?mode=ro"
        return real(uri, *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_read_only_database_session_goes_to_a_file_beside_it(
    stretch: Stretch, home: Path, fast: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same fault in-process (where no mount is possible): SQLite refuses to write."""
    before = seed_history(home)
    db_digest = digest(home / DB_NAME)
    with monkeypatch.context() as patch:
        read_only_connections(patch)
        result = stretch("hold", "2", "--plain")
    assert result.code == 0
    assert "Session complete." in result.out
    assert "attempt to write a readonly database" in result.out
    saved = fallback_path(result.out)
    assert saved.parent == home  # its folder can still take a file
    assert_fallback_file(saved, "hold", "completed")
    assert digest(home / DB_NAME) == db_digest

    imported = stretch("import", saved)
    assert imported.code == 0
    assert imported.out == f"imported 1 session from {saved}\n"
    assert before < ids_in(home)
    assert len(ids_in(home)) == 3


# --- disk full ---


def test_disk_full_session_saved_elsewhere_and_nothing_lost(
    env: dict[str, str], mount: Callable[..., None]
) -> None:
    home = Path(env["STRETCH_HOME"])
    mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", target=home)
    before = seed_history(home)
    filler = home / "filler"
    with filler.open("wb", buffering=0) as handle:  # take every block that is left
        with pytest.raises(OSError) as full:
            while True:
                handle.write(b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC
    files = listing(home)

    done = run_stretch(env, "hold", "1", "--plain")
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    saved = fallback_path(done.stdout)
    assert saved.parent == Path(env["HOME"])
    assert_fallback_file(saved, "hold", "completed")
    assert listing(home) == files  # no empty file left where the disk was full

    added = run_stretch(env, "log", "add", "tiny")
    assert added.returncode == 1
    message = one_line(added.stderr)
    assert str(home / DB_NAME) in message
    assert "disk" in message

    filler.unlink()
    assert before <= ids_in(home)
    imported = run_stretch(env, "import", saved)
    assert imported.returncode == 0, imported.stderr
    assert len(ids_in(home)) == len(before) + 1


class FullDisk(sqlite3.Connection):
    """A connection whose inserts fail as SQLite's do when the disk is full."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return super().executemany(sql, *args)


def test_disk_full_injected_session_saved_in_the_home_folder(
    stretch: Stretch, home: Path, tiny: Path, fast: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: inserts fail with SQLite's disk-full error, and a file in the data
    folder can be created but not written (ENOSPC at fsync)."""
    before = seed_history(home)
    db_digest = digest(home / DB_NAME)
    real_connect, real_fsync = sqlite3.connect, os.fsync

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(database, *args, factory=FullDisk, **kwargs)

    def fsync(fd: int) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().parent == home:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to tell which file is synced")
    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        patch.setattr(os, "fsync", fsync)
        result = stretch("hold", "1", "--plain")
        added = stretch("log", "add", "tiny")
    assert result.code == 0
    assert "database or disk is full" in result.out
    saved = fallback_path(result.out)
    assert saved.parent == Path(os.environ["HOME"])
    assert_fallback_file(saved, "hold", "completed")
    assert listing(home) == [DB_NAME]  # the half-made file beside it was removed
    assert added.code == 1
    assert one_line(added.err) == (
        f"history database {home / DB_NAME}: cannot save sessions (database or disk is full)"
    )
    assert digest(home / DB_NAME) == db_digest
    assert ids_in(home) == before


# --- locked by another process ---

HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def test_database_locked_past_the_timeout(env: dict[str, str]) -> None:
    home = Path(env["STRETCH_HOME"])
    before = seed_history(home)
    locker = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(home / DB_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None
        assert locker.stdout.readline() == "locked\n"
        # Both wait for the lock (5 s busy timeout) at the same time.
        session = subprocess.Popen(
            [*STRETCH, "hold", "1", "--plain"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        started = time.monotonic()
        added = run_stretch(env, "log", "add", "tiny")
        out, err = session.communicate(timeout=60)
        waited = time.monotonic() - started
        reading = run_stretch(env, "log", "--json")  # readers are not blocked (WAL)
    finally:
        locker.communicate("", timeout=30)

    assert waited >= 4.5, "gave up before the busy timeout"
    assert added.returncode == 1
    assert one_line(added.stderr) == (
        f"history database {home / DB_NAME}: cannot save sessions (database is locked)"
    )
    assert session.returncode == 0, err
    assert_no_traceback(out, err, added.stderr)
    assert "database is locked" in out
    saved = fallback_path(out)
    assert saved.parent == home
    assert reading.returncode == 0
    assert {s["id"] for s in json.loads(reading.stdout)} == before

    imported = run_stretch(env, "import", saved)
    assert imported.returncode == 0, imported.stderr
    assert before < ids_in(home)
    assert len(ids_in(home)) == len(before) + 1


# --- the database file replaced by garbage ---


def garbage_random(db: Path) -> None:
    db.write_bytes(bytes((n * 7919 + 13) % 256 for n in range(8192)))


def garbage_text(db: Path) -> None:
    db.write_text("my shopping list\n", encoding="utf-8")


def garbage_zeros(db: Path) -> None:
    db.write_bytes(b"\0" * 8192)


def garbage_truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:2048])  # our header, half a page


def garbage_other_program(db: Path) -> None:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()


GARBAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (garbage_random, "is not a SQLite database (damaged, or another file)"),
    "text": (garbage_text, "is not a SQLite database (damaged, or another file)"),
    "zeros": (garbage_zeros, "is not a SQLite database (damaged, or another file)"),
    "truncated": (garbage_truncated, "is damaged (database disk image is malformed)"),
    "another program's": (garbage_other_program, "is another program's SQLite database"),
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_database_replaced_by_garbage_is_refused_and_left_as_it_is(
    stretch: Stretch, home: Path, tiny: Path, fast: None, tmp_path: Path, kind: str
) -> None:
    seed_history(home)
    backup = tmp_path / "backup.json"
    assert stretch("export", "-o", backup).code == 0
    make, what = GARBAGE[kind]
    db = home / DB_NAME
    make(db)
    db_digest, files = digest(db), listing(home)
    expected = f"history database {db} {what}; {LEFT_UNTOUCHED}"

    for args in (
        ["log"],
        ["log", "--json"],
        ["stats"],
        ["export"],
        ["log", "add", "tiny"],
        ["import", str(backup)],
    ):
        result = stretch(*args)
        assert result.code == 1, args
        assert result.out == "", args
        assert one_line(result.err).startswith(expected), (args, result.err)

    # A session still runs to its end; its record goes to a file beside the database.
    session = stretch("hold", "1", "--plain")
    assert session.code == 0
    saved = fallback_path(session.out)
    assert saved.parent == home
    assert_fallback_file(saved, "hold", "completed")
    assert digest(db) == db_digest
    assert listing(home) == sorted([*files, saved.name])  # no -wal, -shm or -journal

    # Moved away, as the message says: a new history takes the backup and the session.
    db.rename(tmp_path / "garbage")
    assert stretch("import", backup).code == 0
    assert stretch("import", saved).code == 0
    assert len(ids_in(home)) == 3


# --- STRETCH_HOME pointing at a file ---


def test_stretch_home_pointing_at_a_file(
    stretch: Stretch,
    home: Path,
    tiny: Path,
    fast: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = seed_history(home)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("STRETCH_HOME", str(not_a_folder))
    db = not_a_folder / DB_NAME
    expected = (
        f"history database {db}: a part of that path is a file, not a folder; check STRETCH_HOME"
    )

    for args in (["log"], ["stats"], ["export"], ["log", "add", "tiny"]):
        result = stretch(*args)
        assert result.code == 1, args
        assert result.out == ""
        assert one_line(result.err) == expected

    listed = stretch("list", "--json")
    assert listed.code == 0
    assert listed.err == ""
    assert "tiny" in {routine["id"] for routine in json.loads(listed.out)}

    session = stretch("hold", "1", "--plain")
    assert session.code == 0
    assert expected in session.out
    saved = fallback_path(session.out)
    assert saved.parent == Path(os.environ["HOME"])
    assert not_a_folder.read_text(encoding="utf-8") == "not a folder\n"

    monkeypatch.setenv("STRETCH_HOME", str(home))
    assert stretch("import", saved).code == 0
    assert before < ids_in(home)


# --- routine folders that cannot be read ---


def test_unreadable_routine_folder_is_one_warning_and_the_rest_still_works(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads any folder, so the refusal is injected where the folder is listed."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.toml").write_text(TINY_WITH_CUE, encoding="utf-8")
    monkeypatch.setenv("STRETCH_ROUTINES", str(locked))
    real_listdir, real_scandir = os.listdir, os.scandir

    def refuse(path: Any) -> None:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def listdir(path: Any = ".") -> list[str]:
        refuse(path)
        return real_listdir(path)

    def scandir(path: Any = ".") -> Any:
        refuse(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)
    listed = stretch("list", "--json")
    assert listed.code == 0
    assert one_line(listed.err) == f"stretch: {locked}: cannot read folder (Permission denied)"
    ids = {routine["id"] for routine in json.loads(listed.out)}
    assert "lower-back" in ids
    assert "secret" not in ids

    assert stretch("show", "lower-back").code == 0


def test_routine_folder_that_is_a_file_is_one_warning(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "routines.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("STRETCH_ROUTINES", str(a_file))
    listed = stretch("list", "--json")
    assert listed.code == 0
    assert one_line(listed.err) == f"stretch: {a_file}: not a folder; no routines read from it"
    assert "lower-back" in {routine["id"] for routine in json.loads(listed.out)}


def test_symlink_loops_in_a_routine_folder(
    stretch: Stretch, home: Path, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tiny.parent
    (folder / "loop.toml").symlink_to("loop.toml")
    (folder / "ping.toml").symlink_to("pong.toml")
    (folder / "pong.toml").symlink_to("ping.toml")
    (folder / "again").symlink_to(".", target_is_directory=True)  # a folder loop
    (folder / "folder.toml").mkdir()
    looping_folder = tmp_path / "looping"
    looping_folder.symlink_to(looping_folder)
    monkeypatch.setenv("STRETCH_ROUTINES", os.pathsep.join([str(folder), str(looping_folder)]))
    loop = "cannot read file (Too many levels of symbolic links)"

    listed = stretch("list", "--json")
    assert listed.code == 0
    assert listed.err.splitlines() == [
        f"stretch: {looping_folder}: not a folder; no routines read from it",
        f"stretch: skipped {folder / 'folder.toml'}: cannot read file (Is a directory)",
        f"stretch: skipped {folder / 'loop.toml'}: {loop}",
        f"stretch: skipped {folder / 'ping.toml'}: {loop}",
        f"stretch: skipped {folder / 'pong.toml'}: {loop}",
    ]
    ids = {routine["id"] for routine in json.loads(listed.out)}
    assert {"tiny", "lower-back"} <= ids
    assert not ids & {"loop", "ping", "pong", "folder"}

    validated = stretch("validate", folder / "loop.toml")
    assert validated.code == 1
    assert one_line(validated.err) == f"{folder / 'loop.toml'}: {loop}"
    started = stretch("start", "loop")
    assert started.code == 1
    assert one_line(started.err).startswith("no routine 'loop'")
    assert stretch("show", "tiny").code == 0


# --- a huge routine file ---


def bytes_read_so_far() -> int:
    """Bytes this process has read through read(2) and friends (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_a_50_mb_routine_file_is_refused_without_being_read(
    stretch: Stretch,
    home: Path,
    tiny: Path,
    tmp_path: Path,
    record_property: pytest.RecordProperty,
) -> None:
    from stretchcli.errors import RoutineError
    from stretchcli.routine.library import load_file

    big = tiny.parent / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is really written
    expected = f"{big}: file is 50.0 MiB; a routine file may be at most 1024 KiB"

    load_file(tiny)  # imports done, so that only the big file's reading would count
    if not Path("/proc/self/io").exists():
        pytest.skip("needs /proc/self/io to count the bytes read")
    read_before, started = bytes_read_so_far(), time.perf_counter()
    with pytest.raises(RoutineError) as refused:
        load_file(big)
    record_property("refused_in_s", round(time.perf_counter() - started, 4))
    assert bytes_read_so_far() - read_before < 64 * 1024
    assert refused.value.problems == [expected]

    validated = stretch("validate", big)
    assert validated.code == 1
    assert one_line(validated.err) == expected
    started_session = stretch("start", big)
    assert started_session.code == 1
    assert one_line(started_session.err) == expected
    listed = stretch("list")
    assert listed.code == 0
    assert one_line(listed.err) == f"stretch: skipped {expected}"


# --- a terminal narrower than 20 columns ---


@pytest.mark.parametrize(("rows", "cols"), [(10, 15), (4, 6)])
def test_a_tiny_terminal_still_runs_the_session_to_its_end(
    env: dict[str, str], rows: int, cols: int
) -> None:
    """Too small for any words to stay whole, so the test does not read the screen: it
    types "1" (ignored until a pain check asks) and resizes the terminal while it runs."""
    home = Path(env["STRETCH_HOME"])
    before = seed_history(home)
    sizes = [(rows, cols), (3, 5), (1, 1), (rows, cols)]
    run = PtyRun(
        ["start", "tiny", "--no-rating"], dict(env, STRETCH_SPEED="5"), rows=rows, cols=cols
    )
    try:
        end = time.monotonic() + 60
        for turn in itertools.count():
            if run.proc.poll() is not None:
                break
            assert time.monotonic() < end, "the session did not end"
            run.send("1")
            run.resize(*sizes[turn % len(sizes)])
            run.pump(0.1)
        assert run.wait_exit() == 0
        assert_restored(run)
        assert_no_traceback(run.text())
        assert "Session complete." in run.text()
    finally:
        run.close()
    sessions = logged(env)
    assert before < {s["id"] for s in sessions}
    [session] = [s for s in sessions if s["routine"] == "tiny"]
    assert session["status"] == "completed"
    assert [p["answer"] for p in session["pain"]] == ["fine", "fine"]


# --- stdin closed ---


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(["sh", "-c", 'exec "$0" -m stretchcli "$@" < /dev/null'], id="dev-null"),
        pytest.param(["sh", "-c", 'exec "$0" -m stretchcli "$@" 0<&-'], id="closed-fd"),
    ],
)
def test_stdin_closed_quits_the_session_and_logs_what_was_done(
    env: dict[str, str], how: list[str]
) -> None:
    home = Path(env["STRETCH_HOME"])
    before = seed_history(home)
    done = subprocess.run(
        [*how, sys.executable, "start", "lower-back"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 130, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines.count("input ended: session quit") == 1
    assert "Prone on elbows: pain check" in done.stdout  # it got that far, then input ended
    assert any(line.startswith("Exercises done: 1 of 5;") for line in lines)
    sessions = logged(env)
    assert before < {s["id"] for s in sessions}
    [session] = [s for s in sessions if s["source"] == "guided"]
    assert session["status"] == "quit"
    assert [(s["exercise"], s["holds"]) for s in session["sides"]] == [("Prone on elbows", 1)]
    assert session["pain"] == []

    quick = subprocess.run(
        [*how, sys.executable, "hold", "1"], env=env, capture_output=True, text=True, check=False
    )
    assert quick.returncode == 0, quick.stderr
    assert "Session complete." in quick.stdout
