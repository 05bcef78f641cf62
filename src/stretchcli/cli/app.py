"""The `stretch` typer app: the commands of each group registered in the order `--help`
lists them, the version option, and the entry point that turns core errors into one line.

No `from __future__ import annotations` in this package: typer reads every command's
annotations when it builds the command line, and string annotations cost it a compile and
two evals each (~5 ms of every command's start-up). A type only imported for checking is
quoted. Costly imports (pydantic, rich.live, sqlite3) happen inside the commands that need
them, so `stretch --help` and `--version` stay fast.
"""

import contextlib
import errno
import io
import os
import sys
from typing import IO, Annotated, NoReturn

import typer

from stretchcli import __version__
from stretchcli.cli import history, plan, remind, report, routines, session, today
from stretchcli.cli.common import fail
from stretchcli.cli.typerfit import (
    HISTORY,
    PLAN,
    REMINDERS,
    REPORTS,
    ROUTINES,
    SESSION,
    OrderedCommands,
    reflow_help,
)
from stretchcli.errors import EXIT_FAILURE, StretchError
from stretchcli.safe import degrade_to_ascii
from stretchcli.view.console import drop_nonsense_size

app = typer.Typer(
    name="stretch",
    cls=OrderedCommands,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stretch {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A guided stretch timer for the terminal: routines as TOML files, a countdown you can
    follow from the floor, pain checks, a history and a plan.

    Without a command: what is due today, and what to run next. Example: stretch start
    lower-back
    """
    if ctx.invoked_subcommand is None:
        today.start_screen_command()


app.command("start", rich_help_panel=SESSION)(session.start_command)
app.command("hold", rich_help_panel=SESSION)(session.hold_command)
app.command("list", rich_help_panel=ROUTINES)(routines.list_command)
app.command("show", rich_help_panel=ROUTINES)(routines.show_command)
app.command("new", rich_help_panel=ROUTINES)(routines.new_command)
app.command("edit", rich_help_panel=ROUTINES)(routines.edit_command)
app.command("validate", rich_help_panel=ROUTINES)(routines.validate_command)
app.command("schema", rich_help_panel=ROUTINES)(routines.schema_command)
app.add_typer(history.log_app, rich_help_panel=HISTORY)
app.command("stats", rich_help_panel=HISTORY)(history.stats_command)
app.command("export", rich_help_panel=HISTORY)(history.export_command)
app.command("import", rich_help_panel=HISTORY)(history.import_command)
app.add_typer(plan.plan_app, rich_help_panel=PLAN)
app.command("today", rich_help_panel=PLAN)(today.today_command)
app.command("skip", rich_help_panel=PLAN)(today.skip_command)
app.add_typer(remind.remind_app, rich_help_panel=REMINDERS)
app.command("report", rich_help_panel=REPORTS)(report.report_command)
reflow_help(app)


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
    degrade_to_ascii(sys.stdout)
    degrade_to_ascii(sys.stderr)
    drop_nonsense_size(os.environ)
    _exit_without_collecting()
    try:
        try:
            app()
        except StretchError as error:
            fail(error)
        finally:
            # Here, not at exit: Python's own flush there would turn a full disk into an
            # "Exception ignored" message and exit code 120.
            sys.stdout.flush()
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS or error.filename is not None:
            raise
        _output_failed(error)


# Errors of a write to a stream that cannot take it: a closed pipe, a full disk or device
# (`> /dev/full`), a terminal gone, a non-blocking stdout that is full.
_OUTPUT_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.ENXIO, errno.EAGAIN}
)


def _output_failed(error: OSError) -> NoReturn:
    """The output cannot be written: one line on stderr (none for a closed pipe, which is
    how `stretch log | head` ends) and exit 1. What is still buffered goes to /dev/null,
    so that Python's flush at exit cannot fail again."""
    _to_devnull(sys.stdout)
    if error.errno != errno.EPIPE:
        try:
            sys.stderr.write(f"stretch: cannot write the output ({error.strerror or error})\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            _to_devnull(sys.stderr)
    raise SystemExit(EXIT_FAILURE)


def _to_devnull(stream: IO[str]) -> None:
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
