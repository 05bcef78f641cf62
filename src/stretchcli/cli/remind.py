"""Reminder commands: remind install/uninstall/status/now."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from stretchcli.cli.common import say
from stretchcli.cli.today import load_today, now_and_zone

remind_app = typer.Typer(
    name="remind",
    help="Reminders at the plan's times, through the system's scheduler. "
    "Example: stretch remind install --dry-run",
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def reminders_installed() -> bool:
    """Whether our reminders are installed for this system's scheduler."""
    from stretchcli.errors import StretchError
    from stretchcli.plan import remind

    try:
        scheduler = remind.choose_scheduler()
        return bool(remind.installed(scheduler=scheduler, home=Path.home()))
    except (StretchError, OSError):
        return False


@remind_app.command("install")
def remind_install_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written and where.")
    ] = False,
) -> None:
    """Remind me at the plan's times through the system scheduler (systemd, launchd, cron).

    Example: stretch remind install --dry-run
    """
    from stretchcli import paths
    from stretchcli.errors import StretchError
    from stretchcli.plan import remind
    from stretchcli.plan.files import load_plan

    plan = load_plan(paths.plan_path())
    if plan is None:
        raise StretchError("no plan yet: stretch plan add ROUTINE --at 08:00")
    scheduler = remind.choose_scheduler()
    install = remind.plan_install(plan, scheduler=scheduler, home=Path.home())
    if dry_run:
        say(f"would install reminders with {scheduler}:")
        for path, text in install.files.items():
            say(f"--- {path}")
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        if install.crontab is not None:
            say("--- your crontab would become:")
            sys.stdout.write(install.crontab)
        for command in install.commands:
            say("$ " + " ".join(command))
        return
    remind.apply(install)
    times = ", ".join(f"{h:02d}:{m:02d}" for h, m in remind.reminder_times(plan))
    say(f"reminders installed with {scheduler} at {times}")


@remind_app.command("uninstall")
def remind_uninstall_command() -> None:
    """Remove the reminders (exactly what `remind install` wrote).

    Example: stretch remind uninstall
    """
    from stretchcli.plan import remind

    removed = remind.uninstall(scheduler=remind.choose_scheduler(), home=Path.home())
    for what in removed:
        say(f"removed {what}")
    if not removed:
        say("no reminders were installed")


@remind_app.command("status")
def remind_status_command() -> None:
    """Say which reminders are installed and when the next one fires.

    Example: stretch remind status
    """
    from stretchcli.plan import remind

    scheduler = remind.choose_scheduler()
    found = remind.installed(scheduler=scheduler, home=Path.home())
    if not found:
        say(f"no reminders installed ({scheduler}); stretch remind install")
        return
    say(f"installed with {scheduler}:")
    for what in found:
        say(f"  {what}")
    result = load_today()
    if result is not None and result.next_reminder is not None:
        say(f"next reminder today at {result.next_reminder:%H:%M}")


@remind_app.command("now")
def remind_now_command() -> None:
    """What the scheduler runs: a desktop notification when a session is due and not done.

    Example: stretch remind now
    """
    from stretchcli import paths
    from stretchcli.plan.notify import remind_now

    now, tz = now_and_zone()
    remind_now(paths.plan_path(), paths.db_path(), paths.data_dir(), now=now, tz=tz)
