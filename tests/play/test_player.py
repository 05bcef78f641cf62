"""The session player against a fake clock and scripted keys: whole snapshot sequences.

Every run goes through ``run``: it records ``(clock time, snapshot)`` for each snapshot the
player yields, so a test states the full sequence it expects, times included. Routines are
small and hand-made, with dyadic fractions (0.25, 0.5) for key times so float sums are exact.

``ScriptedInput`` hands over a key scripted exactly at the end of a wait before the countdown
sees its deadline, so pain answers are scripted a little after their prompt, never on it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcli.errors import InputClosed
from stretchcli.history.record import PainAnswer, PainRecord
from stretchcli.play.keys import Key, Suspended
from stretchcli.play.player import Event, HeldTime, Outcome, Player, Snapshot
from stretchcli.play.testing import FakeClock, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Timeline, build_timeline

Frame = tuple[float, Snapshot]
Script = Sequence[tuple[float, Key]]


def make_timeline(
    *exercises: Mapping[str, object], pain_checks: bool = True, **defaults: object
) -> Timeline:
    """A timeline for a hand-made routine: ``defaults`` is the ``[defaults]`` table."""
    routine = Routine.model_validate(
        {"title": "Test routine", "defaults": defaults, "exercises": list(exercises)}
    )
    return build_timeline(routine, pain_checks=pain_checks)


def shape(timeline: Timeline) -> list[tuple[str, int, str | None, int]]:
    """The steps as (kind, seconds, side, rep), to state which step an index is."""
    return [(step.kind, step.seconds, step.side, step.rep) for step in timeline.steps]


@dataclass
class Run:
    """One played session: the frames seen, and the player, keys and clock behind them."""

    frames: list[Frame]
    player: Player
    keys: ScriptedInput
    clock: FakeClock

    @property
    def outcome(self) -> Outcome:
        return self.player.outcome


def start_run(
    timeline: Timeline,
    script: Script = (),
    *,
    late: float = 0.0,
    confirm_switch: bool = False,
    start: float = 0.0,
) -> Run:
    clock = FakeClock(start)
    keys = ScriptedInput(clock, list(script), late=late)
    player = Player(timeline, clock, keys, confirm_switch=confirm_switch)
    return Run([], player, keys, clock)


def run(
    timeline: Timeline,
    script: Script = (),
    *,
    late: float = 0.0,
    confirm_switch: bool = False,
    start: float = 0.0,
) -> Run:
    """Play ``timeline`` to its end with ``script`` as the keys."""
    result = start_run(timeline, script, late=late, confirm_switch=confirm_switch, start=start)
    for snapshot in result.player.play():
        result.frames.append((result.clock.now(), snapshot))
    return result


def run_until_closed(
    timeline: Timeline, script: Script = (), *, confirm_switch: bool = False
) -> Run:
    """Play until the scripted input ends at a prompt (``InputClosed`` must escape)."""
    result = start_run(timeline, script, confirm_switch=confirm_switch)
    with pytest.raises(InputClosed):
        for snapshot in result.player.play():
            result.frames.append((result.clock.now(), snapshot))
    return result


def framer(timeline: Timeline) -> Callable[..., Frame]:
    """``f(time, event, index, remaining, left[, answer])`` -> the expected frame."""

    def frame(
        at: float,
        event: Event,
        index: int,
        remaining: int,
        left: int,
        answer: PainAnswer | None = None,
    ) -> Frame:
        step = timeline.steps[index] if index < len(timeline.steps) else None
        paused = event == "pause"
        return (at, Snapshot(event, index, step, remaining, left, paused, answer))

    return frame


def step_starts(frames: Iterable[Frame]) -> list[tuple[float, int]]:
    return [(at, snap.index) for at, snap in frames if snap.event in ("step", "prompt")]


# prep 2, hold 3 x 2 with a rest of 2: steps 0 prep, 1 hold, 2 rest, 3 hold, 4 check.
def small() -> Timeline:
    return make_timeline({"name": "Knee to chest"}, prep=2, hold=3, reps=2, rest=2)


SMALL_SHAPE = [
    ("prep", 2, None, 0),
    ("hold", 3, None, 1),
    ("rest", 2, None, 2),
    ("hold", 3, None, 2),
    ("check", 0, None, 0),
]


# --- one exercise, no sides ---


def test_one_sided_exercise_plays_prep_holds_rests_and_pain_check() -> None:
    timeline = make_timeline({"name": "Knee to chest"}, prep=2, hold=3, reps=3, rest=2)
    assert shape(timeline) == [
        ("prep", 2, None, 0),
        ("hold", 3, None, 1),
        ("rest", 2, None, 2),
        ("hold", 3, None, 2),
        ("rest", 2, None, 3),
        ("hold", 3, None, 3),
        ("check", 0, None, 0),
    ]
    f = framer(timeline)

    result = run(timeline, [(17.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 15),
        f(1, "tick", 0, 1, 14),
        f(2, "step", 1, 3, 13),
        f(3, "tick", 1, 2, 12),
        f(4, "tick", 1, 1, 11),
        f(5, "step", 2, 2, 10),
        f(6, "tick", 2, 1, 9),
        f(7, "step", 3, 3, 8),
        f(8, "tick", 3, 2, 7),
        f(9, "tick", 3, 1, 6),
        f(10, "step", 4, 2, 5),
        f(11, "tick", 4, 1, 4),
        f(12, "step", 5, 3, 3),
        f(13, "tick", 5, 2, 2),
        f(14, "tick", 5, 1, 1),
        f(15, "prompt", 6, 0, 0),
        f(17, "answer", 6, 0, 0, "fine"),
        f(17, "end", 7, 0, 0),
    ]
    assert result.outcome == Outcome(
        status="completed",
        started=0.0,
        ended=17.0,
        paused_s=0.0,
        held=[HeldTime(0, "Knee to chest", None, 9.0, 3)],
        pain=[PainRecord(0, "Knee to chest", "fine")],
        exercises_done=1,
    )
    assert result.outcome.active_s == 17.0
    # One wait per displayed second, then one untimed wait for the answer.
    assert result.keys.waits == [1.0] * 15 + [None]


# --- two sides ---


# prep 1, hold 2 x 2 per side, switch 1, rest 1: the same step times for both orders.
def two_sided(exercise: Mapping[str, object]) -> Timeline:
    return make_timeline(exercise, prep=1, hold=2, reps=2, rest=1, switch=1)


# The frames of a two-sided session, answered "fine" at 13 (rows for ``framer``).
TWO_SIDED_FRAMES = [
    (0, "step", 0, 1, 12),
    (1, "step", 1, 2, 11),
    (2, "tick", 1, 1, 10),
    (3, "step", 2, 1, 9),
    (4, "step", 3, 2, 8),
    (5, "tick", 3, 1, 7),
    (6, "step", 4, 1, 6),
    (7, "step", 5, 2, 5),
    (8, "tick", 5, 1, 4),
    (9, "step", 6, 1, 3),
    (10, "step", 7, 2, 2),
    (11, "tick", 7, 1, 1),
    (12, "prompt", 8, 0, 0),
    (13, "answer", 8, 0, 0, "fine"),
    (13, "end", 9, 0, 0),
]


def test_two_sided_alternate_switches_to_the_named_side_after_every_hold() -> None:
    timeline = two_sided(
        {"name": "Figure four", "sides": ["left", "right"], "side_order": "alternate"}
    )
    assert shape(timeline) == [
        ("prep", 1, "left", 0),
        ("hold", 2, "left", 1),
        ("switch", 1, "right", 0),
        ("hold", 2, "right", 1),
        ("switch", 1, "left", 0),
        ("hold", 2, "left", 2),
        ("switch", 1, "right", 0),
        ("hold", 2, "right", 2),
        ("check", 0, None, 0),
    ]
    f = framer(timeline)

    result = run(timeline, [(13.0, "1")])

    assert result.frames == [f(*row) for row in TWO_SIDED_FRAMES]
    assert result.outcome.held == [
        HeldTime(0, "Figure four", "left", 4.0, 2),
        HeldTime(0, "Figure four", "right", 4.0, 2),
    ]
    assert result.outcome.status == "completed"
    assert result.outcome.exercises_done == 1


def test_two_sided_block_does_all_reps_on_one_side_then_switches() -> None:
    timeline = two_sided({"name": "Piriformis", "sides": ["right", "left"], "side_order": "block"})
    assert shape(timeline) == [
        ("prep", 1, "right", 0),
        ("hold", 2, "right", 1),
        ("rest", 1, "right", 2),
        ("hold", 2, "right", 2),
        ("switch", 1, "left", 0),
        ("hold", 2, "left", 1),
        ("rest", 1, "left", 2),
        ("hold", 2, "left", 2),
        ("check", 0, None, 0),
    ]
    f = framer(timeline)

    result = run(timeline, [(13.0, "1")])

    assert result.frames == [f(*row) for row in TWO_SIDED_FRAMES]
    switch = [snap.step for _, snap in result.frames if snap.step and snap.step.kind == "switch"]
    assert [step.side for step in switch] == ["left"]
    assert result.outcome.held == [
        HeldTime(0, "Piriformis", "right", 4.0, 2),
        HeldTime(0, "Piriformis", "left", 4.0, 2),
    ]


# --- pause and resume ---


def test_pause_in_a_hold_shifts_its_deadline_exactly_by_the_pause() -> None:
    timeline = small()
    assert shape(timeline) == SMALL_SHAPE
    f = framer(timeline)

    result = run(timeline, [(3.5, "space"), (10.25, "space"), (20.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "tick", 0, 1, 9),
        f(2, "step", 1, 3, 8),
        f(3, "tick", 1, 2, 7),
        f(3.5, "pause", 1, 2, 7),
        f(10.25, "resume", 1, 2, 7),
        f(10.75, "tick", 1, 1, 6),
        f(11.75, "step", 2, 2, 5),  # the hold ends at 5 + 6.75
        f(12.75, "tick", 2, 1, 4),
        f(13.75, "step", 3, 3, 3),
        f(14.75, "tick", 3, 2, 2),
        f(15.75, "tick", 3, 1, 1),
        f(16.75, "prompt", 4, 0, 0),
        f(20, "answer", 4, 0, 0, "fine"),
        f(20, "end", 5, 0, 0),
    ]
    unpaused = run(timeline, [(20.0, "1")])
    later = [(at, i) for at, i in step_starts(unpaused.frames) if i >= 2]
    assert [(at, i) for at, i in step_starts(result.frames) if i >= 2] == [
        (at + 6.75, i) for at, i in later
    ]
    outcome = result.outcome
    assert outcome.paused_s == 6.75
    assert outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]
    assert outcome.active_s == 20.0 - 6.75


def test_pause_in_prep_and_in_rest_shifts_what_follows() -> None:
    timeline = small()
    f = framer(timeline)

    # The prep pause lands on a digit change: the resume shows 1, and no tick repeats it.
    script = [(1.0, "space"), (4.0, "space"), (8.5, "space"), (9.5, "space"), (14.5, "1")]
    result = run(timeline, script)

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "pause", 0, 1, 9),
        f(4, "resume", 0, 1, 9),
        f(5, "step", 1, 3, 8),
        f(6, "tick", 1, 2, 7),
        f(7, "tick", 1, 1, 6),
        f(8, "step", 2, 2, 5),
        f(8.5, "pause", 2, 2, 5),
        f(9.5, "resume", 2, 2, 5),
        f(10, "tick", 2, 1, 4),
        f(11, "step", 3, 3, 3),
        f(12, "tick", 3, 2, 2),
        f(13, "tick", 3, 1, 1),
        f(14, "prompt", 4, 0, 0),
        f(14.5, "answer", 4, 0, 0, "fine"),
        f(14.5, "end", 5, 0, 0),
    ]
    assert result.outcome.paused_s == 4.0
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]
    assert result.outcome.active_s == 10.5


def test_keys_while_paused_other_than_resume_skip_quit_and_stop_do_nothing() -> None:
    timeline = small()
    script: list[tuple[float, Key]] = [(3.5, "space"), (10.25, "space"), (20.0, "1")]
    ignored: list[tuple[float, Key]] = [
        (4.0, "1"),
        (5.0, "4"),
        (6.0, "enter"),
        (7.0, "x"),
        (8.0, Suspended(at=7.5)),
    ]

    assert run(timeline, script + ignored).frames == run(timeline, script).frames


def test_suspended_acts_as_a_pause_that_started_when_the_process_stopped() -> None:
    timeline = small()
    f = framer(timeline)

    # Ctrl-Z at 3.25 during the wait that began at 3; after `fg` the key arrives at 4.
    result = run(timeline, [(4.0, Suspended(at=3.25)), (9.0, "space"), (30.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "tick", 0, 1, 9),
        f(2, "step", 1, 3, 8),
        f(3, "tick", 1, 2, 7),
        f(4, "pause", 1, 2, 7),  # 1.75 s were left when the process stopped
        f(9, "resume", 1, 2, 7),
        f(9.75, "tick", 1, 1, 6),
        f(10.75, "step", 2, 2, 5),  # the hold ends at 5 + (9 - 3.25)
        f(11.75, "tick", 2, 1, 4),
        f(12.75, "step", 3, 3, 3),
        f(13.75, "tick", 3, 2, 2),
        f(14.75, "tick", 3, 1, 1),
        f(15.75, "prompt", 4, 0, 0),
        f(30, "answer", 4, 0, 0, "fine"),
        f(30, "end", 5, 0, 0),
    ]
    spaced = run(timeline, [(3.25, "space"), (9.0, "space"), (30.0, "1")])
    assert [(at, snap) for at, snap in spaced.frames if at != 3.25] == [
        (at, snap) for at, snap in result.frames if at != 4.0
    ]
    assert result.outcome == spaced.outcome
    assert result.outcome.paused_s == 5.75
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]


@pytest.mark.parametrize(
    ("stopped_at", "pause_from"),
    [
        (1.0, 2.0),  # before this step (from 2) began: from its start
        (50.0, 3.5),  # still to come: from when the key came
    ],
)
def test_suspended_time_outside_the_wait_is_clamped_to_it(
    stopped_at: float, pause_from: float
) -> None:
    timeline = small()

    result = run(timeline, [(3.5, Suspended(at=stopped_at)), (10.25, "space"), (20.0, "1")])

    spaced = run(timeline, [(pause_from, "space"), (10.25, "space"), (20.0, "1")])
    assert result.outcome == spaced.outcome
    assert result.outcome.paused_s == 10.25 - pause_from
    # The hold ends exactly the pause later than planned: at 5 + pause.
    assert (5.0 + 10.25 - pause_from, 2) in step_starts(result.frames)


def test_a_stop_while_a_frame_is_drawn_is_a_pause_from_the_stop() -> None:
    # Ctrl-Z lands while the tick at 3 is drawn: the process is stopped for a minute, and
    # the key the SIGCONT handler queued is read at the next wait, at 63.
    timeline = small()
    result = start_run(timeline, [(63.0, Suspended(at=3.0)), (70.0, "space"), (90.0, "1")])
    for snapshot in result.player.play():
        result.frames.append((result.clock.now(), snapshot))
        if snapshot.event == "tick" and result.clock.now() == 3.0:
            result.clock.advance(60.0)  # stopped in the middle of drawing

    spaced = run(timeline, [(3.0, "space"), (70.0, "space"), (90.0, "1")])
    # The same pause as a space at 3 (which comes in the wait, before a tick at 3): the
    # hold still has its 2 s when it goes on at 70.
    f = framer(timeline)
    assert result.frames[3:5] == [f(3, "tick", 1, 2, 7), f(63, "pause", 1, 2, 7)]
    assert spaced.frames[3:5] == [f(3, "pause", 1, 2, 7), f(70, "resume", 1, 2, 7)]
    assert result.frames[5:] == spaced.frames[4:]
    assert result.outcome == spaced.outcome
    assert result.outcome.paused_s == 67.0
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]


def test_a_stop_longer_than_the_step_while_it_is_drawn_does_not_end_the_step() -> None:
    # Ctrl-Z as the hold's first frame is drawn, `fg` a minute later: the hold has not
    # been held, so it is paused whole, not ended as done.
    timeline = small()
    f = framer(timeline)
    result = start_run(timeline, [(62.0, Suspended(at=2.0)), (70.0, "space"), (90.0, "1")])
    for snapshot in result.player.play():
        result.frames.append((result.clock.now(), snapshot))
        if snapshot.event == "step" and snapshot.index == 1:
            result.clock.advance(60.0)

    assert result.frames[2:7] == [
        f(2, "step", 1, 3, 8),
        f(62, "pause", 1, 3, 8),
        f(70, "resume", 1, 3, 8),
        f(71, "tick", 1, 2, 7),
        f(72, "tick", 1, 1, 6),
    ]
    assert result.outcome.paused_s == 68.0
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]


def test_suspended_at_a_pain_check_is_not_an_answer_and_its_time_is_paused() -> None:
    timeline = small()

    result = run(timeline, [(12.0, Suspended(at=11.0)), (15.0, "2")])

    plain = run(timeline, [(15.0, "2")])
    assert result.frames == plain.frames
    assert result.outcome.pain == [PainRecord(0, "Knee to chest", "sore")]
    # The second stopped (11 to 12) is paused, not time spent; the schedule is the same.
    assert (plain.outcome.paused_s, result.outcome.paused_s) == (0.0, 1.0)
    assert result.outcome.active_s == plain.outcome.active_s - 1.0


# --- skip ---


@pytest.mark.parametrize("key", ["n", "right"])
def test_skip_in_a_hold_counts_the_time_held_but_not_the_hold(key: str) -> None:
    timeline = small()
    f = framer(timeline)

    result = run(timeline, [(3.5, key), (9.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "tick", 0, 1, 9),
        f(2, "step", 1, 3, 8),
        f(3, "tick", 1, 2, 7),
        f(3.5, "step", 2, 2, 5),
        f(4.5, "tick", 2, 1, 4),
        f(5.5, "step", 3, 3, 3),
        f(6.5, "tick", 3, 2, 2),
        f(7.5, "tick", 3, 1, 1),
        f(8.5, "prompt", 4, 0, 0),
        f(9, "answer", 4, 0, 0, "fine"),
        f(9, "end", 5, 0, 0),
    ]
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 1.5 + 3.0, 1)]
    assert result.outcome.status == "completed"
    assert result.outcome.exercises_done == 1


@pytest.mark.parametrize(("prep_key", "rest_key"), [("n", "right"), ("right", "n")])
def test_skip_in_prep_and_rest_starts_the_next_step_at_once(prep_key: str, rest_key: str) -> None:
    timeline = small()
    f = framer(timeline)

    result = run(timeline, [(0.5, prep_key), (4.0, rest_key), (8.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(0.5, "step", 1, 3, 8),
        f(1.5, "tick", 1, 2, 7),
        f(2.5, "tick", 1, 1, 6),
        f(3.5, "step", 2, 2, 5),
        f(4, "step", 3, 3, 3),
        f(5, "tick", 3, 2, 2),
        f(6, "tick", 3, 1, 1),
        f(7, "prompt", 4, 0, 0),
        f(8, "answer", 4, 0, 0, "fine"),
        f(8, "end", 5, 0, 0),
    ]
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]


def test_skip_while_paused_counts_the_hold_up_to_the_pause() -> None:
    timeline = small()
    f = framer(timeline)

    result = run(timeline, [(3.0, "space"), (7.0, "n"), (12.5, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "tick", 0, 1, 9),
        f(2, "step", 1, 3, 8),
        f(3, "pause", 1, 2, 7),
        f(7, "step", 2, 2, 5),
        f(8, "tick", 2, 1, 4),
        f(9, "step", 3, 3, 3),
        f(10, "tick", 3, 2, 2),
        f(11, "tick", 3, 1, 1),
        f(12, "prompt", 4, 0, 0),
        f(12.5, "answer", 4, 0, 0, "fine"),
        f(12.5, "end", 5, 0, 0),
    ]
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 1.0 + 3.0, 1)]
    assert result.outcome.paused_s == 4.0


def test_skip_on_the_deadline_is_a_complete_hold() -> None:
    timeline = small()

    result = run(timeline, [(5.0, "n"), (10.5, "1")])

    plain = run(timeline, [(10.5, "1")])
    assert result.frames == plain.frames
    assert result.outcome == plain.outcome
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 6.0, 2)]


# --- quit and pain stop ---


@pytest.mark.parametrize(
    ("key", "status", "pain"),
    [
        pytest.param("q", "quit", [], id="quit"),
        pytest.param("!", "stopped", [PainRecord(0, "Knee to chest", "stop")], id="pain-stop"),
    ],
)
def test_quit_or_pain_key_in_a_hold_ends_at_once_and_counts_the_partial_hold(
    key: Key, status: str, pain: list[PainRecord]
) -> None:
    timeline = small()
    f = framer(timeline)

    result = run(timeline, [(3.5, key), (9.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 2, 10),
        f(1, "tick", 0, 1, 9),
        f(2, "step", 1, 3, 8),
        f(3, "tick", 1, 2, 7),
        f(3.5, "end", 5, 0, 0),
    ]
    assert result.outcome == Outcome(
        status=status,
        started=0.0,
        ended=3.5,
        paused_s=0.0,
        held=[HeldTime(0, "Knee to chest", None, 1.5, 0)],
        pain=pain,
        exercises_done=0,
    )
    assert result.outcome.active_s == 3.5
    assert result.keys.script == [(9.0, "1")]


def test_quit_while_paused_counts_the_hold_up_to_the_pause() -> None:
    timeline = small()

    result = run(timeline, [(3.25, "space"), (8.0, "q")])

    assert [snap.event for _, snap in result.frames][-2:] == ["pause", "end"]
    assert result.frames[-1][0] == 8.0
    outcome = result.outcome
    assert (outcome.status, outcome.ended, outcome.paused_s) == ("quit", 8.0, 4.75)
    assert outcome.held == [HeldTime(0, "Knee to chest", None, 1.25, 0)]
    assert outcome.active_s == 3.25


def test_pain_key_in_a_rest_while_paused_stops_too() -> None:
    timeline = small()

    result = run(timeline, [(5.5, "space"), (6.5, "!")])

    assert [(at, snap.event) for at, snap in result.frames][-3:] == [
        (5.0, "step"),
        (5.5, "pause"),
        (6.5, "end"),
    ]
    assert result.outcome.status == "stopped"
    assert result.outcome.pain == [PainRecord(0, "Knee to chest", "stop")]
    assert result.outcome.paused_s == 1.0
    assert result.outcome.held == [HeldTime(0, "Knee to chest", None, 3.0, 1)]


# --- pain checks ---


# Two exercises: 0 prep A, 1 hold A, 2 check A, 3 prep B, 4 hold B, 5 check B.
def two_exercises() -> Timeline:
    timeline = make_timeline({"name": "A"}, {"name": "B"}, prep=1, hold=2, reps=1)
    assert shape(timeline) == [
        ("prep", 1, None, 0),
        ("hold", 2, None, 1),
        ("check", 0, None, 0),
        ("prep", 1, None, 0),
        ("hold", 2, None, 1),
        ("check", 0, None, 0),
    ]
    return timeline


@pytest.mark.parametrize("line", ["2", " 2 "])
def test_pain_answer_sore_is_recorded_and_the_session_goes_on(line: str) -> None:
    timeline = two_exercises()
    f = framer(timeline)

    result = run(timeline, [(4.0, line), (8.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 1, 6),
        f(1, "step", 1, 2, 5),
        f(2, "tick", 1, 1, 4),
        f(3, "prompt", 2, 0, 3),
        f(4, "answer", 2, 0, 3, "sore"),
        f(4, "step", 3, 1, 3),
        f(5, "step", 4, 2, 2),
        f(6, "tick", 4, 1, 1),
        f(7, "prompt", 5, 0, 0),
        f(8, "answer", 5, 0, 0, "fine"),
        f(8, "end", 6, 0, 0),
    ]
    assert result.outcome.status == "completed"
    assert result.outcome.pain == [PainRecord(0, "A", "sore"), PainRecord(1, "B", "fine")]
    assert result.outcome.exercises_done == 2


@pytest.mark.parametrize(("key", "answer"), [("3", "sharp"), ("4", "numbness")])
def test_pain_answers_3_and_4_stop_at_once(key: str, answer: PainAnswer) -> None:
    timeline = two_exercises()
    f = framer(timeline)

    result = run(timeline, [(4.0, key), (8.0, "1")])

    assert result.frames == [
        f(0, "step", 0, 1, 6),
        f(1, "step", 1, 2, 5),
        f(2, "tick", 1, 1, 4),
        f(3, "prompt", 2, 0, 3),
        f(4, "answer", 2, 0, 3, answer),
        f(4, "end", 6, 0, 0),
    ]
    assert result.outcome == Outcome(
        status="stopped",
        started=0.0,
        ended=4.0,
        paused_s=0.0,
        held=[HeldTime(0, "A", None, 2.0, 1)],
        pain=[PainRecord(0, "A", answer)],
        exercises_done=1,
    )
    assert result.keys.script == [(8.0, "1")]  # nothing asked after the stop


@pytest.mark.parametrize(
    ("key", "status", "pain"),
    [("q", "quit", []), ("!", "stopped", [PainRecord(0, "A", "stop")])],
)
def test_quit_and_pain_key_at_a_pain_check(key: str, status: str, pain: list[PainRecord]) -> None:
    timeline = two_exercises()

    result = run(timeline, [(4.0, key), (8.0, "1")])

    assert [(at, snap.event) for at, snap in result.frames][-2:] == [(3.0, "prompt"), (4.0, "end")]
    assert (result.outcome.status, result.outcome.pain) == (status, pain)
    assert result.outcome.exercises_done == 1


def test_invalid_pain_answers_ask_again() -> None:
    timeline = two_exercises()
    f = framer(timeline)
    script: list[tuple[float, Key]] = [
        (3.5, "x"),
        (4.0, "5"),
        (4.5, "0"),
        (5.0, "n"),
        (5.5, "space"),
        (6.0, "\x1b[A"),
        (6.5, "1"),
        (10.0, "1"),
    ]

    result = run(timeline, script)

    assert result.frames[3:9] == [
        f(3, "prompt", 2, 0, 3),
        f(3.5, "prompt", 2, 0, 3),
        f(4, "prompt", 2, 0, 3),
        f(4.5, "prompt", 2, 0, 3),
        f(5, "prompt", 2, 0, 3),
        f(5.5, "prompt", 2, 0, 3),
    ]
    assert result.frames[9:12] == [
        f(6, "prompt", 2, 0, 3),
        f(6.5, "answer", 2, 0, 3, "fine"),
        f(6.5, "step", 3, 1, 3),
    ]
    assert result.outcome.pain == [PainRecord(0, "A", "fine"), PainRecord(1, "B", "fine")]
    assert result.outcome.status == "completed"


def test_enter_at_a_pain_check_is_not_an_answer() -> None:
    timeline = two_exercises()
    f = framer(timeline)

    result = run(timeline, [(3.5, ""), (4.0, "enter"), (4.5, "2"), (9.0, "1")])

    # An empty line is ignored quietly; the Enter key asks again like any other key.
    assert result.frames[3:7] == [
        f(3, "prompt", 2, 0, 3),
        f(4, "prompt", 2, 0, 3),
        f(4.5, "answer", 2, 0, 3, "sore"),
        f(4.5, "step", 3, 1, 3),
    ]
    assert result.outcome.pain == [PainRecord(0, "A", "sore"), PainRecord(1, "B", "fine")]


def test_digits_enter_and_other_keys_are_ignored_outside_prompts() -> None:
    timeline = two_exercises()
    noise: list[tuple[float, Key]] = [
        (0.5, "4"),
        (1.25, "1"),
        (1.5, "3"),
        (1.75, "4"),
        (2.0, "2"),
        (2.25, "enter"),
        (2.5, ""),
        (2.75, "x"),
    ]

    result = run(timeline, [*noise, (5.0, "2"), (9.0, "1")])

    f = framer(timeline)
    assert result.frames[:6] == [
        f(0, "step", 0, 1, 6),
        f(1, "step", 1, 2, 5),
        f(2, "tick", 1, 1, 4),
        f(3, "prompt", 2, 0, 3),
        f(5, "answer", 2, 0, 3, "sore"),
        f(5, "step", 3, 1, 3),
    ]
    assert result.frames == run(timeline, [(5.0, "2"), (9.0, "1")]).frames
    assert result.outcome.pain == [PainRecord(0, "A", "sore"), PainRecord(1, "B", "fine")]
    assert result.outcome.held == [HeldTime(0, "A", None, 2.0, 1), HeldTime(1, "B", None, 2.0, 1)]


# --- confirm switch ---


def alternate() -> Timeline:
    return make_timeline(
        {"name": "Figure four", "sides": ["left", "right"]}, prep=1, hold=2, reps=2, switch=1
    )


@pytest.mark.parametrize("go", ["space", "enter", "n", "right", ""])
def test_confirm_switch_waits_for_a_key_instead_of_counting_down(go: str) -> None:
    timeline = alternate()
    # The switches wait for the person: they are shown with no seconds of their own, and
    # the time left is the countdowns only (12 s planned, 3 of them switches).
    untimed = timeline.with_untimed_switches()
    assert untimed.total_seconds == timeline.total_seconds - 3 == 9
    f = framer(untimed)
    script: list[tuple[float, Key]] = [
        (4.0, "x"),  # ignored at the switch: no answer, no snapshot
        (5.0, "1"),
        (6.0, Suspended(at=5.5)),
        (10.0, go),
        (12.5, go),
        (14.75, go),
        (17.0, "1"),
    ]

    result = run(timeline, script, confirm_switch=True)

    assert result.frames == [
        f(0, "step", 0, 1, 9),
        f(1, "step", 1, 2, 8),
        f(2, "tick", 1, 1, 7),
        f(3, "prompt", 2, 0, 6),  # the switch's own second is not waited for
        f(10, "step", 3, 2, 6),
        f(11, "tick", 3, 1, 5),
        f(12, "prompt", 4, 0, 4),
        f(12.5, "step", 5, 2, 4),
        f(13.5, "tick", 5, 1, 3),
        f(14.5, "prompt", 6, 0, 2),
        f(14.75, "step", 7, 2, 2),
        f(15.75, "tick", 7, 1, 1),
        f(16.75, "prompt", 8, 0, 0),
        f(17, "answer", 8, 0, 0, "fine"),
        f(17, "end", 9, 0, 0),
    ]
    assert [record.held_s for record in result.outcome.held] == [4.0, 4.0]
    assert result.outcome.status == "completed"
    assert result.outcome.paused_s == 0.5  # stopped from 5.5 to 6 at the first switch


def test_confirm_switch_quit_at_the_switch() -> None:
    timeline = alternate()

    result = run(timeline, [(7.0, "q")], confirm_switch=True)

    assert [(at, snap.event, snap.index) for at, snap in result.frames][-2:] == [
        (3.0, "prompt", 2),
        (7.0, "end", 9),
    ]
    assert (result.outcome.status, result.outcome.ended) == ("quit", 7.0)
    assert result.outcome.held == [HeldTime(0, "Figure four", "left", 2.0, 1)]


# --- end of input and interruption ---


def test_end_of_input_at_a_pain_check_escapes_and_finish_makes_a_quit() -> None:
    timeline = two_exercises()
    f = framer(timeline)

    result = run_until_closed(timeline)

    assert result.frames == [
        f(0, "step", 0, 1, 6),
        f(1, "step", 1, 2, 5),
        f(2, "tick", 1, 1, 4),
        f(3, "prompt", 2, 0, 3),
    ]
    assert result.player.finish("quit") == Outcome(
        status="quit",
        started=0.0,
        ended=3.0,
        paused_s=0.0,
        held=[HeldTime(0, "A", None, 2.0, 1)],
        pain=[],
        exercises_done=1,
    )
    # A second finish changes nothing.
    result.clock.advance(5)
    assert result.player.finish("completed").status == "quit"
    assert result.outcome.ended == 3.0


def test_end_of_input_while_paused_then_finish_closes_the_pause() -> None:
    timeline = small()

    result = run_until_closed(timeline, [(3.5, "space")])

    assert result.frames[-1][1].event == "pause"
    result.clock.advance(2.0)  # the CLI takes a moment before it closes the session
    outcome = result.player.finish("quit")
    assert (outcome.status, outcome.ended, outcome.paused_s) == ("quit", 5.5, 2.0)
    assert outcome.held == [HeldTime(0, "Knee to chest", None, 1.5, 0)]
    assert outcome.active_s == 3.5


def test_end_of_input_at_a_confirm_switch() -> None:
    timeline = alternate()

    result = run_until_closed(timeline, confirm_switch=True)

    assert result.frames[-1] == framer(timeline.with_untimed_switches())(3, "prompt", 2, 0, 6)
    assert result.player.finish("quit").held == [HeldTime(0, "Figure four", "left", 2.0, 1)]


class Interrupting(ScriptedInput):
    """Raises KeyboardInterrupt for the scripted key ``^C`` (as Ctrl-C would)."""

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        key = super().key(timeout, prompt=prompt)
        if key == "^C":
            raise KeyboardInterrupt
        return key


def test_finish_after_an_interrupt_counts_the_hold_in_progress() -> None:
    timeline = small()
    clock = FakeClock()
    player = Player(timeline, clock, Interrupting(clock, [(3.5, "^C")]))

    with pytest.raises(KeyboardInterrupt):
        for _ in player.play():
            pass

    outcome = player.finish("quit")
    assert outcome == Outcome(
        status="quit",
        started=0.0,
        ended=3.5,
        paused_s=0.0,
        held=[HeldTime(0, "Knee to chest", None, 1.5, 0)],
        pain=[],
        exercises_done=0,
    )


# --- counting ---


def three_exercises() -> Timeline:
    # Per exercise: prep 1, hold 2, check; answered 1 s after each prompt.
    return make_timeline({"name": "A"}, {"name": "B"}, {"name": "C"}, prep=1, hold=2, reps=1)


@pytest.mark.parametrize(
    ("quit_at", "done"),
    [
        (0.5, 0),  # prep of A
        (2.0, 0),  # hold of A
        (3.5, 1),  # pain check of A: its holds are over
        (6.0, 1),  # hold of B
        (9.5, 2),  # hold of C
        (None, 3),
    ],
)
def test_exercises_done(quit_at: float | None, done: int) -> None:
    script: list[tuple[float, Key]] = [(4.0, "1"), (8.0, "1"), (12.0, "1")]
    if quit_at is not None:
        script.append((quit_at, "q"))

    result = run(three_exercises(), script)

    outcome = result.outcome
    assert outcome.exercises_done == done
    assert outcome.status == ("completed" if quit_at is None else "quit")
    assert outcome.ended == (12.0 if quit_at is None else quit_at)
    assert outcome.active_s == outcome.ended


def test_exercises_done_without_pain_checks() -> None:
    timeline = make_timeline(
        {"name": "A"}, {"name": "B"}, pain_checks=False, prep=0, hold=2, reps=2, rest=10
    )
    assert [step.kind for step in timeline.steps] == ["hold", "rest", "hold"] * 2

    done_by_time = []
    result = start_run(timeline)
    for snapshot in result.player.play():
        done_by_time.append((result.clock.now(), snapshot.event, result.outcome.exercises_done))

    assert [(at, done) for at, event, done in done_by_time if event != "tick"] == [
        (0, 0),
        (2, 0),
        (12, 0),
        (14, 1),  # B's first hold: A is done
        (16, 1),
        (26, 1),
        (28, 2),  # the end: B is done
    ]
    assert result.outcome.status == "completed"
    assert result.outcome.active_s == 28.0


def test_active_time_is_zero_before_the_session() -> None:
    assert Outcome().active_s == 0.0
    assert Outcome(started=5.0).active_s == 0.0


# --- a long routine: no drift, bounded waits, time left ---

LONG_START = 1000.0
ANSWER_WAIT = 1.0


def long_routine() -> Timeline:
    exercises = [
        {
            "name": f"Stretch {number}",
            "sides": ["left", "right"],
            "side_order": "block" if number % 2 else "alternate",
        }
        for number in range(10)
    ]
    return make_timeline(*exercises, prep=5, hold=30, reps=3, rest=10, switch=5)


def planned(timeline: Timeline) -> tuple[list[float], list[tuple[float, Key]], float]:
    """Planned start of every step, the pain answers 1 s after each check, and the end."""
    starts: list[float] = []
    answers: list[tuple[float, Key]] = []
    at = LONG_START
    for step in timeline.steps:
        starts.append(at)
        if step.kind == "check":
            at += ANSWER_WAIT
            answers.append((at, "1"))
        else:
            at += step.seconds
    return starts, answers, at


@pytest.mark.parametrize("late", [0.0, 0.003, 0.25])
def test_long_routine_ends_exactly_on_plan_with_one_wait_per_second(late: float) -> None:
    timeline = long_routine()
    assert timeline.total_seconds >= 30 * 60
    checks = sum(step.kind == "check" for step in timeline.steps)
    assert checks == 10
    starts, answers, end = planned(timeline)

    began = time.perf_counter()
    result = run(timeline, answers, late=late, start=LONG_START)
    elapsed = time.perf_counter() - began

    assert elapsed < 1.0
    # Exactly on plan at the end: the answers were scripted at the planned times, so
    # any drift would deliver them early (ignored during a hold) and run out of input.
    assert result.frames[-1] == (end, Snapshot("end", len(timeline.steps), None, 0, 0))
    assert end == LONG_START + timeline.total_seconds + checks * ANSWER_WAIT
    outcome = result.outcome
    assert (outcome.status, outcome.started, outcome.ended) == ("completed", LONG_START, end)
    assert outcome.active_s == timeline.total_seconds + checks * ANSWER_WAIT
    assert outcome.exercises_done == 10
    assert outcome.pain == [PainRecord(i, f"Stretch {i}", "fine") for i in range(10)]
    assert outcome.held == [
        HeldTime(i, f"Stretch {i}", side, 90.0, 3) for i in range(10) for side in ("left", "right")
    ]
    # Every step starts on plan, at most one wait's lateness after it (no accumulation).
    seen = {snap.index: at for at, snap in result.frames if snap.event in ("step", "prompt")}
    assert sorted(seen) == list(range(len(timeline.steps)))
    for index, at in seen.items():
        after_countdown = index > 0 and timeline.steps[index - 1].kind != "check"
        # (A pain check absorbs the lateness before it: from there on steps come on plan.)
        assert starts[index] - 1e-9 <= at <= starts[index] + (late if after_countdown else 0) + 1e-9
    # No busy loop: one wait per displayed second, one untimed wait per pain check.
    timed = [wait for wait in result.keys.waits if wait is not None]
    assert len(timed) == timeline.total_seconds
    assert len(result.keys.waits) - len(timed) == checks
    assert all(1 - late - 1e-9 <= wait <= 1.0 + 1e-9 for wait in timed)
    # Every second shows: one step or tick snapshot per second of the plan.
    countdown = [snap for _, snap in result.frames if snap.event in ("step", "tick")]
    assert len(countdown) == timeline.total_seconds


@pytest.mark.parametrize("late", [0.0, 0.003])
def test_time_left_counts_down_to_zero(late: float) -> None:
    timeline = long_routine()
    _, answers, _ = planned(timeline)

    result = run(timeline, answers, late=late, start=LONG_START)

    left = [snap.left for _, snap in result.frames]
    assert left[0] == timeline.total_seconds
    assert left[-1] == 0
    steps = [later - earlier for earlier, later in itertools.pairwise(left)]
    assert set(steps) == {0, -1}  # one second at a time, never up
    # The planned time left plus the active time spent is the plan, at every tick.
    for at, snap in result.frames:
        if snap.event == "tick" and snap.step is not None and late == 0.0:
            spent = at - LONG_START - ANSWER_WAIT * snap.step.exercise_index
            assert snap.left + spent == timeline.total_seconds


def test_a_player_for_the_largest_routine_starts_at_once() -> None:
    timeline = make_timeline(
        *({"name": f"E{i}", "sides": ["left", "right"]} for i in range(100)),
        prep=1,
        hold=1,
        reps=50,
        rest=1,
        switch=1,
    )
    assert len(timeline.steps) > 20_000
    clock = FakeClock()

    began = time.perf_counter()
    player = Player(timeline, clock, ScriptedInput(clock))
    first = next(iter(player.play()))
    assert time.perf_counter() - began < 0.5

    assert first == Snapshot("step", 0, timeline.steps[0], 1, timeline.total_seconds)


# --- property: any keys at any times ---

KEYS = [
    "space",
    "n",
    "right",
    "q",
    "!",
    "1",
    "2",
    "3",
    "4",
    "enter",
    "",
    "x",
    "escape",
    "\x1b",
    "\x1b[A",
    "\x1b[1;5C",
    "12",
    " 3 ",
]


class Bounded(ScriptedInput):
    """A scripted input that fails the test instead of letting the player spin for ever."""

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        assert len(self.waits) < 20_000, "the player keeps waiting"
        return super().key(timeout, prompt=prompt)


@st.composite
def scripts(draw: st.DrawFn) -> list[tuple[float, Key]]:
    script: list[tuple[float, Key]] = []
    at = 0.0
    for _ in range(draw(st.integers(0, 40))):
        at += draw(st.floats(0, 6, allow_nan=False))
        if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            key: Key = Suspended(at=max(0.0, at - draw(st.floats(0, 3, allow_nan=False))))
        else:
            key = draw(st.sampled_from(KEYS))
        script.append((at, key))
    return script


@settings(max_examples=300, deadline=None)
@given(
    script=scripts(),
    sides=st.lists(
        st.sampled_from([None, ["left"], ["left", "right"], ["right", "left"]]),
        min_size=1,
        max_size=3,
    ),
    order=st.sampled_from(["alternate", "block"]),
    hold=st.integers(1, 4),
    reps=st.integers(1, 3),
    rest=st.integers(0, 2),
    prep=st.integers(0, 2),
    switch=st.integers(0, 2),
    pain_checks=st.booleans(),
    confirm_switch=st.booleans(),
    late=st.sampled_from([0.0, 0.003, 0.25, 1.5]),
)
def test_any_keys_at_any_times_never_break_the_player(
    script: list[tuple[float, Key]],
    sides: list[list[str] | None],
    order: str,
    hold: int,
    reps: int,
    rest: int,
    prep: int,
    switch: int,
    pain_checks: bool,
    confirm_switch: bool,
    late: float,
) -> None:
    exercises = [
        {"name": f"E{i}", "sides": side_list, "side_order": order}
        for i, side_list in enumerate(sides)
    ]
    timeline = make_timeline(
        *exercises,
        pain_checks=pain_checks,
        hold=hold,
        reps=reps,
        rest=rest,
        prep=prep,
        switch=switch,
    )
    clock = FakeClock()
    player = Player(
        timeline, clock, Bounded(clock, script, late=late), confirm_switch=confirm_switch
    )
    snapshots: list[Snapshot] = []
    closed = False
    try:
        snapshots.extend(player.play())
    except InputClosed:  # the only exception allowed out: the CLI makes it a quit
        closed = True
        player.finish("quit")

    outcome = player.outcome
    assert outcome.status in ("completed", "stopped", "quit")
    assert outcome.started == 0.0
    assert outcome.ended is not None
    assert outcome.ended >= outcome.started
    assert 0.0 <= outcome.paused_s <= outcome.ended - outcome.started
    assert 0.0 <= outcome.active_s <= outcome.ended - outcome.started
    assert 0 <= outcome.exercises_done <= len(exercises)
    for record in outcome.held:
        assert 0.0 <= record.held_s <= reps * hold
        assert 0 <= record.holds <= reps
        assert record.holds * hold <= record.held_s + 1e-6
    sides_held = [(record.exercise_index, record.side) for record in outcome.held]
    assert len(set(sides_held)) == len(sides_held)
    stopping = [record for record in outcome.pain if record.answer in ("sharp", "numbness", "stop")]
    assert (outcome.status == "stopped") == bool(stopping)
    assert stopping in ([], outcome.pain[-1:])  # nothing is asked after a stop
    answers = [snap.answer for snap in snapshots if snap.event == "answer"]
    if not closed:
        assert [record.answer for record in outcome.pain if record.answer != "stop"] == answers
        assert snapshots[-1] == Snapshot("end", len(timeline.steps), None, 0, 0)
        assert [snap.event for snap in snapshots].count("end") == 1
    if outcome.status == "completed":
        assert outcome.exercises_done == len(exercises)
    for snap in snapshots:
        assert 0 <= snap.remaining <= snap.left
    # The time left starts at the plan and never goes up, but at a pause after a stop: the
    # time stopped is given back (ticks read after `fg` and before its key had it taken);
    # a confirmed switch is no part of it.
    assert snapshots[0].left == player.timeline.total_seconds
    assert all(
        later.left <= earlier.left or later.event == "pause"
        for earlier, later in itertools.pairwise(snapshots)
    )
    untimed = [s.seconds for s in player.timeline.steps if s.kind == "switch" and confirm_switch]
    assert untimed == [0] * len(untimed)
