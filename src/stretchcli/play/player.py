"""Play a timeline against a clock and an input source, as a stream of plain-data snapshots.

No rich and no terminal code here: the player asks its ``Input`` for keys (with a timeout
in real seconds), reads the time from its ``Clock``, and yields a ``Snapshot`` whenever
something visible changes. Each step ends at a deadline computed from the previous one,
so a routine of any length finishes on time however long each wait took; the repetitions
of a moving exercise are counted from that deadline too, so 100 of them do not drift.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Literal

from stretchcli.errors import InputClosed
from stretchcli.history.record import PainAnswer, PainRecord, Status
from stretchcli.play.clock import Clock
from stretchcli.play.keys import (
    BACK,
    END,
    ENTER,
    LEFT,
    MORE,
    NEXT,
    PAIN_STOP,
    PAUSE,
    QUIT,
    RIGHT,
    Input,
    Key,
    Suspended,
)
from stretchcli.play.outcome import EPSILON, HeldTime, Outcome
from stretchcli.routine.timeline import Step, Timeline

__all__ = ["ANSWERS", "Event", "HeldTime", "Outcome", "Player", "Snapshot"]

Event = Literal["step", "tick", "pause", "resume", "more", "prompt", "answer", "end"]

ANSWERS: dict[str, PainAnswer] = {"1": "fine", "2": "sore", "3": "sharp", "4": "numbness"}
STOPPING_ANSWERS: frozenset[PainAnswer] = frozenset({"sharp", "numbness", "stop"})
# The keys a countdown acts on; any other is ignored there.
_COUNTDOWN_KEYS = frozenset({PAUSE, NEXT, RIGHT, BACK, LEFT, MORE, QUIT, PAIN_STOP})
# `b` within this many seconds of a step's start goes to the step before it.
BACK_WINDOW = 2.0
# `+` adds this many seconds to the step (whole repetitions in a moving exercise).
MORE_SECONDS = 10
# How a step ended: on to the next one, back to its own start, back to the step before.
Go = Literal["next", "again", "back"]


@dataclass(frozen=True)
class Snapshot:
    """What the session looks like at one moment; the view draws it, tests compare it.

    ``remaining`` is the whole seconds shown for the current step (rounded up), ``left``
    the planned whole seconds left in the session, including ``remaining``. In a moving
    exercise ``move`` is the repetition under way, of ``moves``.
    """

    event: Event
    index: int
    step: Step | None
    remaining: int
    left: int
    paused: bool = False
    answer: PainAnswer | None = None
    move: int = 0
    moves: int = 0

    @property
    def starts_move(self) -> bool:
        """Whether a repetition of a moving exercise begins at this snapshot."""
        step = self.step
        if step is None or step.kind != "move" or not step.tempo:
            return False
        return (self.moves * step.tempo - self.remaining) % step.tempo == 0


@dataclass
class _Countdown:
    """The countdown under way: its deadline and its planned length (``+`` adds to it)."""

    step: Step
    deadline: float
    length: int


class _Stop(Exception):
    """Internal: the session ends now (quit or pain stop)."""


class Player:
    """Walks a timeline; ``play()`` yields snapshots, ``outcome`` says what happened.

    If ``play()`` is interrupted (Ctrl-C, a signal), call ``finish(status)`` so the time
    of a hold in progress is counted and the outcome gets its end time and status.
    ``at`` is the index of the step under way (the number of steps once it is complete).
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
        self.outcome = Outcome()
        self.at = 0
        self._countdown: _Countdown | None = None  # the hold or moves under way
        self._pause_started: float | None = None

    # --- the stream ---

    def play(self) -> Iterator[Snapshot]:
        """Yield snapshots until the session ends; the last one has event ``end``."""
        outcome = self.outcome
        outcome.started = start = self.clock.now()
        steps = self.timeline.steps
        try:
            while self.at < len(steps):
                index, step = self.at, steps[self.at]
                # A step that waits for a person moves the schedule on by that wait only
                # (question shown to answer): a late wake or drawing the frames is absorbed
                # as in a countdown, so many checks do not add a few ms each to the end.
                if step.waits:
                    waited, go = yield from self._wait(index, step)
                    start += waited
                else:
                    start, go = yield from self._timed(index, step, start)
                if go != "next":
                    self.at = self._back_to(index, go)
                    start = self.clock.now()
                    continue
                if self._last_timed_step(index):
                    outcome.exercises_done = max(outcome.exercises_done, step.exercise_index + 1)
                self.at += 1
        except _Stop:
            pass
        self.finish(outcome.status or "completed")
        yield Snapshot("end", len(steps), None, 0, 0)

    def so_far(self) -> Outcome:
        """What ``finish("quit")`` would give now, leaving this player as it is."""
        twin = copy.copy(self)
        twin.outcome = copy.deepcopy(self.outcome)
        return twin.finish("quit")

    def finish(self, status: Status) -> Outcome:
        """Close the outcome: count a hold in progress, end any pause, set status and end."""
        outcome = self.outcome
        now = self.clock.now()
        if self._countdown is not None:
            at = now if self._pause_started is None else self._pause_started
            self._end_countdown(complete=False, at=at)
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

    def _timed(
        self, index: int, step: Step, start: float
    ) -> Generator[Snapshot, None, tuple[float, Go]]:
        """A countdown step. Returns the start of the next step (this deadline when it ran
        out, so no wait's lateness carries over; now when it was skipped or left with
        ``b``) and where to go from here."""
        run = _Countdown(step, start + step.seconds, step.seconds)
        if step.kind in ("hold", "move"):
            self._countdown = run
        # Since when this step has run: its start, or its last resume.
        running_since = start
        shown = max(0, math.ceil(run.deadline - self.clock.now() - EPSILON))
        yield self._snap("step", index, step, shown)
        drawn = True  # a frame was drawn since keys were last read
        while True:
            # A stop that came while a frame was drawn is known before the time is read:
            # a stop longer than the time left must not end the step as done.
            key: Key | None = self.keys.stopped()
            if key is None:
                left = run.deadline - self.clock.now()
                now_shown = math.ceil(left - EPSILON)
                if drawn and (left <= EPSILON or now_shown != shown):
                    # Drawing took a whole tick or more (a high STRETCH_SPEED, a slow
                    # terminal): no wait comes before the next frame, so look for a key
                    # now, or q, ! and space would wait until the frames keep up.
                    drawn = False
                    key = self.keys.key(0.0)
                    while isinstance(key, str) and key not in _COUNTDOWN_KEYS:
                        key = self.keys.key(0.0)  # ignored: the one after it may count
                if key is None:
                    if left <= EPSILON:
                        self._end_countdown(complete=True)
                        return run.deadline, "next"
                    if now_shown != shown:
                        shown = now_shown
                        yield self._snap("tick", index, step, shown)
                        drawn = True
                        continue  # (a stop while it was drawn)
                    # Sleep until the digits change (or a key comes), never longer. Time
                    # left is read again: drawing the tick took some; the digits must not
                    # change late.
                    until_change = max(0.0, run.deadline - self.clock.now() - (shown - 1))
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
                run.deadline = paused_at + max(0.0, run.deadline - paused_at)
                action = yield from self._paused(index, run, paused_at)
                running_since = self.clock.now()
                run.deadline = running_since + max(0.0, run.deadline - paused_at)
                if action != PAUSE:
                    key = action
                else:
                    # What the resume shows is what is on screen: no repeated tick after it.
                    shown = max(0, math.ceil(run.deadline - running_since - EPSILON))
                    yield self._snap("resume", index, step, shown)
                    drawn = True
                    continue
            if key in (NEXT, RIGHT):
                self._end_countdown(complete=False)
                return self.clock.now(), "next"
            if key in (BACK, LEFT):
                done = run.length - max(0.0, run.deadline - self.clock.now())
                self._end_countdown(complete=False)
                return self.clock.now(), "back" if done < BACK_WINDOW else "again"
            if key == MORE:
                self._more(run)
                shown = max(0, math.ceil(run.deadline - self.clock.now() - EPSILON))
                yield self._snap("more", index, step, shown)
                drawn = True
                continue
            self._stop_keys(str(key), step)

    def _paused(self, index: int, run: _Countdown, since: float) -> Generator[Snapshot, None, str]:
        """Wait while paused (``run.deadline`` is kept as if the time stood still at
        ``since``); returns ``PAUSE`` to go on, else the key that leaves the step (next,
        back). ``+`` adds its seconds while paused too."""
        self._pause_started = since
        step = run.step

        def remaining() -> int:
            return math.ceil(run.deadline - since - EPSILON)

        yield self._snap("pause", index, step, remaining(), paused=True)
        while True:
            key = self.keys.key(None)
            if key == MORE:
                self._more(run)
                yield self._snap("more", index, step, remaining(), paused=True)
            elif key in (PAUSE, NEXT, RIGHT, BACK, LEFT):
                self.outcome.paused_s += self.clock.now() - since
                self._pause_started = None
                return str(key)
            elif isinstance(key, str):
                self._stop_keys(key, step)

    def _wait(self, index: int, step: Step) -> Generator[Snapshot, None, tuple[float, Go]]:
        """A step that waits for the person: the pain check after an exercise (1-4), or a
        prep or side switch that is ``ready`` (space, Enter or ``n`` go on). ``b`` goes
        back to the step before. Returns how long it waited (clock seconds)."""
        since = self.clock.now()
        yield self._snap("prompt", index, step, 0)
        asked = self.clock.now()
        while True:
            key, since = self._prompt_key(since)
            word = key.strip()
            if word in (BACK, LEFT):
                return self.clock.now() - asked, "back"
            if step.kind != "check":
                if key in (PAUSE, ENTER, NEXT, RIGHT, ""):
                    return self.clock.now() - asked, "next"
                self._stop_keys(word[:1], step)
                continue
            answer = ANSWERS.get(word[:1]) if word else None
            if answer is None:
                self._stop_keys(word[:1], step)
                if word:
                    yield self._snap("prompt", index, step, 0)  # asked again
                continue
            answered = self.clock.now()
            self.outcome.pain.append(PainRecord(step.exercise_index, step.exercise, answer))
            yield self._snap("answer", index, step, 0, answer=answer)
            if answer in STOPPING_ANSWERS:
                self.outcome.status = "stopped"
                raise _Stop
            return answered - asked, "next"

    # --- helpers ---

    def _back_to(self, index: int, go: Go) -> int:
        """The step ``b`` leads to: this one again, or the one before (never back over a
        pain check that was answered, nor before the first step)."""
        if go == "back" and index > 0 and self.timeline.steps[index - 1].kind != "check":
            return index - 1
        return index

    def _more(self, run: _Countdown) -> None:
        """``+``: ten more seconds; whole repetitions of a moving exercise."""
        step = run.step
        extra = MORE_SECONDS
        if step.kind == "move" and step.tempo:
            extra = step.tempo * math.ceil(MORE_SECONDS / step.tempo)
        run.deadline += extra
        run.length += extra

    def _prompt_key(self, since: float) -> tuple[str, float]:
        """The next key while a question waits. A stop (Ctrl-Z) meanwhile is paused time,
        not time spent (the question still waits, so the schedule moves on by it all the
        same); ``since`` is the earliest a stop can have begun, and is returned moved past
        any stop counted. Ctrl-D is the end of input here."""
        while True:
            key = self.keys.key(None, prompt=True)
            if isinstance(key, Suspended):
                now = self.clock.now()
                self.outcome.paused_s += now - min(max(key.at, since), now)
                since = now
            elif key == END:
                raise InputClosed("end of input")
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

    def _end_countdown(self, *, complete: bool, at: float | None = None) -> None:
        """Count the hold or the moves under way, done or cut short at ``at`` (now)."""
        run, self._countdown = self._countdown, None
        if run is None:
            return
        left = max(0.0, run.deadline - (self.clock.now() if at is None else at))
        self.outcome.count(run.step, run.length, run.length - left, complete=complete)

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
        move = moves = 0
        run = self._countdown
        if step.kind == "move" and step.tempo and run is not None:
            moves = run.length // step.tempo
            move = min(moves, (run.length - remaining) // step.tempo + 1)
        return Snapshot(event, index, step, remaining, left, paused, answer, move, moves)

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
