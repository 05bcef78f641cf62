"""What a session did: the outcome the player keeps (status, times, pauses, time held and
moves done per side, pain answers), and the counting of one hold or set of moves."""

from __future__ import annotations

from dataclasses import dataclass, field

from stretchcli.history.record import PainRecord, Status
from stretchcli.routine.timeline import Step

# Below this, a deadline counts as reached (float noise after waiting exactly the time left).
EPSILON = 1e-6


@dataclass
class HeldTime:
    """Time held on one side of one exercise (pauses excluded) and the holds completed; for
    a moving exercise, the time spent moving and the repetitions done."""

    exercise_index: int
    exercise: str
    side: str | None
    held_s: float = 0.0
    holds: int = 0
    moves: int = 0


@dataclass
class Outcome:
    """What happened so far; complete once the player has yielded its ``end`` snapshot."""

    status: Status | None = None
    started: float | None = None
    ended: float | None = None
    paused_s: float = 0.0
    held: list[HeldTime] = field(default_factory=list)
    pain: list[PainRecord] = field(default_factory=list)
    exercises_done: int = 0

    @property
    def active_s(self) -> float:
        """Session time with pauses left out (clock seconds)."""
        if self.started is None or self.ended is None:
            return 0.0
        return max(0.0, self.ended - self.started - self.paused_s)

    def count(self, step: Step, length: int, done: float, *, complete: bool) -> None:
        """Count ``done`` clock seconds of a hold or a set of moves that was planned to
        last ``length`` seconds (``+`` makes it longer than its step): its time, and the
        hold or the repetitions, when done."""
        for record in self.held:
            if record.exercise_index == step.exercise_index and record.side == step.side:
                break
        else:
            record = HeldTime(step.exercise_index, step.exercise, step.side)
            self.held.append(record)
        done = max(0.0, min(float(length), done))
        record.held_s += done
        # A skip or quit that lands on the deadline (a key read with the last wait) still
        # did the whole of it: count it, so the count agrees with the time.
        whole = complete or done >= length - EPSILON
        if step.kind == "move" and step.tempo:
            record.moves += length // step.tempo if whole else int(done / step.tempo + EPSILON)
        else:
            record.holds += int(whole)
