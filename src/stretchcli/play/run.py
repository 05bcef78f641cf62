"""One guided session from start to record: the session loop over a ``Screen``.

``run_session`` takes everything it uses as arguments (clock, keys, screen, voice, history,
the wall-clock start), so a test plays a whole session with a fake clock, scripted keys and
a recording screen. It asks the optional 0-10 ratings, plays the timeline (one loop: keys
and redraws), and always records the session, however it ends, before returning.
"""

from __future__ import annotations

import errno
import signal
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from stretchcli.errors import EXIT_OK, EXIT_PAIN_STOP, EXIT_QUIT, InputClosed
from stretchcli.play.keys import Input
from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Outcome, Player, Snapshot
from stretchcli.play.recorder import History, Recorded, Recorder
from stretchcli.play.screen import Screen
from stretchcli.play.signals import Terminated, signals_held, termination_signals
from stretchcli.play.sound import NO_VOICE, Voice, spoken, wants_bell

if TYPE_CHECKING:
    from stretchcli.play.clock import Clock

EXIT_FOR_STATUS = {"completed": EXIT_OK, "stopped": EXIT_PAIN_STOP, "quit": EXIT_QUIT}


class Keys(Input, Protocol):
    """A key source that is entered for the length of play (a terminal in cbreak mode, or
    lines with Ctrl-Z counted as a pause)."""

    def __enter__(self) -> object:
        """Take the input for the session."""

    def __exit__(self, *exc: object) -> None:
        """Give it back as it was."""


@dataclass(frozen=True)
class RunOptions:
    """How to play it (from the command line)."""

    quiet: bool = False
    voice: bool = False
    confirm_switch: bool = False
    rating: bool = True


@dataclass
class RunResult:
    """How the session ended and what was recorded."""

    outcome: Outcome
    recorded: Recorded
    ended_at: datetime

    @property
    def exit_code(self) -> int:
        """0 done, 3 pain stop, 130 quit (PRODUCT.md)."""
        return EXIT_FOR_STATUS[self.outcome.status or "quit"]


def run_session(
    plan: SessionPlan,
    options: RunOptions,
    *,
    clock: Clock,
    keys: Keys,
    screen: Screen,
    voice: Voice,
    history: History,
    started_at: datetime,
    session_id: str,
) -> RunResult:
    """Play the session and record it, whatever happens; the caller prints the summary."""
    if options.voice and voice.command is None:
        screen.note(NO_VOICE)
    if plan.dose_note:
        screen.note(plan.dose_note)
    player: Player | None = None
    started_clock = clock.now()
    recorder = Recorder(plan, history, clock=clock, started_at=started_at, session_id=session_id)
    recorded = recorder.recorded
    try:
        with termination_signals():
            if options.rating:
                recorded.pain_before = screen.ask_rating("before")
            # Made before play starts so that an interruption (Ctrl-C, a signal) still finds
            # what was done so far.
            player = Player(plan.timeline, clock, keys, confirm_switch=options.confirm_switch)
            # The player's timeline: with --confirm-switch its switches take no planned time.
            with keys, screen.playing(plan, player.timeline):
                _play(player, plan, options, screen=screen, voice=voice, recorder=recorder)
            if options.rating and player.outcome.status == "completed":
                recorded.pain_after = screen.ask_rating("after")
    except (KeyboardInterrupt, Terminated, InputClosed) as interruption:
        recorded.notes.append(_interruption_text(interruption))
    except OSError as error:
        # A closed terminal (its window shut: SIGHUP) fails every write with EIO, which can
        # also replace the Terminated being unwound (rich writes as the live view stops).
        if error.errno != errno.EIO:
            raise
        recorded.notes.append("the terminal closed: session quit")
    finally:
        voice.close()
        if player is None:
            outcome = Outcome(status="quit", started=started_clock, ended=clock.now())
        else:
            outcome = player.finish("quit")
        with signals_held():
            recorder.save(outcome)
    return RunResult(outcome=outcome, recorded=recorded, ended_at=recorder.ended_at(outcome))


def _play(
    player: Player,
    plan: SessionPlan,
    options: RunOptions,
    *,
    screen: Screen,
    voice: Voice,
    recorder: Recorder,
) -> None:
    """The loop: each snapshot is shown, rung, spoken and journalled, in that order."""
    previous: Snapshot | None = None
    for snap in player.play():
        screen.show(snap)
        if not options.quiet and wants_bell(previous, snap):
            screen.bell()
        voice.say(spoken(snap, plan.cues))
        recorder.step(player, snap)
        previous = snap


def _interruption_text(interruption: BaseException) -> str:
    if isinstance(interruption, Terminated):
        if interruption.signum == signal.SIGQUIT:
            return "quit with Ctrl-\\ (SIGQUIT)"
        return f"ended by {interruption}"
    if isinstance(interruption, InputClosed):
        return "input ended: session quit"
    return "quit with Ctrl-C"
