"""The `stretch` command line: thin commands that parse, call the core, render and exit.

This is the only module that imports typer. Costly imports (pydantic, rich.live, sqlite3)
happen inside the commands that need them, so `stretch --help` and `--version` stay fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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


def console() -> Console:
    """The stdout console (rich honours NO_COLOR and TERM=dumb by itself)."""
    from rich.console import Console

    return Console(highlight=False)


def print_json(data: Any) -> None:
    """JSON on stdout, one document."""
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


# --- history commands ---


def main() -> None:
    """Entry point of the `stretch` console script."""
    try:
        app()
    except StretchError as error:
        fail(error)
