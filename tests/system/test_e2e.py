"""End-to-end: the real program in a real pseudo-terminal, read the way a person sees it.

Each test starts ``python -m stretchcli`` in a pty with ``pty_support.PtyRun``: the test
holds the slave side, as a user's shell would, so termios is read exactly before the
program starts and after it ends, and Ctrl-C typed into the pty raises SIGINT as in a real
terminal; pyte turns the output into the screen a person would see. ``STRETCH_SPEED``
makes countdowns fast; nothing sleeps: each step waits for what the screen shows (or, for
the pause, for a bounded silence that must hold).
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pty_support import (
    HIDE_CURSOR,
    LEAVE_ALT_SCREEN,
    SHOW_CURSOR,
    PtyRun,
    assert_restored,
    interactive_bash,
    logged,
    program_env,
    run_stretch,
    shell_command,
    word_rows_on_screen,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

EXIT_OK, EXIT_PAIN_STOP, EXIT_QUIT = 0, 3, 130

# One two-sided exercise whose holds and switch last long enough to act on at speed 10
# (a minute of real time each); tests move on with keys, never by waiting for the clock.
LONG_ROUTINE = """
title = "Long holds"
[defaults]
prep = 1
hold = 600
reps = 1
switch = 600
[[exercises]]
name = "Knee to chest"
cues = ["Pull one knee towards your chest."]
sides = ["left", "right"]
"""

# Two short exercises: the whole session takes a second or so at speed 20.
SHORT_ROUTINE = """
title = "Short"
[defaults]
prep = 1
hold = 2
reps = 2
rest = 1
switch = 1
[[exercises]]
name = "Knee to chest"
cues = ["Pull one knee towards your chest."]
sides = ["left", "right"]
[[exercises]]
name = "Pelvic tilt"
cues = ["Flatten your back into the floor."]
"""


# --- fixtures and helpers ---


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The program's environment (``program_env``): a temp STRETCH_HOME and routines folder
    (with the test routines ``long`` and ``short``), HOME and XDG folders inside tmp_path, a
    colour terminal whose size comes from the pty, countdowns 10x faster, and faulthandler
    on, so a program that hangs shows where (see ``PtyRun.fail``)."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "long.toml").write_text(LONG_ROUTINE, encoding="utf-8")
    (routines / "short.toml").write_text(SHORT_ROUTINE, encoding="utf-8")
    return program_env(tmp_path, speed=10, routines=routines, PYTHONFAULTHANDLER="1")


@pytest.fixture
def spawn(env: dict[str, str]) -> Iterator[Callable[..., PtyRun]]:
    """Start ``stretch ARGS`` in a pty (``speed`` sets STRETCH_SPEED); closed afterwards."""
    started: list[PtyRun] = []

    def start(*args: str, speed: float = 10) -> PtyRun:
        tty = PtyRun(args, dict(env, STRETCH_SPEED=str(speed)))
        started.append(tty)
        return tty

    yield start
    for tty in started:
        tty.close()


def only_session(env: dict[str, str], shown: str = "") -> dict[str, Any]:
    """The one session logged in this test (``shown``: what the program said, for a failure)."""
    sessions = logged(env)
    assert len(sessions) == 1, f"{len(sessions)} sessions logged; the program said:\n{shown}"
    return sessions[0]


def assert_safety_advice(text: str) -> None:
    """The advice after a pain stop: stop, and talk to a doctor or (physio)therapist (the
    box it stands in on a terminal left out)."""
    text = " ".join(text.replace("┃", " ").split())
    assert re.search(r"\bstop\b", text, re.I), text
    assert re.search(r"talk to (your|a) doctor or (physio)?therapist", text, re.I), text


def assert_stopped_for_pain(tty: PtyRun, env: dict[str, str], answer: str) -> None:
    """The safety advice stays on the live screen until a key; then the program exits 3
    with the terminal restored and the advice in its summary; the session is logged as
    stopped, ``answer`` its only pain answer."""
    screen = tty.wait_for_frame("any key: leave")
    assert_safety_advice(screen)
    tty.send("x")
    assert tty.wait_exit() == EXIT_PAIN_STOP
    assert_restored(tty)
    assert_safety_advice(tty.after_live())
    session = only_session(env, tty.text())
    assert session["status"] == "stopped"
    assert [pain["answer"] for pain in session["pain"]] == [answer]


def hold_on_screen(side: str | None = None) -> Callable[[str], bool]:
    """A hold is counting down (on ``side``), with its big digits drawn."""

    def test(screen: str) -> bool:
        return "HOLD" in screen and "██" in screen and (side is None or side in screen)

    return test


def shell_prompt_after(tty: PtyRun, text: str) -> None:
    """Read on until the shell's prompt follows ``text`` in the output (the screen may not
    show it where a stop cut a frame short)."""
    start = tty.raw.rfind(text)
    assert start >= 0, text
    while "$ " not in tty.raw[start:]:
        assert tty.pump(10.0), f"no shell prompt after {text!r}"


def quit_to_the_shell(tty: PtyRun) -> None:
    """The session is quitting: the shell gets exit 130, then the shell ends."""
    tty.wait_for("Session quit")
    tty.send("echo exit=$?\r")
    tty.wait_for("exit=130")
    tty.send("exit\r")
    tty.wait_exit()


def assert_quit_with_the_stop_paused(env: dict[str, str], tty: PtyRun) -> dict[str, Any]:
    """The one session is logged ``quit``, the second (10 s at speed 10) or more it was
    stopped by Ctrl-Z left out of its time as pause."""
    session = only_session(env, tty.text())
    assert session["status"] == "quit"
    spent = datetime_gap(session["started_at"], session["ended_at"])
    assert spent - session["duration_s"] >= 10, "the second or more stopped is paused time"
    return session


def finish_from_the_right_hold(tty: PtyRun, env: dict[str, str]) -> None:
    """The ``long`` routine, from its right-side hold on: skip it, answer the pain check
    ``1``; the program exits 0 with the terminal restored and logs the session completed."""
    tty.wait_for(hold_on_screen("RIGHT side"))
    tty.send("n")
    tty.wait_for("PAIN CHECK")
    tty.send("1")
    assert tty.wait_exit() == EXIT_OK
    assert_restored(tty)
    assert only_session(env, tty.text())["status"] == "completed"


def digits(screen: str) -> list[str]:
    """The rows of big block digits on a screen."""
    return [line for line in screen.splitlines() if "██" in line]


# --- a whole session ---


def test_full_lower_back_session_answered_fine_completes(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "lower-back", "--no-rating", speed=200)
    for number in range(1, 6):
        tty.wait_for(
            lambda screen, n=number: "PAIN CHECK" in screen and f"exercise {n} of 5" in screen
        )
        tty.send("1")
    assert tty.wait_exit() == EXIT_OK
    assert_restored(tty)
    assert "Session complete" in tty.text()
    session = only_session(env, tty.text())
    assert session["status"] == "completed"
    assert session["source"] == "guided"
    assert session["routine"] == "lower-back"
    assert [answer["answer"] for answer in session["pain"]] == ["fine"] * 5


def test_quick_hold_with_sides_asks_nothing_and_is_logged_as_hold(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("hold", "3", "--reps", "2", "--sides", speed=100)
    assert tty.wait_exit() == EXIT_OK  # no key is ever sent
    assert_restored(tty)
    out = tty.text()
    assert "PAIN CHECK" not in out
    assert "Pain right now" not in out
    session = only_session(env, tty.text())
    assert session["routine"] == "hold"
    assert session["status"] == "completed"
    assert session["pain"] == []
    assert {side["side"] for side in session["sides"]} == {"left", "right"}


# --- what the screen shows ---


def test_screen_shows_side_big_digits_progress_and_switch(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "long", "--no-rating")
    screen = tty.wait_for_frame(hold_on_screen("LEFT side"))
    assert len(digits(screen)) >= 5, "big digits are at least 5 rows tall at 80x24"
    assert re.search(r"[0-9] left\b", screen), "progress line with time left"
    tty.send("n")
    screen = tty.wait_for(lambda s: "switch" in s.lower() and "RIGHT" in s)
    assert "RIGHT side" in screen
    tty.send("\x1b[C")  # → also goes to the next step
    finish_from_the_right_hold(tty, env)


def test_confirm_switch_says_what_to_do_and_waits_for_enter(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "long", "--no-rating", "--confirm-switch")
    screen = tty.wait_for_frame(hold_on_screen("LEFT side"))
    # Two holds of 10 minutes; the 10-minute switch waits for the person, so it is not
    # in the time left.
    assert "20:00 left" in screen or "19:59 left" in screen, screen
    tty.send("n")
    screen = tty.wait_for_frame("when you are ready on the RIGHT side")
    assert "Press space or Enter when you are ready on the RIGHT side." in screen
    assert "space or Enter go on" in screen
    # No countdown at a switch that waits: the only blocks are the side's big letters.
    assert len(digits(screen)) == word_rows_on_screen(screen, "RIGHT") > 0
    assert "10:00 left" in screen, screen
    tty.settle()
    assert not tty.pump(1.0), "the switch waits: nothing changes until a key"
    tty.send("\r")
    finish_from_the_right_hold(tty, env)


def test_pause_freezes_the_countdown_and_is_left_out_of_the_time(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "long", "--no-rating")
    tty.wait_for(hold_on_screen("LEFT side"))
    tty.send(" ")
    tty.wait_for("PAUSED")
    tty.settle()
    paused = tty.screen()
    # At speed 10 the digits would change 10 times a second: a second of silence is
    # proof that the countdown stands still (the wait is bounded; silence is the pass).
    assert not tty.pump(1.0), "output while paused"
    assert tty.screen() == paused
    tty.send(" ")
    tty.wait_for(lambda s: "PAUSED" not in s and digits(s) != digits(paused))
    tty.send("q")
    assert tty.wait_exit() == EXIT_QUIT
    assert_restored(tty)
    assert "paused" in tty.after_live().lower(), "the summary tells the time paused"
    session = only_session(env, tty.text())
    assert session["status"] == "quit"
    wall = datetime_gap(session["started_at"], session["ended_at"])
    assert wall - session["duration_s"] >= 5, "at least ~10 clock seconds paused, left out"


def datetime_gap(start: str, end: str) -> float:
    """Seconds between two ISO 8601 times."""
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


# --- stopping for pain ---


def test_sharp_pain_at_first_check_stops_with_safety_advice(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "lower-back", "--no-rating", speed=200)
    tty.wait_for("PAIN CHECK")
    tty.send("3")
    assert_stopped_for_pain(tty, env, "sharp")


def test_bang_during_a_hold_stops_for_pain(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "long", "--no-rating")
    tty.wait_for(hold_on_screen())
    tty.send("!")
    assert_stopped_for_pain(tty, env, "stop")


# --- quitting, and being ended ---


@pytest.mark.parametrize(
    "end",
    [
        pytest.param(lambda tty: tty.send("q"), id="q"),
        pytest.param(lambda tty: tty.send("\x03"), id="ctrl-c"),
        pytest.param(lambda tty: tty.send("\x1c"), id="ctrl-backslash"),
        pytest.param(lambda tty: tty.signal(signal.SIGTERM), id="sigterm"),
        pytest.param(lambda tty: tty.signal(signal.SIGHUP), id="sighup"),
    ],
)
def test_quit_or_signal_mid_hold_exits_130_restored_and_logged(
    spawn: Callable[..., PtyRun], env: dict[str, str], end: Callable[[PtyRun], None]
) -> None:
    tty = spawn("start", "long", "--no-rating")
    tty.wait_for(hold_on_screen())
    end(tty)
    assert tty.wait_exit() == EXIT_QUIT
    assert_restored(tty)
    assert "Traceback" not in tty.text()
    session = only_session(env, tty.text())
    assert session["status"] == "quit"
    assert session["routine"] == "long"


def test_terminal_closed_mid_hold_exits_130_and_logs_quit(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "long", "--no-rating")
    tty.wait_for(hold_on_screen())
    tty.hang_up()  # the window is closed: SIGHUP, and every write to it fails from now on
    assert tty.wait_exit() == EXIT_QUIT
    assert only_session(env, tty.text())["status"] == "quit"


# --- plain mode (pipes, screen readers) ---


def run_piped(
    env: dict[str, str], *args: str, answers: str, speed: float
) -> subprocess.CompletedProcess[str]:
    """``printf ANSWERS | stretch ARGS`` with its output captured (not a terminal)."""
    return run_stretch(dict(env, STRETCH_SPEED=str(speed)), *args, stdin=answers)


def test_piped_session_is_plain_and_completes(env: dict[str, str]) -> None:
    done = run_piped(env, "start", "lower-back", answers="1\n" * 5, speed=100)
    assert done.returncode == EXIT_OK, done.stderr
    assert "\x1b" not in done.stdout
    lines = done.stdout.splitlines()
    for name in (
        "Prone on elbows",
        "Knee rocking",
        "Hooklying trunk rotation",
        "Lower-body rotation, top leg over",
        "Standing back extension",
    ):
        assert any(name in line for line in lines), name
    assert any("switch" in line.lower() and "RIGHT" in line for line in lines)
    # The two-minute hold: its start line, then at most its last 3 seconds, one a line.
    start = next(i for i, line in enumerate(lines) if "Prone on elbows" in line and "2 min" in line)
    after = lines[start + 1 :]
    counted = after[: next(i for i, line in enumerate(after) if not line.strip().isdigit())]
    assert counted, "the last seconds of a hold are announced"
    assert all(int(line) <= 3 for line in counted), counted
    session = only_session(env, done.stdout + done.stderr)
    assert session["status"] == "completed"
    assert [answer["answer"] for answer in session["pain"]] == ["fine"] * 5


def test_end_of_input_at_a_pain_check_quits(env: dict[str, str]) -> None:
    done = run_piped(env, "start", "short", answers="1\n", speed=20)
    assert done.returncode == EXIT_QUIT, done.stderr
    assert "\x1b" not in done.stdout
    assert "Pelvic tilt" in done.stdout  # it went on after the first answer
    session = only_session(env, done.stdout + done.stderr)
    assert session["status"] == "quit"
    assert [answer["answer"] for answer in session["pain"]] == ["fine"]


# --- Ctrl-Z and fg ---


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for job control")
def test_ctrl_z_gives_the_terminal_back_and_fg_carries_on_paused(env: dict[str, str]) -> None:
    # Stopping needs a job-control shell (see ``interactive_bash``).
    command = shell_command("start", "long", "--no-rating")
    tty = interactive_bash(env)
    try:
        tty.wait_for("$")
        tty.send(command + "\r")
        tty.wait_for(hold_on_screen("LEFT side"))
        hold_started = len(tty.raw)
        tty.send("\x1a")
        tty.wait_for("Stopped")
        stopped = tty.raw[hold_started:]
        assert stopped.rfind(SHOW_CURSOR) > stopped.rfind(HIDE_CURSOR), "cursor left hidden"
        assert LEAVE_ALT_SCREEN in stopped, "the shell is readable while stopped"
        shell_prompt_after(tty, "Stopped")
        assert not tty.pump(1.0), "output while stopped"  # 10 s at speed 10, to be paused
        tty.send("fg\r")
        tty.wait_for(lambda screen: "PAUSED" in screen and "LEFT side" in screen)
        tty.send(" ")
        tty.wait_for(lambda screen: "PAUSED" not in screen and "HOLD" in screen)
        tty.send("q")
        quit_to_the_shell(tty)
    finally:
        tty.close()
    assert_quit_with_the_stop_paused(env, tty)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for job control")
def test_ctrl_z_in_plain_mode_is_a_pause_too_and_space_goes_on(env: dict[str, str]) -> None:
    command = shell_command("start", "long", "--no-rating", "--plain")
    tty = interactive_bash(env)
    try:
        tty.wait_for("$")
        tty.send(command + "\r")
        tty.wait_for("hold LEFT side 10 min")
        tty.send("\x1a")
        tty.wait_for("Stopped")
        shell_prompt_after(tty, "Stopped")
        # Stopped, nothing happens: and at speed 10 every real second stopped is 10 s that
        # must not be counted as held.
        assert not tty.pump(1.0), "output while stopped"
        tty.send("fg\r")
        # Plain mode on a terminal reads keys (v2): space goes on, as in the live view.
        tty.wait_for("left in this step); space goes on")
        tty.send(" ")
        tty.wait_for("going on")
        tty.send("\x03")  # Ctrl-C: quit
        quit_to_the_shell(tty)
    finally:
        tty.close()
    session = assert_quit_with_the_stop_paused(env, tty)
    (left,) = session["sides"]
    assert left["side"] == "left" and left["held_s"] <= session["duration_s"]
