"""`stretch start --resume`: today's last interrupted session, and the step to go on from.

An interrupted session is a guided one that was quit (``q``, Ctrl-C, a signal, a lost
terminal, or killed: its journal saved it as quit) and that no later session resumes
already. It goes on from the step it stopped at (the record's ``step``); a record without
one (older, or saved by its journal before the history kept steps) goes on from the
first exercise whose pain check was not answered. A session stopped for pain is never
resumed: that is for the therapist to hear about first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stretchcli.history.record import SessionRecord
from stretchcli.play.plan import HOLD_ID
from stretchcli.routine.timeline import Timeline


@dataclass(frozen=True)
class Interrupted:
    """A session to resume, and the index of the step of its timeline to go on from."""

    record: SessionRecord
    step: int


def last_interrupted(
    today: Sequence[SessionRecord], *, routine: str | None = None
) -> SessionRecord | None:
    """The newest of today's sessions (``today``, any order) that was interrupted and is
    not resumed yet, of ``routine`` when given."""
    resumed = {record.resumes for record in today if record.resumes}
    candidates = [
        record
        for record in today
        if record.status == "quit"
        and record.source == "guided"
        and record.routine != HOLD_ID
        and record.id not in resumed
        and (routine is None or record.routine == routine)
    ]
    return max(candidates, key=lambda record: record.started_at, default=None)


def resume_point(record: SessionRecord, timeline: Timeline) -> int | None:
    """Where ``record`` goes on in ``timeline``: the step it stopped at, or the first
    step of the first exercise it did not finish; None when nothing of it is left."""
    steps = timeline.steps
    if record.step is not None:
        step = max(0, record.step)
    else:
        answered = [p.exercise_index for p in record.pain if p.answer in ("fine", "sore")]
        after = max(answered, default=-1) + 1
        step = next((i for i, s in enumerate(steps) if s.exercise_index >= after), len(steps))
    return step if step < len(steps) else None
