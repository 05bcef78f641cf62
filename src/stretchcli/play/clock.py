"""Clocks: the protocol the session player uses, the real monotonic clock, a scaled one."""

from __future__ import annotations

import os
import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic session time in seconds, and how long that is in real seconds."""

    def now(self) -> float:
        """Seconds on this clock; only differences matter."""

    def to_real(self, seconds: float) -> float:
        """Real seconds that pass while this clock advances by ``seconds``."""


class SystemClock:
    """``time.monotonic``, optionally running ``speed`` times faster (``STRETCH_SPEED``)."""

    def __init__(self, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.monotonic()

    def now(self) -> float:
        """Scaled seconds since the clock was made."""
        return (time.monotonic() - self._origin) * self.speed

    def to_real(self, seconds: float) -> float:
        """Real seconds for ``seconds`` of this clock."""
        return seconds / self.speed


def speed_from_env() -> float:
    """``STRETCH_SPEED`` as a positive number; 1 when unset."""
    from stretchcli.errors import StretchError

    raw = os.environ.get("STRETCH_SPEED", "").strip()
    if not raw:
        return 1.0
    try:
        speed = float(raw)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= 10_000:
        raise StretchError(
            f"STRETCH_SPEED={raw!r} is not allowed: give a number above 0 and at most 10000"
        )
    return speed
