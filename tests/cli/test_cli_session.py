"""`stretch start` / `stretch hold` options: bad values give one line and exit 2 before
anything starts; a plain-mode hold runs and is logged."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.play.sound import Voice
from stretchcli.play.testing import FakeClock


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["start", "lower-back", "--reps", "0"],
            '--reps: must be a whole number from 1 to 50 (got "0")',
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
        (["hold", "30", "--reps", "99"], '--reps: must be a whole number from 1 to 50 (got "99")'),
        (
            ["hold", "30", "--reps", "2.5"],
            '--reps: must be a whole number from 1 to 50 (got "2.5")',
        ),
    ],
)
def test_bad_session_options_are_one_line_and_exit_2(
    stretch: Callable[..., Result], args: list[str], line: str
) -> None:
    """A bad value on the command line is wrong usage: exit 2 (it was 1 before the one
    parameter layer), one line naming the option, nothing started or logged."""
    result = stretch(*args)
    assert (result.code, result.err.splitlines()) == (2, [line])
    assert stretch("log", "--json").out.strip() == "[]"  # nothing started, nothing logged


def test_an_unknown_routine_is_one_line_and_exit_1(stretch: Callable[..., Result]) -> None:
    """Not a malformed value but a routine that is not there: bad input, exit 1."""
    result = stretch("start", "nope")
    assert (result.code, result.err.splitlines()) == (
        1,
        [
            "no routine 'nope'; known routines: back-in-bed, desk-break, "
            "lower-back, mid-back, sore-back, stenosis-seated"
        ],
    )


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


SIDED = """
title = "Sided"
[defaults]
prep = 2
hold = 5
reps = 1
switch = 4
[[exercises]]
name = "Knee to chest"
sides = ["left", "right"]
"""


class RecordingVoice(Voice):
    """A voice that writes down what it is asked to say instead of speaking."""

    def __init__(self) -> None:
        super().__init__(["speak"])
        self.said: list[str] = []

    def say(self, text: str) -> None:
        if text:
            self.said.append(text)


def test_plain_confirm_switch_asks_for_enter_says_so_and_takes_no_planned_time(
    stretch: Callable[..., Result],
    fake_clock: FakeClock,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (home.parent / "routines" / "sided.toml").write_text(SIDED, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n1\n"))  # Enter at the switch, then fine
    voice = RecordingVoice()
    monkeypatch.setattr(Voice, "find", classmethod(lambda cls: voice))
    result = stretch("start", "sided", "--plain", "--no-rating", "--confirm-switch", "--voice")
    assert result.code == 0, result.err
    assert result.out.splitlines()[:4] == [
        "[1/1] Knee to chest: get into position, LEFT side first (2 s)",
        "[1/1] Knee to chest: hold LEFT side 5 s (1 of 1)",
        "3",
        "2",
    ]
    switch = (
        "[1/1] Knee to chest: switch sides: now the RIGHT side. Press Enter when you are ready:"
    )
    assert switch in result.out.splitlines()
    assert voice.said == [
        "Knee to chest. Start with the left side.",
        "Hold, left side.",
        "Switch sides. Now the right side. Press Enter when you are ready.",
        "Hold, right side.",
        "Pain check. One, fine. Two, sore. Three, sharp pain. Four, numbness.",
        "Done. Well done.",
    ]
    assert fake_clock.now() == 12.0  # prep and two holds; the switch waited for Enter only
    (record,) = json.loads(stretch("log", "--json").out)
    assert (record["status"], record["duration_s"]) == ("completed", 12.0)


def test_voice_runs_the_speech_command_with_the_phrase(tmp_path: Path) -> None:
    out = tmp_path / "said.txt"
    voice = Voice(["sh", "-c", f'printf "%s" "$0" > "{out}"'])  # the phrase comes as $0
    voice.say("Hold, left side.")
    assert voice._process is not None
    assert voice._process.wait(timeout=30) == 0
    assert out.read_text(encoding="utf-8") == "Hold, left side."
    missing = Voice([str(tmp_path / "no-such-speech-command")])
    missing.say("Rest.")  # a command that cannot start turns the voice off, never fails
    assert missing.command is None
