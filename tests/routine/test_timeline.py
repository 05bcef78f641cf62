"""The timeline compiler: a routine becomes the exact list of steps a session plays."""

from __future__ import annotations

from typing import Any

import pytest

from stretchcli.routine.library import load_routine
from stretchcli.routine.model import Dosing, Routine
from stretchcli.routine.timeline import Step, build_timeline


def routine(*exercises: dict[str, Any], **defaults: Any) -> Routine:
    """A routine with these exercises; ``defaults`` fill the [defaults] table."""
    return Routine.model_validate(
        {"title": "T", "defaults": defaults, "exercises": list(exercises)}
    )


def steps(r: Routine, **kwargs: Any) -> list[Step]:
    return list(build_timeline(r, **kwargs).steps)


def test_no_sides_prep_then_holds_with_rests_then_check() -> None:
    r = routine({"name": "A"}, hold=20, reps=3, rest=7, prep=4)
    assert steps(r) == [
        Step("prep", 4, 0, "A", None, 0, 3),
        Step("hold", 20, 0, "A", None, 1, 3),
        Step("rest", 7, 0, "A", None, 2, 3),
        Step("hold", 20, 0, "A", None, 2, 3),
        Step("rest", 7, 0, "A", None, 3, 3),
        Step("hold", 20, 0, "A", None, 3, 3),
        Step("check", 0, 0, "A", None, 0, 3),
    ]


def test_sides_alternate_switch_between_every_hold() -> None:
    r = routine({"name": "Twist", "sides": ["left", "right"]}, hold=30, reps=2, switch=6, prep=5)
    assert steps(r) == [
        Step("prep", 5, 0, "Twist", "left", 0, 2),
        Step("hold", 30, 0, "Twist", "left", 1, 2),
        Step("switch", 6, 0, "Twist", "right", 0, 2),
        Step("hold", 30, 0, "Twist", "right", 1, 2),
        Step("switch", 6, 0, "Twist", "left", 0, 2),
        Step("hold", 30, 0, "Twist", "left", 2, 2),
        Step("switch", 6, 0, "Twist", "right", 0, 2),
        Step("hold", 30, 0, "Twist", "right", 2, 2),
        Step("check", 0, 0, "Twist", None, 0, 2),
    ]


def test_sides_block_all_reps_on_one_side_then_the_other() -> None:
    r = routine(
        {"name": "B", "sides": ["left", "right"], "side_order": "block"},
        hold=10,
        reps=2,
        rest=3,
        switch=4,
        prep=2,
    )
    assert steps(r) == [
        Step("prep", 2, 0, "B", "left", 0, 2),
        Step("hold", 10, 0, "B", "left", 1, 2),
        Step("rest", 3, 0, "B", "left", 2, 2),
        Step("hold", 10, 0, "B", "left", 2, 2),
        Step("switch", 4, 0, "B", "right", 0, 2),
        Step("hold", 10, 0, "B", "right", 1, 2),
        Step("rest", 3, 0, "B", "right", 2, 2),
        Step("hold", 10, 0, "B", "right", 2, 2),
        Step("check", 0, 0, "B", None, 0, 2),
    ]


def test_side_order_follows_the_file() -> None:
    r = routine({"name": "R", "sides": ["right", "left"]}, reps=1, hold=5, prep=1, switch=2)
    assert [(s.kind, s.side) for s in steps(r)] == [
        ("prep", "right"),
        ("hold", "right"),
        ("switch", "left"),
        ("hold", "left"),
        ("check", None),
    ]


@pytest.mark.parametrize("order", ["alternate", "block"])
def test_single_side_rests_and_never_switches(order: str) -> None:
    r = routine(
        {"name": "S", "sides": ["right"], "side_order": order}, hold=15, reps=2, rest=5, prep=3
    )
    assert steps(r) == [
        Step("prep", 3, 0, "S", "right", 0, 2),
        Step("hold", 15, 0, "S", "right", 1, 2),
        Step("rest", 5, 0, "S", "right", 2, 2),
        Step("hold", 15, 0, "S", "right", 2, 2),
        Step("check", 0, 0, "S", None, 0, 2),
    ]


def test_exercise_dosing_overrides_defaults_and_command_line_overrides_both() -> None:
    r = routine(
        {"name": "A", "hold": "45s", "reps": 1},
        {"name": "B", "rest": 2},
        hold=20,
        reps=2,
        rest=8,
        prep=0,
    )
    assert steps(r, pain_checks=False) == [
        Step("hold", 45, 0, "A", None, 1, 1),
        Step("hold", 20, 1, "B", None, 1, 2),
        Step("rest", 2, 1, "B", None, 2, 2),
        Step("hold", 20, 1, "B", None, 2, 2),
    ]
    overrides = Dosing(hold=10, reps=2, rest=1, prep=3)
    assert steps(r, overrides=overrides, pain_checks=False) == [
        Step("prep", 3, 0, "A", None, 0, 2),
        Step("hold", 10, 0, "A", None, 1, 2),
        Step("rest", 1, 0, "A", None, 2, 2),
        Step("hold", 10, 0, "A", None, 2, 2),
        Step("prep", 3, 1, "B", None, 0, 2),
        Step("hold", 10, 1, "B", None, 1, 2),
        Step("rest", 1, 1, "B", None, 2, 2),
        Step("hold", 10, 1, "B", None, 2, 2),
    ]


def test_an_override_of_one_field_keeps_the_others() -> None:
    r = routine({"name": "A", "hold": 40, "reps": 2}, rest=6, prep=0)
    assert steps(r, overrides=Dosing(reps=1), pain_checks=False) == [
        Step("hold", 40, 0, "A", None, 1, 1),
    ]


def test_prep_0_has_no_prep_step_and_rest_0_no_rest_steps() -> None:
    r = routine({"name": "A"}, hold=5, reps=3, rest=0, prep=0)
    assert steps(r) == [
        Step("hold", 5, 0, "A", None, 1, 3),
        Step("hold", 5, 0, "A", None, 2, 3),
        Step("hold", 5, 0, "A", None, 3, 3),
        Step("check", 0, 0, "A", None, 0, 3),
    ]


def test_switch_0_still_names_the_next_side() -> None:
    r = routine({"name": "A", "sides": ["left", "right"]}, hold=5, reps=1, prep=0, switch=0)
    assert steps(r, pain_checks=False) == [
        Step("hold", 5, 0, "A", "left", 1, 1),
        Step("switch", 0, 0, "A", "right", 0, 1),
        Step("hold", 5, 0, "A", "right", 1, 1),
    ]


def test_pain_check_after_every_exercise_unless_turned_off() -> None:
    r = routine({"name": "A"}, {"name": "B"}, hold=5, reps=1, prep=0)
    assert steps(r) == [
        Step("hold", 5, 0, "A", None, 1, 1),
        Step("check", 0, 0, "A", None, 0, 1),
        Step("hold", 5, 1, "B", None, 1, 1),
        Step("check", 0, 1, "B", None, 0, 1),
    ]
    assert [s.kind for s in steps(r, pain_checks=False)] == ["hold", "hold"]


def test_total_seconds_is_the_sum_of_the_steps_and_seconds_after() -> None:
    r = routine(
        {"name": "A", "sides": ["left", "right"], "side_order": "block"},
        {"name": "B", "hold": 60},
        hold=30,
        reps=3,
        rest=10,
        prep=5,
        switch=5,
    )
    timeline = build_timeline(r)
    seconds = [s.seconds for s in timeline.steps]
    # A: prep 5 + 6 holds of 30 + 4 rests of 10 + 1 switch of 5; B: prep 5 + 3 x 60 + 2 x 10
    assert timeline.total_seconds == sum(seconds) == 5 + 180 + 40 + 5 + 5 + 180 + 20
    assert timeline.exercise_count == 2
    assert timeline.title == "T"
    assert timeline.seconds_after(0) == timeline.total_seconds - 5
    assert timeline.seconds_after(len(seconds) - 1) == 0


def test_build_timeline_is_pure() -> None:
    r = routine({"name": "A", "sides": ["left", "right"]}, reps=2)
    assert build_timeline(r) == build_timeline(r)
    assert r == routine({"name": "A", "sides": ["left", "right"]}, reps=2)


@pytest.mark.usefixtures("home")
def test_lower_back_timeline() -> None:
    timeline = build_timeline(load_routine("lower-back").routine)
    assert timeline.total_seconds == 705
    rocking = [
        (s.kind, s.seconds, s.moves, s.tempo) for s in timeline.steps if s.exercise_index == 1
    ]
    assert rocking == [("prep", 5, 0, 0), ("move", 40, 10, 4), ("check", 0, 0, 0)]
    rotation = [(s.kind, s.seconds, s.side, s.rep) for s in timeline.steps if s.exercise_index == 2]
    assert rotation == [
        ("prep", 5, "left", 0),
        ("hold", 30, "left", 1),
        ("switch", 5, "right", 0),
        ("hold", 30, "right", 1),
        ("switch", 5, "left", 0),
        ("hold", 30, "left", 2),
        ("switch", 5, "right", 0),
        ("hold", 30, "right", 2),
        ("switch", 5, "left", 0),
        ("hold", 30, "left", 3),
        ("switch", 5, "right", 0),
        ("hold", 30, "right", 3),
        ("check", 0, None, 0),
    ]
    prone = [(s.kind, s.seconds) for s in timeline.steps if s.exercise_index == 0]
    assert prone == [("prep", 5), ("hold", 120), ("check", 0)]


def test_untimed_switches_keep_every_step_but_give_switches_no_time() -> None:
    sided = build_timeline(
        routine({"name": "Twist", "sides": ["left", "right"]}, hold=30, reps=2, switch=6, prep=5)
    )
    untimed = sided.with_untimed_switches()
    assert [(s.kind, s.side, s.rep) for s in untimed.steps] == [
        (s.kind, s.side, s.rep) for s in sided.steps
    ]
    assert [s.seconds for s in untimed.steps if s.kind == "switch"] == [0, 0, 0]
    assert untimed.total_seconds == sided.total_seconds - 3 * 6 == 5 + 4 * 30
    assert untimed.seconds_after(0) == 4 * 30
    one_sided = build_timeline(routine({"name": "A"}, hold=20, reps=2))
    assert one_sided.with_untimed_switches() is one_sided


def test_ready_prep_and_switch_wait_and_take_no_time() -> None:
    sided = build_timeline(
        routine({"name": "Twist", "sides": ["left", "right"], "prep": "ready"}, switch="ready")
    )
    waits = [(s.kind, s.seconds, s.waits) for s in sided.steps if s.kind in ("prep", "switch")]
    assert waits == [("prep", 0, True)] + [("switch", 0, True)] * 5
    assert sided.with_untimed_switches() is sided
    assert sided.total_seconds == 6 * 30


def test_a_resumed_timeline_starts_where_asked_with_a_prep_before_a_hold() -> None:
    sided = build_timeline(
        routine({"name": "Twist", "sides": ["left", "right"]}, hold=30, reps=1, prep=7)
    )
    # prep, hold left, switch, hold right, check
    at_hold = sided.resumed_at(3)
    assert [(s.kind, s.side, s.seconds) for s in at_hold.steps] == [
        ("prep", "right", 7),
        ("hold", "right", 30),
        ("check", None, 0),
    ]
    assert at_hold.exercise_count == 1
    assert [s.kind for s in sided.resumed_at(2).steps] == ["switch", "hold", "check"]
    assert [s.kind for s in sided.resumed_at(4).steps] == ["check"]
