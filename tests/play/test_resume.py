"""Which of today's sessions `stretch start --resume` goes on with, and from which step."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from stretchcli.history.record import PainRecord, SessionRecord
from stretchcli.play.resume import last_interrupted, resume_point
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import build_timeline

AT = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
# Exercise 0: prep, hold, check (steps 0-2); exercise 1: prep, hold L, switch, hold R, check.
TIMELINE = build_timeline(
    Routine.model_validate(
        {
            "title": "T",
            "defaults": {"prep": 2, "hold": 3, "reps": 1},
            "exercises": [{"name": "A"}, {"name": "B", "sides": ["left", "right"]}],
        }
    )
)


def session(id_: str, minutes: int, status: str = "quit", **more: object) -> SessionRecord:
    start = AT + timedelta(minutes=minutes)
    record = SessionRecord(
        id=id_,
        routine="lower-back",
        title="Lower back",
        started_at=start,
        ended_at=start + timedelta(minutes=5),
        duration_s=300.0,
        status=status,  # type: ignore[arg-type]
        source="guided",
        pain_before=None,
        pain_after=None,
    )
    return replace(record, **more)  # type: ignore[arg-type]


def test_the_newest_interrupted_session_not_resumed_yet() -> None:
    older, newer = session("a", 0), session("b", 30)
    assert last_interrupted([older, newer]) == newer
    # b was resumed (by c, completed): a is the one left... unless c resumed it instead.
    resumed = session("c", 40, "completed", resumes="b")
    assert last_interrupted([older, newer, resumed]) == older
    assert last_interrupted([older, session("c", 40, "completed", resumes="a")]) is None


def test_only_guided_quit_sessions_of_the_routine_asked_for() -> None:
    candidates = [
        session("stopped", 0, "stopped"),
        session("completed", 5, "completed"),
        session("manual", 10, source="manual"),
        session("hold", 15, routine="hold"),
        session("other", 20, routine="mid-back"),
    ]
    assert last_interrupted(candidates) == candidates[-1]
    assert last_interrupted(candidates, routine="lower-back") is None
    assert last_interrupted(candidates, routine="mid-back") == candidates[-1]


def test_a_session_goes_on_from_the_step_it_stopped_at() -> None:
    assert resume_point(session("a", 0, step=4), TIMELINE) == 4
    assert resume_point(session("a", 0, step=len(TIMELINE.steps)), TIMELINE) is None


def test_without_a_step_it_goes_on_after_the_last_exercise_answered() -> None:
    assert resume_point(session("a", 0), TIMELINE) == 0
    answered = session("a", 0, pain=(PainRecord(0, "A", "fine"),))
    assert resume_point(answered, TIMELINE) == 3  # the prep of exercise 1
    both = session("a", 0, pain=(PainRecord(0, "A", "fine"), PainRecord(1, "B", "sore")))
    assert resume_point(both, TIMELINE) is None
