"""The ``Screen`` protocol: everything the session loop shows or asks a person goes through
it. The view implements it twice (a rich live view and plain lines); tests record it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Snapshot
from stretchcli.routine.timeline import Timeline


class Screen(Protocol):
    """Where a session is shown."""

    def note(self, text: str) -> None:
        """One line outside play (before the session starts or after it ends)."""

    def ask_rating(self, when: str) -> int | None:
        """Ask "pain right now, 0-10?" (``when``: before / after); None when skipped.
        Raises ``InputClosed`` when the input has ended."""

    def playing(self, plan: SessionPlan, timeline: Timeline) -> AbstractContextManager[object]:
        """The screen belongs to the session for the block; ``timeline`` is the one played
        (switches that wait for a key take no planned time in it)."""

    def show(self, snap: Snapshot) -> None:
        """Show one snapshot."""

    def redraw(self) -> None:
        """Draw the last snapshot again (the terminal was resized or came back from Ctrl-Z)."""

    def bell(self) -> None:
        """Ring (end of a hold, a side switch)."""
