"""History commands: log (add, rm, restore), stats, export, import."""

import contextlib
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stretchcli.cli import complete, params
from stretchcli.cli.common import print_json, say
from stretchcli.errors import HistoryError, UsageError
from stretchcli.safe import visible

if TYPE_CHECKING:
    from datetime import date, tzinfo

    from stretchcli.history.dates import Moment
    from stretchcli.history.record import SessionRecord
    from stretchcli.history.store import HistoryStore
    from stretchcli.plan.schedule import WeekAdherence

log_app = typer.Typer(
    name="log",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JSON_HELP = "Print JSON instead of a table."
SINCE_HELP = "From this day on: 2026-11-01, yesterday, monday, 3d, 2w, 3 days ago."
MAX_SECONDS = 86_400  # history.validate.MAX_SECONDS: a session lasts at most a day


@log_app.callback(invoke_without_command=True)
def log_command(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            metavar=params.N,
            parser=params.count("--limit", 0, params.MAX_LIMIT, zero="all"),
            help="Sessions to show (0: all). Default 20, all with --json.",
        ),
    ] = None,
    routine: Annotated[
        str | None,
        typer.Option(
            metavar=params.ROUTINE,
            help="Only the sessions of this routine id.",
            autocompletion=complete.logged_routines,
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(metavar=params.DATE, parser=params.since(), help=SINCE_HELP),
    ] = None,
    removed: Annotated[
        bool,
        typer.Option("--removed", help="Only the sessions hidden by stretch log rm."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Show the session history, newest first: id, date, routine, time, status, pain and
    notes.

    Example: stretch log --since 7d --routine lower-back
    """
    if ctx.invoked_subcommand is not None:
        return
    from stretchcli import paths
    from stretchcli.history.days import local_timezone
    from stretchcli.history.store import HistoryStore
    from stretchcli.view import log
    from stretchcli.view.console import show

    count = limit if limit is not None else (None if as_json else 20)
    with HistoryStore.open(paths.db_path(), create=False) as store:
        records = store.sessions(limit=count or None, routine=routine, since=since, removed=removed)
        total = len(records)
        if count:
            # Only for the footer ("20 newest of 312"): the count reads every session's
            # index entry, and a damaged page elsewhere must not hide the rows that were read.
            with contextlib.suppress(HistoryError):
                total = store.count(routine=routine, since=since, removed=removed)
        short = store.short_ids(r.id for r in records)
    if as_json:
        print_json(log.log_json(records))
    elif not records:
        filtered = routine is not None or since is not None
        typer.echo(log.empty_log(filtered=filtered, removed=removed))
    else:
        show(log.log_table(records, tz=local_timezone(), ids=short, removed=removed))
        footer = log.log_footer(shown=len(records), total=total)
        if footer:
            show(footer, style="dim")


@log_app.command("add")
def log_add_command(
    routine: Annotated[
        str,
        typer.Argument(
            metavar=params.ROUTINE,
            help="A routine id, hold (a quick hold), or a path to a .toml file.",
            autocompletion=complete.logged_routines,
        ),
    ],
    at: Annotated[
        Any,  # a Moment (history.dates), which the signature does not import
        typer.Option(
            metavar=params.DATE,
            parser=params.moment(),
            help="When you started: 07:30, 8am, yesterday 8am, monday 19:00, 2026-12-01T07:30. "
            "Default: now.",
        ),
    ] = None,
    duration: Annotated[
        int | None,
        typer.Option(
            metavar=params.DURATION,
            parser=params.duration("--duration", 0, MAX_SECONDS),
            help="How long it took: 90s, 12m, 1h5m. Default: the routine's time; needed for hold.",
        ),
    ] = None,
    pain_before: Annotated[
        int | None,
        typer.Option(
            metavar=params.N,
            parser=params.count("--pain-before", 0, 10),
            help="Your pain before, 0-10.",
        ),
    ] = None,
    pain_after: Annotated[
        int | None,
        typer.Option(
            metavar=params.N,
            parser=params.count("--pain-after", 0, 10),
            help="Your pain after, 0-10.",
        ),
    ] = None,
    note: Annotated[
        str,
        typer.Option(metavar=params.TEXT, parser=params.note(), help="A note to keep with it."),
    ] = "",
) -> None:
    """Record a session done without the timer (logged as manual).

    Example: stretch log add lower-back --at "yesterday 8am" --pain-before 4 --pain-after 2
    """
    from dataclasses import replace

    from stretchcli import paths
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.history.record import manual_record
    from stretchcli.history.store import HistoryStore
    from stretchcli.routine.durations import clock_text

    moment: Moment | None = at
    started = moment.at if moment is not None else now_local()
    routine_id, title, planned = _routine_for_log(routine)
    if duration is None and planned is None:
        raise UsageError(f"--duration: say how long the {routine_id} took, e.g. --duration 2m")
    seconds = duration if duration is not None else (planned or 0)
    record = replace(
        manual_record(routine_id, title, started_at=started, seconds=seconds, note=note),
        pain_before=pain_before,
        pain_after=pain_after,
    )
    with HistoryStore.open(paths.db_path()) as store:
        store.record(record)
        short = store.short_ids([record.id])[record.id]
    local = started.astimezone(local_timezone())
    said = f"; {moment.note}" if moment is not None and moment.note else ""
    say(f"logged {routine_id} at {local:%Y-%m-%d %H:%M} ({clock_text(seconds)}{said}), id {short}")


def _routine_for_log(ref: str) -> tuple[str, str, int | None]:
    """(id, title, planned seconds) of a routine to log; ``hold`` needs no file, and has
    no planned time."""
    from stretchcli.play.plan import HOLD_ID

    if ref == HOLD_ID:
        return HOLD_ID, "Hold", None
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.timeline import build_timeline

    loaded = load_routine(ref)
    return loaded.source.id, loaded.routine.title, build_timeline(loaded.routine).total_seconds


SESSION_IDS = typer.Argument(
    metavar=params.ID + "...", help="Session ids, or their starts as stretch log shows them."
)


@log_app.command("rm")
def log_rm_command(ids: Annotated[list[str], SESSION_IDS]) -> None:
    """Hide sessions logged by mistake: they stay in the database and in exports, and
    are left out of log, stats, streaks and the plan. Nothing is deleted for good.

    Example: stretch log rm 3f9a2c
    """
    _remove_or_restore(ids, removed=True)


@log_app.command("restore")
def log_restore_command(ids: Annotated[list[str], SESSION_IDS]) -> None:
    """Bring back sessions hidden by stretch log rm (stretch log --removed lists them).

    Example: stretch log restore 3f9a2c
    """
    _remove_or_restore(ids, removed=False)


def _remove_or_restore(refs: list[str], *, removed: bool) -> None:
    from stretchcli import paths
    from stretchcli.history.days import local_timezone
    from stretchcli.history.store import HistoryStore

    tz = local_timezone()
    with HistoryStore.open(paths.db_path(), create=False) as store:
        changed, unchanged = store.remove(refs) if removed else store.restore(refs)
        short = store.short_ids([*changed, *unchanged])
        described = {i: _described(store, i, short[i], tz) for i in [*changed, *unchanged]}
    for session_id in changed:
        if removed:
            say(
                f"removed {described[session_id]}; to undo: stretch log restore {short[session_id]}"
            )
        else:
            say(f"restored {described[session_id]}")
    for session_id in unchanged:
        say(f"{described[session_id]} was {'removed' if removed else 'not removed'} already")
    from stretchcli.cli.today import refresh_status

    refresh_status()


def _described(store: "HistoryStore", session_id: str, short: str, tz: "tzinfo") -> str:
    """``3f9a2c (lower-back, 2026-12-01 08:00)``."""
    record: SessionRecord | None = store.get(session_id)
    if record is None:
        return short
    return f"{short} ({record.routine}, {record.started_at.astimezone(tz):%Y-%m-%d %H:%M})"


def stats_command(
    since: Annotated[
        datetime | None,
        typer.Option(metavar=params.DATE, parser=params.since(), help=SINCE_HELP),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Totals, streaks, sessions per week, a calendar, pain before and after over the
    weeks, left and right, and the plan kept; each part says which days it covers.

    Days are your local calendar days. Example: stretch stats --since 4w
    """
    from stretchcli import paths
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.history.store import HistoryStore
    from stretchcli.view.console import show
    from stretchcli.view.stats import adherence_json, stats_view

    tz = local_timezone()
    today = now_local().astimezone(tz).date()
    first = since.astimezone(tz).date() if since is not None else None
    with HistoryStore.open(paths.db_path(), create=False) as store:
        stats = store.stats(today=today, tz=tz, since=first)
    weeks = plan_adherence(today, tz)
    if as_json:
        print_json({**stats.to_json_dict(), "plan": adherence_json(weeks) if weeks else None})
    else:
        show(stats_view(stats, weeks))


def plan_adherence(today: "date", tz: "tzinfo") -> "list[WeekAdherence]":
    """The plan's weeks so far (empty without a plan)."""
    from stretchcli import paths

    plan_file = paths.plan_path()
    if not plan_file.exists() and not plan_file.is_symlink():
        return []  # no plan: its model (pydantic) and TOML reader are not even imported
    from stretchcli.plan.files import load_plan
    from stretchcli.plan.schedule import Sessions, adherence
    from stretchcli.plan.today import plan_sessions

    plan = load_plan(plan_file)
    if plan is None:
        return []
    return adherence(plan, Sessions(plan_sessions(plan, paths.db_path(), tz=tz), tz), today)


def export_command(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            parser=params.choice("--format", ("json", "csv")),
            help="json (for backup) or csv (for a spreadsheet); import reads both.",
        ),
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar=params.FILE, help="Write to this file, not the screen."
        ),
    ] = None,
) -> None:
    """Write the whole history as JSON or CSV, removed sessions included, for a backup or
    a spreadsheet; stretch import reads both back.

    Example: stretch export -o stretch-backup.json
    """
    from typing import Literal, cast

    from stretchcli import paths
    from stretchcli.history.backup import export_history

    count = export_history(paths.db_path(), cast(Literal["json", "csv"], fmt), output)
    if output is not None:
        # Written through a pipe or a terminal (-o /dev/stdout): not into the data.
        message = f"exported {count} session{'s' * (count != 1)} to {output}"
        if output.is_file():
            say(message)
        else:
            sys.stderr.write(visible(message) + "\n")


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            metavar=params.FILE,
            help="A file from stretch export, JSON or CSV (- reads standard input).",
        ),
    ],
) -> None:
    """Add the sessions of an export (JSON or CSV) or of a saved-session file to the
    history.

    Sessions already there (same id) are skipped, so importing twice adds nothing; a file
    with any bad record imports nothing.

    Example: stretch import stretch-backup.json
    """
    from stretchcli import paths
    from stretchcli.history.backup import import_history
    from stretchcli.history.export import source_name

    result = import_history(paths.db_path(), file)
    say(
        f"imported {result.added} session{'s' * (result.added != 1)} from {source_name(file)}"
        + (f" ({result.skipped} already in the history)" if result.skipped else "")
    )
