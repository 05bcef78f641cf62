"""Plain record types shared by the session player and the history store (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PainAnswer = Literal["fine", "sore", "sharp", "numbness", "stop"]
Status = Literal["completed", "stopped", "quit"]
Source = Literal["guided", "manual", "import"]


@dataclass(frozen=True)
class SideRecord:
    """Time actually held on one side of one exercise (``side`` is None: both together)."""

    exercise_index: int
    exercise: str
    side: str | None
    held_s: float
    holds: int


@dataclass(frozen=True)
class PainRecord:
    """A pain-check answer (keys 1-4) or a stop with ``!`` for one exercise.

    ``side`` is the side being held when the answer was given, when that is known (a ``!``
    during a sided hold); None for the check after the whole exercise.
    """

    exercise_index: int
    exercise: str
    answer: PainAnswer
    side: str | None = None
