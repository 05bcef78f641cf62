"""Run a guided session: player + view + keys + sound, then record it however it ended.

``run_session`` is what `stretch start` and `stretch hold` call. It owns the terminal for
the length of the session (one loop: keys and redraws), asks the optional 0-10 pain
ratings in normal line mode, and always saves the session record before returning.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING

from stretchcli.errors import EXIT_OK, EXIT_PAIN_STOP, EXIT_QUIT, InputClosed
from stretchcli.output import clock_text
from stretchcli.session import Outcome, Player, Snapshot
from stretchcli.terminal import LineInput, Terminated, signals_held, termination_signals
from stretchcli.timeline import Timeline
from stretchcli.view import ANSWER_TEXT, SAFETY_ADVICE, SORE_ADVICE, SessionView

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcli.clock import Clock
    from stretchcli.history.journal import SessionJournal
    from stretchcli.history.record import SessionRecord

SPEECH_COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("espeak-ng", []),
    ("spd-say", ["--wait"]),
    ("say", []),
)
EXIT_FOR_STATUS = {"completed": EXIT_OK, "stopped": EXIT_PAIN_STOP, "quit": EXIT_QUIT}
# Real seconds between journal writes within one long step (a 2-minute hold, a long pause).
JOURNAL_EVERY = 15.0


@dataclass(frozen=True)
class SessionPlan:
    """What to play: a routine id and title, its compiled timeline, each exercise's cues."""

    routine_id: str
    title: str
    timeline: Timeline
    cues: Sequence[Sequence[str]] = ()


@dataclass(frozen=True)
class RunOptions:
    """How to play it (from the command line)."""

    plain: bool = False
    quiet: bool = False
    voice: bool = False
    confirm_switch: bool = False
    rating: bool = True


@dataclass
class RunResult:
    """How the session ended and what was recorded."""

    outcome: Outcome
    started_at: datetime
    ended_at: datetime
    pain_before: int | None = None
    pain_after: int | None = None
    saved_to: str = ""
    fallback: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 done, 3 pain stop, 130 quit (PRODUCT.md)."""
        return EXIT_FOR_STATUS[self.outcome.status or "quit"]


class Voice:
    """Speaks short phrases through a system speech command, without waiting for it."""

    def __init__(self, command: list[str] | None) -> None:
        self.command = command
        self._process: subprocess.Popen[bytes] | None = None

    @classmethod
    def find(cls) -> Voice:
        """The first speech command installed (espeak-ng, spd-say, say), or a silent one."""
        for name, args in SPEECH_COMMANDS:
            path = shutil.which(name)
            if path:
                return cls([path, *args])
        return cls(None)

    def say(self, text: str) -> None:
        """Speak ``text``, cutting off whatever was still being said."""
        if self.command is None or not text:
            return
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        try:
            self._process = subprocess.Popen(
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.command = None

    def close(self) -> None:
        """Let the last phrase finish in the background; reap it if it already has."""
        if self._process is not None:
            self._process.poll()


def spoken(snap: Snapshot, view: SessionView) -> str:
    """What the voice says at a snapshot (step starts and prompts only)."""
    step = snap.step
    if step is None or snap.event not in ("step", "prompt"):
        return ""
    if step.kind == "prep":
        cues = view.cues[step.exercise_index] if step.exercise_index < len(view.cues) else ()
        side = f" Start with the {step.side} side." if step.side else ""
        return " ".join([f"{step.exercise}.", *cues]) + side
    if step.kind == "switch" and snap.event == "prompt":
        return f"Switch sides. Now the {step.side} side. Press Enter when you are ready."
    if step.kind == "switch":
        return f"Switch sides. Now the {step.side} side."
    if step.kind == "hold":
        return f"Hold, {step.side} side." if step.side else "Hold."
    if step.kind == "rest":
        return "Rest."
    return "Pain check. One, fine. Two, sore. Three, sharp pain. Four, numbness."


def wants_bell(previous: Snapshot | None, snap: Snapshot) -> bool:
    """Ring at the end of every hold, at a side switch, and when a hold starts after one."""
    step = snap.step
    if previous is None or previous.step is None or snap.index == previous.index:
        return False
    ended_hold = previous.step.kind == "hold"
    after_switch = previous.step.kind == "switch" and step is not None and step.kind == "hold"
    starts_switch = step is not None and step.kind == "switch"
    return ended_hold or after_switch or starts_switch


def ask_rating(when: str, *, stream: IO[str], out: IO[str]) -> int | None:
    """Ask "pain right now, 0-10?" as a line; Enter (or end of input) skips."""
    while True:
        out.write(f"Pain right now ({when}), 0-10? Enter skips: ")
        out.flush()
        line = stream.readline()
        if not line:
            out.write("\n")
            return None
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        out.write("Type a whole number from 0 (no pain) to 10 (worst), or just Enter.\n")


def run_session(
    plan: SessionPlan,
    options: RunOptions,
    *,
    clock: Clock,
    console: Console,
    stdin: IO[str] | None = None,
) -> RunResult:
    """Play the session, record it (whatever happens), print a summary; the caller exits."""
    stdin = sys.stdin if stdin is None else stdin
    out = console.file
    voice = Voice.find() if options.voice else Voice(None)
    if options.voice and voice.command is None:
        out.write("No speech command found (espeak-ng, spd-say or say); going on without voice.\n")
    player: Player | None = None
    started_at = datetime.now().astimezone()
    started_clock = clock.now()
    result = RunResult(outcome=Outcome(), started_at=started_at, ended_at=started_at)
    recorder = _Recorder(plan, result, started_clock)
    try:
        with termination_signals():
            if options.rating:
                result.pain_before = ask_rating("before", stream=stdin, out=out)
            # Made before play starts so that an interruption (Ctrl-C, a signal) still finds
            # what was done so far; the live view gives it the terminal as its input.
            keys = LineInput(clock=clock, stream=stdin)
            player = Player(plan.timeline, clock, keys, confirm_switch=options.confirm_switch)
            # The player's timeline: with --confirm-switch its switches take no planned time.
            view = SessionView(title=plan.title, timeline=player.timeline, cues=plan.cues)
            if options.plain:
                with keys.stops_as_pauses():
                    _play_plain(player, view, out, voice, options, recorder)
            else:
                _play_live(
                    player,
                    view,
                    options,
                    clock=clock,
                    console=console,
                    voice=voice,
                    recorder=recorder,
                )
            if options.rating and player.outcome.status == "completed":
                result.pain_after = ask_rating("after", stream=stdin, out=out)
    except (KeyboardInterrupt, Terminated, InputClosed) as interruption:
        result.notes.append(_interruption_text(interruption))
    except OSError as error:
        # A closed terminal (its window shut: SIGHUP) fails every write with EIO, which can
        # also replace the Terminated being unwound (rich writes as the live view stops).
        if error.errno != errno.EIO:
            raise
        result.notes.append("the terminal closed: session quit")
    finally:
        voice.close()
        if player is None:
            outcome = Outcome(status="quit", started=started_clock, ended=clock.now())
        else:
            outcome = player.finish("quit")
        result.outcome = outcome
        result.ended_at = recorder.ended_at(outcome)
        with signals_held():
            recorder.save(outcome)
    return result


def _interruption_text(interruption: BaseException) -> str:
    if isinstance(interruption, Terminated):
        return f"ended by {interruption}"
    if isinstance(interruption, InputClosed):
        return "input ended: session quit"
    return "quit with Ctrl-C"


def _play_plain(
    player: Player,
    view: SessionView,
    out: IO[str],
    voice: Voice,
    options: RunOptions,
    recorder: _Recorder,
) -> None:
    """One line per event; no cursor movement, no colour."""
    bell = not options.quiet and out.isatty()
    previous: Snapshot | None = None
    for snap in player.play():
        line = view.plain_line(snap)
        if snap.answer == "sore":
            line = f"{line}\n{SORE_ADVICE}"
        if line is not None:
            out.write(line + "\n")
        if bell and wants_bell(previous, snap):
            out.write("\a")
        out.flush()
        voice.say(spoken(snap, view))
        recorder.step(player, snap)
        previous = snap


def _play_live(
    player: Player,
    view: SessionView,
    options: RunOptions,
    *,
    clock: Clock,
    console: Console,
    voice: Voice,
    recorder: _Recorder,
) -> None:
    """The full-screen view: one loop reads keys and redraws only when a snapshot comes."""
    from rich.live import Live

    from stretchcli.terminal import Terminal

    live = Live(
        console=console,
        auto_refresh=False,
        screen=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    current: list[Snapshot] = []

    def redraw() -> None:
        if current:
            view.width, view.height = console.size
            live.update(view.render(current[-1]), refresh=True)

    with Terminal(clock=clock, on_wake=redraw, alt_screen=True) as terminal, live:
        player.keys = terminal
        previous: Snapshot | None = None
        for snap in player.play():
            if snap.answer == "sore":
                view.message = SORE_ADVICE
            elif snap.event == "step" and snap.step is not None and snap.step.kind == "prep":
                view.message = ""
            current.append(snap)
            del current[:-1]
            redraw()
            if not options.quiet and wants_bell(previous, snap):
                console.bell()
            voice.say(spoken(snap, view))
            recorder.step(player, snap)
            previous = snap


class _Recorder:
    """Records the session: into its journal at every step while it runs (so that even a
    kill or a power cut does not lose it, see journal.py), into the history at its end."""

    def __init__(self, plan: SessionPlan, result: RunResult, started_clock: float) -> None:
        self.plan = plan
        self.result = result
        self.started_clock = started_clock
        self.session_id: str | None = None
        self.journal: SessionJournal | None = None
        self.written = 0.0  # time.monotonic() of the last journal write

    def ended_at(self, outcome: Outcome) -> datetime:
        """The wall-clock end of the session (or of what there is of it so far)."""
        spent = max(0.0, (outcome.ended or 0.0) - (outcome.started or self.started_clock))
        return self.result.started_at + timedelta(seconds=spent)

    def step(self, player: Player, snap: Snapshot) -> None:
        """At each step, answer, pause or resume, and every ``JOURNAL_EVERY`` seconds of a
        long countdown: the record so far, as it would be if the session ended now, into
        the journal. The first call also loads what saving needs while the first step
        counts down, so the end is not kept waiting for it."""
        now = time.monotonic()
        if snap.event == "tick" and now - self.written < JOURNAL_EVERY:
            return
        self.written = now
        from stretchcli import paths
        from stretchcli.history import journal, save  # noqa: F401 (save: loaded now, not at the end)

        if self.journal is None:
            self.journal = journal.SessionJournal(journal.folder_for(paths.db_path()), self._id())
        self.journal.write(self.record(player.so_far(), note=journal.RECOVERED_NOTE))

    def save(self, outcome: Outcome) -> None:
        """Record the finished session; if the database cannot take it, a JSON file keeps
        it. The journal holds the final record until then, should the save be cut short."""
        from stretchcli import paths
        from stretchcli.history.save import save_session

        record = self.record(outcome)
        if self.journal is not None:
            self.journal.write(record)
        saved = save_session(record, paths.db_path())
        if self.journal is not None:
            self.journal.close()
        self.result.saved_to = str(saved.path)
        self.result.fallback = not saved.in_database
        if saved.problem:
            self.result.notes.append(saved.problem)

    def record(self, outcome: Outcome, *, note: str = "") -> SessionRecord:
        """The history record of ``outcome``."""
        from stretchcli.history.record import SessionRecord, SideRecord

        result = self.result
        return SessionRecord(
            id=self._id(),
            routine=self.plan.routine_id,
            title=self.plan.title,
            started_at=result.started_at,
            ended_at=self.ended_at(outcome),
            duration_s=round(outcome.active_s, 3),
            status=outcome.status or "quit",
            source="guided",
            pain_before=result.pain_before,
            pain_after=result.pain_after,
            sides=tuple(
                SideRecord(
                    exercise_index=h.exercise_index,
                    exercise=h.exercise,
                    side=h.side,
                    held_s=round(h.held_s, 3),
                    holds=h.holds,
                )
                for h in outcome.held
            ),
            pain=tuple(outcome.pain),
            note=note,
        )

    def _id(self) -> str:
        if self.session_id is None:
            from stretchcli.history.record import new_session_id

            self.session_id = new_session_id()
        return self.session_id


def summary_lines(plan: SessionPlan, result: RunResult) -> list[str]:
    """The end-of-session summary, as plain lines."""
    outcome = result.outcome
    status = outcome.status or "quit"
    headline = {
        "completed": "Session complete. Well done.",
        "stopped": "Session stopped for pain.",
        "quit": "Session quit.",
    }[status]
    lines = [headline, *result.notes]
    lines.append(
        f"Exercises done: {outcome.exercises_done} of {plan.timeline.exercise_count}; "
        f"time spent: {clock_text(outcome.active_s)}"
        + (f" (paused {clock_text(outcome.paused_s)})" if outcome.paused_s >= 1 else "")
    )
    for answer in outcome.pain:
        lines.append(f"  {answer.exercise}: {ANSWER_TEXT[answer.answer]}")
    if result.pain_before is not None or result.pain_after is not None:
        before = "-" if result.pain_before is None else result.pain_before
        after = "-" if result.pain_after is None else result.pain_after
        lines.append(f"Pain rating: {before} before, {after} after (0-10)")
    if any(a.answer == "sore" for a in outcome.pain) and status != "stopped":
        lines.append(SORE_ADVICE)
    if status == "stopped":
        lines.append(SAFETY_ADVICE)
    if result.fallback:
        lines.append(
            f"The history database could not be written; this session was saved to "
            f"{result.saved_to}. Add it later with: stretch import {result.saved_to}"
        )
    return lines
