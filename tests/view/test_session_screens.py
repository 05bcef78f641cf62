"""The session's two screens, alone: what the live view draws for a snapshot (read as text
from a recording rich console), the plain lines, and the end-of-session summary."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from stretchcli.history.record import PainRecord
from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Outcome, Snapshot
from stretchcli.play.recorder import Recorded
from stretchcli.play.run import RunResult
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Step, build_timeline
from stretchcli.view.live import LiveScreen, SessionView
from stretchcli.view.plain import PlainScreen, plain_line
from stretchcli.view.summary import summary_lines
from stretchcli.view.texts import KEY_HINTS, SAFETY_ADVICE, SORE_ADVICE, SWITCH_KEY_HINTS

# prep 2 (left first), hold left, rest, hold left, switch, hold right, rest, hold right, check.
KNEE = Routine.model_validate(
    {
        "title": "Knee routine",
        "defaults": {"prep": 2, "hold": 30, "reps": 2, "rest": 5, "switch": 4},
        "exercises": [
            {
                "name": "Knee",
                "cues": ["Bend it.", "Breathe."],
                "sides": ["left", "right"],
                "side_order": "block",
            }
        ],
    }
)
TIMELINE = build_timeline(KNEE)
STEPS = TIMELINE.steps
PLAN = SessionPlan("knee", "Knee routine", TIMELINE, cues=[["Bend it.", "Breathe."]])


def step(kind: str, side: str | None = None) -> tuple[int, Step]:
    """The index and step of the first step of that kind (and side, when given)."""
    for index, candidate in enumerate(STEPS):
        if candidate.kind == kind and side in (None, candidate.side):
            return index, candidate
    raise AssertionError(f"no {kind} step")


def snap(kind: str, side: str | None = None, remaining: int = 0, **extra: object) -> Snapshot:
    index, found = step(kind, side)
    event = extra.pop("event", "step")
    left = remaining + TIMELINE.seconds_after(index)
    return Snapshot(event, index, found, remaining, left, **extra)  # type: ignore[arg-type]


def drawn(snapshot: Snapshot, *, width: int = 80, height: int = 24, message: str = "") -> str:
    """The live view of ``snapshot`` as the text a person reads."""
    view = SessionView(title=PLAN.title, timeline=TIMELINE, cues=PLAN.cues, message=message)
    view.width, view.height = width, height
    console = Console(file=io.StringIO(), width=width, height=height, record=True)
    console.print(view.render(snapshot))
    return console.export_text()


def test_a_hold_shows_exercise_side_rep_digits_cues_progress_and_keys() -> None:
    text = drawn(snap("hold", "left", 25))
    lines = text.splitlines()
    assert lines[0].startswith("Knee routine   exercise 1 of 1")
    assert lines[1].strip() == "Knee"
    assert " HOLD    LEFT side   hold 1 of 2" in lines[2]
    assert sum("██" in line for line in lines) == 10  # "25" in 10-row block digits
    assert "• Bend it." in text and "• Breathe." in text
    assert "next: rest left 5 s" in text
    assert lines[-1].strip() == KEY_HINTS
    assert "left" in lines[-3] and "%" in lines[-3]


def test_digits_grow_with_the_terminal_and_fall_back_to_text() -> None:
    def rows(width: int, height: int) -> int:
        return sum(
            "██" in line
            for line in drawn(snap("hold", "left", 25), width=width, height=height).splitlines()
        )

    assert (rows(40, 12), rows(80, 24), rows(200, 60)) == (0, 10, 15)
    assert "25 s" in drawn(snap("hold", "left", 25), width=40, height=12)


def test_a_pause_says_so() -> None:
    text = drawn(snap("hold", "left", 12, event="pause", paused=True))
    assert " PAUSED   press space to go on" in text


def test_the_pain_check_lists_the_answers_and_no_digits() -> None:
    text = drawn(snap("check", event="prompt"))
    assert "How does it feel? Press a key:" in text
    for answer in ("1  fine, just a stretch", "2  sore but OK", "3  sharp pain"):
        assert answer in text
    assert "██" not in text and "Bend it." not in text


def test_a_switch_that_waits_says_what_to_do() -> None:
    text = drawn(snap("switch", "right", event="prompt"))
    assert "Press space or Enter when you are ready on the RIGHT side." in text
    assert text.splitlines()[-1].strip() == SWITCH_KEY_HINTS


def test_the_live_screen_keeps_the_ease_off_advice_until_the_next_exercise() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, height=24, force_terminal=True)
    screen = LiveScreen(console=console, stdin=io.StringIO())
    with screen.playing(PLAN, TIMELINE):
        screen.show(snap("check", event="answer", answer="sore"))
        assert screen.view is not None and screen.view.message == SORE_ADVICE
        screen.show(snap("hold", "left", 3))
        assert screen.view.message == SORE_ADVICE
        screen.show(snap("prep", "left", 2))
        assert screen.view.message == ""
    assert "Sore but OK: ease off." in out.getvalue()


@pytest.mark.parametrize(
    ("snapshot", "line"),
    [
        (snap("prep", "left", 2), "[1/1] Knee: get into position, LEFT side first (2 s)"),
        (snap("hold", "left", 30), "[1/1] Knee: hold LEFT side 30 s (1 of 2)"),
        (snap("hold", "left", 3, event="tick"), "3"),
        (snap("hold", "left", 4, event="tick"), None),
        (snap("rest", "left", 5), "[1/1] Knee: rest 5 s"),
        (snap("switch", "right", 4), "[1/1] Knee: switch sides: now the RIGHT side (4 s)"),
        (
            snap("switch", "right", event="prompt"),
            "[1/1] Knee: switch sides: now the RIGHT side. Press Enter when you are ready:",
        ),
        (
            snap("hold", "left", 12, event="pause", paused=True),
            "paused (0:12 left in this step); Enter goes on",
        ),
        (snap("hold", "left", 12, event="resume"), "going on"),
        (
            snap("check", event="prompt"),
            "[1/1] Knee: pain check. How does it feel? Type 1 fine, just a stretch, "
            "2 sore but OK, 3 sharp pain, 4 numbness or tingling spreading, then Enter:",
        ),
        (snap("check", event="answer", answer="fine"), "answer: fine, just a stretch"),
    ],
)
def test_plain_lines(snapshot: Snapshot, line: str | None) -> None:
    assert plain_line(snapshot, TIMELINE) == line


def test_the_plain_screen_adds_the_advice_and_rings_only_on_a_terminal() -> None:
    out = io.StringIO()
    screen = PlainScreen(out=out, stdin=io.StringIO())
    with screen.playing(PLAN, TIMELINE):
        screen.show(snap("check", event="answer", answer="sore"))
        screen.bell()
    assert out.getvalue() == f"answer: sore but OK\n{SORE_ADVICE}\n"


def result(status: str, pain: list[PainRecord], **recorded: object) -> RunResult:
    outcome = Outcome(
        status=status,  # type: ignore[arg-type]
        started=0.0,
        ended=95.0,
        paused_s=5.0,
        pain=pain,
        exercises_done=1,
    )
    started = datetime(2026, 12, 2, 8, tzinfo=UTC)
    return RunResult(outcome, Recorded(started_at=started, **recorded), started)  # type: ignore[arg-type]


def test_the_summary_of_a_completed_session() -> None:
    done = result("completed", [PainRecord(0, "Knee", "sore")], pain_before=3, pain_after=2)
    assert summary_lines(PLAN, done) == [
        "Session complete. Well done.",
        "Exercises done: 1 of 1; time spent: 1:30 (paused 0:05)",
        "  Knee: sore but OK",
        "Pain rating: 3 before, 2 after (0-10)",
        SORE_ADVICE,
    ]


def test_the_summary_of_a_pain_stop_ends_with_the_safety_advice() -> None:
    stopped = result("stopped", [PainRecord(0, "Knee", "stop", "left")], notes=["ended by SIGTERM"])
    lines = summary_lines(PLAN, stopped)
    assert lines[:2] == ["Session stopped for pain.", "ended by SIGTERM"]
    assert lines[-2:] == ["  Knee: stopped with !", SAFETY_ADVICE]


def test_the_summary_says_where_a_session_went_when_the_database_refused_it() -> None:
    saved = result("quit", [], fallback=True, saved_to="/x/s.json")
    assert summary_lines(PLAN, saved)[-1] == (
        "The history database could not be written; this session was saved to /x/s.json. "
        "Add it later with: stretch import /x/s.json"
    )
