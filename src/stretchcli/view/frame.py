"""One frame of the live session view, laid out for the terminal's size: the routine and
the step at the top, the side in big letters and the countdown in big digits in the
middle (as large as the terminal allows, centred), the cues and any advice, then progress,
what comes next and the keys of the moment at the bottom.

Every row is built here as one line of text, so the frame is exactly as tall as the
terminal (nothing wraps by surprise); advice is wrapped at word boundaries.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stretchcli.play.player import Snapshot
from stretchcli.routine.durations import clock_text, countdown_text
from stretchcli.routine.timeline import Step, Timeline
from stretchcli.view.console import literal
from stretchcli.view.digits import big_text, big_word, text_width, word_rows, word_width
from stretchcli.view.texts import (
    CHECK_CHOICES,
    CHECK_KEY_HINTS,
    KEY_HINTS,
    PAUSED_KEY_HINTS,
    PAUSED_STYLE,
    PHASE_STYLE,
    PHASE_WORD,
    READY_KEY_HINTS,
    fitting,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

# From this height on, the side is shown in big letters, and a header, the next step and
# two cues are kept before the digits grow.
ROOMY = 24
SOME_ROOM = 20


@dataclass
class SessionView:
    """What the view knows besides the snapshot: the routine, its cues, the advice that
    stays on screen (``message``), and the terminal's size."""

    title: str
    timeline: Timeline
    cues: Sequence[Sequence[str]] = ()
    message: str = ""
    width: int = 80
    height: int = 24

    def render(self, snap: Snapshot) -> RenderableType:
        """The whole screen for one snapshot."""
        from rich.console import Group
        from rich.text import Text

        step = snap.step
        if step is None:
            return Text("Done.", style="bold")
        return Group(*self.lines(snap, step))

    def lines(self, snap: Snapshot, step: Step) -> list[Text]:
        """The frame as lines, top to bottom, exactly ``height`` of them (fewer only on
        a terminal too small for the required ones)."""
        from rich.text import Text

        width, height = max(1, self.width), max(1, self.height)
        message = [Text(line, style="bold") for line in textwrap.wrap(self.message, width)]
        cues = self._cues(step)
        top = [self._exercise_line(step), self._phase_line(snap, step)]
        bottom = [self._progress(snap), self._keys(snap, step)]
        room = height - len(top) - len(bottom) - len(message)
        # A roomy terminal keeps the header, the next step and two cues before the digits
        # grow; a small one gives the digits what there is, then the rest.
        kept = 2 + min(2, len(cues)) if height >= SOME_ROOM else 0
        body = self._body(snap, step, room - kept)
        spare = room - len(body)
        if spare > 0:
            top.insert(0, self._header(step))
            spare -= 1
        if spare > 0:
            bottom.insert(1, literal(f"next: {self.next_text(snap.index)}", "dim"))
            spare -= 1
        gap = 1 if body else 0
        shown = min(len(cues), spare - gap)
        if shown > 0:
            body = [*body, *[Text("")] * gap, *cues[:shown]]
            spare -= shown + gap
        above = max(0, spare) // 2
        below = max(0, spare) - above
        blank = Text("")
        frame = [*top, *[blank] * above, *body, *[blank] * below, *message, *bottom]
        return frame[:height]

    # --- the middle: letters and digits ---

    def _body(self, snap: Snapshot, step: Step, rows: int) -> list[Text]:
        """The middle of the frame in at most ``rows`` rows."""
        from rich.text import Text

        if step.kind == "check" and snap.event in ("prompt", "answer"):
            lines = [Text("How does it feel? Press a key:", style="bold")]
            lines += [Text(f"  {choice}") for choice in CHECK_CHOICES]
            return lines[: max(0, rows)]
        if snap.event == "prompt" and step.ready:
            return self._ready(step, rows)
        return self._countdown(snap, step, rows)

    def _countdown(self, snap: Snapshot, step: Step, rows: int) -> list[Text]:
        """The big digits (a moving exercise: the repetition, "3/10"), with the side (or
        PAUSED) in big letters above them where there is room."""
        from rich.text import Text

        width = self.width
        style = "dim" if snap.paused else PHASE_STYLE[step.kind]
        if step.kind == "move":
            text, widest = f"{snap.move}/{snap.moves}", f"{snap.moves}/{snap.moves}"
            under = [Text(f"{clock_text(snap.remaining)} left of this set", justify="center")]
        else:
            text = countdown_text(snap.remaining)
            widest = countdown_text(max(snap.remaining, step.seconds))
            under = []
        word = "PAUSED" if snap.paused else (step.side or "").upper()
        letters_needed = bool(word) and self.height >= ROOMY
        letters_rows = word_rows(1) + 1 if letters_needed else 0
        # The digits: as tall as fits (at most half the terminal), the letters above them.
        largest = max(1, self.height // 10)
        for scale in range(largest, 0, -1):
            tall = 5 * scale + len(under)
            if tall + letters_rows <= rows and text_width(widest, scale=scale) <= width:
                digits = [_centred(line, width, style) for line in big_text(text, scale=scale)]
                # The letters no taller than half the digits (3 rows at the least).
                room = min(rows - tall, max(word_rows(1), (5 * scale + 1) // 2) + 1)
                letters = self._letters(word, room, snap.paused)
                return [*letters, *digits, *under]
        shown = f"{text} s" if step.kind != "move" and snap.remaining < 60 else text
        return [Text(shown, style=style, justify="center"), *under][: max(0, rows)]

    def _letters(self, word: str, rows: int, paused: bool) -> list[Text]:
        """``word`` in big letters and a blank row under them, in ``rows`` rows or fewer,
        as large as fits; none when even the smallest does not."""
        from rich.text import Text

        if not word:
            return []
        best = 0
        for scale in range(1, 20):
            if word_rows(scale) + 1 > rows or word_width(word, scale=scale) > self.width:
                break
            best = scale
        if not best:
            return []
        style = PAUSED_STYLE if paused else "bold"
        lines = [_centred(line, self.width, style) for line in big_word(word, scale=best)]
        return [*lines, Text("")]

    def _ready(self, step: Step, rows: int) -> list[Text]:
        """A prep or side switch that waits for the person: the side in big letters, and
        what to do."""
        from rich.text import Text

        side = (step.side or "").upper()
        if step.kind == "switch":
            say = f"Press space or Enter when you are ready on the {side or 'other'} side."
        else:
            where = f" on the {side} side" if side else ""
            say = f"Get into position{where}. Press space or Enter when you are ready."
        words = [
            Text(line, style="bold", justify="center") for line in textwrap.wrap(say, self.width)
        ]
        letters = self._letters(side, rows - len(words), False)
        return [*letters, *words][: max(0, rows)]

    # --- the lines around it ---

    def _header(self, step: Step) -> Text:
        head = literal(self.title, "bold")
        head.append(
            f"   exercise {step.exercise_index + 1} of {self.timeline.exercise_count}",
            style="dim",
        )
        head.no_wrap, head.overflow = True, "ellipsis"
        return head

    def _exercise_line(self, step: Step) -> Text:
        line = literal(step.exercise, "bold underline")
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _phase_line(self, snap: Snapshot, step: Step) -> Text:
        from rich.text import Text

        line = Text(no_wrap=True, overflow="ellipsis")
        if snap.paused:
            line.append(" PAUSED ", style=f"{PAUSED_STYLE} reverse")
            line.append("  press space to go on  ")
        line.append(f" {PHASE_WORD[step.kind]} ", style=f"{PHASE_STYLE[step.kind]} reverse")
        if step.side and step.kind != "check":
            side = f" {step.side.upper()} side "
            if step.kind == "switch":
                line.append(f"  now change to the{side}", style="bold")
            else:
                line.append("  ")
                line.append(side, style="bold reverse")
        if step.kind == "hold" and step.reps > 1:
            line.append(f"  hold {step.rep} of {step.reps}", style="bold")
        elif step.kind == "rest":
            line.append(f"  before hold {step.rep} of {step.reps}")
        elif step.kind == "move":
            line.append(f"  {snap.move} of {snap.moves}", style="bold")
        return line

    def _cues(self, step: Step) -> list[Text]:
        if step.kind not in ("prep", "hold", "move", "switch"):
            return []
        cues = self.cues[step.exercise_index] if step.exercise_index < len(self.cues) else ()
        lines = []
        for cue in cues:
            text = literal(f"• {cue}")
            text.overflow, text.no_wrap = "ellipsis", True
            lines.append(text)
        return lines

    def _progress(self, snap: Snapshot) -> Text:
        from rich.text import Text

        total = max(1, self.timeline.total_seconds)
        done = min(total, max(0, total - snap.left))
        tail = f"  {round(100 * done / total)}%   {clock_text(snap.left)} left"
        width = max(0, min(50, self.width - len(tail)))
        filled = round(width * done / total)
        bar = Text("━" * filled, style="green", no_wrap=True, overflow="ellipsis")
        bar.append("━" * (width - filled), style="dim")
        bar.append(tail)
        return bar

    def _keys(self, snap: Snapshot, step: Step) -> Text:
        from rich.text import Text

        hints: tuple[str, ...]
        if snap.paused:
            hints = PAUSED_KEY_HINTS
        elif step.kind == "check":
            hints = CHECK_KEY_HINTS
        elif snap.event == "prompt":
            hints = READY_KEY_HINTS
        else:
            hints = KEY_HINTS
        return Text(fitting(hints, self.width), style="dim", no_wrap=True, overflow="ellipsis")

    def next_text(self, index: int) -> str:
        """A few words on the step after ``index``."""
        steps = self.timeline.steps
        step = self.timeline.next_step(index)
        if step is None:
            return "the end"
        if step.exercise_index != steps[index].exercise_index:
            return step.exercise
        if step.kind == "switch":
            return f"switch to the {step.side} side"
        if step.kind == "check":
            return "pain check"
        side = f" {step.side}" if step.side else ""
        if step.kind == "move":
            return f"{step.moves} moves{side}"
        return f"{step.kind}{side} {step.seconds} s"


def _centred(line: str, width: int, style: str) -> Text:
    """A row of a big block, centred in ``width`` columns."""
    from rich.text import Text

    pad = max(0, (width - len(line)) // 2)
    return Text(" " * pad + line, style=style, no_wrap=True, overflow="crop")
