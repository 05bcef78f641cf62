"""`stretch start` / `stretch hold` options: bad values give one line and exit 1 before
anything starts; a plain-mode hold runs and is logged."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["start", "lower-back", "--reps", "0"],
            "--reps: must be a whole number from 1 to 50 (got 0)",
        ),
        (
            ["start", "lower-back", "--hold", "abc"],
            '--hold: must be whole seconds (30) or a string like "45s", "2m", "1m30s" (got "abc")',
        ),
        (
            ["start", "lower-back", "--rest", "20m"],
            '--rest: must be between 0s and 10m (got "20m")',
        ),
        (["start", "lower-back", "--prep", "-1"], '--prep: must be between 0s and 10m (got "-1")'),
        (["hold", "0"], 'SECONDS: must be between 1s and 1h (got "0")'),
        (["hold", "2h"], 'SECONDS: must be between 1s and 1h (got "2h")'),
        (["hold", "30", "--reps", "99"], "--reps: must be a whole number from 1 to 50 (got 99)"),
        (
            ["start", "nope"],
            "no routine 'nope'; known routines: back-in-bed, desk-break, "
            "lower-back, mid-back, sore-back, stenosis-seated",
        ),
    ],
)
def test_bad_session_options_are_one_line_and_exit_1(
    stretch: Callable[..., Result], args: list[str], line: str
) -> None:
    result = stretch(*args)
    assert (result.code, result.err.splitlines()) == (1, [line])
    assert stretch("log", "--json").out.strip() == "[]"  # nothing started, nothing logged


def test_stretch_speed_must_be_a_positive_number(
    stretch: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRETCH_SPEED", "fast")
    result = stretch("hold", "1")
    assert result.code == 1
    assert result.err.splitlines() == [
        "STRETCH_SPEED='fast' is not allowed: give a number above 0 and at most 10000"
    ]


def test_plain_hold_with_sides_runs_and_is_logged_as_hold(
    stretch: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRETCH_SPEED", "2000")
    result = stretch("hold", "4", "--reps", "2", "--sides", "--rest", "1")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "[1/1] Hold: hold LEFT side 4 s (1 of 2)"
    assert "[1/1] Hold: switch sides: now the RIGHT side (3 s)" in lines
    assert "\x1b" not in result.out
    assert lines[-2:] == [
        "Session complete. Well done.",
        "Exercises done: 1 of 1; time spent: 0:25",
    ]
    (record,) = json.loads(stretch("log", "--json").out)
    assert (record["routine"], record["status"], record["source"]) == (
        "hold",
        "completed",
        "guided",
    )
    assert [(s["side"], s["holds"], s["held_s"]) for s in record["sides"]] == [
        ("left", 2, 8.0),
        ("right", 2, 8.0),
    ]
    assert record["pain"] == [] and record["pain_before"] is None
