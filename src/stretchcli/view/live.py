"""``LiveScreen``: the ``Screen`` that shows a session full-screen with rich's ``Live``, on
the alternate screen: the opening screen, a frame per snapshot (``frame.SessionView``),
the closing screen. Redrawn only when something changes (or the terminal asks: a resize,
a ``fg``), from the session's one loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from stretchcli.play.answers import read_rating
from stretchcli.play.keys import Input, Suspended
from stretchcli.play.player import Snapshot
from stretchcli.play.screen import Ending
from stretchcli.routine.timeline import Timeline
from stretchcli.safe import visible
from stretchcli.view.console import FLASH_OFF, FLASH_ON
from stretchcli.view.ends import Question, closing_lines, opening_lines
from stretchcli.view.frame import SessionView
from stretchcli.view.texts import SORE_ADVICE

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

    from stretchcli.play.plan import SessionPlan

__all__ = ["LiveScreen", "SessionView"]


class LiveScreen:
    """The full-screen view on the alternate screen."""

    def __init__(self, *, console: Console | None = None) -> None:
        if console is None:
            from rich.console import Console

            console = Console(highlight=False)
        self.console = console
        self.view: SessionView | None = None
        self.notes: list[str] = []
        self._live: Live | None = None
        self._draw: Callable[[int, int], RenderableType] | None = None
        self._question: Question | None = None
        self._flashed = False

    def note(self, text: str) -> None:
        """A line on the normal screen (seen again when the session ends), and on the
        opening screen."""
        self.notes.append(text)
        self.console.file.write(visible(text) + "\n")

    @contextmanager
    def playing(self, plan: SessionPlan, timeline: Timeline) -> Iterator[object]:
        """The live view is up for the block (the alternate screen, left at its end)."""
        from rich.live import Live

        # What was said before the session (no speech command, the plan's dose) stays on
        # screen through the first exercise too, where the normal screen cannot be seen.
        self.view = SessionView(
            title=plan.title, timeline=timeline, cues=plan.cues, message=" ".join(self.notes)
        )
        self._live = Live(
            console=self.console,
            auto_refresh=False,
            screen=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        try:
            with self._live:
                yield self
        finally:
            self._live = None
            if self._flashed:
                self.flash(False)

    def opening(self) -> None:
        """The routine, its length and exercises, the keys (and soon the question)."""
        view = self.view
        assert view is not None, "opening() outside playing()"
        self._set(
            lambda width, height: _group(
                opening_lines(
                    view.title,
                    view.timeline,
                    self.notes,
                    self._question,
                    width=width,
                    height=height,
                )
            )
        )

    def ask_rating(self, when: str, keys: Input) -> int | None:
        """The 0-10 question on the screen shown (opening or closing), typed with keys."""

        def show(typed: str, problem: str) -> None:
            self._question = (when, typed, problem)
            self.redraw()

        try:
            return read_rating(keys, show)
        finally:
            self._question = None

    def show(self, snap: Snapshot) -> None:
        """Draw ``snap``. After a "sore" answer the ease-off advice stays on screen until
        the next answer: through the whole next exercise."""
        view = self.view
        assert view is not None, "show() outside playing()"
        if snap.event == "answer":
            view.message = SORE_ADVICE if snap.answer == "sore" else ""
        self._set(lambda width, height: _sized(view, width, height).render(snap))

    def closing(self, ending: Ending, keys: Input) -> None:
        """The closing screen; after a pain stop, the safety advice stays until a key."""
        self._set(
            lambda width, height: _group(
                closing_lines(ending, self._question, width=width, height=height)
            )
        )
        if ending.outcome.status == "stopped":
            while isinstance(keys.key(None, prompt=True), Suspended | None):
                pass

    def redraw(self) -> None:
        """Draw what is on screen again, at the terminal's size now."""
        if self._draw is None or self._live is None:
            return
        width, height = self.console.size
        self._live.update(self._draw(width, height), refresh=True)

    def bell(self) -> None:
        """The terminal bell."""
        self.console.bell()

    def flash(self, on: bool) -> None:
        """Reverse video on the whole screen, or back off."""
        self._flashed = on
        self.console.file.write(FLASH_ON if on else FLASH_OFF)
        self.console.file.flush()

    def _set(self, draw: Callable[[int, int], RenderableType]) -> None:
        self._draw = draw
        self.redraw()


def _sized(view: SessionView, width: int, height: int) -> SessionView:
    view.width, view.height = width, height
    return view


def _group(lines: Sequence[RenderableType]) -> RenderableType:
    from rich.console import Group

    return Group(*lines)
