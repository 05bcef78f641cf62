"""Whole sessions through ``run_session`` with a fake clock, scripted keys, a recording
screen and a history in memory: what was shown and rung, and the record saved, in
milliseconds and with exact times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchcli.history.record import PainRecord, SideRecord
from stretchcli.play.keys import Key
from stretchcli.play.plan import SessionPlan
from stretchcli.play.run import RunOptions, RunResult, run_session
from stretchcli.play.sound import NO_VOICE, Voice
from stretchcli.play.testing import FakeClock, MemoryHistory, RecordingScreen, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import build_timeline

STARTED = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
# prep 2 (left first), hold left 3, switch 1, hold right 3, pain check: 9 s of countdowns.
KNEE = Routine.model_validate(
    {
        "title": "Knee routine",
        "defaults": {"prep": 2, "hold": 3, "reps": 1, "switch": 1},
        "exercises": [{"name": "Knee", "cues": ["Bend it."], "sides": ["left", "right"]}],
    }
)
PLAN = SessionPlan("knee", "Knee routine", build_timeline(KNEE), cues=[["Bend it."]])


class Session:
    """One session played: its result and every double it used."""

    def __init__(
        self,
        script: list[tuple[float, Key]],
        *,
        ratings: list[int | None] | None = None,
        options: RunOptions | None = None,
        keys: ScriptedInput | None = None,
        clock: FakeClock | None = None,
    ) -> None:
        self.clock = clock or FakeClock()
        self.keys = keys or ScriptedInput(self.clock, script)
        self.screen = RecordingScreen(ratings)
        self.history = MemoryHistory()
        self.result: RunResult = run_session(
            PLAN,
            options or RunOptions(rating=ratings is not None),
            clock=self.clock,
            keys=self.keys,
            screen=self.screen,
            voice=Voice(None),
            history=self.history,
            started_at=STARTED,
            session_id="s1",
        )

    @property
    def kinds(self) -> list[tuple[str, ...]]:
        """Each screen call, with the snapshot as (event, step kind, remaining)."""
        calls: list[tuple[str, ...]] = []
        for call in self.screen.calls:
            if call[0] == "show":
                snap = call[1]
                kind = snap.step.kind if snap.step is not None else "-"  # type: ignore[attr-defined]
                calls.append(("show", snap.event, kind, str(snap.remaining)))  # type: ignore[attr-defined]
            else:
                calls.append(tuple(str(part) for part in call))
        return calls


def test_a_completed_session_is_shown_rung_and_recorded() -> None:
    session = Session([(9.5, "1")], ratings=[2, 1])
    assert session.kinds == [
        ("playing", "Knee routine"),
        ("opening",),
        ("ask", "before"),
        ("show", "step", "prep", "2"),
        ("show", "tick", "prep", "1"),
        ("show", "step", "hold", "3"),
        ("show", "tick", "hold", "2"),
        ("show", "tick", "hold", "1"),
        ("show", "step", "switch", "1"),
        ("bell",),
        ("show", "step", "hold", "3"),
        ("bell",),
        ("show", "tick", "hold", "2"),
        ("show", "tick", "hold", "1"),
        ("show", "prompt", "check", "0"),
        ("bell",),
        ("show", "answer", "check", "0"),
        ("show", "end", "-", "0"),
        ("closing", "completed"),
        ("ask", "after"),
        ("stopped",),
    ]
    result = session.result
    assert (result.exit_code, result.outcome.status, result.recorded.notes) == (0, "completed", [])
    (record,) = session.history.saved
    assert (record.id, record.routine, record.title, record.source) == (
        "s1",
        "knee",
        "Knee routine",
        "guided",
    )
    assert (record.status, record.duration_s, record.pain_before, record.pain_after) == (
        "completed",
        9.5,
        2,
        1,
    )
    assert (record.started_at, record.ended_at) == (STARTED, STARTED + timedelta(seconds=9.5))
    assert record.sides == (
        SideRecord(exercise_index=0, exercise="Knee", side="left", held_s=3.0, holds=1),
        SideRecord(exercise_index=0, exercise="Knee", side="right", held_s=3.0, holds=1),
    )
    assert record.pain == (PainRecord(0, "Knee", "fine"),)
    journal = session.history.journals["s1"]
    # The journal had the record so far at every step and the final one before the save.
    assert journal.written[-1] == record and journal.closed
    assert len(journal.written) >= 8


def test_a_pain_stop_ends_at_once_with_exit_3_and_no_after_question() -> None:
    session = Session([(7.0, "!")], ratings=[4])
    # The hold that was cut short ends with the bell, as every hold does; the closing
    # screen (the safety advice) comes after the save.
    assert session.kinds[-6:] == [
        ("show", "step", "hold", "3"),
        ("bell",),
        ("show", "end", "-", "0"),
        ("bell",),
        ("closing", "stopped"),
        ("stopped",),
    ]
    assert ("ask", "after") not in session.kinds
    assert session.result.exit_code == 3
    (record,) = session.history.saved
    assert (record.status, record.duration_s, record.pain_before, record.pain_after) == (
        "stopped",
        7.0,
        4,
        None,
    )
    assert record.pain == (PainRecord(0, "Knee", "stop", "right"),)
    assert [(s.side, s.held_s, s.holds) for s in record.sides] == [
        ("left", 3.0, 1),
        ("right", 1.0, 0),
    ]


def test_q_quits_with_exit_130_and_what_was_done() -> None:
    session = Session([(1.0, "q")])
    assert session.result.exit_code == 130
    (record,) = session.history.saved
    assert (record.status, record.duration_s, record.sides, record.pain) == ("quit", 1.0, (), ())
    assert record.ended_at == STARTED + timedelta(seconds=1)


def test_a_pause_is_shown_and_left_out_of_the_time_spent() -> None:
    session = Session([(3.0, "space"), (13.0, "space"), (19.5, "1")])
    assert [k for k in session.kinds if k[1:2] in (("pause",), ("resume",))] == [
        ("show", "pause", "hold", "2"),
        ("show", "resume", "hold", "2"),
    ]
    (pause,) = [snap for snap in session.screen.snapshots if snap.event == "pause"]
    assert pause.paused
    (record,) = session.history.saved
    assert (record.status, record.duration_s) == ("completed", 9.5)
    assert record.ended_at == STARTED + timedelta(seconds=19.5)
    assert session.result.outcome.paused_s == 10.0


class InterruptedInput(ScriptedInput):
    """Keys that end with a Ctrl-C at clock time ``at``."""

    def __init__(self, clock: FakeClock, at: float) -> None:
        super().__init__(clock, [])
        self.at = at

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        if timeout is None or self.clock.now() + timeout >= self.at:
            self.clock.advance(self.at - self.clock.now())
            raise KeyboardInterrupt
        return super().key(timeout, prompt=prompt)


def test_ctrl_c_is_a_quit_that_is_still_recorded() -> None:
    clock = FakeClock()
    session = Session([], keys=InterruptedInput(clock, 4.0), clock=clock)
    assert session.kinds[-1] == ("stopped",)
    assert (session.result.exit_code, session.result.recorded.notes) == (130, ["quit with Ctrl-C"])
    (record,) = session.history.saved
    assert (record.status, record.duration_s) == ("quit", 4.0)
    assert [(s.side, s.held_s, s.holds) for s in record.sides] == [("left", 2.0, 0)]


def test_end_of_input_at_the_first_question_quits_before_play() -> None:
    session = Session([], ratings=[])
    assert session.kinds == [
        ("playing", "Knee routine"),
        ("opening",),
        ("ask", "before"),
        ("stopped",),
    ]
    assert session.result.recorded.notes == ["input ended: session quit"]
    (record,) = session.history.saved
    assert (record.status, record.duration_s, record.sides) == ("quit", 0.0, ())
    assert session.history.journals == {}  # nothing was played, so nothing journalled


def test_quiet_rings_no_bell() -> None:
    session = Session([(9.5, "1")], options=RunOptions(quiet=True, rating=False))
    assert ("bell",) not in session.kinds
    assert session.result.exit_code == 0


def test_voice_without_a_speech_command_says_so_before_the_session() -> None:
    session = Session([(9.5, "1")], options=RunOptions(voice=True, rating=False))
    assert session.kinds[:2] == [("note", NO_VOICE), ("playing", "Knee routine")]


@pytest.mark.parametrize("confirm", [False, True])
def test_the_screen_gets_the_timeline_played(confirm: bool) -> None:
    """With --confirm-switch the switch waits for a key, so it has no planned time."""
    script: list[tuple[float, Key]] = [(5.5, "enter"), (8.75, "1")] if confirm else [(9.5, "1")]
    session = Session(script, options=RunOptions(confirm_switch=confirm, rating=False))
    assert session.screen.timeline is not None
    assert session.screen.timeline.total_seconds == (8 if confirm else 9)
    assert session.result.outcome.status == "completed"
