"""The live view of a session: the whole screen for one snapshot (``SessionView``), and
``LiveScreen``, the ``Screen`` that shows it full-screen with rich's ``Live``."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from stretchcli.play.player import Snapshot
from stretchcli.routine.durations import clock_text, countdown_text
from stretchcli.routine.timeline import Step, Timeline
from stretchcli.safe import visible
from stretchcli.view.console import literal
from stretchcli.view.digits import big_text
from stretchcli.view.prompts import ask_rating
from stretchcli.view.texts import (
    CHECK_CHOICES,
    KEY_HINTS,
    PHASE_STYLE,
    PHASE_WORD,
    SORE_ADVICE,
    SWITCH_KEY_HINTS,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

    from stretchcli.play.plan import SessionPlan

# Rows of the live view besides the countdown and the cues: title, exercise, phase,
# message, progress, next step, key hints; and the cue rows kept when choosing digit size.
FRAME_ROWS = 7
MIN_CUE_ROWS = 2


@dataclass
class SessionView:
    """What the view knows besides the snapshot: the routine, its cues, a message line."""

    title: str
    timeline: Timeline
    cues: Sequence[Sequence[str]] = ()
    message: str = ""
    width: int = 80
    height: int = 24

    # --- live ---

    def render(self, snap: Snapshot) -> RenderableType:
        """The whole screen for one snapshot."""
        from rich.console import Group
        from rich.text import Text

        step = snap.step
        if step is None:
            return Text("Done.", style="bold")
        style = PHASE_STYLE[step.kind]
        head = literal(self.title, "bold")
        head.append(
            f"   exercise {step.exercise_index + 1} of {self.timeline.exercise_count}",
            style="dim",
        )
        parts: list[RenderableType] = [
            head,
            literal(step.exercise, "bold underline"),
            self._phase_line(snap, step, style),
        ]
        waits_for_switch = snap.event == "prompt" and step.kind == "switch"
        if step.kind == "check":
            parts.append(Text("How does it feel? Press a key:", style="bold"))
            parts.extend(Text(f"  {choice}") for choice in CHECK_CHOICES)
            body_rows = 1 + len(CHECK_CHOICES)
        elif waits_for_switch:
            side = (step.side or "other").upper()
            parts.append(Text(""))
            parts.append(
                Text(
                    f"Press space or Enter when you are ready on the {side} side.",
                    style="bold",
                )
            )
            parts.append(Text(""))
            body_rows = 3
        else:
            digits, body_rows = self._digits(snap, style)
            parts.extend(digits)
        cues = self.cues[step.exercise_index] if step.exercise_index < len(self.cues) else ()
        room = self.height - FRAME_ROWS - body_rows
        if step.kind in ("prep", "hold", "switch") and room > 0:
            parts.extend(_cue(cue) for cue in cues[:room])
        if self.message:
            parts.append(Text(self.message, style="bold yellow"))
        parts.append(self._progress(snap))
        parts.append(literal(f"next: {self.next_text(snap.index)}", "dim"))
        parts.append(Text(SWITCH_KEY_HINTS if waits_for_switch else KEY_HINTS, style="dim"))
        return Group(*parts)

    def _phase_line(self, snap: Snapshot, step: Step, style: str) -> RenderableType:
        from rich.text import Text

        line = Text()
        if snap.paused:
            line.append(" PAUSED ", style="bold reverse")
            line.append("  press space to go on  ")
        line.append(f" {PHASE_WORD[step.kind]} ", style=f"{style} reverse")
        if step.side and step.kind != "check":
            side = f" {step.side.upper()} side "
            if step.kind == "switch":
                line.append(f"  now change to the{side}", style="bold")
            else:
                line.append("  ")
                line.append(side, style="bold reverse")
        if step.kind in ("hold", "rest") and step.reps > 1:
            line.append(f"  hold {step.rep} of {step.reps}", style="bold")
        return line

    def _digits(self, snap: Snapshot, style: str) -> tuple[list[RenderableType], int]:
        """The countdown in big block digits, as large as the terminal allows (5, 10 or 15
        rows, centred), or bold text when even the smallest does not fit; and its height."""
        from rich.align import Align
        from rich.text import Text

        text = countdown_text(snap.remaining)
        for scale in (3, 2, 1):
            rows = big_text(text, scale=scale)
            fits_rows = len(rows) + 2 + FRAME_ROWS + MIN_CUE_ROWS <= self.height
            if fits_rows and len(rows[0]) + 2 <= self.width:
                block = Text("\n".join(rows), style=style)
                return [Text(""), Align.center(block), Text("")], len(rows) + 2
        return [Text(f"{text} s" if snap.remaining < 60 else text, style=style)], 1

    def _progress(self, snap: Snapshot) -> RenderableType:
        from rich.text import Text

        total = max(1, self.timeline.total_seconds)
        done = max(0, total - snap.left)
        width = max(10, min(50, self.width - 30))
        filled = round(width * done / total)
        bar = Text("━" * filled, style="green")
        bar.append("━" * (width - filled), style="dim")
        bar.append(f"  {round(100 * done / total)}%   {clock_text(snap.left)} left")
        return bar

    def next_text(self, index: int) -> str:
        """A few words on the step after ``index``."""
        steps = self.timeline.steps
        if index + 1 >= len(steps):
            return "the end"
        step = steps[index + 1]
        if step.exercise_index != steps[index].exercise_index:
            return step.exercise
        if step.kind == "switch":
            return f"switch to the {step.side} side"
        if step.kind == "check":
            return "pain check"
        side = f" {step.side}" if step.side else ""
        return f"{step.kind}{side} {step.seconds} s"


def _cue(cue: str) -> RenderableType:
    """A cue on one line, cut with an ellipsis where the terminal is too narrow."""
    text = literal(f"• {cue}")
    text.overflow, text.no_wrap = "ellipsis", True
    return text


class LiveScreen:
    """The full-screen view on the alternate screen; redrawn only when a snapshot comes (or
    the terminal asks: a resize, a ``fg``), from the session's one loop."""

    def __init__(self, *, console: Console | None = None, stdin: IO[str] | None = None) -> None:
        if console is None:
            from rich.console import Console

            console = Console(highlight=False)
        self.console = console
        self.stdin = sys.stdin if stdin is None else stdin
        self.view: SessionView | None = None
        self._live: Live | None = None
        self._last: Snapshot | None = None

    def note(self, text: str) -> None:
        """A line on the normal screen."""
        self.console.file.write(visible(text) + "\n")

    def ask_rating(self, when: str) -> int | None:
        """The 0-10 question as a line on the normal screen."""
        return ask_rating(when, stream=self.stdin, out=self.console.file)

    @contextmanager
    def playing(self, plan: SessionPlan, timeline: Timeline) -> Iterator[object]:
        """The live view is up for the block (the alternate screen, left at its end)."""
        from rich.live import Live

        self.view = SessionView(title=plan.title, timeline=timeline, cues=plan.cues)
        self._live = Live(
            console=self.console,
            auto_refresh=False,
            screen=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        with self._live:
            yield self
        self._live = None

    def show(self, snap: Snapshot) -> None:
        """Draw ``snap``; after a "sore" answer the ease-off advice stays until the next
        exercise begins."""
        view = self.view
        assert view is not None, "show() outside playing()"
        if snap.answer == "sore":
            view.message = SORE_ADVICE
        elif snap.event == "step" and snap.step is not None and snap.step.kind == "prep":
            view.message = ""
        self._last = snap
        self.redraw()

    def redraw(self) -> None:
        """Draw the last snapshot again, at the terminal's size now."""
        if self._last is None or self.view is None or self._live is None:
            return
        self.view.width, self.view.height = self.console.size
        self._live.update(self.view.render(self._last), refresh=True)

    def bell(self) -> None:
        """The terminal bell."""
        self.console.bell()
