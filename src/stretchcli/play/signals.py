"""Signals during a session: SIGTERM, SIGHUP and SIGQUIT (Ctrl-\\) unwind like Ctrl-C, and
are held off while the terminal is restored and the record is saved."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType


class Terminated(BaseException):
    """SIGTERM, SIGHUP or SIGQUIT arrived; unwinds like Ctrl-C so every ``finally`` runs
    (SIGQUIT's default, a core dump, would leave the terminal in cbreak mode)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def termination_signals() -> Iterator[None]:
    """Within the block, SIGTERM, SIGHUP and SIGQUIT raise ``Terminated`` (so cleanup runs)."""
    previous = {sig: signal.signal(sig, _raise_terminated) for sig in _TERMINATING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_TERMINATING = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Within the block, Ctrl-C, Ctrl-\\, SIGTERM and SIGHUP are ignored: used while the
    terminal is restored and the session record is written, so a second interruption cannot
    cut either short."""
    held = (signal.SIGINT, *_TERMINATING)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in held}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
