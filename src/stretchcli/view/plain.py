"""Plain mode: one line per event, no cursor movement, no colour (screen readers, pipes,
logs); ``PlainScreen`` is the ``Screen`` that writes them. Each exercise's cues come with
its first step. On a terminal keys work as in the live view (``keys=True``); from a pipe
an answer is a line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from stretchcli.play.answers import read_rating
from stretchcli.play.keys import Input
from stretchcli.play.player import Snapshot
from stretchcli.play.screen import Ending
from stretchcli.routine.durations import clock_text, seconds_text
from stretchcli.routine.timeline import Timeline
from stretchcli.safe import visible
from stretchcli.view.console import FLASH_OFF, FLASH_ON
from stretchcli.view.ends import exercise_doses, length_line, question_text
from stretchcli.view.texts import ANSWER_TEXT, CHECK_CHOICES, KEYS, SORE_ADVICE

if TYPE_CHECKING:
    from stretchcli.play.plan import SessionPlan


def plain_line(snap: Snapshot, timeline: Timeline, *, keys: bool = False) -> str | None:
    """One line per event for plain mode, or None for a snapshot that needs none.

    A hold speaks at its start and in its last 3 seconds, never every second; a moving
    exercise at each repetition. ``keys``: answers are keys (a terminal), not lines.
    """
    step = snap.step
    if snap.event == "end" or step is None:
        return None
    if snap.event == "tick":
        if step.kind == "move":
            return f"{snap.move} of {snap.moves}" if snap.starts_move and snap.move > 1 else None
        return f"{snap.remaining}" if step.kind == "hold" and snap.remaining <= 3 else None
    if snap.event == "pause":
        goes_on = "space goes on" if keys else "Enter goes on"
        return f"paused ({clock_text(snap.remaining)} left in this step); {goes_on}"
    if snap.event == "resume":
        return "going on"
    if snap.event == "more":
        return f"ten more seconds: {clock_text(snap.remaining)} left in this step"
    if snap.event == "answer" and snap.answer is not None:
        return f"answer: {ANSWER_TEXT[snap.answer]}"
    where = f"[{step.exercise_index + 1}/{timeline.exercise_count}] {step.exercise}"
    if step.kind == "check":
        choices = ", ".join(CHECK_CHOICES).replace("  ", " ")
        if keys:
            return f"{where}: pain check. How does it feel? Press {choices}:"
        return f"{where}: pain check. How does it feel? Type {choices}, then Enter:"
    side = f" {step.side.upper()} side" if step.side else ""
    ready = (
        "Press space or Enter when you are ready:" if keys else "Press Enter when you are ready:"
    )
    if step.kind == "switch" and snap.event == "prompt":
        return f"{where}: switch sides: now the{side}. {ready}"
    if step.kind == "prep" and snap.event == "prompt":
        return f"{where}: get into position{',' + side + ' first' if side else ''}. {ready}"
    length = seconds_text(step.seconds)
    what = {
        "prep": f"get into position{',' + side + ' first' if side else ''} ({length})",
        "hold": f"hold{side} {length} ({step.rep} of {step.reps})",
        "move": f"move{side} {snap.moves} times, {seconds_text(step.tempo)} each "
        f"(1 of {snap.moves})",
        "rest": f"rest {length}",
        "switch": f"switch sides: now the{side} ({length})",
    }[step.kind]
    return f"{where}: {what}"


class PlainScreen:
    """Writes ``plain_line`` for each snapshot to ``out``; the bell and the flash only
    where ``out`` is a terminal. ``keys``: the input is a terminal's keys (cbreak), so
    the lines say which key to press and what is typed is echoed."""

    def __init__(self, *, out: IO[str] | None = None, keys: bool = False) -> None:
        self.out = sys.stdout if out is None else out
        self.keys = keys
        self.timeline: Timeline | None = None
        self.plan: SessionPlan | None = None

    def note(self, text: str) -> None:
        """A line."""
        self._write(visible(text) + "\n")

    @contextmanager
    def playing(self, plan: SessionPlan, timeline: Timeline) -> Iterator[object]:
        """Lines for the block; first, with keys, what each key does."""
        self.plan, self.timeline = plan, timeline
        if self.keys:
            self._write(
                "Keys: " + "; ".join(f"{key.split()[0]} {does}" for key, does in KEYS) + "\n"
            )
        yield self

    def opening(self) -> None:
        """The routine, its length and its exercises, a line each."""
        assert self.plan is not None and self.timeline is not None
        lines = [f"{self.plan.title}: {length_line(self.timeline)}"]
        for number, (name, dose) in enumerate(exercise_doses(self.timeline), 1):
            lines.append(f"  {number}. {name}: {dose}")
        self._write("".join(visible(line) + "\n" for line in lines))

    def ask_rating(self, when: str, keys: Input) -> int | None:
        """The 0-10 question as a line; typed keys are echoed (cbreak does not), and after a
        wrong answer the question comes again on a new line."""
        prompt = f"{question_text(when)} Enter skips, q quits: "
        shown: list[str] = []  # what is typed and on the line (none yet: no prompt yet)

        def show(typed: str, problem: str) -> None:
            if problem or not shown:
                after = "\n" if shown and not keys.lines else ""
                self._write(f"{after}{problem}\n{prompt}" if problem else prompt)
                shown[:] = [""]
            elif typed.startswith(shown[0]):
                self._write(typed[len(shown[0]) :])
            else:
                self._write("\b \b" * (len(shown[0]) - len(typed)))
            shown[:] = [typed]

        try:
            return read_rating(keys, show)
        finally:
            if not keys.lines:
                self._write("\n")

    def show(self, snap: Snapshot) -> None:
        """The line for ``snap``, the exercise's cues with its first step, and the
        ease-off advice after a "sore" answer."""
        timeline = self.timeline
        assert timeline is not None, "show() outside playing()"
        line = plain_line(snap, timeline, keys=self.keys)
        if line is None:
            return
        lines = [line]
        step = snap.step
        if (
            step is not None
            and snap.event in ("step", "prompt")
            and _first_of_exercise(timeline, snap.index)
        ):
            cues = self.plan.cues if self.plan is not None else ()
            if step.exercise_index < len(cues):
                lines += [f"  - {cue}" for cue in cues[step.exercise_index]]
        if snap.answer == "sore":
            lines.append(SORE_ADVICE)
        self._write("".join(visible(text, lines=True) + "\n" for text in lines))

    def redraw(self) -> None:
        """Lines are never drawn again."""

    def bell(self) -> None:
        """The bell character, where ``out`` is a terminal."""
        if self.out.isatty():
            self._write("\a")

    def flash(self, on: bool) -> None:
        """Reverse video on the whole screen or off, where ``out`` is a terminal."""
        if self.out.isatty():
            self._write(FLASH_ON if on else FLASH_OFF)

    def closing(self, ending: Ending, keys: Input) -> None:
        """Nothing: the summary that follows says it all, and stays on screen."""

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


def _first_of_exercise(timeline: Timeline, index: int) -> bool:
    steps = timeline.steps
    return index == 0 or steps[index - 1].exercise_index != steps[index].exercise_index
