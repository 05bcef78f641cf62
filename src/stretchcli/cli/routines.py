"""Routine commands: list, show, validate, schema, new."""

from pathlib import Path
from typing import Annotated

import typer

from stretchcli.cli.common import print_json, problems, say, warn
from stretchcli.errors import EXIT_FAILURE


def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the routines found: built-in, your own, and those in STRETCH_ROUTINES.

    Example: stretch list --json
    """
    from stretchcli.routine.library import list_routines
    from stretchcli.view import routines
    from stretchcli.view.console import show

    loaded, warnings = list_routines()
    for line in warnings:
        warn(line)
    if as_json:
        print_json(routines.routine_list_json(loaded))
    else:
        show(routines.routine_list_table(loaded))


def show_command(
    routine: Annotated[str, typer.Argument(help="Routine id or path to a .toml file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a routine in full: exercises, cues, dosing, cautions, the timeline and total time.

    Example: stretch show lower-back
    """
    from stretchcli.routine.library import load_routine
    from stretchcli.routine.timeline import build_timeline
    from stretchcli.view import routines
    from stretchcli.view.console import show

    loaded = load_routine(routine)
    timeline = build_timeline(loaded.routine)
    if as_json:
        print_json(routines.routine_show_json(loaded, timeline))
    else:
        show(routines.routine_show(loaded, timeline))


def validate_command(
    files: Annotated[list[Path], typer.Argument(help="Routine files to check.")],
) -> None:
    """Check routine files: one line per problem; exit 0 when all are valid, 1 otherwise.

    Example: stretch validate routines/*.toml
    """
    from stretchcli.errors import RoutineError
    from stretchcli.routine.library import load_file

    bad = 0
    for path in files:
        try:
            load_file(path)
        except RoutineError as exc:
            bad += 1
            problems(exc.problems)
        else:
            say(f"{path}: ok")
    if bad:
        raise SystemExit(EXIT_FAILURE)


def schema_command(
    plan: Annotated[bool, typer.Option("--plan", help="The plan file's schema.")] = False,
) -> None:
    """Print the JSON Schema of a routine file (or the plan file), for editor completion.

    Example: stretch schema > ~/.config/stretch-routine.schema.json
    """
    if plan:
        from stretchcli.plan.model import plan_json_schema

        print_json(plan_json_schema())
        return
    from stretchcli.routine.model import routine_json_schema

    print_json(routine_json_schema())


def new_command(
    name: Annotated[str, typer.Argument(help="Id of the new routine (its file name).")],
) -> None:
    """Write a commented starter routine into your routines folder (never overwrites).

    Example: stretch new my-morning
    """
    from stretchcli.routine.starter import write_starter

    path = write_starter(name)
    say(f"wrote {path}")
    say(f"edit it, then: stretch show {name}")
