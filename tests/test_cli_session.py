"""`stretch start` / `stretch hold` options: bad values give one line and exit 1 before
anything starts; a plain-mode hold runs and is logged."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from conftest import Result
from stretchcli import clock as clock_module
from stretchcli import terminal
from stretchcli.clock import FakeClock


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The session's clock is a FakeClock that each plain-mode wait moves forward, so a
    session runs instantly and its times are exact (the real clock is test_e2e's job)."""
    fake = FakeClock()
    monkeypatch.setattr(clock_module, "SystemClock", lambda speed=1.0: fake)
    monkeypatch.setattr(
        terminal, "time", SimpleNamespace(sleep=fake.advance, monotonic=time.monotonic)
    )
    return fake


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
    stretch: Callable[..., Result], fake_clock: FakeClock
) -> None:
    result = stretch("hold", "4", "--reps", "2", "--sides", "--rest", "1")
    assert fake_clock.now() == 25.0  # 4 holds of 4 s and 3 switches of 3 s, nothing more
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
    assert (record["routine"], record["status"], record["source"], record["duration_s"]) == (
        "hold",
        "completed",
        "guided",
        25.0,
    )
    assert [(s["side"], s["holds"], s["held_s"]) for s in record["sides"]] == [
        ("left", 2, 8.0),
        ("right", 2, 8.0),
    ]
    assert record["pain"] == [] and record["pain_before"] is None
