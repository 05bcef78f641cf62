"""Plain mode: one line per event, no cursor movement, no colour (screen readers, pipes,
logs); ``PlainScreen`` is the ``Screen`` that writes them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from stretchcli.play.player import Snapshot
from stretchcli.routine.durations import clock_text, seconds_text
from stretchcli.routine.timeline import Timeline
from stretchcli.safe import visible
from stretchcli.view.prompts import ask_rating
from stretchcli.view.texts import ANSWER_TEXT, CHECK_CHOICES, SORE_ADVICE

if TYPE_CHECKING:
    from stretchcli.play.plan import SessionPlan


def plain_line(snap: Snapshot, timeline: Timeline) -> str | None:
    """One line per event for plain mode, or None for a snapshot that needs none.

    A hold speaks at its start and in its last 3 seconds, never every second.
    """
    step = snap.step
    if snap.event == "end" or step is None:
        return None
    if snap.event == "tick":
        return f"{snap.remaining}" if step.kind == "hold" and snap.remaining <= 3 else None
    if snap.event == "pause":
        return f"paused ({clock_text(snap.remaining)} left in this step); Enter goes on"
    if snap.event == "resume":
        return "going on"
    if snap.event == "answer" and snap.answer is not None:
        return f"answer: {ANSWER_TEXT[snap.answer]}"
    where = f"[{step.exercise_index + 1}/{timeline.exercise_count}] {step.exercise}"
    if step.kind == "check":
        choices = ", ".join(CHECK_CHOICES).replace("  ", " ")
        return f"{where}: pain check. How does it feel? Type {choices}, then Enter:"
    side = f" {step.side.upper()} side" if step.side else ""
    if step.kind == "switch" and snap.event == "prompt":
        return f"{where}: switch sides: now the{side}. Press Enter when you are ready:"
    length = seconds_text(step.seconds)
    what = {
        "prep": f"get into position{',' + side + ' first' if side else ''} ({length})",
        "hold": f"hold{side} {length} ({step.rep} of {step.reps})",
        "rest": f"rest {length}",
        "switch": f"switch sides: now the{side} ({length})",
    }[step.kind]
    return f"{where}: {what}"


class PlainScreen:
    """Writes ``plain_line`` for each snapshot to ``out``; the bell only where ``out`` is a
    terminal."""

    def __init__(self, *, out: IO[str] | None = None, stdin: IO[str] | None = None) -> None:
        self.out = sys.stdout if out is None else out
        self.stdin = sys.stdin if stdin is None else stdin
        self.timeline: Timeline | None = None

    def note(self, text: str) -> None:
        """A line."""
        self.out.write(visible(text) + "\n")

    def ask_rating(self, when: str) -> int | None:
        """The 0-10 question as a line."""
        return ask_rating(when, stream=self.stdin, out=self.out)

    @contextmanager
    def playing(self, plan: SessionPlan, timeline: Timeline) -> Iterator[object]:
        """Lines for the block."""
        self.timeline = timeline
        yield self

    def show(self, snap: Snapshot) -> None:
        """The line for ``snap`` (and the ease-off advice after a "sore" answer)."""
        assert self.timeline is not None, "show() outside playing()"
        line = plain_line(snap, self.timeline)
        if snap.answer == "sore":
            line = f"{line}\n{SORE_ADVICE}"
        if line is not None:
            self.out.write(visible(line, lines=True) + "\n")
        self.out.flush()

    def redraw(self) -> None:
        """Lines are never drawn again."""

    def bell(self) -> None:
        """The bell character, where ``out`` is a terminal."""
        if self.out.isatty():
            self.out.write("\a")
            self.out.flush()
