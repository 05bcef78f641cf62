"""The program's streams under strain, as real processes: an output device that is full
or a pipe that is closed, an input that never ends, terminal sizes from the environment
that make no sense, and keys at a clock speed where every frame takes longer than a tick.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_support import (
    DB_NAME,
    STRETCH,
    TIMEOUT,
    PtyRun,
    assert_no_traceback,
    assert_restored,
    logged,
    program_env,
    run_stretch,
)

from stretchcli.play.lineinput import MAX_LINES_IN_A_ROW, NO_ANSWER
from support import make_record

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX devices and ptys")

EXIT_FAILURE, EXIT_QUIT = 1, 130
FULL = "stretch: cannot write the output (No space left on device)\n"

SHORT = """
title = "Short"
[defaults]
prep = 1
hold = 2
reps = 1
[[exercises]]
name = "Knee to chest"
[[exercises]]
name = "Pelvic tilt"
"""

# Hour-long holds, 50 of them, and cues as long as a routine may have: at speed 1000 a
# hold lasts 3.6 s, the exercise 3 minutes, and every frame takes longer than a tick.
LONG_CUES = """
title = "Long cues"
[defaults]
prep = 1
hold = 3600
reps = 50
rest = 1
[[exercises]]
name = "Knee to chest"
cues = [{cues}]
""".format(cues=", ".join(f'"{n}. ' + "Breathe out slowly. " * 20 + '"' for n in range(8)))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "short.toml").write_text(SHORT, encoding="utf-8")
    (routines / "long-cues.toml").write_text(LONG_CUES, encoding="utf-8")
    return program_env(tmp_path, routines=routines, PYTHONFAULTHANDLER="1")


def run_to(
    env: dict[str, str],
    args: list[str],
    *,
    stdout: int | str,
    stdin: int | str = subprocess.DEVNULL,
) -> subprocess.CompletedProcess[str]:
    """``stretch ARGS`` with stdout (and stdin) from a path or a file descriptor."""
    opened: list[int] = []

    def fd(where: int | str, flags: int) -> int:
        if isinstance(where, int):
            return where
        opened.append(os.open(where, flags))
        return opened[-1]

    try:
        return subprocess.run(
            [*STRETCH, *args],
            stdin=fd(stdin, os.O_RDONLY),
            stdout=fd(stdout, os.O_WRONLY),
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            timeout=TIMEOUT,
        )
    finally:
        for each in opened:
            os.close(each)


# --- a full output device, a closed pipe ---

COMMANDS = [
    ["--version"],
    ["--help"],
    ["list"],
    ["list", "--json"],
    ["show", "lower-back"],
    ["show", "lower-back", "--json"],
    ["schema"],
    ["validate", "{routines}/short.toml"],
    ["log"],
    ["log", "--json"],
    ["stats"],
    ["export"],
    ["hold", "2"],
]


@pytest.fixture
def logged_once(env: dict[str, str]) -> dict[str, str]:
    """One session in the history (recorded in this process), so that log, stats and
    export have something to say."""
    from stretchcli.history.store import HistoryStore

    home = Path(env["STRETCH_HOME"])
    home.mkdir(exist_ok=True)
    with HistoryStore.open(home / DB_NAME) as store:
        store.record(make_record())
    return env


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_output_device_is_one_line_and_exit_1(
    logged_once: dict[str, str], args: list[str]
) -> None:
    env = dict(logged_once, STRETCH_SPEED="100")
    args = [arg.format(routines=env["STRETCH_ROUTINES"]) for arg in args]
    done = run_to(env, args, stdout="/dev/full")
    assert (done.returncode, done.stderr) == (EXIT_FAILURE, FULL)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_session_whose_output_is_full_is_still_logged(logged_once: dict[str, str]) -> None:
    env = dict(logged_once, STRETCH_SPEED="100")
    done = run_to(env, ["start", "short"], stdout="/dev/full")
    assert (done.returncode, done.stderr) == (EXIT_FAILURE, FULL)
    sessions = logged(env)
    assert [(s["routine"], s["status"]) for s in sessions] == [
        ("short", "quit"),
        ("lower-back", "completed"),
    ]
    assert_no_traceback(done.stderr)


# A broken pipe was already one silent exit 1 in rich and click, but for what was left to
# Python's flush at exit: these go through each way (small JSON, echo, rich, a session).
PIPE_COMMANDS = [
    ["list", "--json"],
    ["--version"],
    ["show", "lower-back"],
    ["export"],
    ["hold", "2"],
]


@pytest.mark.parametrize("args", PIPE_COMMANDS, ids=" ".join)
def test_a_closed_pipe_is_exit_1_without_a_word(
    logged_once: dict[str, str], args: list[str]
) -> None:
    """As `stretch log | head -1` ends: the reader is gone; no traceback, no message."""
    env = dict(logged_once, STRETCH_SPEED="100")
    args = [arg.format(routines=env["STRETCH_ROUTINES"]) for arg in args]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run_to(env, args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (EXIT_FAILURE, "")


# --- an input that never ends ---


def limit_memory() -> None:
    """In the child: at most 1 GiB of address space, so reading without a bound fails
    fast (a MemoryError and its traceback) instead of eating the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_an_endless_line_at_the_pain_check_is_the_end_of_input(env: dict[str, str]) -> None:
    """`stretch start short < /dev/zero`: plain mode; NUL characters for ever and no line
    end. The first pain check reads a bounded amount, calls it the end of input and quits."""
    with Path("/dev/zero").open("rb") as zeros:
        done = subprocess.run(
            [*STRETCH, "start", "short"],
            stdin=zeros,
            capture_output=True,
            env=dict(env, STRETCH_SPEED="100"),
            timeout=TIMEOUT,
            preexec_fn=limit_memory,
        )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == EXIT_QUIT, err
    assert_no_traceback(out, err)
    assert "pain check" in out
    summary = out[out.index("Session quit.") :].splitlines()
    assert summary[:2] == ["Session quit.", "input ended: session quit"]
    assert summary[2].startswith("Exercises done: 1 of 2")
    [session] = logged(env)
    assert (session["status"], session["pain"]) == ("quit", [])


def test_a_wrong_answer_piped_for_ever_ends_the_session(env: dict[str, str]) -> None:
    """`yes x | stretch start short`: each pain check is asked again at every wrong line; after
    MAX_LINES_IN_A_ROW of them in a row the input counts as ended and the session is quit."""
    yes = subprocess.Popen(
        [sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x\\n')"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        done = subprocess.run(
            [*STRETCH, "start", "short"],
            stdin=yes.stdout,
            capture_output=True,
            env=dict(env, STRETCH_SPEED="100"),
            timeout=TIMEOUT,
        )
    finally:
        yes.kill()
        yes.wait()
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == EXIT_QUIT, err
    assert_no_traceback(out, err)
    assert out.count("pain check") == MAX_LINES_IN_A_ROW + 1  # asked, and after each line
    summary = out[out.index("Session quit.") :].splitlines()
    assert summary[1] == f"{NO_ANSWER}: session quit"
    [session] = logged(env)
    assert (session["status"], session["pain"]) == ("quit", [])


# --- terminal sizes from the environment ---

NONSENSE = ["0", "-5", "100000", "abc", "", " 80", "²", "8O"]


@pytest.mark.parametrize(
    ("args", "values"),
    [
        (["show", "lower-back"], NONSENSE),  # panels, the timeline's table, plain text
        (["list"], ["0", "²"]),
        (["stats"], ["0", "²"]),
        (["--help"], ["0", "²"]),  # typer's own console
    ],
    ids=["show", "list", "stats", "help"],
)
def test_a_nonsense_columns_or_lines_falls_back_to_80(
    logged_once: dict[str, str], args: list[str], values: list[str]
) -> None:
    """Not a terminal, so without COLUMNS the width is 80: a nonsense COLUMNS (or LINES)
    prints exactly that (it printed nothing for 0, and a traceback for "²")."""
    unset = run_stretch(logged_once, *args)
    assert unset.returncode == 0
    assert max(len(line) for line in unset.stdout.splitlines()) <= 80
    for columns in values:
        done = run_stretch(dict(logged_once, COLUMNS=columns, LINES=columns), *args)
        assert (done.returncode, done.stderr, done.stdout) == (0, "", unset.stdout), columns


def test_a_sensible_columns_is_honoured(logged_once: dict[str, str]) -> None:
    for columns in ("1", "1000"):
        done = run_stretch(dict(logged_once, COLUMNS=columns), "show", "lower-back")
        assert (done.returncode, done.stderr) == (0, "")
        widths = {len(line) for line in done.stdout.splitlines()}
        assert max(widths) == int(columns)


# --- the live view ---


@pytest.fixture
def runs() -> Iterator[list[PtyRun]]:
    started: list[PtyRun] = []
    yield started
    for run in started:
        run.close()


@pytest.mark.parametrize("columns", ["0", "-1", "100000", "x"])
def test_the_live_view_takes_the_terminal_size_when_columns_is_nonsense(
    env: dict[str, str], runs: list[PtyRun], columns: str
) -> None:
    run = PtyRun(
        ["start", "short", "--no-rating"],
        dict(env, STRETCH_SPEED="1", COLUMNS=columns, LINES=columns),
        rows=24,
        cols=80,
    )
    runs.append(run)
    screen = run.wait_for(lambda screen: "GET READY" in screen and "Knee to chest" in screen)
    assert "exercise 1 of 2" in screen
    run.send("q")
    assert run.wait_exit() == EXIT_QUIT
    assert_restored(run)


def on_hold(screen: str) -> bool:
    return "HOLD" in screen and "Breathe out" in screen


@pytest.mark.parametrize("key", ["q", "!", " "], ids=["q", "bang", "space"])
def test_keys_work_at_once_at_speed_1000_with_long_cues(
    env: dict[str, str], runs: list[PtyRun], key: str
) -> None:
    """Every frame takes longer to draw than a tick lasts (1 ms). Before, keys were only
    read when a frame was drawn within its tick: never, here, until the pain check three
    minutes on; the test's 30 s timeout would run out."""
    run = PtyRun(["start", "long-cues", "--no-rating"], dict(env, STRETCH_SPEED="1000"))
    runs.append(run)
    run.wait_for(on_hold)
    run.send(key)
    if key == " ":
        run.wait_for("PAUSED")
        run.send("q")
    if key == "!":  # the safety advice stays on screen until a key
        run.wait_for("any key: leave")
        run.send("x")
    code = run.wait_exit()
    assert code == (3 if key == "!" else EXIT_QUIT)
    assert_restored(run)
    [session] = logged(env)
    assert session["status"] == ("stopped" if key == "!" else "quit")
    [held] = session["sides"]
    assert held["holds"] < 50
