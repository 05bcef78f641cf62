"""The session's screens, alone: what the live frame draws for a snapshot at each terminal
size (read as text from a recording rich console), the opening and closing screens, the
plain lines, and the end-of-session summary."""

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
from stretchcli.play.screen import Ending
from stretchcli.play.testing import FakeClock, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Step, build_timeline
from stretchcli.view.console import FLASH_OFF, FLASH_ON
from stretchcli.view.digits import big_text, big_word
from stretchcli.view.ends import closing_lines, opening_lines
from stretchcli.view.frame import SessionView
from stretchcli.view.live import LiveScreen
from stretchcli.view.plain import PlainScreen, plain_line
from stretchcli.view.summary import summary_lines
from stretchcli.view.texts import (
    CHECK_KEY_HINTS,
    KEY_HINTS,
    PAUSED_KEY_HINTS,
    READY_KEY_HINTS,
    SAFETY_ADVICE,
    SORE_ADVICE,
)

# prep 2 (left first), hold left, rest, hold left, switch, hold right, rest, hold right,
# check; then a moving exercise: prep, 10 moves of 4 s, check.
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
            },
            {"name": "Rocking", "cues": ["Rock your knees."], "moves": 10, "tempo": 4},
        ],
    }
)
TIMELINE = build_timeline(KNEE)
STEPS = TIMELINE.steps
PLAN = SessionPlan("knee", "Knee routine", TIMELINE, cues=[["Bend it.", "Breathe."], ["Rock."]])
SIZES = [(40, 12), (80, 24), (100, 30), (200, 60)]


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
    """The live frame of ``snapshot`` as the text a person reads."""
    view = SessionView(title=PLAN.title, timeline=TIMELINE, cues=PLAN.cues, message=message)
    view.width, view.height = width, height
    console = Console(file=io.StringIO(), width=width, height=height, record=True)
    console.print(view.render(snapshot))
    return console.export_text()


def block_scale(screen: str, rows_of: object, text: str) -> int:
    """The largest scale at which ``rows_of(text, scale=...)`` stands on ``screen`` (each
    row in order, on consecutive lines, centred or not); 0 when it does not."""
    lines = [line.rstrip() for line in screen.splitlines()]
    for scale in range(12, 0, -1):
        rows = [row.rstrip() for row in rows_of(text, scale=scale)]  # type: ignore[operator]
        for top in range(len(lines) - len(rows) + 1):
            if all(
                lines[top + n].endswith(row) and lines[top + n].strip() == row.strip()
                for n, row in enumerate(rows)
            ):
                return scale
    return 0


def test_a_hold_at_80x24_shows_everything_a_person_on_the_floor_needs() -> None:
    text = drawn(snap("hold", "left", 25))
    lines = text.splitlines()
    assert len(lines) == 24
    assert lines[0].startswith("Knee routine   exercise 1 of 2")
    assert lines[1].strip() == "Knee"
    assert " HOLD    LEFT side   hold 1 of 2" in lines[2]
    assert block_scale(text, big_word, "LEFT") >= 1, "the side in big letters"
    assert block_scale(text, big_text, "25") == 2, "10-row digits"
    assert "• Bend it." in text
    assert "next: rest left 5 s" in text
    assert lines[-1].strip() == KEY_HINTS[0]
    assert "left" in lines[-3] and "%" in lines[-3]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_frame_fills_the_terminal_exactly(width: int, height: int) -> None:
    for shown in (snap("hold", "left", 25), snap("check", event="prompt"), snap("prep", "left", 2)):
        lines = drawn(shown, width=width, height=height, message=SORE_ADVICE).splitlines()
        assert len(lines) == height
        assert all(len(line.rstrip()) <= width for line in lines)


def test_digits_grow_with_the_terminal_and_stay_blocks_at_40x12() -> None:
    scales = [
        block_scale(drawn(snap("hold", "left", 25), width=w, height=h), big_text, "25")
        for w, h in SIZES
    ]
    assert scales[0] >= 1, "block digits (5 rows) at 40x12"
    assert scales == sorted(scales) and scales[3] > scales[1], scales
    # The ease-off advice at 40x12 takes two lines: the digits are still blocks.
    text = drawn(snap("hold", "left", 25), width=40, height=12, message=SORE_ADVICE)
    assert block_scale(text, big_text, "25") >= 1
    assert "Sore but OK: ease off." in text


def test_the_side_is_in_big_letters_from_24_rows_on() -> None:
    assert block_scale(drawn(snap("hold", "right", 25), width=80, height=24), big_word, "RIGHT")
    large = drawn(snap("hold", "right", 25), width=200, height=60)
    assert block_scale(large, big_word, "RIGHT") > 1
    # Not on a small terminal, where the phase line names the side.
    small = drawn(snap("hold", "right", 25), width=40, height=12)
    assert "RIGHT side" in small


def test_a_pause_changes_the_whole_view() -> None:
    running = drawn(snap("hold", "left", 12))
    paused = drawn(snap("hold", "left", 12, event="pause", paused=True))
    assert " PAUSED   press space to go on" in paused
    assert block_scale(paused, big_word, "PAUSED"), "PAUSED in big letters"
    assert not block_scale(paused, big_word, "LEFT")
    assert paused.splitlines()[-1].strip() == PAUSED_KEY_HINTS[0]
    assert running.splitlines()[-1].strip() == KEY_HINTS[0]


def test_the_pain_check_lists_the_answers_its_keys_and_no_digits() -> None:
    text = drawn(snap("check", event="prompt"))
    assert "How does it feel? Press a key:" in text
    for answer in ("1  fine, just a stretch", "2  sore but OK", "3  sharp pain"):
        assert answer in text
    assert "██" not in text and "Bend it." not in text
    assert text.splitlines()[-1].strip() == CHECK_KEY_HINTS[0]


def test_a_switch_that_waits_says_what_to_do_with_the_side_in_big_letters() -> None:
    index, switch = step("switch")
    ready = Snapshot("prompt", index, Step("switch", 0, 0, "Knee", "right", ready=True), 0, 60)
    assert switch.side == "right"
    text = drawn(ready)
    assert "Press space or Enter when you are ready on the RIGHT side." in text
    assert block_scale(text, big_word, "RIGHT")
    assert text.splitlines()[-1].strip() == READY_KEY_HINTS[0]


def test_a_rest_says_which_hold_comes_next_not_which_it_is() -> None:
    text = drawn(snap("rest", "left", 5))
    assert " REST    LEFT side   before hold 2 of 2" in text


def test_a_moving_exercise_shows_the_repetition_in_big_digits() -> None:
    text = drawn(snap("move", remaining=28, move=4, moves=10))
    assert " MOVE   4 of 10" in text
    assert block_scale(text, big_text, "4/10")
    assert "0:28 left of this set" in text


def test_the_live_screen_keeps_the_ease_off_advice_through_the_next_exercise() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, height=24, force_terminal=True)
    screen = LiveScreen(console=console)
    with screen.playing(PLAN, TIMELINE):
        screen.show(snap("check", event="answer", answer="sore"))
        assert screen.view is not None and screen.view.message == SORE_ADVICE
        screen.show(snap("prep", "left", 2))
        screen.show(snap("move", remaining=28, move=4, moves=10))
        assert screen.view.message == SORE_ADVICE
        screen.show(snap("check", event="answer", answer="fine"))
        assert screen.view.message == ""
        screen.flash(True)
        screen.flash(False)
    assert "Sore but OK: ease off." in out.getvalue()
    assert out.getvalue().count(FLASH_ON) == 1
    assert out.getvalue().index(FLASH_ON) < out.getvalue().rindex(FLASH_OFF)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_opening_screen_has_the_title_the_time_and_the_question(
    width: int, height: int
) -> None:
    lines = opening_lines(
        PLAN.title,
        TIMELINE,
        ["plan week 2: holds +5 s"],
        ("before", "7", ""),
        width=width,
        height=height,
    )
    console = Console(file=io.StringIO(), width=width, height=height, record=True)
    for line in lines:
        console.print(line)
    text = console.export_text()
    assert len(text.splitlines()) <= height
    assert text.startswith("Knee routine\n2 exercises, about 3 min (2:58)")
    assert "Pain right now (before), 0-10? 7" in text
    if height >= 24:
        assert "1. Knee  hold 30 s × 2 each side" in text
        assert "2. Rocking  10 moves × 4 s" in text
        assert "plan week 2: holds +5 s" in text
        assert "b  ←   back to the start of the step" in text


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_after_a_pain_stop_the_safety_advice_is_whole_words_in_a_box(
    width: int, height: int
) -> None:
    ending = Ending(Outcome(status="stopped", started=0.0, ended=10.0), 2)
    console = Console(file=io.StringIO(), width=width, height=height, record=True)
    for line in closing_lines(ending, None, width=width, height=height):
        console.print(line)
    lines = console.export_text().splitlines()
    assert len(lines) <= height
    inside = [line.strip().strip("┃").strip() for line in lines if line.strip().startswith("┃")]
    assert " ".join(inside) == SAFETY_ADVICE
    assert any("STOP" in line and "┏" in line for line in lines)


def test_the_closing_screen_of_a_completed_session_asks_the_question_after() -> None:
    outcome = Outcome(
        status="completed",
        started=0.0,
        ended=95.0,
        paused_s=5.0,
        exercises_done=2,
        pain=[PainRecord(0, "Knee", "fine"), PainRecord(1, "Rocking", "sore")],
    )
    console = Console(file=io.StringIO(), width=80, height=24, record=True)
    for line in closing_lines(Ending(outcome, 2, 3), ("after", "", ""), width=80, height=24):
        console.print(line)
    text = console.export_text()
    assert "Session complete. Well done." in text
    assert "Exercises done: 2 of 2; time spent: 1:30 (paused 0:05)" in text
    assert "Pain before: 3 (0-10)" in text
    assert "Rocking: sore but OK" in text
    assert "Pain right now (after), 0-10?" in text


@pytest.mark.parametrize(
    ("snapshot", "line"),
    [
        (snap("prep", "left", 2), "[1/2] Knee: get into position, LEFT side first (2 s)"),
        (snap("hold", "left", 30), "[1/2] Knee: hold LEFT side 30 s (1 of 2)"),
        (snap("hold", "left", 3, event="tick"), "3"),
        (snap("hold", "left", 4, event="tick"), None),
        (snap("rest", "left", 5), "[1/2] Knee: rest 5 s"),
        (snap("switch", "right", 4), "[1/2] Knee: switch sides: now the RIGHT side (4 s)"),
        (
            snap("switch", "right", event="prompt"),
            "[1/2] Knee: switch sides: now the RIGHT side. Press Enter when you are ready:",
        ),
        (
            snap("hold", "left", 12, event="pause", paused=True),
            "paused (0:12 left in this step); Enter goes on",
        ),
        (snap("hold", "left", 12, event="resume"), "going on"),
        (snap("hold", "left", 22, event="more"), "ten more seconds: 0:22 left in this step"),
        (
            snap("check", event="prompt"),
            "[1/2] Knee: pain check. How does it feel? Type 1 fine, just a stretch, "
            "2 sore but OK, 3 sharp pain, 4 numbness or tingling spreading, then Enter:",
        ),
        (snap("check", event="answer", answer="fine"), "answer: fine, just a stretch"),
        (
            snap("move", remaining=40, move=1, moves=10),
            "[2/2] Rocking: move 10 times, 4 s each (1 of 10)",
        ),
        (snap("move", remaining=36, move=2, moves=10, event="tick"), "2 of 10"),
        (snap("move", remaining=35, move=2, moves=10, event="tick"), None),
    ],
)
def test_plain_lines(snapshot: Snapshot, line: str | None) -> None:
    assert plain_line(snapshot, TIMELINE) == line


def test_plain_lines_with_keys_say_which_key_to_press() -> None:
    paused = snap("hold", "left", 12, event="pause", paused=True)
    assert plain_line(paused, TIMELINE, keys=True) == (
        "paused (0:12 left in this step); space goes on"
    )
    check = plain_line(snap("check", event="prompt"), TIMELINE, keys=True)
    assert check is not None and check.endswith("4 numbness or tingling spreading:")
    assert "Press 1 fine" in check


def test_the_plain_screen_gives_the_cues_with_the_first_step_and_the_advice() -> None:
    out = io.StringIO()
    screen = PlainScreen(out=out)
    with screen.playing(PLAN, TIMELINE):
        screen.opening()
        screen.show(snap("prep", "left", 2))
        screen.show(snap("hold", "left", 30))
        screen.show(snap("check", event="answer", answer="sore"))
        screen.bell()  # not a terminal: no bell character
        screen.flash(True)
    assert out.getvalue().splitlines() == [
        "Knee routine: 2 exercises, about 3 min (2:58)",
        "  1. Knee: hold 30 s × 2 each side",
        "  2. Rocking: 10 moves × 4 s",
        "[1/2] Knee: get into position, LEFT side first (2 s)",
        "  - Bend it.",
        "  - Breathe.",
        "[1/2] Knee: hold LEFT side 30 s (1 of 2)",
        "answer: sore but OK",
        SORE_ADVICE,
    ]


def test_the_plain_rating_question_echoes_keys_and_asks_again() -> None:
    out = io.StringIO()
    clock = FakeClock()
    typed = ScriptedInput(clock, [(1, "1"), (2, "2"), (3, "backspace"), (4, "enter"), (5, "enter")])
    screen = PlainScreen(out=out, keys=True)
    assert screen.ask_rating("before", typed) == 1
    assert out.getvalue() == "Pain right now (before), 0-10? Enter skips, q quits: 12\b \b\n"
    wrong = ScriptedInput(clock, [(6, "1"), (7, "1"), (8, "enter"), (9, "5"), (10, "enter")])
    out.truncate(0)
    out.seek(0)
    assert screen.ask_rating("after", wrong) == 5
    assert out.getvalue().count("Pain right now (after), 0-10?") == 2
    assert "Type a whole number from 0 (no pain) to 10 (worst), or just Enter." in out.getvalue()


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
        "Exercises done: 1 of 2; time spent: 1:30 (paused 0:05)",
        "  Knee: sore but OK",
        "Pain rating: 3 before, 2 after (0-10)",
        SORE_ADVICE,
    ]


def test_the_summary_of_a_pain_stop_ends_with_the_safety_advice() -> None:
    stopped = result("stopped", [PainRecord(0, "Knee", "stop", "left")], notes=["ended by SIGTERM"])
    lines = summary_lines(PLAN, stopped)
    assert lines[:2] == ["Session stopped for pain.", "ended by SIGTERM"]
    assert lines[-2:] == ["  Knee: stopped with !", SAFETY_ADVICE]


def test_the_summary_of_a_resumed_session_says_so() -> None:
    resumed = PLAN.resumed("abc", 4)
    lines = summary_lines(resumed, result("completed", []))
    assert lines[1] == "Resumed where the last session stopped (at Knee)."


def test_the_summary_says_where_a_session_went_when_the_database_refused_it() -> None:
    saved = result("quit", [], fallback=True, saved_to="/x/s.json")
    assert summary_lines(PLAN, saved)[-1] == (
        "The history database could not be written; this session was saved to /x/s.json. "
        "Add it later with: stretch import /x/s.json"
    )


def test_a_note_before_the_session_stays_on_the_live_screen_for_the_first_exercise() -> None:
    out = io.StringIO()
    screen = LiveScreen(console=Console(file=out, width=80, height=24, force_terminal=True))
    screen.note("No speech command found; going on without voice.")
    assert out.getvalue() == "No speech command found; going on without voice.\n"
    with screen.playing(PLAN, TIMELINE):
        screen.show(snap("hold", "left", 25))
        assert screen.view is not None
        assert screen.view.message == "No speech command found; going on without voice."
        screen.show(snap("check", event="answer", answer="fine"))
        assert screen.view.message == ""
