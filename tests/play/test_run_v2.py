"""Whole sessions of the second version through ``run_session`` (fake clock, scripted keys,
recording screen, history in memory): quitting at the 0-10 questions, the closing screen,
the visual bell, the voice, moving exercises in the record, and resumed sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stretchcli.play.answers import Quit
from stretchcli.play.keys import Key
from stretchcli.play.plan import SessionPlan
from stretchcli.play.run import RunOptions, RunResult, run_session
from stretchcli.play.sound import Voice
from stretchcli.play.testing import FakeClock, MemoryHistory, RecordingScreen, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import build_timeline

STARTED = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
# Exercise 0: prep 2, hold left 3, switch 1, hold right 3, check (steps 0-4);
# exercise 1: prep 2, 5 moves of 2 s, check (steps 5-7).
ROUTINE = Routine.model_validate(
    {
        "title": "Knee routine",
        "defaults": {"prep": 2, "hold": 3, "reps": 1, "switch": 1},
        "exercises": [
            {"name": "Knee", "cues": ["Bend it."], "sides": ["left", "right"]},
            {"name": "Rock", "cues": ["Rock."], "moves": 5, "tempo": 2},
        ],
    }
)
PLAN = SessionPlan("knee", "Knee routine", build_timeline(ROUTINE), cues=[["Bend it."], ["Rock."]])


class SaidVoice(Voice):
    """A voice that keeps what it is asked to say."""

    def __init__(self) -> None:
        super().__init__(["speak"])
        self.said: list[str] = []

    def say(self, text: str) -> None:
        if text:
            self.said.append(text)


class Played:
    """One session played through ``run_session``."""

    def __init__(
        self,
        script: list[tuple[float, Key]],
        *,
        plan: SessionPlan = PLAN,
        ratings: list[int | BaseException | None] | None = None,
        options: RunOptions | None = None,
    ) -> None:
        self.clock = FakeClock()
        self.keys = ScriptedInput(self.clock, script)
        self.screen = RecordingScreen(ratings)
        self.history = MemoryHistory()
        self.voice = SaidVoice()
        self.result: RunResult = run_session(
            plan,
            options or RunOptions(rating=ratings is not None),
            clock=self.clock,
            keys=self.keys,
            screen=self.screen,
            voice=self.voice,
            history=self.history,
            started_at=STARTED,
            session_id="s2",
        )

    @property
    def calls(self) -> list[tuple[object, ...]]:
        return [call for call in self.screen.calls if call[0] != "show"]


# Answers for the whole session: fine at both checks.
ALL_FINE: list[tuple[float, Key]] = [(9.5, "1"), (22.0, "1")]


def test_a_whole_session_records_the_moves_done_and_no_step() -> None:
    played = Played(ALL_FINE, ratings=[3, 2])
    assert played.result.exit_code == 0
    (record,) = played.history.saved
    assert [(s.side, s.holds, s.moves) for s in record.sides] == [
        ("left", 1, 0),
        ("right", 1, 0),
        (None, 0, 5),
    ]
    assert (record.status, record.step, record.resumes) == ("completed", None, None)
    assert (record.pain_before, record.pain_after) == (3, 2)
    assert played.calls[-3:] == [("closing", "completed"), ("ask", "after"), ("stopped",)]


@pytest.mark.parametrize("how", ["q", "end of input"])
def test_q_or_the_end_of_input_at_the_first_question_quits_and_is_logged(how: str) -> None:
    ratings: list[int | BaseException | None] = [Quit()] if how == "q" else []
    played = Played([], ratings=ratings)
    assert played.result.exit_code == 130
    assert played.calls == [
        ("playing", "Knee routine"),
        ("opening",),
        ("ask", "before"),
        ("stopped",),
    ]
    (record,) = played.history.saved
    assert (record.status, record.duration_s, record.step) == ("quit", 0.0, 0)
    note = "quit with q" if how == "q" else "input ended: session quit"
    assert played.result.recorded.notes == [note]


def test_q_at_the_question_after_exits_130_but_the_session_stays_completed() -> None:
    played = Played(ALL_FINE, ratings=[4, Quit()])
    assert played.result.exit_code == 130
    (record,) = played.history.saved
    assert (record.status, record.pain_before, record.pain_after) == ("completed", 4, None)


def test_a_pain_stop_is_saved_before_the_safety_advice_waits_for_a_key() -> None:
    played = Played([(4.0, "!"), (30.0, "x")])
    assert played.result.exit_code == 3
    (record,) = played.history.saved
    assert (record.status, record.step) == ("stopped", 1)
    assert played.calls[-2:] == [("closing", "stopped"), ("stopped",)]
    # The key that leaves the advice came at 30, after the save: not session time.
    assert record.duration_s == 4.0


def test_flash_comes_with_the_bell_and_goes_within_the_same_loop() -> None:
    played = Played(ALL_FINE, options=RunOptions(rating=False, flash=True, quiet=True))
    calls = played.calls
    assert ("bell",) not in calls  # --quiet: no sound, the flash all the same
    flashes = [call for call in calls if call[0] == "flash"]
    assert flashes and flashes[0] == ("flash", True)
    # Every flash ends: on and off alternate, and the last one is off.
    assert [on for _, on in flashes] == [True, False] * (len(flashes) // 2)
    # A repetition of the moving exercise flashes too: 4 beats after its first.
    assert len(flashes) // 2 >= 4 + 3
    # The flash adds no time: the session takes as long as without it.
    assert played.history.saved[0].duration_s == Played(ALL_FINE).history.saved[0].duration_s


def test_the_voice_names_the_side_the_hold_counts_moves_and_ends() -> None:
    played = Played(ALL_FINE, options=RunOptions(rating=False, voice=True))
    said = played.voice.said
    assert said[:3] == [
        "Knee. Bend it. Start with the left side.",
        "Hold, left side.",
        "Switch sides. Now the right side.",
    ]
    assert "Move, 5 times. 1 of 5." in said
    assert [line for line in said if line.endswith(" of 5") and " " in line] == [
        "2 of 5",
        "3 of 5",
        "4 of 5",
        "5 of 5",
    ]
    assert said[-1] == "Done. Well done."


def test_a_resumed_session_records_what_it_continues_and_where_it_stops() -> None:
    # The interrupted session stopped in the right hold (step 3): a prep to get back into
    # position comes first, then that hold.
    resumed = PLAN.resumed("old", 3)
    assert [(s.kind, s.side) for s in resumed.timeline.steps][:2] == [
        ("prep", "right"),
        ("hold", "right"),
    ]
    played = Played([(3.5, "q")], plan=resumed)
    (record,) = played.history.saved
    # Quit at 3.5: in the hold (played step 1), which is step 3 of the whole timeline.
    assert (record.resumes, record.status, record.step) == ("old", "quit", 3)
    assert [(s.side, s.held_s) for s in record.sides] == [("right", 1.5)]

    done = Played([(6.0, "1"), (19.0, "1")], plan=resumed)
    (record,) = done.history.saved
    assert (record.resumes, record.status, record.step) == ("old", "completed", None)
    assert [p.exercise for p in record.pain] == ["Knee", "Rock"]
    assert done.result.outcome.exercises_done == 2


def test_quitting_in_the_prep_of_a_resumed_session_keeps_its_first_step() -> None:
    played = Played([(0.5, "q")], plan=PLAN.resumed("old", 3))
    assert played.history.saved[0].step == 3
