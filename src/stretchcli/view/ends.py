"""The screens around a session in the live view: the opening screen (the routine, its
total time, its exercises, the keys, and the 0-10 question) and the closing one (done,
the time, the answers, the question after; or, after a pain stop, the safety advice in a
box). Also the words both views use for them."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stretchcli.play.screen import Ending
from stretchcli.routine.durations import about_text, clock_text, seconds_text
from stretchcli.routine.timeline import Timeline
from stretchcli.view.console import literal
from stretchcli.view.texts import (
    ANSWER_TEXT,
    KEYS,
    LEAVE_KEY_HINTS,
    RATING_KEY_HINTS,
    SAFETY_ADVICE,
    SAFETY_TITLE,
    fitting,
    plural,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.panel import Panel
    from rich.text import Text

# The question and what is typed so far, and what to type after a wrong answer.
Question = tuple[str, str, str]
BOX_WIDTH = 76  # the safety box is no wider, so its lines stay short enough to read


def length_line(timeline: Timeline) -> str:
    """``4 exercises, about 11 min (11:00)``."""
    total = timeline.total_seconds
    return (
        f"{plural(timeline.exercise_count, 'exercise')}, "
        f"about {about_text(total)} ({clock_text(total)})"
    )


def exercise_doses(timeline: Timeline) -> list[tuple[str, str]]:
    """Each exercise's name and dose in a few words, from the steps played: ``hold 30 s ×
    3 each side``, ``10 moves × 4 s``."""
    doses: list[tuple[str, str]] = []
    for index in range(timeline.exercise_count):
        steps = [s for s in timeline.steps if s.exercise_index == index]
        work = [s for s in steps if s.kind in ("hold", "move")]
        if not work:
            continue
        sides = {s.side for s in work if s.side}
        each = " each side" if len(sides) > 1 else (f" {next(iter(sides))} side" if sides else "")
        first = work[0]
        if first.kind == "move":
            dose = f"{first.moves} moves × {first.tempo} s{each}"
        else:
            times = len(work) // max(1, len(sides))
            dose = f"hold {seconds_text(first.seconds)}" + (f" × {times}" if times > 1 else "")
            dose += each
        doses.append((first.exercise, dose))
    return doses


def question_text(when: str) -> str:
    """The 0-10 question."""
    return f"Pain right now ({when}), 0-10?"


def opening_lines(
    title: str,
    timeline: Timeline,
    notes: Sequence[str],
    question: Question | None,
    *,
    width: int,
    height: int,
) -> list[Text]:
    """The opening screen: what is required first (title, length, the question), then the
    keys, the notes and as many exercises as fit."""
    from rich.text import Text

    head = [literal(title, "bold"), Text(length_line(timeline))]
    asked = _question_lines(question, width)
    keys = [Text("Keys:", style="bold")]
    keys += [Text(f"  {key:<6} {does}", no_wrap=True, overflow="ellipsis") for key, does in KEYS]
    said = [literal(line, "bold") for note in notes for line in textwrap.wrap(note, width)]
    room = height - len(head) - len(asked) - 1
    middle: list[Text] = []
    for block in (said, keys):
        if block and len(block) + 1 <= room - len(middle):
            middle += [Text(""), *block]
    doses = exercise_doses(timeline)
    left = room - len(middle) - 1
    if left > 0 and doses:
        shown = doses if len(doses) <= left else doses[: max(0, left - 1)]
        lines = [Text("")]
        for number, (name, dose) in enumerate(shown, 1):
            line = literal(f"{number}. {name}", "bold")
            line.append(f"  {dose}")
            line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
        if len(shown) < len(doses):
            lines.append(Text(f"   and {len(doses) - len(shown)} more", style="dim"))
        middle = lines + middle
    blank = max(0, height - len(head) - len(middle) - len(asked))
    return [*head, *middle, *[Text("")] * blank, *asked][:height]


def closing_lines(
    ending: Ending, question: Question | None, *, width: int, height: int
) -> list[RenderableType]:
    """The closing screen: the safety advice in a box after a pain stop; else done, the
    time and the answers, and the question after."""
    from rich.text import Text

    outcome = ending.outcome
    if outcome.status == "stopped":
        box = safety_box(width)
        tall = len(_advice_lines(width)) + 2
        above: list[RenderableType] = [Text("Session stopped for pain.", style="bold")]
        above.append(Text(done_line(ending), no_wrap=True, overflow="ellipsis"))
        above = above if tall + len(above) + 1 <= height else []
        spare = max(0, height - tall - len(above) - (1 if above else 0))
        return [*[Text("")] * (spare // 2), *above, *[Text("")] * bool(above), box]
    lines: list[RenderableType] = [Text("Session complete. Well done.", style="bold green")]
    lines.append(Text(done_line(ending)))
    if ending.pain_before is not None:
        lines.append(Text(f"Pain before: {ending.pain_before} (0-10)"))
    asked = _question_lines(question, width)
    room = height - len(lines) - len(asked) - 1
    answers: list[RenderableType] = [
        literal(f"  {a.exercise}: {ANSWER_TEXT[a.answer]}") for a in outcome.pain
    ]
    if room > 0 and answers:
        lines += [Text(""), *answers[:room]]
    blank = max(0, height - len(lines) - len(asked))
    return [*lines, *[Text("")] * blank, *asked][:height]


def done_line(ending: Ending) -> str:
    """``Exercises done: 4 of 4; time spent: 11:02 (paused 0:10)``."""
    outcome = ending.outcome
    paused = f" (paused {clock_text(outcome.paused_s)})" if outcome.paused_s >= 1 else ""
    return (
        f"Exercises done: {outcome.exercises_done} of {ending.exercise_count}; "
        f"time spent: {clock_text(outcome.active_s)}{paused}"
    )


def safety_box(width: int, *, leave_hint: bool = True) -> Panel:
    """The safety advice after a pain stop, in a box marked STOP, wrapped at word
    boundaries to fit ``width`` columns."""
    from rich import box
    from rich.panel import Panel
    from rich.text import Text

    outer = _box_width(width)
    lines = _advice_lines(width)
    return Panel(
        Text("\n".join(lines), style="bold", no_wrap=True, overflow="fold"),
        title=f"[bold red] {SAFETY_TITLE} [/]",
        subtitle=fitting(LEAVE_KEY_HINTS, outer - 4) if leave_hint else None,
        box=box.HEAVY,
        border_style="red",
        width=outer,
        padding=(0, 1),
    )


def _box_width(width: int) -> int:
    return max(10, min(width, BOX_WIDTH))


def _advice_lines(width: int) -> list[str]:
    """The safety advice wrapped at word boundaries inside the box of ``width`` columns."""
    return textwrap.wrap(SAFETY_ADVICE, _box_width(width) - 4, break_long_words=False)


def _question_lines(question: Question | None, width: int) -> list[Text]:
    from rich.text import Text

    if question is None:
        return []
    when, typed, problem = question
    line = Text(question_text(when) + " ", style="bold")
    line.append(typed, style="bold reverse" if typed else "")
    line.append("_", style="blink")
    lines = [line]
    if problem:
        lines += [Text(part, style="bold") for part in textwrap.wrap(problem, width)]
    lines.append(Text(fitting(RATING_KEY_HINTS, width), style="dim"))
    return lines
