"""The record types of a session, shared by the player and the history (plain data: no
I/O, no validation, stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal, get_args

PainAnswer = Literal["fine", "sore", "sharp", "numbness", "stop"]
Status = Literal["completed", "stopped", "quit", "skipped"]
Source = Literal["guided", "manual", "import"]

PAIN_ANSWERS: tuple[PainAnswer, ...] = get_args(PainAnswer)
STATUSES: tuple[Status, ...] = get_args(Status)
SOURCES: tuple[Source, ...] = get_args(Source)


@dataclass(frozen=True)
class SideRecord:
    """Time actually held on one side of one exercise (``side`` is None: both together)."""

    exercise_index: int
    exercise: str
    side: str | None
    held_s: float
    holds: int
    moves: int = 0  # repetitions of a moving exercise done on that side


@dataclass(frozen=True)
class PainRecord:
    """A pain-check answer (keys 1-4) or a stop with ``!`` for one exercise.

    ``side`` is the side being held when the answer was given, when that is known (a ``!``
    during a sided hold); None for the check after the whole exercise.
    """

    exercise_index: int
    exercise: str
    answer: PainAnswer
    side: str | None = None


@dataclass(frozen=True)
class SessionRecord:
    """One session, however it ended; ``stretch log --json`` prints a list of these.

    ``validate.parse_record`` builds one from JSON data, strictly checked.
    """

    id: str
    routine: str
    title: str
    started_at: datetime
    ended_at: datetime
    duration_s: float
    status: Status
    source: Source
    pain_before: int | None
    pain_after: int | None
    sides: tuple[SideRecord, ...] = ()
    pain: tuple[PainRecord, ...] = ()
    note: str = ""
    # The why of a skip (`stretch skip ROUTINE --reason TEXT`); None for other sessions.
    reason: str | None = None
    # The id of the interrupted session this one continues (`stretch start --resume`).
    resumes: str | None = None
    # The index of the timeline step the session ended at (where a resume starts).
    step: int | None = None
    # Seconds the plan's progression added to each hold (0: the routine's own dose).
    extra_hold_s: int = 0
    # Hidden by `stretch log rm` (kept, out of log, stats, adherence and the report).
    removed: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data: ISO 8601 datetimes with offset, lists of objects."""
        return {
            "id": self.id,
            "routine": self.routine,
            "title": self.title,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "duration_s": self.duration_s,
            "status": self.status,
            "source": self.source,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "sides": [
                {
                    "exercise_index": s.exercise_index,
                    "exercise": s.exercise,
                    "side": s.side,
                    "held_s": s.held_s,
                    "holds": s.holds,
                    # Only for moving exercises: an export of holds stays as it was.
                    **({"moves": s.moves} if s.moves else {}),
                }
                for s in self.sides
            ],
            "pain": [
                {
                    "exercise_index": p.exercise_index,
                    "exercise": p.exercise,
                    "answer": p.answer,
                    "side": p.side,
                }
                for p in self.pain
            ],
            "note": self.note,
            "reason": self.reason,
            "resumes": self.resumes,
            "step": self.step,
            "extra_hold_s": self.extra_hold_s,
            "removed": self.removed,
        }


def counted(record: SessionRecord) -> bool:
    """Whether a session counts in stats, streaks and adherence: not a skip (a session that
    did not happen) and not removed by `stretch log rm`."""
    return record.status != "skipped" and not record.removed


# Field order of the JSON record and of the CSV columns.
RECORD_FIELDS = tuple(f.name for f in fields(SessionRecord))


def new_session_id() -> str:
    """A fresh session id (uuid4 hex): stable for the record's life, so import can dedup."""
    import uuid

    return uuid.uuid4().hex


def manual_record(
    routine: str, title: str, *, started_at: datetime, seconds: int, note: str = ""
) -> SessionRecord:
    """The record of a session done without the timer (`stretch log add`): completed,
    lasting ``seconds`` from ``started_at``."""
    from datetime import timedelta

    return SessionRecord(
        id=new_session_id(),
        routine=routine,
        title=title,
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=seconds),
        duration_s=float(seconds),
        status="completed",
        source="manual",
        pain_before=None,
        pain_after=None,
        note=note,
    )


def skip_record(routine: str, title: str, *, at: datetime, reason: str) -> SessionRecord:
    """The record of a due session that was skipped (`stretch skip`), and why."""
    return SessionRecord(
        id=new_session_id(),
        routine=routine,
        title=title,
        started_at=at,
        ended_at=at,
        duration_s=0.0,
        status="skipped",
        source="manual",
        pain_before=None,
        pain_after=None,
        reason=reason,
    )
