"""Routine commands: list, show, new, edit, validate, schema."""

import os
from typing import Annotated

import typer

from stretchcli.cli import complete, params
from stretchcli.cli.common import print_json, problems, say, warn
from stretchcli.errors import EXIT_FAILURE

JSON_HELP = "Print JSON instead of a table."


def list_command(
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List the routines found: built-in, your own, and those in STRETCH_ROUTINES, each
    with its summary, exercises and time.

    Example: stretch list
    """
    from stretchcli.paths import cache_dir
    from stretchcli.routine.catalog import list_summaries
    from stretchcli.view import routines
    from stretchcli.view.console import show

    loaded, warnings = list_summaries(cache_dir() / "routines.json")
    for line in warnings:
        warn(line)
    if as_json:
        print_json(routines.routine_list_json(loaded))
    else:
        show(routines.routine_list_table(loaded))


def show_command(
    routine: Annotated[
        str,
        typer.Argument(
            metavar=params.ROUTINE,
            help="A routine id (see stretch list) or a path to a .toml file.",
            autocompletion=complete.routine_ids,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Show a routine in full: exercises with cues and dosing, cautions, the timeline of
    steps and the total time.

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
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar=params.ROUTINE + "...",
            help="Routine ids or paths to .toml files.",
            autocompletion=complete.routine_ids,
        ),
    ],
) -> None:
    """Check routines, by id or by path: one line per problem; exit 0 when all are valid,
    1 otherwise.

    Example: stretch validate my-morning routines/*.toml
    """
    from pathlib import Path

    from stretchcli.errors import RoutineError
    from stretchcli.routine.library import find_routine, is_path_ref, load_file

    bad = 0
    for ref in refs:
        # A path as before ids were taken: a .toml name, or any name with a folder in it.
        as_path = is_path_ref(ref) or "/" in ref or (os.altsep or "/") in ref
        try:
            path = Path(ref) if as_path else find_routine(ref).path
            load_file(path)
        except RoutineError as exc:
            bad += 1
            problems(exc.problems)
        else:
            say(f"{ref}: ok" if as_path else f"{ref}: ok ({path})")
    if bad:
        raise SystemExit(EXIT_FAILURE)


def schema_command(
    plan: Annotated[
        bool, typer.Option("--plan", help="The plan file's schema, not a routine's.")
    ] = False,
) -> None:
    """Print the JSON Schema of a routine file (or of the plan file), for completion and
    checks in your editor (Taplo, Even Better TOML).

    Example: stretch schema > ~/.config/stretch-routine.schema.json
    """
    if plan:
        from stretchcli.plan.model import plan_json_schema

        print_json(plan_json_schema())
        return
    from stretchcli.routine.model import routine_json_schema

    print_json(routine_json_schema())


def new_command(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Id of the new routine (its file name).")
    ],
) -> None:
    """Write a commented starter routine into your routines folder (never over a file).

    Example: stretch new my-morning
    """
    from stretchcli.routine.starter import write_starter

    path = write_starter(name)
    say(f"wrote {path}")
    say(f"change it with: stretch edit {name}; then: stretch show {name}")


def edit_command(
    routine: Annotated[
        str,
        typer.Argument(
            metavar=params.ROUTINE,
            help="A routine id or a path to a .toml file.",
            autocompletion=complete.routine_ids,
        ),
    ],
) -> None:
    """Open your copy of a routine in $VISUAL or $EDITOR and check it when you save. A
    built-in routine is first copied to your routines folder, where it then overrides the
    built-in one.

    Example: stretch edit lower-back
    """
    from stretchcli.cli.editor import edit_until_valid
    from stretchcli.routine.edit import editable_copy, routine_problems

    path, copied = editable_copy(routine)
    if copied is not None:
        say(f"copied the built-in {routine} to {path}; your copy now overrides it")
    kept = f"{path} is kept as it is; stretch edit {routine} to fix it" + (
        f", or delete it to use the built-in {routine} again" if copied is not None else ""
    )
    edit_until_valid(path, routine_problems, kept=kept)
    say(f"{path}: ok")
