"""Test doubles for the session: a clock that moves only when told, keys at scripted
times, a screen that records what it was asked to show, and a history kept in memory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from stretchcli.errors import InputClosed
from stretchcli.play.keys import Key, Suspended
from stretchcli.play.player import Snapshot
from stretchcli.play.recorder import Saved

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord
    from stretchcli.play.keys import Input
    from stretchcli.play.plan import SessionPlan
    from stretchcli.play.screen import Ending
    from stretchcli.routine.timeline import Timeline


class FakeClock:
    """A clock that moves only when told to: for tests, a long routine runs instantly."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        """The current fake time."""
        return self.time

    def to_real(self, seconds: float) -> float:
        """Fake seconds are real seconds."""
        return seconds

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.time += max(0.0, seconds)


class ScriptedInput:
    """An Input for tests: keys at given clock times, driving a ``FakeClock``.

    ``script`` is a list of ``(at, key)``: the key arrives when the clock reaches ``at``.
    Waiting advances the fake clock to the next key or the timeout, whichever is first.
    With ``late`` the clock overshoots every timed wait by that much (a slow machine).
    """

    lines = False

    def __init__(
        self, clock: FakeClock, script: list[tuple[float, Key]] | None = None, late: float = 0.0
    ) -> None:
        self.clock = clock
        self.script = sorted(script or [], key=lambda item: item[0])
        self.late = late
        self.waits: list[float | None] = []

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        """Advance the fake clock; return the scripted key that falls within the wait."""
        self.waits.append(timeout)
        now = self.clock.now()
        if self.script and (timeout is None or self.script[0][0] <= now + timeout):
            at, key = self.script.pop(0)
            self.clock.advance(at - now)
            return key
        if timeout is None:
            raise InputClosed("end of input")
        self.clock.advance(timeout + self.late)
        return None

    def stopped(self) -> Suspended | None:
        """A scripted ``Suspended`` whose time has come (a stop while a frame was drawn)."""
        if self.script:
            at, stop = self.script[0]
            if isinstance(stop, Suspended) and at <= self.clock.now():
                self.script.pop(0)
                return stop
        return None

    def __enter__(self) -> ScriptedInput:
        """Nothing to take: the script is the input."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Nothing to give back."""


class RecordingScreen:
    """A ``Screen`` that keeps what it was asked to show: each call as a short tuple in
    ``calls`` (``("show", snapshot)``, ``("bell",)``, ``("note", text)``, ...), and answers
    the 0-10 ratings from ``ratings`` (None: skipped; an exception is raised, as ``Quit``
    for ``q``; ``InputClosed`` when they run out). A closing screen after a pain stop
    waits for a key, as the live view does."""

    def __init__(self, ratings: list[int | BaseException | None] | None = None) -> None:
        self.ratings = list(ratings or [])
        self.calls: list[tuple[object, ...]] = []
        self.timeline: Timeline | None = None

    @property
    def snapshots(self) -> list[Snapshot]:
        """Every snapshot shown, in order."""
        return [call[1] for call in self.calls if call[0] == "show"]  # type: ignore[misc]

    def note(self, text: str) -> None:
        """Kept."""
        self.calls.append(("note", text))

    @contextmanager
    def playing(self, plan: SessionPlan, timeline: Timeline) -> Iterator[object]:
        """Kept, with the timeline played."""
        self.timeline = timeline
        self.calls.append(("playing", plan.title))
        try:
            yield self
        finally:
            self.calls.append(("stopped",))

    def opening(self) -> None:
        """Kept."""
        self.calls.append(("opening",))

    def ask_rating(self, when: str, keys: Input) -> int | None:
        """The next scripted rating."""
        self.calls.append(("ask", when))
        if not self.ratings:
            raise InputClosed("end of input")
        rating = self.ratings.pop(0)
        if isinstance(rating, BaseException):
            raise rating
        return rating

    def show(self, snap: Snapshot) -> None:
        """Kept."""
        self.calls.append(("show", snap))

    def redraw(self) -> None:
        """Kept."""
        self.calls.append(("redraw",))

    def bell(self) -> None:
        """Kept."""
        self.calls.append(("bell",))

    def flash(self, on: bool) -> None:
        """Kept."""
        self.calls.append(("flash", on))

    def closing(self, ending: Ending, keys: Input) -> None:
        """Kept; after a pain stop, waits for a key."""
        self.calls.append(("closing", ending.outcome.status))
        if ending.outcome.status == "stopped":
            keys.key(None, prompt=True)


class MemoryJournal:
    """A journal kept in a list: every record written, and whether it was closed."""

    def __init__(self) -> None:
        self.written: list[SessionRecord] = []
        self.closed = False

    def write(self, record: SessionRecord) -> bool:
        """Kept."""
        self.written.append(record)
        return True

    def close(self) -> None:
        """Closed."""
        self.closed = True


class MemoryHistory:
    """A ``History`` kept in memory: the journals made and the records saved."""

    def __init__(self) -> None:
        self.journals: dict[str, MemoryJournal] = {}
        self.saved: list[SessionRecord] = []

    def journal(self, session_id: str) -> MemoryJournal:
        """A new journal."""
        self.journals[session_id] = MemoryJournal()
        return self.journals[session_id]

    def save(self, record: SessionRecord) -> Saved:
        """Kept; always "in the database"."""
        self.saved.append(record)
        return Saved("memory", in_database=True)
