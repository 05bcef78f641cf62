"""History commands: log, log add, stats, export, import."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from stretchcli.cli.common import print_json, say
from stretchcli.errors import UsageError
from stretchcli.safe import visible

if TYPE_CHECKING:
    from datetime import date, tzinfo

    from stretchcli.plan.schedule import WeekAdherence

log_app = typer.Typer(
    name="log",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# The most `--limit` takes: far more sessions than a history holds (0 means all).
MAX_LIMIT = 1_000_000_000


def _when(parse: Any, text: str, option: str) -> Any:
    """Run a date parser; a bad value is a usage error naming the option (exit 2)."""
    from stretchcli.history.days import local_timezone, now_local

    try:
        return parse(text, now=now_local(), tz=local_timezone())
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _limit(text: str) -> int:
    """``--limit``: a whole number from 0 (all) to ``MAX_LIMIT``."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_LIMIT))) or (
        int(value) > MAX_LIMIT
    ):
        raise UsageError(
            f"--limit: must be a whole number from 0 (all) to {MAX_LIMIT}, got {text!r}"
        )
    return int(value)


def _seconds(text: str) -> int:
    """``--duration``: 90, 90s, 12m, 1h5m; from 0 s to 24 h (``validate.MAX_SECONDS``)."""
    from stretchcli.history.validate import MAX_SECONDS
    from stretchcli.routine.durations import format_duration, parse_duration

    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"--duration: {exc} (got {text!r})") from None
    if not 0 <= seconds <= MAX_SECONDS:
        raise UsageError(
            f"--duration: must be from 0s to {format_duration(MAX_SECONDS)} (got {text!r})"
        )
    return seconds


def _note(text: str) -> str:
    """``--note``: what a stored note may be (``validate.note_problem``)."""
    from stretchcli.history.validate import note_problem

    if problem := note_problem(text):
        raise UsageError(f"--note: {problem}")
    return text


@log_app.callback(invoke_without_command=True)
def log_command(
    ctx: typer.Context,
    limit: Annotated[
        str | None,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            help="Sessions to show (0: all). Default 20, all with --json.",
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
    from stretchcli import paths
    from stretchcli.history.dates import parse_since
    from stretchcli.history.days import local_timezone
    from stretchcli.history.store import HistoryStore
    from stretchcli.view import log
    from stretchcli.view.console import show

    start = _when(parse_since, since, "--since") if since is not None else None
    count = _limit(limit) if limit is not None else (None if as_json else 20)
    with HistoryStore.open(paths.db_path(), create=False) as store:
        records = store.sessions(limit=count or None, routine=routine, since=start)
        total = store.count(routine=routine, since=start) if count else len(records)
    if as_json:
        print_json(log.log_json(records))
    elif not records:
        typer.echo(log.empty_log(filtered=routine is not None or since is not None))
    else:
        show(log.log_table(records, tz=local_timezone()))
        footer = log.log_footer(shown=len(records), total=total)
        if footer:
            show(footer, style="dim")


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
    from stretchcli import paths
    from stretchcli.history.dates import parse_when
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.history.record import manual_record
    from stretchcli.history.store import HistoryStore
    from stretchcli.routine.durations import clock_text
    from stretchcli.safe import from_argument

    started = _when(parse_when, at, "--at") if at is not None else now_local()
    seconds = _seconds(duration) if duration is not None else None
    note = _note(from_argument(note))
    routine_id, title, planned = _routine_for_log(routine)
    if seconds is not None:
        planned = seconds
    record = manual_record(routine_id, title, started_at=started, seconds=planned, note=note)
    with HistoryStore.open(paths.db_path()) as store:
        store.record(record)
    local = started.astimezone(local_timezone())
    say(f"logged {routine_id} at {local:%Y-%m-%d %H:%M} ({clock_text(planned)})")


def _routine_for_log(ref: str) -> tuple[str, str, int]:
    """(id, title, planned seconds) of a routine to log; ``hold`` needs no file."""
    from stretchcli.play.plan import HOLD_ID

    if ref == HOLD_ID:
        return HOLD_ID, "Hold", 0
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.timeline import build_timeline

    loaded = load_routine(ref)
    return loaded.source.id, loaded.routine.title, build_timeline(loaded.routine).total_seconds


def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Totals, streaks, sessions per week, a 26-week calendar, pain over time, left/right.

    Days are local calendar days. Example: stretch stats
    """
    from stretchcli import paths
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.history.store import HistoryStore
    from stretchcli.view.console import show
    from stretchcli.view.stats import adherence_json, stats_view

    tz = local_timezone()
    today = now_local().astimezone(tz).date()
    with HistoryStore.open(paths.db_path(), create=False) as store:
        stats = store.stats(today=today, tz=tz)
    weeks = plan_adherence(today, tz)
    if as_json:
        print_json({**stats.to_json_dict(), "plan": adherence_json(weeks) if weeks else None})
    else:
        show(stats_view(stats, weeks))


def plan_adherence(today: "date", tz: "tzinfo") -> "list[WeekAdherence]":
    """The plan's weeks so far (empty without a plan)."""
    from stretchcli import paths
    from stretchcli.plan.files import load_plan
    from stretchcli.plan.schedule import Sessions, adherence
    from stretchcli.plan.today import plan_sessions

    plan = load_plan(paths.plan_path())
    if plan is None:
        return []
    return adherence(plan, Sessions(plan_sessions(plan, paths.db_path(), tz=tz), tz), today)


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
    from stretchcli.history.backup import export_history

    count = export_history(paths.db_path(), fmt, output)
    if output is not None:
        # Written through a pipe or a terminal (-o /dev/stdout): not into the data.
        message = f"exported {count} session{'s' * (count != 1)} to {output}"
        if output.is_file():
            say(message)
        else:
            sys.stderr.write(visible(message) + "\n")


def import_command(
    file: Annotated[Path, typer.Argument(help="A file from `stretch export` (or - for stdin).")],
) -> None:
    """Add the sessions of an export (or a saved-session file) to the history.

    Sessions already there (same id) are skipped, so importing twice adds nothing; a file
    with any bad record imports nothing. Example: stretch import stretch-backup.json
    """
    from stretchcli import paths
    from stretchcli.history.backup import import_history

    result = import_history(paths.db_path(), file)
    say(
        f"imported {result.added} session{'s' * (result.added != 1)} from {file}"
        + (f" ({result.skipped} already in the history)" if result.skipped else "")
    )
