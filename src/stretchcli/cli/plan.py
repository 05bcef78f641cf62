"""Plan commands: plan (show), plan add/remove/resume/edit/check."""

from pathlib import Path
from typing import Annotated

import typer

from stretchcli.cli.common import print_json, problems, say
from stretchcli.cli.complete import plan_routines, routine_ids
from stretchcli.cli.params import count, duration
from stretchcli.cli.remind import reminders_installed
from stretchcli.cli.today import now_and_zone, refresh_status
from stretchcli.routine.bounds import HOLD_MAX, PAUSE_MAX

plan_app = typer.Typer(
    name="plan",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
ROUTINE = typer.Argument(help="Routine id.", metavar="ROUTINE", autocompletion=routine_ids)
# ROUTINE of `plan remove` and `plan resume`: the routine of an item of the plan.
PLAN_ITEM = typer.Argument(help="Routine id.", metavar="ROUTINE", autocompletion=plan_routines)
# The values of `plan add` (cli/params.py: a bad one is one line and exit 2).
TIMES = typer.Option(parser=count("--times", 1, 6), help="Sessions per due day.", metavar="N")
WEEKS = typer.Option(parser=count("--weeks", 1, 104), help="Length of the plan.", metavar="N")
HOLD_STEP = typer.Option(
    parser=duration("--hold-step", 1, PAUSE_MAX),
    help="Added to every hold after each good week (5s).",
    metavar="DURATION",
)
HOLD_MAX_OPTION = typer.Option(
    parser=duration("--hold-max", 1, HOLD_MAX),
    help="Holds never grow beyond this (60s).",
    metavar="DURATION",
)


@plan_app.callback(invoke_without_command=True)
def plan_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the plan: each item's schedule, the dose in use, adherence this week and overall.

    Example: stretch plan
    """
    if ctx.invoked_subcommand is not None:
        return
    from stretchcli import paths
    from stretchcli.plan.files import load_plan
    from stretchcli.plan.schedule import Sessions, adherence
    from stretchcli.plan.today import plan_sessions, today
    from stretchcli.view import plan as view
    from stretchcli.view.console import show

    plan = load_plan(paths.plan_path())
    if plan is None:
        say(f"No plan yet ({paths.plan_path()}). Make one: stretch plan add lower-back --at 08:00")
        return
    now, tz = now_and_zone()
    # One read of the history and one index serve today's dose and every week's adherence.
    sessions = Sessions(plan_sessions(plan, paths.db_path(), tz=tz), tz)
    result = today(plan, sessions, now=now, tz=tz)
    weeks = {
        item.routine: adherence(
            result.plan, sessions, now.astimezone(tz).date(), routine=item.routine
        )
        for item in result.plan.items
    }
    if as_json:
        print_json(view.plan_json(result.plan, result, weeks))
    else:
        show(view.plan_view(result.plan, result, weeks))


def _list(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


@plan_app.command("add")
def plan_add_command(
    routine: Annotated[str, ROUTINE],
    days: Annotated[
        str | None,
        typer.Option(help='daily, weekdays (mon,wed,fri) or "every 2 days".', metavar="DAYS"),
    ] = None,
    times: Annotated[int | None, TIMES] = None,
    at: Annotated[
        str | None, typer.Option(help="Reminder times, e.g. 08:00,19:00.", metavar="TIMES")
    ] = None,
    hold_step: Annotated[int | None, HOLD_STEP] = None,
    hold_max: Annotated[int | None, HOLD_MAX_OPTION] = None,
    weeks: Annotated[int | None, WEEKS] = None,
) -> None:
    """Add a routine to the plan, or change its schedule (comments in the file are kept).

    Example: stretch plan add lower-back --days daily --times 2 --at 08:00,19:00
    """
    from stretchcli import paths
    from stretchcli.plan.edit import add_item
    from stretchcli.plan.remind import reminder_times
    from stretchcli.routine.library import find_routine

    source = find_routine(routine)
    day_list = _list(days)
    now, tz = now_and_zone()
    path = paths.plan_path()
    plan, new = add_item(
        path,
        source.id,
        today=now.astimezone(tz).date(),
        days=day_list[0] if day_list and len(day_list) == 1 else day_list,
        times=times,
        at=_list(at),
        hold_step=hold_step,
        hold_max=hold_max,
        weeks=weeks,
    )
    say(f"{'added' if new else 'changed'} {source.id} {'to' if new else 'in'} the plan ({path})")
    if reminder_times(plan) and reminders_installed():
        say("reminder times may have changed: run `stretch remind install` to update them")
    refresh_status()


@plan_app.command("remove")
def plan_remove_command(
    routine: Annotated[str, PLAN_ITEM],
) -> None:
    """Take a routine out of the plan (its history stays).

    Example: stretch plan remove mid-back
    """
    from stretchcli import paths
    from stretchcli.plan.edit import remove_item

    remove_item(paths.plan_path(), routine)
    say(f"removed {routine} from the plan")
    if reminders_installed():
        say("reminder times may have changed: run `stretch remind install` to update them")
    refresh_status()


@plan_app.command("resume")
def plan_resume_command(
    routine: Annotated[str, PLAN_ITEM],
) -> None:
    """Make an item paused by a pain stop due again, after talking to your therapist.

    Example: stretch plan resume lower-back
    """
    from stretchcli import paths
    from stretchcli.plan.edit import resume_item

    now, _ = now_and_zone()
    resume_item(paths.plan_path(), routine, now=now)
    say(f"{routine} is due again from today; stop at once if it hurts")
    refresh_status()


def _plan_problems(path: Path) -> list[str]:
    from stretchcli.errors import PlanError
    from stretchcli.plan.files import load_plan

    try:
        load_plan(path)
    except PlanError as exc:
        return exc.problems
    return []


@plan_app.command("edit")
def plan_edit_command() -> None:
    """Open the plan file in $VISUAL or $EDITOR and check it when you save.

    Example: EDITOR=nano stretch plan edit
    """
    from stretchcli import paths
    from stretchcli.cli.editor import edit_until_valid
    from stretchcli.plan.edit import HEADER

    path = paths.plan_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        now, tz = now_and_zone()
        path.write_text(f"{HEADER}\nstarts = {now.astimezone(tz).date()}\n", encoding="utf-8")
    edit_until_valid(path, _plan_problems)
    say(f"{path}: ok")
    refresh_status()


@plan_app.command("check")
def plan_check_command(
    file: Annotated[
        Path | None, typer.Argument(help="A plan file (default: yours).", metavar="FILE")
    ] = None,
) -> None:
    """Check a plan file: one line per problem; exit 0 when it is valid.

    Example: stretch plan check
    """
    from stretchcli import paths
    from stretchcli.errors import EXIT_FAILURE

    path = file if file is not None else paths.plan_path()
    if not path.exists():
        problems([f"{path}: no such plan file"])
        raise SystemExit(EXIT_FAILURE)
    found = _plan_problems(path)
    if found:
        problems(found)
        raise SystemExit(EXIT_FAILURE)
    say(f"{path}: ok")
