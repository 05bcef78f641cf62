"""Session commands: start (a routine) and hold (a quick timer)."""

import os
import shutil
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from stretchcli.cli import complete, params
from stretchcli.routine.bounds import HOLD_MAX, HOLD_MIN, PAUSE_MAX, REPS_MAX, REPS_MIN

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord
    from stretchcli.plan.today import Today
    from stretchcli.play.clock import Clock
    from stretchcli.play.lineinput import LineInput
    from stretchcli.play.plan import SessionPlan
    from stretchcli.play.resume import Interrupted


PLAIN_HELP = "One line per event: no colour, no cursor moves (for screen readers and logs)."


def plain_wanted(plain: bool) -> bool:
    """Plain mode when asked, or when stdin or stdout is not a terminal, or TERM=dumb."""
    return (
        plain
        or not sys.stdin.isatty()
        or not sys.stdout.isatty()
        or os.environ.get("TERM", "") == "dumb"
    )


def _run(
    plan: "SessionPlan",
    *,
    plain: bool,
    quiet: bool,
    voice: bool,
    rating: bool,
    flash: bool = False,
) -> NoReturn:
    """Play a session plan with the real clock, terminal and history; print the summary;
    exit with the session's code."""
    from stretchcli import paths
    from stretchcli.history.days import now_local
    from stretchcli.history.record import new_session_id
    from stretchcli.play.clock import SystemClock, speed_from_env
    from stretchcli.play.recorder import DiskHistory
    from stretchcli.play.run import Keys, RunOptions, run_session
    from stretchcli.play.screen import Screen
    from stretchcli.play.signals import signals_held
    from stretchcli.play.sound import Voice
    from stretchcli.play.terminal import Terminal
    from stretchcli.view.summary import print_summary

    plain = plain_wanted(plain)
    clock = SystemClock(speed_from_env())
    options = RunOptions(
        quiet=quiet, voice=voice, rating=rating and sys.stdin.isatty(), flash=flash
    )
    screen: Screen
    keys: Keys
    if plain:
        from stretchcli.view.plain import PlainScreen

        # On a terminal the keys work in plain mode too (cbreak; lines on stdout).
        on_terminal = sys.stdin.isatty()
        screen = PlainScreen(keys=on_terminal)
        keys = Terminal(clock=clock, cursor=False) if on_terminal else _line_input(clock)
    else:
        from stretchcli.view.live import LiveScreen

        screen = live = LiveScreen()
        keys = Terminal(clock=clock, on_wake=live.redraw, alt_screen=True)
    result = run_session(
        plan,
        options,
        clock=clock,
        keys=keys,
        screen=screen,
        voice=Voice.find() if voice else Voice(None),
        history=DiskHistory(paths.db_path()),
        started_at=now_local(),
        session_id=new_session_id(),
    )
    try:
        # The session is saved; a signal now must not turn its exit code into 143 or 129.
        with signals_held():
            print_summary(plan, result, plain=plain)
    except OSError as error:
        import errno

        if error.errno != errno.EIO:
            raise
        # The terminal was closed; the session is saved. Send what is left to /dev/null so
        # the flush at exit cannot fail too (which would change the exit code to 120).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    from stretchcli.cli.today import refresh_status

    refresh_status()
    raise SystemExit(result.exit_code)


def _line_input(clock: "Clock") -> "LineInput":
    from stretchcli.play.lineinput import LineInput

    return LineInput(clock=clock)


def start_command(
    routine: Annotated[
        str | None,
        typer.Argument(
            metavar=params.ROUTINE,
            help="A routine id or a path to a .toml file; without it, the next one due today.",
            autocompletion=complete.routine_ids,
            show_default=False,
        ),
    ] = None,
    hold: Annotated[
        int | None,
        typer.Option(
            metavar=params.DURATION,
            parser=params.duration("--hold", HOLD_MIN, HOLD_MAX),
            help="Hold time for every exercise: 30, 45s, 2m.",
        ),
    ] = None,
    reps: Annotated[
        int | None,
        typer.Option(
            metavar=params.N,
            parser=params.count("--reps", REPS_MIN, REPS_MAX),
            help="Holds per side for every exercise.",
        ),
    ] = None,
    rest: Annotated[
        int | None,
        typer.Option(
            metavar=params.DURATION,
            parser=params.duration("--rest", 0, PAUSE_MAX),
            help="Rest between holds.",
        ),
    ] = None,
    prep: Annotated[
        str | None,
        typer.Option(
            metavar=params.DURATION,
            help='Time to get into position, or "ready": wait for space or Enter.',
        ),
    ] = None,
    switch: Annotated[
        str | None,
        typer.Option(
            metavar=params.DURATION,
            help='Time to change sides, or "ready": wait for space or Enter.',
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Go on with today's last interrupted session where it stopped."
        ),
    ] = False,
    plain: Annotated[bool, typer.Option("--plain", help=PLAIN_HELP)] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell.")] = False,
    voice: Annotated[
        bool,
        typer.Option("--voice", help="Speak the exercise, the side, the holds, the last seconds."),
    ] = False,
    flash: Annotated[
        bool, typer.Option("--flash", help="Flash the screen when the bell rings.")
    ] = False,
    confirm_switch: Annotated[
        bool,
        typer.Option(
            "--confirm-switch",
            help="At each side switch, wait for space or Enter (as --switch ready).",
        ),
    ] = False,
    no_rating: Annotated[
        bool, typer.Option("--no-rating", help="Do not ask for pain 0-10 before and after.")
    ] = False,
) -> None:
    """Play a routine as a guided session: countdowns, side switches, pain checks.

    Keys: space pause, n or → next, b or ← back, + ten more seconds, q quit, ! stop for pain.
    Exit 0 done, 3 pain stop, 130 quit.

    Example: stretch start lower-back --hold 20s
    """
    from stretchcli.cli.today import load_today
    from stretchcli.play.plan import routine_plan
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.quick import dosing_options

    if confirm_switch and switch is None:
        switch = "ready"  # the first version's spelling of --switch ready
    overrides = dosing_options(hold=hold, reps=reps, rest=rest, prep=prep, switch=switch)
    plain = plain_wanted(plain)
    today = load_today()
    interrupted = None
    if resume:
        record = _interrupted(routine)
        routine = record.routine
    elif routine is None:
        routine = _next_due(today)
    loaded = load_routine(routine)
    entry = next((e for e in today.items if e.routine == loaded.source.id), None) if today else None
    if entry is not None and entry.dose.extra_hold:
        from stretchcli.view.plan import dose_text

        note = f"plan week {entry.dose.week}: {dose_text(entry)}"
        plan = routine_plan(
            loaded,
            overrides,
            grow=entry.dose.hold,
            dose_note=note,
            extra_hold_s=entry.dose.extra_hold,
        )
    else:
        plan = routine_plan(loaded, overrides)
    if resume:
        interrupted = _resumable(record, plan)
    elif sys.stdin.isatty():
        interrupted = _offer_resume(loaded.source.id, plan, plain=plain)
    if interrupted is not None:
        plan = plan.resumed(interrupted.record.id, interrupted.step)
    _run(plan, plain=plain, quiet=quiet, voice=voice, rating=not no_rating, flash=flash)


def _today_sessions() -> "list[SessionRecord]":
    """The sessions started today (local time; ``STRETCH_TODAY`` when set)."""
    from stretchcli import paths
    from stretchcli.history.days import now_local
    from stretchcli.history.store import HistoryStore

    midnight = now_local().replace(hour=0, minute=0, second=0, microsecond=0)
    with HistoryStore.open(paths.db_path(), create=False) as store:
        return store.sessions(since=midnight)


def _interrupted(routine: str | None) -> "SessionRecord":
    """`--resume`: today's last interrupted session (of ``routine``, an id or a path);
    none: one line, exit 1."""
    from stretchcli.errors import StretchError
    from stretchcli.play.resume import last_interrupted

    wanted = None
    if routine is not None:
        from stretchcli.routine.library import load_routine

        wanted = load_routine(routine).source.id
    record = last_interrupted(_today_sessions(), routine=wanted)
    if record is None:
        of = f" of {wanted}" if wanted else ""
        raise StretchError(
            f"no interrupted session{of} today to go on with; start one with: "
            f"stretch start {wanted or 'ROUTINE'}"
        )
    return record


def _resumable(record: "SessionRecord", plan: "SessionPlan") -> "Interrupted":
    """Where ``record`` goes on in ``plan``; nothing left of it: one line, exit 1."""
    from stretchcli.errors import StretchError
    from stretchcli.play.resume import Interrupted, resume_point

    step = resume_point(record, plan.timeline)
    if step is None:
        raise StretchError(
            f"today's interrupted {record.routine} session has nothing left to do; "
            f"start a new one with: stretch start {record.routine}"
        )
    return Interrupted(record, step)


def _offer_resume(routine_id: str, plan: "SessionPlan", *, plain: bool) -> "Interrupted | None":
    """When today has an interrupted session of this routine, ask whether to go on with
    it: a y/n key (plain mode: a line). ``q``, Ctrl-C or the end of input: exit 130, and
    nothing is started, so nothing is logged."""
    from stretchcli.errors import EXIT_QUIT, InputClosed
    from stretchcli.history.days import local_timezone
    from stretchcli.play.answers import Quit
    from stretchcli.play.clock import SystemClock
    from stretchcli.play.resume import Interrupted, last_interrupted, resume_point
    from stretchcli.view.prompts import ask_yes_no, resume_question

    record = last_interrupted(_today_sessions(), routine=routine_id)
    if record is None:
        return None
    step = resume_point(record, plan.timeline)
    if step is None:
        return None
    question = resume_question(record, plan.timeline, step, tz=local_timezone())
    clock = SystemClock()
    width = shutil.get_terminal_size().columns
    try:
        if plain:
            yes = ask_yes_no(question, _line_input(clock), out=sys.stdout, width=width)
        else:
            from stretchcli.play.terminal import Terminal

            with Terminal(clock=clock, cursor=False) as keys:
                yes = ask_yes_no(question, keys, out=sys.stdout, width=width)
    except (Quit, InputClosed, KeyboardInterrupt):
        raise SystemExit(EXIT_QUIT) from None
    return Interrupted(record, step) if yes else None


def hold_command(
    seconds: Annotated[
        int,
        typer.Argument(
            metavar=params.SECONDS,
            parser=params.duration(params.SECONDS, HOLD_MIN, HOLD_MAX),
            help="Hold time: 30, 45s, 2m.",
        ),
    ],
    reps: Annotated[
        int,
        typer.Option(
            metavar=params.N,
            parser=params.count("--reps", REPS_MIN, REPS_MAX),
            help="Number of holds (per side with --sides).",
        ),
    ] = 1,
    sides: Annotated[bool, typer.Option("--sides", help="Hold left, then right.")] = False,
    rest: Annotated[
        int,
        typer.Option(
            metavar=params.DURATION,
            parser=params.duration("--rest", 0, PAUSE_MAX),
            help="Rest between holds.",
        ),
    ] = 10,
    prep: Annotated[
        int,
        typer.Option(
            metavar=params.DURATION,
            parser=params.duration("--prep", 0, PAUSE_MAX),
            help="Time to get into position first.",
        ),
    ] = 0,
    plain: Annotated[bool, typer.Option("--plain", help=PLAIN_HELP)] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell.")] = False,
) -> None:
    """A quick hold timer with no routine file: it starts at once, asks nothing, and is
    logged as hold.

    Example: stretch hold 30 --reps 3 --sides
    """
    from stretchcli.play.plan import hold_plan
    from stretchcli.routine.quick import dosing_options

    dose = dosing_options(hold=seconds, reps=reps, rest=rest, prep=prep)
    plan = hold_plan(dose, sides=sides)
    _run(plan, plain=plain, quiet=quiet, voice=False, rating=False)


def _next_due(today: "Today | None") -> str:
    """The routine of the first plan item with sessions left today; none: one line, exit 1."""
    from stretchcli.errors import StretchError

    if today is None:
        raise StretchError(
            "no plan, so nothing is due: name a routine, e.g. stretch start lower-back"
        )
    if not today.left:
        raise StretchError(
            "nothing is due today (stretch today); to stretch anyway: stretch start ROUTINE"
        )
    return today.left[0].routine
