"""The player's second version against a fake clock and scripted keys: ``b`` / ← back, ``+``
ten more seconds, moving exercises (moves x tempo: a repetition on every beat, counted from
the deadline, so 100 of them end on time), and steps that wait for a key ("ready")."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from stretchcli.errors import InputClosed
from stretchcli.history.record import PainRecord
from stretchcli.play.keys import Key
from stretchcli.play.outcome import HeldTime
from stretchcli.play.player import Player, Snapshot
from stretchcli.play.testing import FakeClock, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Timeline, build_timeline

Frame = tuple[float, str, int, int, int]  # time, event, step index, remaining, left


def make_timeline(*exercises: Mapping[str, object], **defaults: object) -> Timeline:
    routine = Routine.model_validate(
        {"title": "Test routine", "defaults": defaults, "exercises": list(exercises)}
    )
    return build_timeline(routine)


def play(
    timeline: Timeline, script: list[tuple[float, Key]], *, late: float = 0.0
) -> tuple[list[tuple[float, Snapshot]], Player]:
    """Play ``timeline`` to its end: (clock time, snapshot) for each snapshot, and the player."""
    clock = FakeClock()
    player = Player(timeline, clock, ScriptedInput(clock, script, late=late))
    return [(clock.now(), snap) for snap in player.play()], player


def brief(frames: list[tuple[float, Snapshot]]) -> list[Frame]:
    return [(at, s.event, s.index, s.remaining, s.left) for at, s in frames]


def starts(frames: list[tuple[float, Snapshot]]) -> list[tuple[float, int]]:
    return [(at, s.index) for at, s in frames if s.event in ("step", "prompt")]


# prep 2, hold 4 x 2 with a rest of 2: steps 0 prep, 1 hold, 2 rest, 3 hold, 4 check.
def knee() -> Timeline:
    return make_timeline({"name": "Knee"}, prep=2, hold=4, reps=2, rest=2)


# --- b / ← back ---


@pytest.mark.parametrize("key", ["b", "left"])
def test_back_late_in_a_step_starts_it_again_and_counts_what_was_held(key: str) -> None:
    frames, player = play(knee(), [(5.0, key), (16.0, "1")])
    assert brief(frames)[2:10] == [
        (2.0, "step", 1, 4, 10),
        (3.0, "tick", 1, 3, 9),
        (4.0, "tick", 1, 2, 8),
        (5.0, "step", 1, 4, 10),  # 3 s into the hold: its start again; the time left grows
        (6.0, "tick", 1, 3, 9),
        (7.0, "tick", 1, 2, 8),
        (8.0, "tick", 1, 1, 7),
        (9.0, "step", 2, 2, 6),
    ]
    assert starts(frames)[-1] == (15.0, 4)
    # The 3 s held before going back were held: counted, but not as a hold.
    assert player.outcome.held == [HeldTime(0, "Knee", None, 3.0 + 4.0 + 4.0, 2)]
    assert (player.outcome.status, player.outcome.ended) == ("completed", 16.0)


def test_back_in_the_first_two_seconds_goes_to_the_step_before() -> None:
    # The second hold starts at 8; at 9 (1 s in) b goes back to the rest before it.
    frames, player = play(knee(), [(9.0, "b"), (16.0, "1")])
    assert starts(frames) == [
        (0.0, 0),
        (2.0, 1),
        (6.0, 2),
        (8.0, 3),
        (9.0, 2),
        (11.0, 3),
        (15.0, 4),
    ]
    assert player.outcome.held == [HeldTime(0, "Knee", None, 4.0 + 1.0 + 4.0, 2)]


def test_back_at_a_pain_check_goes_to_the_last_hold_and_never_back_over_an_answer() -> None:
    timeline = make_timeline({"name": "A"}, {"name": "B"}, prep=1, hold=2, reps=1)
    # steps: 0 prep A, 1 hold A, 2 check A, 3 prep B, 4 hold B, 5 check B
    script: list[tuple[float, Key]] = [
        (3.5, "b"),  # at A's check: back to A's hold (3.5 .. 5.5)
        (6.0, "1"),
        (6.5, "b"),  # B's prep, 0.5 s in: the step before is A's check, answered: B's prep again
        (11.0, "1"),
    ]
    frames, player = play(timeline, script)
    assert starts(frames) == [
        (0.0, 0),
        (1.0, 1),
        (3.0, 2),
        (3.5, 1),
        (5.5, 2),
        (6.0, 3),
        (6.5, 3),
        (7.5, 4),
        (9.5, 5),
    ]
    assert [answer.answer for answer in player.outcome.pain] == ["fine", "fine"]
    assert player.outcome.exercises_done == 2


def test_back_while_paused_ends_the_pause_and_leaves_the_step() -> None:
    frames, player = play(knee(), [(2.5, "space"), (4.5, "b"), (17.0, "1")])
    # Paused 0.5 s into the first hold: b is within its first 2 s, so back to the prep.
    assert starts(frames)[:4] == [(0.0, 0), (2.0, 1), (4.5, 0), (6.5, 1)]
    assert player.outcome.paused_s == 2.0
    assert player.outcome.held == [HeldTime(0, "Knee", None, 0.5 + 4.0 + 4.0, 2)]


# --- + ten more seconds ---


def test_plus_adds_ten_seconds_to_the_step_and_to_the_time_held() -> None:
    frames, player = play(knee(), [(3.0, "+"), (23.0, "1")])
    assert brief(frames)[2:6] == [
        (2.0, "step", 1, 4, 10),
        (3.0, "more", 1, 13, 19),
        (4.0, "tick", 1, 12, 18),
        (5.0, "tick", 1, 11, 17),
    ]
    assert starts(frames)[2:] == [(16.0, 2), (18.0, 3), (22.0, 4)]
    assert player.outcome.held == [HeldTime(0, "Knee", None, 14.0 + 4.0, 2)]


def test_plus_while_paused_adds_to_what_is_left_when_it_goes_on() -> None:
    frames, player = play(knee(), [(3.0, "space"), (5.0, "+"), (7.0, "space"), (30.0, "1")])
    assert [(at, e, r) for at, e, i, r, _ in brief(frames) if i == 1][:4] == [
        (2.0, "step", 4),
        (3.0, "pause", 3),
        (5.0, "more", 13),
        (7.0, "resume", 13),
    ]
    (more,) = [snap for _, snap in frames if snap.event == "more"]
    assert more.paused
    assert starts(frames)[2] == (20.0, 2)  # 3 s left + 10 more, after the 4 s pause
    assert player.outcome.paused_s == 4.0


def test_plus_adds_nothing_at_a_pain_check() -> None:
    frames, player = play(knee(), [(12.5, "+"), (13.0, "1")])
    # Asked again, as after any key that is no answer; no time is added.
    assert [s.event for _, s in frames if s.index == 4] == ["prompt", "prompt", "answer"]
    assert (player.outcome.ended, player.outcome.held[0].held_s) == (13.0, 8.0)


# --- moves x tempo ---


def rocking(moves: int = 10, tempo: int = 4, **more: object) -> Timeline:
    return make_timeline({"name": "Rock", "moves": moves, "tempo": tempo, **more}, prep=2)


def beats(frames: list[tuple[float, Snapshot]]) -> list[tuple[float, int, int]]:
    """(time, repetition, of) at each snapshot where a repetition begins."""
    found: list[tuple[float, int, int]] = []
    for at, snap in frames:
        moving = snap.step is not None and snap.step.kind == "move"
        if moving and (not found or snap.move != found[-1][1]):
            found.append((at, snap.move, snap.moves))
    return found


def test_a_moving_exercise_counts_a_repetition_on_every_beat() -> None:
    timeline = rocking()
    assert [(s.kind, s.seconds, s.moves, s.tempo) for s in timeline.steps] == [
        ("prep", 2, 0, 0),
        ("move", 40, 10, 4),
        ("check", 0, 0, 0),
    ]
    frames, player = play(timeline, [(43.0, "1")])
    assert beats(frames) == [(2.0 + 4 * n, n + 1, 10) for n in range(10)]
    # A tick every second in between, like any countdown.
    assert [at for at, s in frames if s.index == 1] == [float(t) for t in range(2, 42)]
    assert player.outcome.held == [HeldTime(0, "Rock", None, 40.0, 0, 10)]


def test_a_hundred_moves_end_on_time_when_every_wait_wakes_late() -> None:
    """No drift: each wait overshoots by 0.3 s, yet every beat is within that of its time
    and the last one is no later than the first."""
    frames, player = play(rocking(moves=100, tempo=3), [(400.0, "1")], late=0.3)
    found = beats(frames)
    assert [move for _, move, _ in found] == list(range(1, 101))
    lateness = [at - (2.0 + 3 * (move - 1)) for at, move, _ in found]
    assert all(-1e-9 <= late <= 0.3 + 1e-9 for late in lateness), max(lateness)
    prompt = next(at for at, s in frames if s.event == "prompt")
    assert prompt <= 302.0 + 0.3 + 1e-9
    assert player.outcome.held[0].moves == 100


def test_moves_cut_short_count_the_repetitions_done() -> None:
    frames, player = play(rocking(), [(13.0, "n"), (14.0, "1")])
    # 11 s of moving at 4 s each: 2 whole repetitions.
    assert player.outcome.held == [HeldTime(0, "Rock", None, 11.0, 0, 2)]
    assert beats(frames)[-1] == (10.0, 3, 10)


def test_plus_in_a_moving_exercise_adds_whole_repetitions() -> None:
    frames, player = play(rocking(tempo=4), [(3.0, "+"), (60.0, "1")])
    (more,) = [snap for _, snap in frames if snap.event == "more"]
    assert (more.moves, more.remaining) == (13, 51)  # 10 s rounded up to 3 moves of 4 s
    assert player.outcome.held[0].moves == 13


def test_moves_on_two_sides_are_one_set_a_side_with_a_switch_between() -> None:
    timeline = rocking(moves=3, tempo=2, sides=["left", "right"])
    assert [(s.kind, s.side, s.seconds) for s in timeline.steps] == [
        ("prep", "left", 2),
        ("move", "left", 6),
        ("switch", "right", 5),
        ("move", "right", 6),
        ("check", None, 0),
    ]
    _, player = play(timeline, [(20.0, "1")])
    assert [(h.side, h.moves, h.holds) for h in player.outcome.held] == [
        ("left", 3, 0),
        ("right", 3, 0),
    ]


# --- steps that wait for a key ("ready") ---


def ready() -> Timeline:
    return make_timeline(
        {"name": "Twist", "sides": ["left", "right"]}, prep="ready", switch="ready", hold=4, reps=1
    )


def test_ready_prep_and_switch_wait_for_space_or_enter_and_take_no_planned_time() -> None:
    timeline = ready()
    assert [(s.kind, s.seconds, s.ready) for s in timeline.steps] == [
        ("prep", 0, True),
        ("hold", 4, False),
        ("switch", 0, True),
        ("hold", 4, False),
        ("check", 0, False),
    ]
    assert timeline.total_seconds == 8
    frames, player = play(timeline, [(3.0, "enter"), (10.0, "space"), (15.0, "1")])
    assert [f for f in brief(frames) if f[1] in ("prompt", "step")] == [
        (0.0, "prompt", 0, 0, 8),
        (3.0, "step", 1, 4, 8),
        (7.0, "prompt", 2, 0, 4),
        (10.0, "step", 3, 4, 4),
        (14.0, "prompt", 4, 0, 0),
    ]
    assert player.outcome.status == "completed"
    assert [(h.side, h.held_s) for h in player.outcome.held] == [("left", 4.0), ("right", 4.0)]


def test_at_a_ready_step_other_keys_wait_b_goes_back_and_q_quits() -> None:
    script: list[tuple[float, Key]] = [
        (1.0, "x"),
        (2.0, "enter"),
        (6.5, "b"),
        (11.0, "space"),
        (16.0, "1"),
    ]
    frames, _ = play(ready(), script)
    # b at the ready switch goes back to the left hold before it.
    assert starts(frames) == [
        (0.0, 0),
        (2.0, 1),
        (6.0, 2),
        (6.5, 1),
        (10.5, 2),
        (11.0, 3),
        (15.0, 4),
    ]
    _, quitter = play(ready(), [(1.0, "q")])
    assert (quitter.outcome.status, quitter.at) == ("quit", 0)


def test_ctrl_d_at_a_question_is_the_end_of_input() -> None:
    clock = FakeClock()
    timeline = knee()
    player = Player(timeline, clock, ScriptedInput(clock, [(13.0, "end")]))
    with pytest.raises(InputClosed):
        for _ in player.play():
            pass
    assert player.at == 4  # stopped at the pain check
    assert player.finish("quit").pain == []


def test_a_pain_stop_in_a_moving_exercise_names_its_side() -> None:
    _, player = play(rocking(sides=["left", "right"]), [(5.0, "!")])
    assert player.outcome.pain == [PainRecord(0, "Rock", "stop", "left")]
    assert player.outcome.held == [HeldTime(0, "Rock", "left", 3.0, 0, 0)]
