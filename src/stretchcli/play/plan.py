"""What a session plays: a routine id and title, its compiled timeline, each exercise's
cues; built from a loaded routine (`stretch start`) or from a quick hold (`stretch hold`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from stretchcli.routine.timeline import Timeline

if TYPE_CHECKING:
    from stretchcli.routine.library import LoadedRoutine
    from stretchcli.routine.model import Dosing

# The routine id a quick hold (`stretch hold`) is logged under.
HOLD_ID = "hold"


@dataclass(frozen=True)
class Resumed:
    """Where a resumed session goes on: the interrupted session's id, the index of its
    first step in the whole timeline, and whether a prep to get back into position was put
    before that step."""

    resumes: str
    first: int
    prepended: bool = False


@dataclass(frozen=True)
class SessionPlan:
    """What to play: a routine id and title, its compiled timeline, each exercise's cues;
    for a resumed session, where it goes on (``resume``: its timeline is the rest)."""

    routine_id: str
    title: str
    timeline: Timeline
    cues: Sequence[Sequence[str]] = ()
    # The dose the plan gives, when it changes the routine's ("week 3: holds +10 s"), and
    # the seconds it adds to each hold (recorded with the session).
    dose_note: str = ""
    extra_hold_s: int = 0
    resume: Resumed | None = None

    def whole_index(self, played: int) -> int:
        """The index in the routine's whole timeline of step ``played`` of this plan's."""
        resume = self.resume
        if resume is None:
            return played
        return resume.first + (max(0, played - 1) if resume.prepended else played)

    def resumed(self, resumes: str, first: int) -> SessionPlan:
        """This plan from step ``first`` of its timeline on, going on for session
        ``resumes`` (see ``Timeline.resumed_at``)."""
        timeline = self.timeline.resumed_at(first)
        prepended = len(timeline.steps) > len(self.timeline.steps) - first
        return replace(self, timeline=timeline, resume=Resumed(resumes, first, prepended))


def routine_plan(
    loaded: LoadedRoutine,
    overrides: Dosing | None = None,
    *,
    grow: Callable[[int], int] | None = None,
    dose_note: str = "",
    extra_hold_s: int = 0,
) -> SessionPlan:
    """The plan of a routine file, with the plan's growth of the holds (``grow``, said in
    ``dose_note``) and command-line dosing applied."""
    from stretchcli.routine.timeline import build_timeline

    return SessionPlan(
        routine_id=loaded.source.id,
        title=loaded.routine.title,
        timeline=build_timeline(loaded.routine, overrides=overrides, grow=grow),
        cues=[list(exercise.cues) for exercise in loaded.routine.exercises],
        dose_note=dose_note,
        extra_hold_s=extra_hold_s,
    )


def hold_plan(dose: Dosing, *, sides: bool) -> SessionPlan:
    """The plan of `stretch hold`: one exercise, "Hold", no pain check."""
    from stretchcli.routine.quick import hold_routine
    from stretchcli.routine.timeline import build_timeline

    routine = hold_routine(dose, sides=sides)
    return SessionPlan(
        routine_id=HOLD_ID,
        title=routine.title,
        timeline=build_timeline(routine, pain_checks=False),
    )
