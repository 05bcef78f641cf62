"""Compile a routine into the ordered steps a session plays: a pure function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from stretchcli.routine.model import Dosing, Routine

StepKind = Literal["prep", "hold", "move", "rest", "switch", "check"]


@dataclass(frozen=True)
class Step:
    """One step of a session.

    ``side`` is the side being (or about to be) stretched; for a ``switch`` step it is the
    side that comes next. ``rep`` counts holds on that side, 1-based, of ``reps``.
    A ``check`` step (the pain check after an exercise) has no duration: it waits for an
    answer; so does a ``prep`` or ``switch`` that is ``ready`` (it waits for space or Enter).
    A ``move`` step is ``moves`` repetitions of ``tempo`` seconds each (``seconds`` in all).
    """

    kind: StepKind
    seconds: int
    exercise_index: int
    exercise: str
    side: str | None = None
    rep: int = 0
    reps: int = 0
    moves: int = 0
    tempo: int = 0
    ready: bool = False

    @property
    def waits(self) -> bool:
        """Whether the step waits for the person instead of counting down."""
        return self.kind == "check" or self.ready


@dataclass(frozen=True)
class Timeline:
    """The steps of a session and its planned duration."""

    title: str
    steps: tuple[Step, ...]
    exercise_count: int

    @property
    def total_seconds(self) -> int:
        """Planned time: the sum of every step (pain checks take none)."""
        return sum(step.seconds for step in self.steps)

    def next_step(self, index: int) -> Step | None:
        """The step after step ``index``, if there is one."""
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def seconds_after(self, index: int) -> int:
        """Planned time of the steps that come after step ``index``."""
        return self._seconds_after[index]

    def with_untimed_switches(self) -> Timeline:
        """The same steps, every side switch ``ready`` and taking no planned time (what
        ``--confirm-switch`` and ``--switch ready`` ask): a switch lasts until the person
        says they are ready, so its seconds are neither counted down nor part of the time
        left."""
        if all(step.ready for step in self.steps if step.kind == "switch"):
            return self
        steps = tuple(
            replace(step, seconds=0, ready=True) if step.kind == "switch" else step
            for step in self.steps
        )
        return Timeline(self.title, steps, self.exercise_count)

    def resumed_at(self, index: int) -> Timeline:
        """The steps from ``index`` on, for a session that goes on where another stopped.
        A hold or a set of moves is not started cold: a prep for getting back into
        position comes first (the exercise's own prep, else 5 s). See ``resumed_index``."""
        steps = self.steps[index:]
        if steps and steps[0].kind in ("hold", "move"):
            first = steps[0]
            own = next(
                (
                    s
                    for s in self.steps
                    if s.kind == "prep" and s.exercise_index == first.exercise_index
                ),
                None,
            )
            prep = (
                replace(own, side=first.side)
                if own is not None
                else Step("prep", 5, first.exercise_index, first.exercise, first.side)
            )
            steps = (prep, *steps)
        return Timeline(self.title, steps, self.exercise_count)

    @cached_property
    def _seconds_after(self) -> tuple[int, ...]:
        # Suffix sums in one pass: summing the rest for every step is quadratic, and a
        # routine of 100 exercises x 50 reps x 2 sides (20 000 steps) would freeze for seconds.
        after, sums = 0, []
        for step in reversed(self.steps):
            sums.append(after)
            after += step.seconds
        return tuple(reversed(sums))


def build_timeline(
    routine: Routine,
    *,
    overrides: Dosing | None = None,
    grow: Callable[[int], int] | None = None,
    pain_checks: bool = True,
) -> Timeline:
    """Turn a routine into steps: prep, then holds with rests and side switches, then a
    check. ``grow`` is the plan's growth of each hold (see ``dose_for``)."""
    from stretchcli.routine.model import READY, dose_for

    steps: list[Step] = []
    for index, exercise in enumerate(routine.exercises):
        dose = dose_for(exercise, routine.defaults, overrides, grow=grow)
        # A moving exercise is one set of moves per side.
        reps = 1 if dose.moving else dose.reps
        holds = _hold_order(exercise.sides, exercise.side_order, reps)

        def add(kind: StepKind, seconds: int | str, side: str | None, rep: int = 0) -> None:
            ready = seconds == READY
            length = 0 if isinstance(seconds, str) else seconds
            steps.append(Step(kind, length, index, exercise.name, side, rep, reps, ready=ready))  # noqa: B023

        if dose.prep:
            add("prep", dose.prep, holds[0][0])
        previous: str | None = None
        for position, (side, rep) in enumerate(holds):
            if position:
                if side != previous:
                    add("switch", dose.switch, side)
                elif dose.rest:
                    add("rest", dose.rest, side, rep)
            if dose.moves is not None and dose.tempo is not None:
                moves, tempo = dose.moves, dose.tempo
                steps.append(
                    Step("move", moves * tempo, index, exercise.name, side, 1, 1, moves, tempo)
                )
            else:
                add("hold", dose.hold, side, rep)
            previous = side
        if pain_checks:
            add("check", 0, None)
    return Timeline(title=routine.title, steps=tuple(steps), exercise_count=len(routine.exercises))


def _hold_order(sides: Sequence[str] | None, order: str, reps: int) -> list[tuple[str | None, int]]:
    """(side, rep) for every hold: ``alternate`` goes L1 R1 L2 R2…, ``block`` L1 L2… R1 R2…."""
    if not sides:
        return [(None, rep) for rep in range(1, reps + 1)]
    if order == "block":
        return [(side, rep) for side in sides for rep in range(1, reps + 1)]
    return [(side, rep) for rep in range(1, reps + 1) for side in sides]
