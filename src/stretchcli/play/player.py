"""Play a timeline against a clock and an input source, as a stream of plain-data snapshots.

No rich and no terminal code here: the player asks its ``Input`` for keys (with a timeout
in real seconds), reads the time from its ``Clock``, and yields a ``Snapshot`` whenever
something visible changes. Each step ends at a deadline computed from the previous one,
so a routine of any length finishes on time however long each wait took.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Literal

from stretchcli.history.record import PainAnswer, PainRecord, Status
from stretchcli.play.clock import Clock
from stretchcli.play.keys import ENTER, NEXT, PAIN_STOP, PAUSE, QUIT, RIGHT, Input, Key, Suspended
from stretchcli.routine.timeline import Step, Timeline

Event = Literal["step", "tick", "pause", "resume", "prompt", "answer", "end"]

ANSWERS: dict[str, PainAnswer] = {"1": "fine", "2": "sore", "3": "sharp", "4": "numbness"}
STOPPING_ANSWERS: frozenset[PainAnswer] = frozenset({"sharp", "numbness", "stop"})
# Below this, a deadline counts as reached (float noise after waiting exactly the time left).
_EPSILON = 1e-6
# The keys a countdown acts on; any other is ignored there.
_COUNTDOWN_KEYS = frozenset({PAUSE, NEXT, RIGHT, QUIT, PAIN_STOP})


@dataclass(frozen=True)
class Snapshot:
    """What the session looks like at one moment; the view draws it, tests compare it.

    ``remaining`` is the whole seconds shown for the current step (rounded up), ``left``
    the planned whole seconds left in the session, including ``remaining``.
    """

    event: Event
    index: int
    step: Step | None
    remaining: int
    left: int
    paused: bool = False
    answer: PainAnswer | None = None


@dataclass
class HeldTime:
    """Time held on one side of one exercise (pauses excluded) and the holds completed."""

    exercise_index: int
    exercise: str
    side: str | None
    held_s: float = 0.0
    holds: int = 0


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


class _Stop(Exception):
    """Internal: the session ends now (quit or pain stop)."""


class Player:
    """Walks a timeline; ``play()`` yields snapshots, ``outcome`` says what happened.

    If ``play()`` is interrupted (Ctrl-C, a signal), call ``finish(status)`` so the time
    of a hold in progress is counted and the outcome gets its end time and status.
    """

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        keys: Input,
        *,
        confirm_switch: bool = False,
    ) -> None:
        # A confirmed switch waits for the person, so it has no time in the plan.
        self.timeline = timeline.with_untimed_switches() if confirm_switch else timeline
        self.clock = clock
        self.keys = keys
        self.confirm_switch = confirm_switch
        self.outcome = Outcome()
        self._hold: tuple[Step, float] | None = None  # hold in progress and its deadline
        self._pause_started: float | None = None

    # --- the stream ---

    def play(self) -> Iterator[Snapshot]:
        """Yield snapshots until the session ends; the last one has event ``end``."""
        outcome = self.outcome
        outcome.started = start = self.clock.now()
        try:
            for index, step in enumerate(self.timeline.steps):
                # A step that waits for a person moves the schedule on by that wait only
                # (question shown to answer): a late wake or drawing the frames is absorbed
                # as in a countdown, so many checks do not add a few ms each to the end.
                if step.kind == "check":
                    start += yield from self._check(index, step)
                elif step.kind == "switch" and self.confirm_switch:
                    start += yield from self._wait_for_go(index, step)
                else:
                    start = yield from self._timed(index, step, start)
                if self._last_timed_step(index):
                    outcome.exercises_done = step.exercise_index + 1
        except _Stop:
            pass
        self.finish(outcome.status or "completed")
        yield Snapshot("end", len(self.timeline.steps), None, 0, 0)

    def so_far(self) -> Outcome:
        """What ``finish("quit")`` would give now, leaving this player as it is."""
        twin = copy.copy(self)
        twin.outcome = copy.deepcopy(self.outcome)
        return twin.finish("quit")

    def finish(self, status: Status) -> Outcome:
        """Close the outcome: count a hold in progress, end any pause, set status and end."""
        outcome = self.outcome
        now = self.clock.now()
        if self._hold is not None:
            step, deadline = self._hold
            at = now if self._pause_started is None else self._pause_started
            self._count_hold(step, step.seconds - max(0.0, deadline - at), complete=False)
            self._hold = None
        if self._pause_started is not None:
            outcome.paused_s += now - self._pause_started
            self._pause_started = None
        if outcome.status is None:
            outcome.status = status
        if outcome.ended is None:
            outcome.ended = now
        if outcome.started is not None:
            # Sums of many pauses can exceed the session by a rounding error.
            outcome.paused_s = min(outcome.paused_s, outcome.ended - outcome.started)
        return outcome

    # --- steps ---

    def _timed(self, index: int, step: Step, start: float) -> Generator[Snapshot, None, float]:
        """A countdown step. Returns the start of the next step: this deadline when it ran
        out (so no wait's lateness carries over), or now when it was skipped."""
        deadline = start + step.seconds
        if step.kind == "hold":
            self._hold = (step, deadline)
        # Since when this step has run: its start, or its last resume.
        running_since = start
        shown = max(0, math.ceil(deadline - self.clock.now() - _EPSILON))
        yield self._snap("step", index, step, shown)
        drawn = True  # a frame was drawn since keys were last read
        while True:
            # A stop that came while a frame was drawn is known before the time is read:
            # a stop longer than the time left must not end the step as done.
            key: Key | None = self.keys.stopped()
            if key is None:
                left = deadline - self.clock.now()
                now_shown = math.ceil(left - _EPSILON)
                if drawn and (left <= _EPSILON or now_shown != shown):
                    # Drawing took a whole tick or more (a high STRETCH_SPEED, a slow
                    # terminal): no wait comes before the next frame, so look for a key
                    # now, or q, ! and space would wait until the frames keep up.
                    drawn = False
                    key = self.keys.key(0.0)
                    while isinstance(key, str) and key not in _COUNTDOWN_KEYS:
                        key = self.keys.key(0.0)  # ignored: the one after it may count
                if key is None:
                    if left <= _EPSILON:
                        self._end_hold(step, complete=True)
                        return deadline
                    if now_shown != shown:
                        shown = now_shown
                        yield self._snap("tick", index, step, shown)
                        drawn = True
                        continue  # (a stop while it was drawn)
                    # Sleep until the digits change (or a key comes), never longer. Time
                    # left is read again: drawing the tick took some; the digits must not
                    # change late.
                    until_change = max(0.0, deadline - self.clock.now() - (shown - 1))
                    key = self.keys.key(self.clock.to_real(until_change))
                    drawn = False
                    if key is None:
                        continue
            if isinstance(key, Suspended) or key == PAUSE:
                now = self.clock.now()
                # A stop is a pause from the moment the process stopped, never before this
                # step ran (an earlier step's or pause's time would count twice) nor after
                # now.
                paused_at = (
                    min(max(key.at, running_since), now) if isinstance(key, Suspended) else now
                )
                remaining = max(0.0, deadline - paused_at)
                action = yield from self._paused(index, step, paused_at, remaining)
                running_since = self.clock.now()
                deadline = running_since + remaining
                if step.kind == "hold":
                    self._hold = (step, deadline)
                if action == NEXT:
                    key = NEXT
                else:
                    # What the resume shows is what is on screen: no repeated tick after it.
                    shown = max(0, math.ceil(remaining - _EPSILON))
                    yield self._snap("resume", index, step, shown)
                    drawn = True
                    continue
            if key in (NEXT, RIGHT):
                self._end_hold(step, complete=False)
                return self.clock.now()
            self._stop_keys(key, step)

    def _paused(
        self, index: int, step: Step, since: float, remaining: float
    ) -> Generator[Snapshot, None, str]:
        """Wait while paused; returns ``NEXT`` when the step is skipped, else ``PAUSE``."""
        self._pause_started = since
        yield self._snap("pause", index, step, math.ceil(remaining - _EPSILON), paused=True)
        while True:
            key = self.keys.key(None)
            if key == PAUSE or key in (NEXT, RIGHT):
                now = self.clock.now()
                self.outcome.paused_s += now - since
                self._pause_started = None
                return NEXT if key in (NEXT, RIGHT) else PAUSE
            if isinstance(key, str):
                self._stop_keys(key, step)

    def _check(self, index: int, step: Step) -> Generator[Snapshot, None, float]:
        """The pain check after an exercise: wait for 1-4 (or ``!``, ``q``). Returns how
        long the question was shown before the answer came (clock seconds)."""
        since = self.clock.now()
        yield self._snap("prompt", index, step, 0)
        asked = self.clock.now()
        while True:
            key, since = self._prompt_key(since)
            answer = ANSWERS.get(key.strip()[:1]) if key.strip() else None
            if answer is None:
                self._stop_keys(key.strip()[:1], step)
                if key.strip():
                    yield self._snap("prompt", index, step, 0)  # asked again
                continue
            answered = self.clock.now()
            self.outcome.pain.append(PainRecord(step.exercise_index, step.exercise, answer))
            yield self._snap("answer", index, step, 0, answer=answer)
            if answer in STOPPING_ANSWERS:
                self.outcome.status = "stopped"
                raise _Stop
            return answered - asked

    def _wait_for_go(self, index: int, step: Step) -> Generator[Snapshot, None, float]:
        """A side switch that waits for space, Enter or ``n`` instead of counting down.
        Returns how long it waited (clock seconds)."""
        since = self.clock.now()
        yield self._snap("prompt", index, step, 0)
        asked = self.clock.now()
        while True:
            key, since = self._prompt_key(since)
            if key in (PAUSE, ENTER, NEXT, RIGHT, ""):
                return self.clock.now() - asked
            self._stop_keys(key.strip()[:1], step)

    # --- helpers ---

    def _prompt_key(self, since: float) -> tuple[str, float]:
        """The next key while a question waits. A stop (Ctrl-Z) meanwhile is paused time,
        not time spent (the question still waits, so the schedule moves on by it all the
        same); ``since`` is the earliest a stop can have begun, and is returned moved past
        any stop counted."""
        while True:
            key = self.keys.key(None, prompt=True)
            if isinstance(key, Suspended):
                now = self.clock.now()
                self.outcome.paused_s += now - min(max(key.at, since), now)
                since = now
            elif key is not None:
                return key, since

    def _stop_keys(self, key: str, step: Step) -> None:
        """``q`` quits and ``!`` stops for pain, at any moment; other keys do nothing."""
        if key == QUIT:
            self.outcome.status = "quit"
            raise _Stop
        if key == PAIN_STOP:
            self.outcome.pain.append(
                PainRecord(step.exercise_index, step.exercise, "stop", step.side)
            )
            self.outcome.status = "stopped"
            raise _Stop

    def _end_hold(self, step: Step, *, complete: bool) -> None:
        if step.kind != "hold" or self._hold is None:
            return
        _, deadline = self._hold
        self._hold = None
        held = step.seconds if complete else step.seconds - max(0.0, deadline - self.clock.now())
        self._count_hold(step, held, complete=complete)

    def _count_hold(self, step: Step, held: float, *, complete: bool) -> None:
        for record in self.outcome.held:
            if record.exercise_index == step.exercise_index and record.side == step.side:
                break
        else:
            record = HeldTime(step.exercise_index, step.exercise, step.side)
            self.outcome.held.append(record)
        record.held_s += max(0.0, min(float(step.seconds), held))
        # A skip or quit that lands on the deadline (a key read with the last wait) still
        # held the whole time: count the hold, so ``holds`` agrees with ``held_s``.
        record.holds += int(complete or held >= step.seconds - _EPSILON)

    def _snap(
        self,
        event: Event,
        index: int,
        step: Step,
        remaining: int,
        *,
        paused: bool = False,
        answer: PainAnswer | None = None,
    ) -> Snapshot:
        left = remaining + self.timeline.seconds_after(index)
        return Snapshot(event, index, step, remaining, left, paused, answer)

    def _last_timed_step(self, index: int) -> bool:
        """Whether step ``index`` ends its exercise's countdowns (a check or another exercise
        comes next, or nothing)."""
        steps = self.timeline.steps
        if steps[index].kind == "check":
            return True
        if index + 1 == len(steps):
            return True
        following = steps[index + 1]
        return following.kind == "check" or following.exercise_index != steps[index].exercise_index
