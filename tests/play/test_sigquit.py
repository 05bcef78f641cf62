"""Ctrl-\\ (SIGQUIT) during a session is a quit like Ctrl-C: the session unwinds (so the
terminal is restored), is recorded as quit with a note, and exits 130; while the terminal
is restored and the record saved, it is held off like the others.

The signal is real (sent to this process). A handler of the test's own is in place around
each test, so a SIGQUIT the code under test does not catch fails the test instead of
killing the test run with a core dump.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from types import FrameType

import pytest

from stretchcli.play.keys import Key
from stretchcli.play.plan import SessionPlan
from stretchcli.play.run import RunOptions, run_session
from stretchcli.play.signals import Terminated, signals_held, termination_signals
from stretchcli.play.sound import Voice
from stretchcli.play.testing import FakeClock, MemoryHistory, RecordingScreen, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import build_timeline


class Unhandled(Exception):
    """A SIGQUIT reached the test's own handler: the code under test did not take it."""


def _unhandled(_signum: int, _frame: FrameType | None) -> None:
    raise Unhandled


@pytest.fixture(autouse=True)
def test_handler() -> Iterator[None]:
    previous = signal.signal(signal.SIGQUIT, _unhandled)
    try:
        yield
    finally:
        signal.signal(signal.SIGQUIT, previous)


class QuitAt(ScriptedInput):
    """Keys that end with a real SIGQUIT to this process at clock time ``at``."""

    def __init__(self, clock: FakeClock, at: float) -> None:
        super().__init__(clock, [])
        self.at = at

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        if timeout is None or self.clock.now() + timeout >= self.at:
            self.clock.advance(self.at - self.clock.now())
            os.kill(os.getpid(), signal.SIGQUIT)
        return super().key(timeout, prompt=prompt)


def test_sigquit_mid_hold_is_a_quit_that_is_recorded_and_exits_130() -> None:
    routine = Routine.model_validate(
        {"title": "Knee", "defaults": {"prep": 2, "hold": 30}, "exercises": [{"name": "Knee"}]}
    )
    plan = SessionPlan("knee", "Knee", build_timeline(routine), cues=[[]])
    clock = FakeClock()
    screen = RecordingScreen()
    history = MemoryHistory()

    result = run_session(
        plan,
        RunOptions(rating=False),
        clock=clock,
        keys=QuitAt(clock, 12.0),
        screen=screen,
        voice=Voice(None),
        history=history,
        started_at=datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
        session_id="s1",
    )

    assert result.exit_code == 130
    assert result.recorded.notes == ["quit with Ctrl-\\ (SIGQUIT)"]
    assert screen.calls[-1] == ("stopped",)  # the screen was given back (the live view left)
    (record,) = history.saved
    assert (record.status, record.duration_s) == ("quit", 12.0)
    assert [(side.held_s, side.holds) for side in record.sides] == [(10.0, 0)]
    assert signal.getsignal(signal.SIGQUIT) is _unhandled  # put back after the session


def test_termination_signals_turn_sigquit_into_terminated() -> None:
    with pytest.raises(Terminated) as ended, termination_signals():
        os.kill(os.getpid(), signal.SIGQUIT)
    assert ended.value.signum == signal.SIGQUIT
    assert signal.getsignal(signal.SIGQUIT) is _unhandled


def test_signals_held_holds_sigquit_off() -> None:
    """As while the terminal is restored and the record written: a Ctrl-\\ then is lost."""
    with signals_held():
        os.kill(os.getpid(), signal.SIGQUIT)
        os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGQUIT) is _unhandled
