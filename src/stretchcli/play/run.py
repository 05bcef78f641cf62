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
from typing import TYPE_CHECKING

from stretchcli.errors import EXIT_OK, EXIT_PAIN_STOP, EXIT_QUIT, EndlessInput, InputClosed
from stretchcli.play.answers import Quit
from stretchcli.play.flash import FlashingKeys
from stretchcli.play.keys import Keys
from stretchcli.play.outcome import Outcome
from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Player, Snapshot
from stretchcli.play.recorder import History, Recorded, Recorder
from stretchcli.play.screen import Ending, Screen
from stretchcli.play.signals import Terminated, signals_held, termination_signals
from stretchcli.play.sound import NO_VOICE, Voice, ending_words, spoken, wants_bell

if TYPE_CHECKING:
    from stretchcli.play.clock import Clock

__all__ = ["Keys", "RunOptions", "RunResult", "run_session"]

EXIT_FOR_STATUS = {"completed": EXIT_OK, "stopped": EXIT_PAIN_STOP, "quit": EXIT_QUIT}


@dataclass(frozen=True)
class RunOptions:
    """How to play it (from the command line)."""

    quiet: bool = False
    voice: bool = False
    confirm_switch: bool = False
    rating: bool = True
    flash: bool = False


@dataclass
class RunResult:
    """How the session ended and what was recorded; ``interrupted``: a quit (``q``,
    Ctrl-C, the end of input, a signal) ended it, even after its last step (at the
    question after it)."""

    outcome: Outcome
    recorded: Recorded
    ended_at: datetime
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """0 done, 3 pain stop, 130 quit (PRODUCT.md)."""
        if self.interrupted:
            return EXIT_QUIT
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
    """Play the session and record it, whatever happens; the caller prints the summary.

    The opening screen asks the 0-10 question before (with ``options.rating``); the closing
    one asks it after a completed session, or shows the safety advice after a pain stop.
    The session is saved before that advice waits for a key."""
    if options.voice and voice.command is None:
        screen.note(NO_VOICE)
    if plan.dose_note:
        screen.note(plan.dose_note)
    # With --confirm-switch its switches wait for a key and take no planned time.
    timeline = plan.timeline.with_untimed_switches() if options.confirm_switch else plan.timeline
    flashing = FlashingKeys(keys, screen, clock) if options.flash else None
    session_keys: Keys = flashing or keys
    player: Player | None = None
    started_clock = clock.now()
    recorder = Recorder(plan, history, clock=clock, started_at=started_at, session_id=session_id)
    recorded = recorder.recorded
    saved: list[Outcome] = []  # the outcome once it is saved
    interrupted = False

    def save(outcome: Outcome, step: int) -> None:
        with signals_held():
            recorder.save(outcome, step=step)
        saved.append(outcome)

    try:
        with termination_signals(), session_keys, screen.playing(plan, timeline):
            if options.rating:
                screen.opening()
                recorded.pain_before = screen.ask_rating("before", session_keys)
            # Made before play starts so that an interruption (Ctrl-C, a signal) still
            # finds what was done so far.
            player = Player(timeline, clock, session_keys)
            _play(
                player,
                plan,
                options,
                screen=screen,
                voice=voice,
                recorder=recorder,
                flashing=flashing,
            )
            outcome = player.outcome
            ending = Ending(outcome, timeline.exercise_count, recorded.pain_before)
            if outcome.status == "completed" and options.rating:
                screen.closing(ending, session_keys)
                recorded.pain_after = screen.ask_rating("after", session_keys)
            save(outcome, player.at)
            if outcome.status == "stopped":
                screen.closing(ending, session_keys)  # the safety advice, until a key
    except (KeyboardInterrupt, Terminated, InputClosed, Quit) as interruption:
        if not saved:  # (once saved, a key that ends the advice may also be Ctrl-C)
            interrupted = True
            recorded.notes.append(_interruption_text(interruption))
    except OSError as error:
        # A closed terminal (its window shut: SIGHUP) fails every write with EIO, which can
        # also replace the Terminated being unwound (rich writes as the live view stops).
        if error.errno != errno.EIO:
            raise
        if not saved:
            interrupted = True
            recorded.notes.append("the terminal closed: session quit")
    finally:
        voice.close()
        if not saved:
            if player is None:
                save(Outcome(status="quit", started=started_clock, ended=clock.now()), 0)
            else:
                save(player.finish("quit"), player.at)
    outcome = saved[0]
    return RunResult(outcome, recorded, recorder.ended_at(outcome), interrupted)


def _play(
    player: Player,
    plan: SessionPlan,
    options: RunOptions,
    *,
    screen: Screen,
    voice: Voice,
    recorder: Recorder,
    flashing: FlashingKeys | None,
) -> None:
    """The loop: each snapshot is shown, rung (and flashed), spoken and journalled, in that
    order."""
    previous: Snapshot | None = None
    for snap in player.play():
        screen.show(snap)
        if wants_bell(previous, snap):
            if not options.quiet:
                screen.bell()
            if flashing is not None:
                flashing.start()
        voice.say(spoken(snap, plan.cues, player.timeline))
        recorder.step(player, snap)
        previous = snap
    voice.say(ending_words(player.outcome.status))


def _interruption_text(interruption: BaseException) -> str:
    if isinstance(interruption, Terminated):
        if interruption.signum == signal.SIGQUIT:
            return "quit with Ctrl-\\ (SIGQUIT)"
        return f"ended by {interruption}"
    if isinstance(interruption, InputClosed):
        if isinstance(interruption, EndlessInput):
            return f"{interruption}: session quit"
        return "input ended: session quit"
    if isinstance(interruption, Quit):
        return "quit with q"
    return "quit with Ctrl-C"
