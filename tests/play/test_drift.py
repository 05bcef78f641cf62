"""The session's end does not drift with its length: time spent drawing frames, waking up
late, and drawing the pain-check question and answer is absorbed, so a routine ends at its
planned time plus the time the person took to answer, however many exercises it has.

A fake clock stands in for the real one; the consumer of the snapshots advances it to
play a slow terminal (every frame costs ``DRAW`` seconds) and every timed wait wakes
``LATE`` seconds after it should. The real-time figures are in ``bench/run.py``.
"""

from __future__ import annotations

import pytest

from stretchcli.play.keys import Key, Suspended
from stretchcli.play.player import Player, Snapshot
from stretchcli.play.testing import FakeClock
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Timeline, build_timeline

DRAW = 0.004
LATE = 0.002
ANSWER = 1.5  # seconds the person takes to answer each pain check


class Person:
    """Answers every question after ``ANSWER`` seconds of looking at it (``1`` to a pain
    check, Enter to a side switch); a timed wait sleeps ``LATE`` seconds too long."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.questions = 0
        self.on_screen: Snapshot | None = None

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        if prompt or timeout is None:
            self.questions += 1
            self.clock.advance(ANSWER)
            step = self.on_screen.step if self.on_screen is not None else None
            return "enter" if step is not None and step.kind == "switch" else "1"
        self.clock.advance(timeout + LATE)
        return None

    def stopped(self) -> Suspended | None:
        return None


def play(steps: Timeline, *, confirm_switch: bool = False) -> tuple[Person, Player, list[float]]:
    """Play ``steps``; each frame takes ``DRAW`` to draw. Returns when each frame came."""
    clock = FakeClock(100.0)
    person = Person(clock)
    player = Player(steps, clock, person, confirm_switch=confirm_switch)
    frames: list[float] = []
    for snap in player.play():
        frames.append(clock.now())
        person.on_screen = snap
        clock.advance(DRAW)
    assert player.outcome.status == "completed"
    return person, player, frames


def timeline(exercises: int) -> Timeline:
    """``exercises`` exercises, one-sided and two-sided in turn, a pain check after each."""
    routine = Routine.model_validate(
        {
            "title": "Drift",
            "defaults": {"hold": 7, "reps": 2, "rest": 3, "prep": 4, "switch": 2},
            "exercises": [
                {"name": f"Stretch {i}", "sides": ["left", "right"] if i % 2 else None}
                for i in range(exercises)
            ],
        }
    )
    return build_timeline(routine)


def over_plan(steps: Timeline, *, confirm_switch: bool = False) -> tuple[float, int]:
    """How long the session ran past its plan plus the answers, and the questions asked."""
    person, player, _ = play(steps, confirm_switch=confirm_switch)
    outcome = player.outcome
    assert outcome.started is not None and outcome.ended is not None
    counted = [s for s in steps.steps if not (confirm_switch and s.kind == "switch")]
    planned = sum(step.seconds for step in counted) + person.questions * ANSWER
    return outcome.ended - outcome.started - planned, person.questions


@pytest.mark.parametrize("confirm_switch", [False, True])
def test_drift_does_not_grow_with_the_number_of_exercises(confirm_switch: bool) -> None:
    short, asked_short = over_plan(timeline(2), confirm_switch=confirm_switch)
    long, asked_long = over_plan(timeline(40), confirm_switch=confirm_switch)
    assert asked_long > asked_short >= 2
    # Only what follows the last deadline: one late wake, the question's and the answer's
    # frames (the question's is drawn before the person can answer).
    assert short == pytest.approx(LATE + 2 * DRAW, abs=1e-9)
    assert long == pytest.approx(short, abs=1e-9)


def test_every_second_shows_on_time_however_long_a_frame_takes() -> None:
    """Each countdown frame comes one late wake after its second (drawing the one before
    does not delay it), from the first exercise to the last."""
    steps = timeline(6)
    _, player, frames = play(steps)
    started = player.outcome.started
    assert started is not None
    # With no pain checks answered yet, the first exercise's frames are on whole seconds.
    first_check = next(i for i, step in enumerate(steps.steps) if step.kind == "check")
    seconds = sum(step.seconds for step in steps.steps[:first_check])
    offsets = sorted({round((at - started) % 1.0, 9) for at in frames[1:seconds]})
    assert offsets == [LATE]
