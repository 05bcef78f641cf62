"""Interruption matrix: Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP and ``q`` at every phase of a session,
in a real pseudo-terminal.

Each case plays a two-exercise routine: a one-second warm-up (answered "fine" at its pain
check), then a target exercise whose phase under test lasts 300 clock seconds (30 real
seconds at speed 10) while everything before it takes a fraction of a second. The test
waits until the screen shows that phase, interrupts, and then checks: exit code 130,
termios exactly as before, the cursor shown, no traceback, and the session in the history
as ``quit`` with what was done so far (the warm-up held and answered; the target's held
time up to the interruption).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pty_support import PtyRun, assert_no_traceback, assert_restored, program_env, stored

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

SPEED = 10  # one clock second is 0.1 s; the phase under test lasts 30 s of real time
LONG = 300
EXIT_QUIT = 130

WARM_UP = """
title = "Interrupted"
[defaults]
prep = 1
hold = 1
reps = 1
rest = 1
switch = 1

[[exercises]]
name = "Warm up"
prep = 0
"""

# The target exercise for each phase: only that phase is long.
TARGETS = {
    "prep": f'name = "Target"\nprep = {LONG}\n',
    "hold": f'name = "Target"\nhold = {LONG}\n',
    "rest": f'name = "Target"\nreps = 2\nrest = {LONG}\n',
    "switch": f'name = "Target"\nsides = ["left", "right"]\nswitch = {LONG}\n',
    "check": 'name = "Target"\n',
    "paused": f'name = "Target"\nhold = {LONG}\n',
}
PHASE_WORD = {
    "prep": "GET READY",
    "hold": "HOLD",
    "rest": "REST",
    "switch": "SWITCH SIDES",
    "check": "PAIN CHECK",
    "paused": "PAUSED",
}


def send_q(run: PtyRun) -> None:
    run.send("q")


def send_ctrl_c(run: PtyRun) -> None:
    run.send("\x03")  # the terminal turns it into SIGINT for the foreground group


def send_ctrl_backslash(run: PtyRun) -> None:
    run.send("\x1c")  # the terminal turns it into SIGQUIT (a core dump, by default)


def send_sigterm(run: PtyRun) -> None:
    run.signal(signal.SIGTERM)


def send_sighup(run: PtyRun) -> None:
    run.signal(signal.SIGHUP)


INTERRUPTIONS: dict[str, Callable[[PtyRun], None]] = {
    "q": send_q,
    "ctrl-c": send_ctrl_c,
    "ctrl-backslash": send_ctrl_backslash,
    "sigterm": send_sigterm,
    "sighup": send_sighup,
}


@pytest.fixture
def runs() -> Iterator[list[PtyRun]]:
    """Programs started by a test; any still running at the end are killed, ptys closed."""
    started: list[PtyRun] = []
    yield started
    for run in started:
        run.close()


def on_target(word: str) -> Callable[[str], bool]:
    """The screen shows ``word`` for the second exercise."""
    return lambda screen: word in screen and "exercise 2 of 2" in screen


def expected_target_sides(phase: str, sides: list[dict[str, Any]]) -> None:
    """What the history must hold for the target exercise, interrupted in ``phase``."""
    target = [side for side in sides if side["exercise_index"] == 1]
    if phase == "prep":
        assert target == []
    elif phase in ("hold", "paused"):
        # Interrupted part-way through its only hold: some time held, no hold completed.
        assert len(target) == 1
        assert target[0]["holds"] == 0
        assert 0.0 <= target[0]["held_s"] < LONG
    elif phase in ("rest", "check"):
        # The first (rest) or only (check) hold was completed.
        assert [(s["side"], s["held_s"], s["holds"]) for s in target] == [(None, 1.0, 1)]
    elif phase == "switch":
        assert [(s["side"], s["held_s"], s["holds"]) for s in target] == [("left", 1.0, 1)]
    else:  # pragma: no cover - a phase without expectations is a bug in this test
        pytest.fail(f"no expectation for {phase}")


@pytest.mark.parametrize("how", list(INTERRUPTIONS))
@pytest.mark.parametrize("phase", list(TARGETS))
def test_interrupted_session_exits_130_restores_the_terminal_and_is_logged(
    tmp_path: Path, runs: list[PtyRun], phase: str, how: str
) -> None:
    routines = tmp_path / "routines"
    routines.mkdir()
    routine = WARM_UP + "\n[[exercises]]\n" + TARGETS[phase]
    (routines / "interrupted.toml").write_text(routine, encoding="utf-8")
    env = program_env(tmp_path, speed=SPEED, routines=routines)

    run = PtyRun(["start", "interrupted", "--no-rating"], env)
    runs.append(run)
    run.wait_for_frame(lambda screen: "PAIN CHECK" in screen and "exercise 1 of 2" in screen)
    run.send("1")
    if phase == "paused":
        run.wait_for_frame(on_target("HOLD"))
        run.send(" ")
    run.wait_for_frame(on_target(PHASE_WORD[phase]))
    INTERRUPTIONS[how](run)

    assert run.wait_exit() == EXIT_QUIT
    assert_restored(run)
    out = run.text()
    assert_no_traceback(out)
    assert "Session quit." in out, out[-800:]
    summary = out[out.rfind("Session quit.") :]
    done = 2 if phase == "check" else 1  # the check comes after the target's last hold
    assert f"Exercises done: {done} of 2" in summary, summary

    [session] = stored(Path(env["STRETCH_HOME"]))
    assert session["status"] == "quit"
    assert session["routine"] == "interrupted"
    assert session["source"] == "guided"
    assert [(p["exercise_index"], p["answer"]) for p in session["pain"]] == [(0, "fine")]
    warm_up = [s for s in session["sides"] if s["exercise_index"] == 0]
    assert [(s["held_s"], s["holds"]) for s in warm_up] == [(1.0, 1)]
    expected_target_sides(phase, session["sides"])


def test_a_second_signal_while_the_terminal_is_restored_cannot_cut_it_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A user who presses Ctrl-C again (or a second SIGTERM) while the session unwinds:
    the signal lands in the middle of ``Terminal.__exit__``, before termios is put back.
    The restore still completes (the second signal is ignored there)."""
    import io
    import os
    import termios

    from stretchcli.play.signals import Terminated, termination_signals
    from stretchcli.play.terminal import Terminal
    from stretchcli.play.testing import FakeClock

    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    real_signal = signal.signal
    fired: list[int] = []

    def set_handler(signum: int, handler: Any) -> Any:
        previous = real_signal(signum, handler)
        # The first handler __exit__ puts back: a SIGTERM arrives right then.
        if signum == signal.SIGTSTP and not fired:
            fired.append(signum)
            os.kill(os.getpid(), signal.SIGTERM)
        return previous

    try:
        with termination_signals():
            terminal = Terminal(clock=FakeClock(), fd=slave, out=io.StringIO())
            terminal.__enter__()
            assert termios.tcgetattr(slave) != before  # cbreak is on
            monkeypatch.setattr(signal, "signal", set_handler)
            try:
                terminal.__exit__(None, None, None)
            except Terminated:
                pytest.fail("the second signal cut the restore short")
            finally:
                monkeypatch.undo()
        assert fired, "the signal was never sent"
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)
