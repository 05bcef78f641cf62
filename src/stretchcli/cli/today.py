"""What the plan asks of today: `stretch today`, `stretch skip`, bare `stretch` (the start
screen), and the helpers every command that reads the plan shares."""

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

from stretchcli.cli.common import print_json, say

if TYPE_CHECKING:
    from stretchcli.plan.today import Today


def now_and_zone() -> tuple[datetime, tzinfo]:
    """ "Now" (``STRETCH_TODAY`` when set) and the local time zone."""
    from stretchcli.history.days import local_timezone, now_local

    return now_local(), local_timezone()


def load_today() -> "Today | None":
    """Today's plan from the plan file and the history (None: no plan)."""
    from stretchcli import paths
    from stretchcli.plan.today import load_today as load

    now, tz = now_and_zone()
    return load(paths.plan_path(), paths.db_path(), now=now, tz=tz)


def refresh_status(result: "Today | None" = None) -> None:
    """Rewrite the one-line status file (best effort; no plan: an empty line)."""
    from stretchcli import paths
    from stretchcli.errors import StretchError

    status = paths.data_dir() / paths.STATUS_NAME
    if result is None and not paths.plan_path().exists() and not status.exists():
        return  # no plan, and never had one: no status file to keep up to date
    from stretchcli.plan.today import status_line, write_status

    try:
        result = result if result is not None else load_today()
    except StretchError:
        return
    write_status(paths.data_dir(), status_line(result) if result is not None else "")


def today_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    short: Annotated[
        bool, typer.Option("--short", help="One short line for a prompt (nothing when done).")
    ] = False,
) -> None:
    """What the plan asks of today: due, done, skipped, and the next reminder.

    Example: stretch today --short
    """
    from stretchcli.plan.today import status_line

    result = load_today()
    if short:
        line = status_line(result) if result is not None else ""
        if line:
            say(line)
        return
    if result is None:
        say("No plan yet. Make one: stretch plan add lower-back --at 08:00")
        return
    if as_json:
        from stretchcli.view.plan import today_json

        print_json(today_json(result))
        return
    from stretchcli.view.console import show
    from stretchcli.view.plan import today_lines

    for row in today_lines(result):
        show(row)
    refresh_status(result)


def skip_command(
    routine: Annotated[str, typer.Argument(help="Routine id.", metavar="ROUTINE")],
    reason: Annotated[str, typer.Option(help="Why (for you and your therapist).", metavar="TEXT")],
) -> None:
    """Record that a due session was skipped, and why (it counts as due and not done).

    Example: stretch skip lower-back --reason "travelling"
    """
    from stretchcli import paths
    from stretchcli.errors import UsageError
    from stretchcli.history.record import skip_record
    from stretchcli.history.store import HistoryStore
    from stretchcli.history.validate import note_problem
    from stretchcli.routine.library import load_routine
    from stretchcli.safe import from_argument

    reason = from_argument(reason).strip()
    problem = "must not be empty" if not reason else note_problem(reason)
    if problem or len(reason) > 500:
        raise UsageError(f"--reason: {problem or 'at most 500 characters'}")
    loaded = load_routine(routine)
    now, _ = now_and_zone()
    record = skip_record(loaded.source.id, loaded.routine.title, at=now, reason=reason)
    with HistoryStore.open(paths.db_path()) as store:
        store.record(record)
    result = load_today()
    entry = next((e for e in result.items if e.routine == record.routine), None) if result else None
    if entry is None or not entry.day.due:
        say(f"recorded a skip of {record.routine} (it is not due today in the plan)")
    else:
        say(f"recorded a skip of {record.routine}: {entry.day.left} left today")
    refresh_status(result)


def start_screen_command() -> None:
    """Bare `stretch`: what is due today from the plan, or the last session and a
    suggestion; then the commands to run next."""
    from stretchcli import paths
    from stretchcli.history.store import HistoryStore
    from stretchcli.view.console import show
    from stretchcli.view.plan import start_screen

    result = load_today()
    last = None
    if result is None:
        with HistoryStore.open(paths.db_path(), create=False) as store:
            found = store.sessions(limit=1)
        last = found[0] if found else None
    for row in start_screen(result, last):
        show(row)
