"""Draw session snapshots: a rich renderable for the live view, or one line for plain mode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stretchcli.history.record import PainAnswer
from stretchcli.output import clock_text
from stretchcli.session import Snapshot
from stretchcli.timeline import Step, Timeline

if TYPE_CHECKING:
    from rich.console import RenderableType

PHASE_STYLE = {
    "prep": "bold yellow",
    "hold": "bold green",
    "rest": "bold blue",
    "switch": "bold magenta",
    "check": "bold cyan",
}
PHASE_WORD = {
    "prep": "GET READY",
    "hold": "HOLD",
    "rest": "REST",
    "switch": "SWITCH SIDES",
    "check": "PAIN CHECK",
}
ANSWER_TEXT: dict[PainAnswer, str] = {
    "fine": "fine, just a stretch",
    "sore": "sore but OK",
    "sharp": "sharp pain",
    "numbness": "numbness or tingling spreading",
    "stop": "stopped with !",
}
CHECK_CHOICES = (
    "1  fine, just a stretch",
    "2  sore but OK",
    "3  sharp pain",
    "4  numbness or tingling spreading",
)
SORE_ADVICE = "Sore but OK: ease off. Stretch less far and move more slowly."
SAFETY_ADVICE = (
    "Stop stretching now. Sharp pain, or numbness or tingling that spreads, is a sign to stop. "
    "Talk to your doctor or therapist (physiotherapist) before you do these stretches again. "
    "Sudden leg weakness, or trouble controlling your bladder or bowels, needs medical help "
    "right away."
)
KEY_HINTS = "space pause   n next   q quit   ! stop for pain"
# At a side switch that waits for the person (--confirm-switch): space, Enter or n go on.
SWITCH_KEY_HINTS = "space or Enter go on   q quit   ! stop for pain"
# Rows of the live view besides the countdown and the cues: title, exercise, phase,
# message, progress, next step, key hints; and the cue rows kept when choosing digit size.
FRAME_ROWS = 7
MIN_CUE_ROWS = 2

# A 3-wide, 5-tall pixel font for the countdown; each pixel is drawn 2 columns wide.
_FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": ("   ", " # ", "   ", " # ", "   "),
}


def big_text(text: str, *, scale: int = 1) -> list[str]:
    """``text`` (digits and ``:``) in the block font: 5 rows per ``scale``."""
    rows: list[str] = []
    for row in range(5):
        line = " ".join(
            "".join(("██" * scale) if pixel == "#" else ("  " * scale) for pixel in _FONT[ch][row])
            for ch in text
        )
        rows.extend([line] * scale)
    return rows


def seconds_text(seconds: int) -> str:
    """A step's length in words: ``30 s``, ``2 min``, ``1 min 30 s``."""
    minutes, secs = divmod(seconds, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def countdown_text(seconds: int) -> str:
    """What the big digits show: ``45`` under a minute, ``2:05`` above."""
    if seconds < 60:
        return str(seconds)
    return clock_text(seconds)


@dataclass
class SessionView:
    """What the view knows besides the snapshot: the routine, its cues, a message line."""

    title: str
    timeline: Timeline
    cues: Sequence[Sequence[str]] = ()
    message: str = ""
    width: int = 80
    height: int = 24
    _last_line: dict[str, str] = field(default_factory=dict)

    # --- live ---

    def render(self, snap: Snapshot) -> RenderableType:
        """The whole screen for one snapshot."""
        from rich.console import Group
        from rich.text import Text

        step = snap.step
        if step is None:
            return Text("Done.", style="bold")
        style = PHASE_STYLE[step.kind]
        head = Text(self.title, style="bold")
        head.append(
            f"   exercise {step.exercise_index + 1} of {self.timeline.exercise_count}",
            style="dim",
        )
        parts: list[RenderableType] = [
            head,
            Text(step.exercise, style="bold underline"),
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
            parts.extend(Text(f"• {cue}", overflow="ellipsis", no_wrap=True) for cue in cues[:room])
        if self.message:
            parts.append(Text(self.message, style="bold yellow"))
        parts.append(self._progress(snap))
        parts.append(Text(f"next: {self.next_text(snap.index)}", style="dim"))
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

    # --- plain ---

    def plain_line(self, snap: Snapshot) -> str | None:
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
        where = f"[{step.exercise_index + 1}/{self.timeline.exercise_count}] {step.exercise}"
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
