"""Keys from a terminal in cbreak mode, and the terminal always restored.

The terminal is put back as it was found on every way out: a normal end, ``q``, Ctrl-C,
SIGTERM, SIGHUP or an exception (``Terminal.__exit__``), and around Ctrl-Z / ``fg``
(the SIGTSTP handler restores it before stopping and sets cbreak again after).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import signal
import sys
import termios
import time
import tty
from collections import deque
from collections.abc import Callable
from types import FrameType
from typing import IO, Any

from stretchcli.errors import InputClosed
from stretchcli.play.clock import Clock
from stretchcli.play.keys import Key, Suspended, split_keys, take_stop
from stretchcli.play.signals import signals_held

SHOW_CURSOR = "\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"
ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN = "\x1b[?1049h", "\x1b[?1049l"


class Terminal:
    """A terminal session: cbreak (ISIG kept, so Ctrl-C still works), hidden cursor,
    keys read with ``select`` so the caller's loop owns the screen.

    ``on_wake`` is called after a resize or a ``fg`` so the caller can redraw.
    ``alt_screen`` says the caller draws on the alternate screen (rich ``Live(screen=True)``
    enters and leaves it): it is left around a Ctrl-Z so the shell is readable meanwhile.
    ``cursor=False`` leaves the cursor as it is (plain mode writes lines, no cursor moves).
    """

    lines = False

    def __init__(
        self,
        *,
        clock: Clock,
        fd: int | None = None,
        out: IO[str] | None = None,
        on_wake: Callable[[], None] | None = None,
        alt_screen: bool = False,
        cursor: bool = True,
    ) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self.out = sys.stdout if out is None else out
        self.clock = clock
        self.on_wake = on_wake
        self.alt_screen = alt_screen
        self.cursor = cursor
        self._saved: list[Any] | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending: deque[Key] = deque()
        self._wake_r, self._wake_w = -1, -1
        self._previous_handlers: dict[int, Any] = {}
        self._stopped_at: float | None = None

    # --- entering and leaving ---

    def __enter__(self) -> Terminal:
        self._saved = termios.tcgetattr(self.fd)
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        for sig, handler in (
            (signal.SIGTSTP, self._on_stop),
            (signal.SIGCONT, self._on_continue),
            (signal.SIGWINCH, self._on_resize),
        ):
            self._previous_handlers[sig] = signal.signal(sig, handler)
        self._enter_mode()
        return self

    def __exit__(self, *_exc: object) -> None:
        # Often reached by a Ctrl-C or SIGTERM; a second one (a user pressing Ctrl-C again)
        # must not cut the restore short and leave the terminal in cbreak mode.
        with signals_held():
            # Handlers first: a SIGCONT after the restore must not turn cbreak back on.
            for sig, handler in self._previous_handlers.items():
                signal.signal(sig, handler)
            self._previous_handlers.clear()
            self.restore()
            for fd in (self._wake_r, self._wake_w):
                if fd >= 0:
                    os.close(fd)
            self._wake_r = self._wake_w = -1

    def _enter_mode(self) -> None:
        tty.setcbreak(self.fd, termios.TCSANOW)
        if self.cursor:
            self._write(HIDE_CURSOR)

    def restore(self) -> None:
        """Put the terminal back: termios as found, cursor shown."""
        if self._saved is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        if self.cursor:
            self._write(SHOW_CURSOR)

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.out.write(text)
            self.out.flush()

    # --- signals ---

    def _on_stop(self, _signum: int, _frame: FrameType | None) -> None:
        """Ctrl-Z: restore the terminal, then really stop; on ``fg`` carry on paused."""
        self._stopped_at = self.clock.now()
        self.restore()
        if self.alt_screen:
            self._write(LEAVE_ALT_SCREEN)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        # Execution continues here after SIGCONT.
        signal.signal(signal.SIGTSTP, self._on_stop)

    def _on_continue(self, _signum: int, _frame: FrameType | None) -> None:
        if self._saved is None:
            return
        if self.alt_screen:
            self._write(ENTER_ALT_SCREEN)
        with contextlib.suppress(termios.error, OSError):
            self._enter_mode()
        if self._stopped_at is not None:
            self._pending.append(Suspended(at=self._stopped_at))
            self._stopped_at = None
        self._wake()

    def _on_resize(self, _signum: int, _frame: FrameType | None) -> None:
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"w")

    # --- keys ---

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        """The next key, or None when ``timeout`` real seconds pass without one."""
        end = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while not self._pending:
            wait = None if end is None else max(0.0, end - time.monotonic())
            readable, _, _ = select.select([self.fd, self._wake_r], [], [], wait)
            if self._wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._wake_r, 512)
                if self.on_wake is not None:
                    self.on_wake()
            if self.fd in readable:
                data = os.read(self.fd, 1024)
                if not data:
                    raise InputClosed("the terminal closed")
                self._pending.extend(split_keys(self._decoder.decode(data)))
            if not self._pending and end is not None and time.monotonic() >= end:
                return None
        return self._pending.popleft()

    def stopped(self) -> Suspended | None:
        """A stop that ``fg`` ended and no wait has handed over yet (see ``Input``)."""
        return take_stop(self._pending)
