"""The `stretch` command line: thin commands that parse, call the core, render and exit.

This is the only module that imports typer. Costly imports (pydantic, rich.live, sqlite3)
happen inside the commands that need them, so `stretch --help` and `--version` stay fast.

No `from __future__ import annotations` here: typer reads every command's annotations
when it builds the command line, and string annotations cost it a compile and two evals
each (~5 ms of every command's start-up). A type only imported for checking is quoted.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer

from stretchcli import __version__
from stretchcli.errors import EXIT_FAILURE, StretchError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="stretch",
    help="A guided stretch timer for the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stretch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A guided stretch timer: routines as TOML files, a live countdown, pain checks, history."""


def console() -> "Console":
    """The stdout console (rich honours NO_COLOR and TERM=dumb by itself)."""
    from rich.console import Console

    return Console(highlight=False)


def print_json(data: Any) -> None:
    """JSON on stdout, one document."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def warn(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"stretch: {message}\n")


def fail(error: StretchError) -> NoReturn:
    """Print a core error as one line per problem on stderr and exit with its code."""
    from stretchcli.errors import RoutineError

    lines = error.problems if isinstance(error, RoutineError) else [str(error)]
    for line in lines:
        sys.stderr.write(f"{line}\n")
    raise SystemExit(error.exit_code)


# --- routine commands ---


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the routines found: built-in, your own, and those in STRETCH_ROUTINES.

    Example: stretch list --json
    """
    from stretchcli import output
    from stretchcli.routines import list_routines

    loaded, warnings = list_routines()
    for line in warnings:
        warn(line)
    if as_json:
        print_json(output.routine_list_json(loaded))
    else:
        console().print(output.routine_list_table(loaded))


@app.command("show")
def show_command(
    routine: Annotated[str, typer.Argument(help="Routine id or path to a .toml file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a routine in full: exercises, cues, dosing, cautions, the timeline and total time.

    Example: stretch show lower-back
    """
    from stretchcli import output
    from stretchcli.routines import load_routine
    from stretchcli.timeline import build_timeline

    loaded = load_routine(routine)
    timeline = build_timeline(loaded.routine)
    if as_json:
        print_json(output.routine_show_json(loaded, timeline))
    else:
        console().print(output.routine_show(loaded, timeline))


@app.command("validate")
def validate_command(
    files: Annotated[list[Path], typer.Argument(help="Routine files to check.")],
) -> None:
    """Check routine files: one line per problem; exit 0 when all are valid, 1 otherwise.

    Example: stretch validate routines/*.toml
    """
    from stretchcli.errors import RoutineError
    from stretchcli.routines import load_file

    bad = 0
    for path in files:
        try:
            load_file(path)
        except RoutineError as exc:
            bad += 1
            for line in exc.problems:
                sys.stderr.write(f"{line}\n")
        else:
            typer.echo(f"{path}: ok")
    if bad:
        raise SystemExit(EXIT_FAILURE)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of a routine file, for editor completion (Taplo, Even Better TOML).

    Example: stretch schema > ~/.config/stretch-routine.schema.json
    """
    from stretchcli.models import routine_json_schema

    print_json(routine_json_schema())


@app.command("new")
def new_command(
    name: Annotated[str, typer.Argument(help="Id of the new routine (its file name).")],
) -> None:
    """Write a commented starter routine into your routines folder (never overwrites).

    Example: stretch new my-morning
    """
    from stretchcli.routines import write_starter

    path = write_starter(name)
    typer.echo(f"wrote {path}")
    typer.echo(f"edit it, then: stretch show {name}")


# --- session commands ---


def _plain_wanted(plain: bool) -> bool:
    """Plain mode when asked, or when stdin or stdout is not a terminal, or TERM=dumb."""
    return (
        plain
        or not sys.stdin.isatty()
        or not sys.stdout.isatty()
        or os.environ.get("TERM", "") == "dumb"
    )


def _overrides(names: dict[str, str] | None = None, **values: str | int | None) -> Any:
    """Command-line dosing as a validated ``Dosing`` (bad values: one line, exit 1).

    ``names`` maps a field to what the user typed it as (``hold`` -> ``SECONDS``).
    """
    from pydantic import ValidationError

    from stretchcli.models import Dosing

    given = {key: value for key, value in values.items() if value is not None}
    try:
        return Dosing.model_validate(given)
    except ValidationError as exc:
        # Imported only here: `stretch hold` needs no routine loading (TOML, ~10 ms).
        from stretchcli.routines import error_message

        error = exc.errors(include_url=False)[0]
        field = str(error["loc"][0]) if error["loc"] else "option"
        option = (names or {}).get(field, f"--{field}")
        raise StretchError(f"{option}: {error_message(error)}") from None


def _run(
    plan: Any, *, plain: bool, quiet: bool, voice: bool, confirm_switch: bool, rating: bool
) -> NoReturn:
    """Play a session plan, print the summary, exit with the session's code."""
    from rich.console import Console

    from stretchcli.clock import SystemClock, speed_from_env
    from stretchcli.runner import RunOptions, run_session, summary_lines
    from stretchcli.terminal import signals_held

    plain = _plain_wanted(plain)
    clock = SystemClock(speed_from_env())
    options = RunOptions(
        plain=plain,
        quiet=quiet,
        voice=voice,
        confirm_switch=confirm_switch,
        rating=rating and sys.stdin.isatty(),
    )
    live_console = Console(highlight=False, no_color=plain or None)
    result = run_session(plan, options, clock=clock, console=live_console)
    # emoji=False: the summary is plain text (exercise names as written), and rich's emoji
    # table would cost ~10 ms to load at the very end of the session.
    out = Console(highlight=False, no_color=plain or None, soft_wrap=True, emoji=False)
    try:
        # The session is saved; a signal now must not turn its exit code into 143 or 129.
        with signals_held():
            for line in summary_lines(plan, result):
                out.print(line, markup=False)
    except OSError as error:
        import errno

        if error.errno != errno.EIO:
            raise
        # The terminal was closed; the session is saved. Send what is left to /dev/null so
        # the flush at exit cannot fail too (which would change the exit code to 120).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(result.exit_code)


@app.command("start")
def start_command(
    routine: Annotated[str, typer.Argument(help="Routine id or path to a .toml file.")],
    hold: Annotated[
        str | None, typer.Option(help="Hold time for every exercise (30, 45s, 2m).")
    ] = None,
    reps: Annotated[int | None, typer.Option(help="Holds per side for every exercise.")] = None,
    rest: Annotated[str | None, typer.Option(help="Rest between holds.")] = None,
    prep: Annotated[str | None, typer.Option(help="Time to get into position.")] = None,
    plain: Annotated[
        bool, typer.Option(help="One line per event: no colour, no cursor moves.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No bell.")] = False,
    voice: Annotated[bool, typer.Option(help="Speak cues and side switches.")] = False,
    confirm_switch: Annotated[
        bool,
        typer.Option(help="At each side switch, wait for space or Enter instead of counting down."),
    ] = False,
    no_rating: Annotated[
        bool, typer.Option("--no-rating", help="Do not ask for a 0-10 pain rating.")
    ] = False,
) -> None:
    """Play a routine as a guided session: countdowns, side switches, pain checks.

    Keys: space pause, n or → next, q quit, ! stop for pain. Exit 0 done, 3 pain stop, 130 quit.

    Example: stretch start lower-back --hold 20s
    """
    from stretchcli.routines import load_routine
    from stretchcli.runner import SessionPlan
    from stretchcli.timeline import build_timeline

    overrides = _overrides(hold=hold, reps=reps, rest=rest, prep=prep)
    loaded = load_routine(routine)
    plan = SessionPlan(
        routine_id=loaded.source.id,
        title=loaded.routine.title,
        timeline=build_timeline(loaded.routine, overrides=overrides),
        cues=[list(exercise.cues) for exercise in loaded.routine.exercises],
    )
    _run(
        plan,
        plain=plain,
        quiet=quiet,
        voice=voice,
        confirm_switch=confirm_switch,
        rating=not no_rating,
    )


@app.command("hold")
def hold_command(
    seconds: Annotated[str, typer.Argument(help="Hold time: 30, 45s, 2m.")],
    reps: Annotated[int, typer.Option(help="Number of holds (per side with --sides).")] = 1,
    sides: Annotated[bool, typer.Option("--sides", help="Hold left, then right.")] = False,
    rest: Annotated[str, typer.Option(help="Rest between holds.")] = "10",
    prep: Annotated[str, typer.Option(help="Time to get into position first.")] = "0",
    plain: Annotated[
        bool, typer.Option(help="One line per event: no colour, no cursor moves.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No bell.")] = False,
) -> None:
    """A quick hold timer with no routine file: starts at once, asks nothing, is logged as `hold`.

    Example: stretch hold 30 --reps 3 --sides
    """
    from stretchcli.models import Routine, format_duration
    from stretchcli.runner import SessionPlan
    from stretchcli.timeline import build_timeline

    dose = _overrides({"hold": "SECONDS"}, hold=seconds, reps=reps, rest=rest, prep=prep)
    title = f"Hold {format_duration(dose.hold)}"
    routine = Routine.model_validate(
        {
            "title": title,
            "defaults": {"switch": max(dose.rest, 3) if sides else 5},
            "exercises": [
                {
                    "name": "Hold",
                    "sides": ["left", "right"] if sides else None,
                    **dose.model_dump(exclude={"switch"}),
                }
            ],
        }
    )
    plan = SessionPlan(
        routine_id="hold",
        title=title,
        timeline=build_timeline(routine, pain_checks=False),
    )
    _run(plan, plain=plain, quiet=quiet, voice=False, confirm_switch=False, rating=False)


# --- history commands ---

log_app = typer.Typer(
    name="log",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(log_app)


def _when(parse: Any, text: str, option: str) -> Any:
    """Run a date parser from history; a bad value is a usage error naming the option."""
    from stretchcli.history import days

    try:
        return parse(text, now=days.now_local(), tz=days.local_timezone())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@log_app.callback(invoke_without_command=True)
def log_command(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=0, help="Sessions to show (0: all). Default 20, all with --json."
        ),
    ] = None,
    routine: Annotated[str | None, typer.Option(help="Only this routine id.")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="From this date on: 2024-05-01, today, yesterday, 7d, 2w."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the session history, newest first: date, routine, time, status and pain.

    Example: stretch log --since 7d --routine lower-back
    """
    if ctx.invoked_subcommand is not None:
        return
    from stretchcli import paths, report
    from stretchcli.history import dates, days
    from stretchcli.history.store import HistoryStore

    start = _when(dates.parse_since, since, "--since") if since is not None else None
    count = limit if limit is not None else (None if as_json else 20)
    with HistoryStore.open(paths.db_path(), create=False) as store:
        records = store.sessions(limit=count or None, routine=routine, since=start)
        total = store.count(routine=routine, since=start) if count else len(records)
    if as_json:
        print_json(report.log_json(records))
    elif not records:
        typer.echo(report.empty_log(filtered=routine is not None or since is not None))
    else:
        out = console()
        out.print(report.log_table(records, tz=days.local_timezone()))
        footer = report.log_footer(shown=len(records), total=total)
        if footer:
            out.print(footer, style="dim", markup=False)


@log_app.command("add")
def log_add_command(
    routine: Annotated[str, typer.Argument(help="Routine id (or `hold`) or a .toml file.")],
    at: Annotated[
        str | None,
        typer.Option(help="When you started: 07:30 (today), 2024-05-06T07:30, 2024-05-06."),
    ] = None,
    note: Annotated[str, typer.Option(help="A note to keep with the session.")] = "",
    duration: Annotated[
        str | None,
        typer.Option(help="Time it took (90s, 12m); default: the routine's planned time."),
    ] = None,
) -> None:
    """Record a session done without the timer (logged as `manual`).

    Example: stretch log add lower-back --at 07:30 --note "before work"
    """
    from datetime import timedelta

    from stretchcli import paths
    from stretchcli.history import dates, days
    from stretchcli.history.record import SessionRecord, new_session_id
    from stretchcli.history.store import HistoryStore
    from stretchcli.models import parse_duration
    from stretchcli.output import clock_text

    started = _when(dates.parse_when, at, "--at") if at is not None else days.now_local()
    routine_id, title, planned = _routine_for_log(routine)
    if duration is not None:
        try:
            planned = parse_duration(duration)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--duration") from None
    record = SessionRecord(
        id=new_session_id(),
        routine=routine_id,
        title=title,
        started_at=started,
        ended_at=started + timedelta(seconds=planned),
        duration_s=float(planned),
        status="completed",
        source="manual",
        pain_before=None,
        pain_after=None,
        note=note,
    )
    with HistoryStore.open(paths.db_path()) as store:
        store.record(record)
    local = started.astimezone(days.local_timezone())
    typer.echo(f"logged {routine_id} at {local:%Y-%m-%d %H:%M} ({clock_text(planned)})")


def _routine_for_log(ref: str) -> tuple[str, str, int]:
    """(id, title, planned seconds) of a routine to log; ``hold`` needs no file."""
    if ref == "hold":
        return "hold", "Hold", 0
    from stretchcli.routines import load_routine
    from stretchcli.timeline import build_timeline

    loaded = load_routine(ref)
    return loaded.source.id, loaded.routine.title, build_timeline(loaded.routine).total_seconds


@app.command("stats")
def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Totals, streaks, sessions per week, a 26-week calendar, pain over time, left/right.

    Days are local calendar days. Example: stretch stats
    """
    from stretchcli import paths, report
    from stretchcli.history import days
    from stretchcli.history.store import HistoryStore

    tz = days.local_timezone()
    today = days.now_local().astimezone(tz).date()
    with HistoryStore.open(paths.db_path(), create=False) as store:
        stats = store.stats(today=today, tz=tz)
    if as_json:
        print_json(stats.to_json_dict())
    else:
        console().print(report.stats_view(stats))


@app.command("export")
def export_command(
    fmt: Annotated[
        Literal["json", "csv"],
        typer.Option("--format", "-f", help="json (lossless, for import) or csv."),
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write the whole history as JSON (for backup; `stretch import` reads it) or CSV.

    Example: stretch export -o stretch-backup.json
    """
    from stretchcli import paths
    from stretchcli.history.store import HistoryStore

    with HistoryStore.open(paths.db_path(), create=False) as store:
        write = store.export_json if fmt == "json" else store.export_csv
        if output is None:
            write(sys.stdout)
            return
        count = _write_atomically(output, write)
    typer.echo(f"exported {count} session{'s' * (count != 1)} to {output}")


def _write_atomically(path: Path, write: Any) -> int:
    """Write through a temp file in the same folder, so a failed export never leaves half a
    file in place of an older backup."""
    import tempfile

    from stretchcli.errors import HistoryError

    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        temp = Path(name)
        with open(handle, "w", encoding="utf-8", newline="") as out:  # noqa: PTH123 (an fd)
            count: int = write(out)
        temp.replace(path)
    except OSError as exc:
        raise HistoryError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return count


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A file from `stretch export` (or - for stdin).")],
) -> None:
    """Add the sessions of an export (or a saved-session file) to the history.

    Sessions already there (same id) are skipped, so importing twice adds nothing; a file
    with any bad record imports nothing. Example: stretch import stretch-backup.json
    """
    from stretchcli import paths
    from stretchcli.history.export import read_export
    from stretchcli.history.store import HistoryStore

    records = read_export(file)
    with HistoryStore.open(paths.db_path()) as store:
        added = store.record_many(records, trusted=True)
    skipped = len(records) - added
    typer.echo(
        f"imported {added} session{'s' * (added != 1)} from {file}"
        + (f" ({skipped} already in the history)" if skipped else "")
    )


def _exit_without_collecting() -> None:
    """At exit, spare the interpreter a last garbage collection of every object of the
    modules loaded (typer, pydantic, rich): ~30 ms at the end of each command, for memory
    the OS takes back anyway. Registered once, so in-process tests are not affected."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def main() -> None:
    """Entry point of the `stretch` console script."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:
            # Started with that stream closed (`0<&-`): Python gives None, which every
            # `.isatty()` or `.write()` would trip on. /dev/null reads as end of input.
            mode = "r" if name == "stdin" else "w"
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115, PTH123
    _exit_without_collecting()
    try:
        app()
    except StretchError as error:
        fail(error)
