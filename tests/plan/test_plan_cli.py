"""The plan from the command line with a fixed "now" (STRETCH_TODAY): plan add -> today
shows it due -> a session -> today shows it done; the dose grows after a good week; a
pain stop pauses the item until `plan resume`; the start screen; the status line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.play.testing import FakeClock

Run = Callable[..., Result]
TINY = """\
title = "Tiny"
[defaults]
prep = 0
hold = 10
reps = 1
[[exercises]]
name = "One"
"""


@pytest.fixture
def tiny(home: Path) -> str:
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.toml").write_text(TINY, encoding="utf-8")
    return "tiny"


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setenv("STRETCH_TODAY", when)
    monkeypatch.setenv("TZ", "Europe/Berlin")


def session(stretch: Run, *args: str, answers: str = "1\n") -> Result:
    import io
    import sys

    sys.stdin = io.StringIO(answers)
    try:
        return stretch("start", *args, "--plain")
    finally:
        sys.stdin = sys.__stdin__


def test_a_day_of_the_plan(
    stretch: Run, home: Path, tiny: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-12-02T09:00")
    added = stretch("plan", "add", tiny, "--times", "2", "--at", "08:00,19:00")
    assert (added.code, added.out) == (0, f"added tiny to the plan ({home / 'plan.toml'})\n")
    assert stretch("today", "--short").out == "stretch due: tiny 2\n"
    today = json.loads(stretch("today", "--json").out)
    assert today["items"][0] | {"at": None} == {
        "routine": "tiny",
        "due": 2,
        "done": 0,
        "skipped": 0,
        "left": 2,
        "reasons": [],
        "at": None,
        "extra_hold_s": 0,
        "suspended_since": None,
    }
    assert today["next_reminder"] == "2026-12-02T19:00:00+01:00"
    played = session(stretch)  # no routine: the next one due
    assert played.code == 0, played.err
    assert "Session complete. Well done." in played.out
    (record,) = json.loads(stretch("log", "--json").out)
    assert (record["routine"], record["started_at"]) == ("tiny", "2026-12-02T09:00:00+01:00")
    assert stretch("today", "--short").out == "stretch due: tiny\n"
    assert (home / "status").read_text() == "stretch due: tiny\n"
    assert session(stretch).code == 0
    assert stretch("today", "--short").out == ""
    assert (home / "status").read_text() == ""
    nothing = session(stretch)
    assert (nothing.code, nothing.err) == (
        1,
        "nothing is due today (stretch today); to stretch anyway: stretch start ROUTINE\n",
    )


def test_start_without_a_routine_or_a_plan_is_one_line(stretch: Run) -> None:
    result = stretch("start")
    assert (result.code, result.err) == (
        1,
        "no plan, so nothing is due: name a routine, e.g. stretch start lower-back\n",
    )


def test_the_hold_grows_after_a_good_week_and_the_session_says_so(
    stretch: Run, home: Path, tiny: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-11-30T09:00")  # a Monday: week 1
    stretch("plan", "add", tiny, "--hold-step", "5s", "--hold-max", "20s")
    for day in range(30, 37):
        date = f"2026-11-{day}" if day <= 30 else f"2026-12-{day - 30:02d}"
        at(monkeypatch, f"{date}T09:00")
        assert session(stretch).code == 0
    at(monkeypatch, "2026-12-07T09:00")  # week 2
    assert json.loads(stretch("today", "--json").out)["items"][0]["extra_hold_s"] == 5
    start = fake_clock.now()
    played = session(stretch)
    assert "plan week 2: holds +5 s (1 good week, at most 20 s)" in played.out
    assert fake_clock.now() - start == 15  # the 10 s hold grew to 15 s
    last = json.loads(stretch("log", "--json", "--limit", "1").out)[0]
    assert (last["extra_hold_s"], last["sides"][0]["held_s"]) == (5, 15.0)
    assert "holds +5 s" in stretch("plan").out


def test_a_pain_stop_pauses_the_item_until_resumed(
    stretch: Run, home: Path, tiny: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-12-02T09:00")
    stretch("plan", "add", tiny, "--times", "2")
    stopped = session(stretch, answers="3\n")
    assert stopped.code == 3
    today = stretch("today")
    assert "tiny is paused: a session was stopped for pain on Wed 02 Dec 09:00." in today.out
    assert "Talk to your doctor or therapist" in today.out
    assert stretch("today", "--short").out == ""
    assert "tiny is paused" in stretch().out  # the start screen says it too
    at(monkeypatch, "2026-12-03T09:00")
    assert stretch("today", "--short").out == ""
    resumed = stretch("plan", "resume", tiny)
    assert resumed.out == "tiny is due again from today; stop at once if it hurts\n"
    assert stretch("today", "--short").out == "stretch due: tiny 2\n"


def test_the_start_screen_without_a_plan_suggests_what_to_run(stretch: Run) -> None:
    result = stretch()
    assert result.code == 0
    assert "No sessions yet." in result.out
    assert "stretch start lower-back" in result.out


def test_plan_check_and_schema(stretch: Run, home: Path, tiny: str) -> None:
    (home / "plan.toml").write_text('starts = 2026-12-01\n[[items]]\nroutine = "tiny"\ntime = 2\n')
    checked = stretch("plan", "check")
    assert checked.code == 1
    assert checked.err == (
        f"{home / 'plan.toml'}: items[0].time: unknown key; did you mean times? allowed here: "
        "routine, days, times, at, progress, resumed\n"
    )
    schema = json.loads(stretch("schema", "--plan").out)
    assert schema["title"] == "stretchcli plan" and "items" in schema["properties"]


def test_plan_edit_reopens_a_bad_save_then_accepts_a_good_one(
    stretch: Run, home: Path, tiny: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fake editor: the first save leaves a typo, the second fixes it."""
    script = tmp_path / "editor.sh"
    count = tmp_path / "count"
    script.write_text(
        "#!/bin/sh\n"
        f"n=$(cat {count} 2>/dev/null || echo 0); echo $((n + 1)) > {count}\n"
        'if [ "$n" = 0 ]; then printf \'starts = 2026-12-01\\nweekz = 2\\n\' > "$1";\n'
        "else printf 'starts = 2026-12-01\\nweeks = 2\\n' > \"$1\"; fi\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdin.readline", lambda limit=-1: "y\n")
    result = stretch("plan", "edit")
    assert result.code == 0, result.err
    assert "weekz: unknown key; did you mean weeks?" in result.err
    assert count.read_text() == "2\n"
    assert (home / "plan.toml").read_text() == "starts = 2026-12-01\nweeks = 2\n"


def test_a_skip_with_a_reason_counts_as_due_and_not_done_in_adherence(
    stretch: Run, home: Path, tiny: str, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-12-02T09:00")  # a Wednesday
    stretch("plan", "add", tiny, "--times", "2")
    assert session(stretch).code == 0
    skipped = stretch("skip", tiny, "--reason", "travelling")
    assert (skipped.code, skipped.out) == (0, "recorded a skip of tiny: 0 left today\n")
    today = json.loads(stretch("today", "--json").out)["items"][0]
    assert (today["done"], today["skipped"], today["left"], today["reasons"]) == (
        1,
        1,
        0,
        ["travelling"],
    )
    at(monkeypatch, "2026-12-03T20:00")
    stats = json.loads(stretch("stats", "--json").out)
    assert stats["total_sessions"] == 1  # the skip is no session
    assert stats["plan"] == {
        "weeks": [
            {
                "week": 1,
                "start": "2026-12-02",
                "due": 4,
                "done": 1,
                "skipped": 1,
                "missed": 2,
                "reasons": ["travelling"],
            }
        ],
        "due": 4,
        "done": 1,
        "skipped": 1,
        "missed": 2,
    }
    assert "week 1  Dec 02" in stretch("stats").out
    (record,) = [r for r in json.loads(stretch("log", "--json").out) if r["status"] == "skipped"]
    assert (record["reason"], record["duration_s"]) == ("travelling", 0.0)


def test_a_skip_needs_a_reason_and_a_known_routine(stretch: Run, tiny: str) -> None:
    empty = stretch("skip", tiny, "--reason", "  ")
    assert (empty.code, empty.err) == (2, "--reason: must not be empty\n")
    unknown = stretch("skip", "nope", "--reason", "x")
    assert unknown.code == 1 and unknown.err.startswith("no routine 'nope'")
