"""The second version of the guided session, end to end: the real program in a pseudo-
terminal of 80x24, 100x30, 200x60 and 40x12, read the way a person on the floor sees it
(pyte). The opening screen, the side in big letters, the paused view, the ease-off advice
on the live screen, the safety advice in its box, the closing screen, digits sized to the
terminal; plain mode with cues and keys; quitting at the 0-10 question; resuming.

Nothing sleeps: every step waits for what the screen shows (``STRETCH_SPEED`` makes the
short steps pass; the long holds are left with keys).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pty_support import (
    PtyRun,
    assert_no_traceback,
    assert_restored,
    logged,
    program_env,
    run_stretch,
    word_rows_on_screen,
)

from stretchcli.view.texts import SAFETY_ADVICE, SORE_ADVICE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

EXIT_OK, EXIT_PAIN_STOP, EXIT_QUIT = 0, 3, 130
SIZES = [(24, 80), (30, 100), (60, 200), (12, 40)]  # rows, columns
SIZE_IDS = [f"{cols}x{rows}" for rows, cols in SIZES]

# Two exercises with holds of 10 minutes (a minute of real time at speed 10): the test
# moves on with keys. 1 + 600 + 1 + 600 + 1 + 600 = 1803 s.
FLOOR = """
title = "Floor routine"
[defaults]
prep = 1
hold = 600
reps = 1
switch = 1
[[exercises]]
name = "Knee to chest"
cues = ["Pull one knee towards your chest."]
sides = ["left", "right"]
[[exercises]]
name = "Pelvic tilt"
cues = ["Flatten your back into the floor."]
"""
# One short hold: the closing screen comes within a second at speed 10.
QUICK = """
title = "Quick one"
[defaults]
prep = 0
hold = 2
reps = 1
[[exercises]]
name = "Pelvic tilt"
cues = ["Flatten your back into the floor."]
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "floor.toml").write_text(FLOOR, encoding="utf-8")
    (routines / "quick.toml").write_text(QUICK, encoding="utf-8")
    return program_env(tmp_path, speed=10, routines=routines, PYTHONFAULTHANDLER="1")


@pytest.fixture
def spawn(env: dict[str, str]) -> Iterator[Callable[..., PtyRun]]:
    """``stretch ARGS`` in a pty of ``rows`` x ``cols``; closed afterwards."""
    started: list[PtyRun] = []

    def start(*args: str, rows: int = 24, cols: int = 80, speed: float = 10) -> PtyRun:
        tty = PtyRun(args, dict(env, STRETCH_SPEED=str(speed)), rows=rows, cols=cols)
        started.append(tty)
        return tty

    yield start
    for tty in started:
        tty.close()


def countdown_rows(tty: PtyRun) -> int:
    """Rows of the big countdown digits on screen (drawn in green during a hold; the side
    in big letters is in the terminal's own colour)."""
    buffer = tty.screen_model.buffer
    return sum(
        any(char.data == "█" and char.fg == "green" for char in buffer[y].values())
        for y in range(tty.screen_model.lines)
    )


def holding(side: str | None = None) -> Callable[[str], bool]:
    def test(screen: str) -> bool:
        return "HOLD" in screen and (side is None or f"{side} side" in screen)

    return test


def box_text(screen: str) -> str:
    """The lines inside the safety box, borders taken off, joined by single spaces."""
    inside = [line.strip() for line in screen.splitlines() if line.strip().startswith("┃")]
    return " ".join(line.strip("┃").strip() for line in inside)


def words_on_screen(screen: str, text: str) -> bool:
    """Every word of ``text``, in order and whole, on ``screen`` (lines may wrap)."""
    return " ".join(text.split()) in " ".join(screen.split())


def only_session(env: dict[str, str]) -> dict[str, Any]:
    sessions = logged(env)
    assert len(sessions) == 1, sessions
    return sessions[0]


# --- the live view at four sizes ---


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=SIZE_IDS)
def test_a_session_from_the_floor_at_each_size(
    spawn: Callable[..., PtyRun], env: dict[str, str], rows: int, cols: int
) -> None:
    tty = spawn("start", "floor", rows=rows, cols=cols)

    # The opening screen: the routine, its length, and the question.
    screen = tty.wait_for_frame("Pain right now (before), 0-10?")
    assert "Floor routine" in screen
    assert "about 30 min (30:03)" in screen
    tty.send("3\r")

    # The hold: the side in big letters from 24 rows on, the digits as blocks.
    screen = tty.wait_for_frame(lambda s: holding("LEFT")(s) and countdown_rows(tty) > 0)
    digit_rows = countdown_rows(tty)
    assert digit_rows >= 5, screen
    if rows >= 24:
        assert word_rows_on_screen(screen, "LEFT") >= 3, screen

    # The paused view: the whole view changes.
    tty.send(" ")
    screen = tty.wait_for_frame("PAUSED")
    assert "space go on" in screen
    if rows >= 24:
        assert word_rows_on_screen(screen, "PAUSED") >= 3, screen
        assert not word_rows_on_screen(screen, "LEFT")
    assert countdown_rows(tty) == 0, "the digits are dimmed, not green"
    tty.send(" ")
    tty.wait_for_frame(lambda s: "PAUSED" not in s and holding("LEFT")(s))

    # On to the pain check; "2" (sore): the advice stays on the next exercise's screen.
    tty.send("n")
    tty.wait_for_frame(holding("RIGHT"))
    tty.send("n")
    tty.wait_for_frame("PAIN CHECK")
    tty.send("2")
    screen = tty.wait_for_frame(lambda s: "Pelvic tilt" in s and "HOLD" in s)
    assert words_on_screen(screen, SORE_ADVICE), screen

    # "!": the safety advice, every word whole, in its box, until a key.
    tty.send("!")
    screen = tty.wait_for_frame("any key: leave")
    assert "STOP" in screen
    assert box_text(screen) == SAFETY_ADVICE, screen
    assert tty.proc.poll() is None, "the advice waits for a key"
    tty.send("x")
    assert tty.wait_exit() == EXIT_PAIN_STOP
    assert_restored(tty)
    assert_no_traceback(tty.text())
    session = only_session(env)
    assert (session["status"], session["pain_before"]) == ("stopped", 3)
    assert [p["answer"] for p in session["pain"]] == ["sore", "stop"]


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=SIZE_IDS)
def test_the_closing_screen_asks_the_question_after(
    spawn: Callable[..., PtyRun], env: dict[str, str], rows: int, cols: int
) -> None:
    tty = spawn("start", "quick", rows=rows, cols=cols)
    tty.wait_for_frame("Pain right now (before)")
    tty.send("\r")  # Enter skips
    tty.wait_for_frame("PAIN CHECK")
    tty.send("1")
    screen = tty.wait_for_frame("Pain right now (after), 0-10?")
    assert "Session complete. Well done." in screen
    assert "Exercises done: 1 of 1" in screen
    tty.send("2\r")
    assert tty.wait_exit() == EXIT_OK
    assert_restored(tty)
    session = only_session(env)
    assert (session["status"], session["pain_before"], session["pain_after"]) == (
        "completed",
        None,
        2,
    )


def test_the_digits_are_taller_on_a_larger_terminal(spawn: Callable[..., PtyRun]) -> None:
    heights: dict[int, int] = {}
    for rows, cols in [(24, 80), (60, 200)]:
        tty = spawn("start", "floor", "--no-rating", rows=rows, cols=cols)
        if heights:  # the first one was quit: no, not going on with it
            tty.wait_for("Go on from there? y/n:")
            tty.send("n")
        tty.wait_for_frame(lambda s, tty=tty: holding("LEFT")(s) and countdown_rows(tty) > 0)
        heights[rows] = countdown_rows(tty)
        tty.send("q")
        assert tty.wait_exit() == EXIT_QUIT
    assert heights[60] > heights[24] >= 5, heights


# --- quitting at the 0-10 question ---


@pytest.mark.parametrize("plain", [False, True], ids=["live", "plain"])
@pytest.mark.parametrize("key", ["\x04", "q"], ids=["ctrl-d", "q"])
def test_ctrl_d_or_q_at_the_question_quits_and_is_logged(
    spawn: Callable[..., PtyRun], env: dict[str, str], key: str, plain: bool
) -> None:
    tty = spawn("start", "floor", *(["--plain"] if plain else []))
    tty.wait_for("Pain right now (before), 0-10?")
    tty.send(key)
    assert tty.wait_exit() == EXIT_QUIT
    assert_restored(tty, hid_cursor=not plain)
    assert "Session quit." in tty.text()
    session = only_session(env)
    assert (session["status"], session["sides"], session["pain"]) == ("quit", [], [])


# --- plain mode ---


def test_plain_lines_give_the_cues_of_each_exercise(env: dict[str, str]) -> None:
    done = run_stretch(dict(env, STRETCH_SPEED="2000"), "start", "floor", stdin="1\n1\n")
    assert done.returncode == EXIT_OK, done.stderr
    lines = done.stdout.splitlines()
    assert "  - Pull one knee towards your chest." in lines
    assert "  - Flatten your back into the floor." in lines
    first = lines.index("[1/2] Knee to chest: get into position, LEFT side first (1 s)")
    assert lines[first + 1] == "  - Pull one knee towards your chest."


@pytest.mark.parametrize("key", ["!", "q"])
def test_plain_mode_on_a_terminal_has_keys(
    spawn: Callable[..., PtyRun], env: dict[str, str], key: str
) -> None:
    tty = spawn("start", "floor", "--plain", "--no-rating")
    tty.wait_for("hold LEFT side 10 min")
    tty.send(" ")
    tty.wait_for("left in this step); space goes on")
    tty.send(" ")
    tty.wait_for("going on")
    tty.send(key)
    assert tty.wait_exit() == (EXIT_PAIN_STOP if key == "!" else EXIT_QUIT)
    assert_restored(tty, hid_cursor=False)
    assert "\x1b[" not in tty.raw.replace("\x1b[?5", ""), "plain: no cursor moves, no colour"
    session = only_session(env)
    assert session["status"] == ("stopped" if key == "!" else "quit")


# --- resuming today's interrupted session ---


def interrupt_in_the_second_exercise(spawn: Callable[..., PtyRun]) -> None:
    tty = spawn("start", "floor", "--no-rating")
    tty.wait_for_frame(holding("LEFT"))
    tty.send("n")
    tty.wait_for_frame(holding("RIGHT"))
    tty.send("n")
    tty.wait_for_frame("PAIN CHECK")
    tty.send("1")
    tty.wait_for_frame(lambda s: "Pelvic tilt" in s and "HOLD" in s)
    tty.send("q")
    assert tty.wait_exit() == EXIT_QUIT


def test_start_offers_to_go_on_with_the_interrupted_session(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    interrupt_in_the_second_exercise(spawn)
    tty = spawn("start", "floor", "--no-rating")
    screen = tty.wait_for("Go on from there? y/n:")
    assert words_on_screen(screen, "stopped in exercise 2 of 2 (Pelvic tilt). Go on from there?")
    tty.send("y")
    tty.wait_for_frame(lambda s: "Pelvic tilt" in s and "exercise 2 of 2" in s)
    tty.wait_for_frame("HOLD")
    tty.send("n")
    tty.wait_for_frame("PAIN CHECK")
    tty.send("1")
    assert tty.wait_exit() == EXIT_OK
    assert_restored(tty)
    assert "Resumed where the last session stopped (at Pelvic tilt)." in tty.after_live()
    newest, oldest = logged(env)
    assert (oldest["status"], newest["status"]) == ("quit", "completed")
    assert [p["exercise"] for p in newest["pain"]] == ["Pelvic tilt"]
    assert [s["exercise"] for s in newest["sides"]] == ["Pelvic tilt"]


@pytest.mark.parametrize("answer", ["n", "q"])
def test_no_or_q_at_the_offer(
    spawn: Callable[..., PtyRun], env: dict[str, str], answer: str
) -> None:
    interrupt_in_the_second_exercise(spawn)
    tty = spawn("start", "floor", "--no-rating")
    tty.wait_for("Go on from there? y/n:")
    tty.send(answer)
    if answer == "q":  # nothing was started, so nothing more is logged
        assert tty.wait_exit() == EXIT_QUIT
        assert_restored(tty, hid_cursor=False)
        assert len(logged(env)) == 1
        return
    tty.wait_for_frame(lambda s: holding("LEFT")(s) and "exercise 1 of 2" in s)
    tty.send("q")
    assert tty.wait_exit() == EXIT_QUIT
    assert len(logged(env)) == 2


def test_resume_with_nothing_to_resume_is_one_line(env: dict[str, str]) -> None:
    done = run_stretch(env, "start", "--resume")
    assert done.returncode == 1
    assert done.stderr == (
        "no interrupted session today to go on with; start one with: stretch start ROUTINE\n"
    )


def test_a_resumed_pair_is_recorded_as_such_and_counted_once(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    """After the history keeps ``resumes`` and ``step``: `--resume` goes on from the very
    step (the hold of exercise 2, after a prep), the record says what it continues, and
    stats count the pair as one session."""
    interrupt_in_the_second_exercise(spawn)
    (first,) = logged(env)
    assert first["step"] == 6  # prep, hold L, switch, hold R, check, prep, (6) hold
    tty = spawn("start", "--resume", "--no-rating")
    tty.wait_for_frame(lambda s: "Pelvic tilt" in s and "GET READY" in s)
    tty.wait_for_frame("HOLD")
    tty.send("n")
    tty.wait_for_frame("PAIN CHECK")
    tty.send("1")
    assert tty.wait_exit() == EXIT_OK
    newest, _ = logged(env)
    assert (newest["resumes"], newest["step"]) == (first["id"], None)
    stats = json.loads(run_stretch(env, "stats", "--json").stdout)
    assert stats["total_sessions"] == 1
    # Resumed, it is no longer offered.
    again = run_stretch(env, "start", "--resume")
    assert again.returncode == 1


def test_flash_reverses_the_screen_at_the_bell_and_always_puts_it_back(
    spawn: Callable[..., PtyRun], env: dict[str, str]
) -> None:
    tty = spawn("start", "floor", "--no-rating", "--flash", "--quiet")
    tty.wait_for_frame(holding("LEFT"))
    tty.send("n")  # the hold ends: the bell's moment, flashed (--quiet: no sound)
    tty.wait_for_frame(holding("RIGHT"))
    tty.send("q")
    assert tty.wait_exit() == EXIT_QUIT
    assert "\x1b[?5h" in tty.raw, "a flash"
    assert "\a" not in tty.raw, "--quiet: no bell"
    assert tty.raw.rfind("\x1b[?5l") > tty.raw.rfind("\x1b[?5h"), "the screen put back"
    assert_restored(tty)


def test_the_moves_done_per_side_are_in_the_log(env: dict[str, str]) -> None:
    """After the history keeps ``moves`` on each side (validate.py, the database): a
    moving exercise's repetitions are in `stretch log --json`."""
    done = run_stretch(dict(env, STRETCH_SPEED="2000"), "start", "lower-back", stdin="1\n" * 5)
    assert done.returncode == EXIT_OK, done.stderr
    (session,) = logged(env)
    rocking = [side for side in session["sides"] if side["exercise"] == "Knee rocking"]
    assert [(side["side"], side["moves"], side["holds"]) for side in rocking] == [(None, 10, 0)]
    # A side of holds has no "moves" in its JSON (an export of holds stays as it was).
    assert all("moves" not in side for side in session["sides"] if side not in rocking)
