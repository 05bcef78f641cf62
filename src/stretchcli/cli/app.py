"""The `stretch` typer app: the commands of each group registered in the order `--help`
lists them, and the version option (`cli/entry.py` is the entry point that runs it).

No `from __future__ import annotations` in this package: typer reads every command's
annotations when it builds the command line, and string annotations cost it a compile and
two evals each (~5 ms of every command's start-up). A type only imported for checking is
quoted. Costly imports (pydantic, rich.live, sqlite3) happen inside the commands that need
them, so `stretch --help` and `--version` stay fast.
"""

from typing import Annotated

import typer

from stretchcli.cli import history, plan, remind, report, routines, session, today
from stretchcli.cli.common import version_line
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

app = typer.Typer(
    name="stretch",
    cls=OrderedCommands,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
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
