"""The ``Screen`` protocol: everything the session loop shows or asks a person goes through
it. The view implements it twice (a rich live view and plain lines); tests record it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from stretchcli.play.keys import Input
from stretchcli.play.outcome import Outcome
from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Snapshot
from stretchcli.routine.timeline import Timeline


@dataclass(frozen=True)
class Ending:
    """What the closing screen shows: how the session went so far."""

    outcome: Outcome
    exercise_count: int
    pain_before: int | None = None


class Screen(Protocol):
    """Where a session is shown."""

    def note(self, text: str) -> None:
        """One line to show before the session starts (no speech command, the plan's
        dose): on the opening screen, and on the normal screen."""

    def playing(self, plan: SessionPlan, timeline: Timeline) -> AbstractContextManager[object]:
        """The screen belongs to the session for the block, from the opening screen to the
        closing one; ``timeline`` is the one played."""

    def opening(self) -> None:
        """The opening screen: the routine, its total time, its exercises, the keys."""

    def ask_rating(self, when: str, keys: Input) -> int | None:
        """Ask "pain right now, 0-10?" (``when``: before / after) on the opening or
        closing screen; None when skipped. Raises ``answers.Quit`` for ``q`` and
        ``InputClosed`` when the input has ended (Ctrl-D)."""

    def show(self, snap: Snapshot) -> None:
        """Show one snapshot."""

    def redraw(self) -> None:
        """Draw the last snapshot again (the terminal was resized or came back from Ctrl-Z)."""

    def bell(self) -> None:
        """Ring (end of a hold, a side switch, each repetition of a moving exercise)."""

    def flash(self, on: bool) -> None:
        """The visual bell (``--flash``): reverse video on, or back off."""

    def closing(self, ending: Ending, keys: Input) -> None:
        """The closing screen: done (or stopped: the safety advice in a box, kept until a
        key where it would vanish with the screen), the time, the answers."""
