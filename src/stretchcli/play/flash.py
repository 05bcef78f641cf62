"""``--flash``: a visual bell. At the moments the bell rings, the session loop turns the
screen to reverse video; the keys it waits on then end the flash on time, from inside the
same loop (no second thread writes to the terminal, and no wait is made longer)."""

from __future__ import annotations

from typing import Protocol

from stretchcli.play.clock import Clock
from stretchcli.play.keys import Key, Keys, Suspended

# Real seconds a flash lasts: long enough to be seen from across a room, short enough to
# read as a blink.
FLASH_SECONDS = 0.2


class Flashable(Protocol):
    """A screen that can flash."""

    def flash(self, on: bool) -> None:
        """Reverse video on, or back off."""


class FlashingKeys:
    """Wraps the session's keys: ``start`` flashes the screen, and
    the next waits for keys end the flash ``FLASH_SECONDS`` later; a key that comes
    meanwhile is handed over at once, as without a flash."""

    def __init__(self, keys: Keys, screen: Flashable, clock: Clock) -> None:
        self.keys = keys
        self.lines = keys.lines
        self.screen = screen
        self.clock = clock
        self._until: float | None = None

    def _now(self) -> float:
        return self.clock.to_real(self.clock.now())

    def start(self) -> None:
        """Flash now (a flash under way starts over)."""
        self.screen.flash(True)
        self._until = self._now() + FLASH_SECONDS

    def end(self) -> None:
        """Put the screen back, if it is flashed."""
        if self._until is not None:
            self._until = None
            self.screen.flash(False)

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        """The next key within ``timeout`` real seconds; a flash due to end within the
        wait is ended at its time, and the wait goes on for what is left of it."""
        if self._until is None:
            return self.keys.key(timeout, prompt=prompt)
        until_end = max(0.0, self._until - self._now())
        if timeout is not None and timeout <= until_end:
            return self.keys.key(timeout, prompt=prompt)
        started = self._now()
        key = self.keys.key(until_end, prompt=prompt)
        if key is not None:
            return key
        self.end()
        rest = None if timeout is None else max(0.0, timeout - (self._now() - started))
        return self.keys.key(rest, prompt=prompt)

    def stopped(self) -> Suspended | None:
        """As the keys wrapped."""
        return self.keys.stopped()

    def __enter__(self) -> object:
        return self.keys.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.end()
        self.keys.__exit__(*exc)
