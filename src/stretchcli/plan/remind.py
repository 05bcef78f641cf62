"""Reminders through the system's own scheduler, no daemon of ours: a systemd user timer
where systemd runs for the user, a launchd agent on macOS, a crontab entry otherwise. The
scheduler runs `stretch remind now` at each reminder time and 30 minutes later; that
command notifies only when something is due and not done.

Every function takes what it touches (home folder, the command to run, a runner for
``systemctl``/``crontab``/``launchctl``), so tests run it against fake programs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from stretchcli.errors import StretchError
from stretchcli.plan.model import Plan

UNIT = "stretch-reminder"
AGENT = "org.stretchcli.reminder"
CRON_BEGIN = "# stretchcli reminders: begin (managed by `stretch remind`; do not edit)"
CRON_END = "# stretchcli reminders: end"
REPEAT_MINUTES = 30

Runner = Callable[[Sequence[str], str | None], "subprocess.CompletedProcess[str]"]


def run(args: Sequence[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a scheduler program; its output is kept, never shown."""
    return subprocess.run(
        list(args), input=stdin, capture_output=True, text=True, check=False, timeout=30
    )


@dataclass(frozen=True)
class Install:
    """What `remind install` writes (files with their text) and runs, for one scheduler."""

    scheduler: str
    files: dict[Path, str] = field(default_factory=dict)
    commands: list[list[str]] = field(default_factory=list)
    crontab: str | None = None


def reminder_times(plan: Plan) -> list[tuple[int, int]]:
    """Every (hour, minute) the scheduler fires: each reminder time and, for the repeat,
    30 minutes after it (same day; a repeat after midnight is dropped)."""
    times: set[tuple[int, int]] = set()
    for item in plan.items:
        for at in item.at:
            hour, minute = (int(part) for part in at.split(":"))
            times.add((hour, minute))
            later = hour * 60 + minute + REPEAT_MINUTES
            if later < 24 * 60:
                times.add(divmod(later, 60))
    return sorted(times)


def command() -> list[str]:
    """The command the scheduler runs: this Python, this stretchcli."""
    return [sys.executable, "-m", "stretchcli", "remind", "now"]


def _environment() -> dict[str, str]:
    """What the command needs from this environment (where the data lives)."""
    return {name: os.environ[name] for name in ("STRETCH_HOME",) if os.environ.get(name)}


def choose_scheduler(runner: Runner = run) -> str:
    """``systemd`` where a systemd user manager answers, ``launchd`` on macOS, else
    ``cron`` (when there is a crontab command)."""
    if sys.platform == "darwin":
        return "launchd"
    systemctl = shutil.which("systemctl")
    if systemctl and runner(["systemctl", "--user", "show-environment"], None).returncode == 0:
        return "systemd"
    if shutil.which("crontab"):
        return "cron"
    raise StretchError(
        "no scheduler found for reminders: neither a systemd user session nor crontab; "
        "run `stretch today` from your shell's start-up file instead"
    )


def _quote(word: str) -> str:
    """A word for a systemd ExecStart line or a crontab line (shell-like quoting)."""
    import shlex

    return shlex.quote(word)


def systemd_install(plan: Plan, home: Path) -> Install:
    """A user service that runs the command, and a timer that starts it at each time."""
    folder = home / ".config" / "systemd" / "user"
    env = "".join(f"Environment={key}={_quote(value)}\n" for key, value in _environment().items())
    service = (
        "[Unit]\nDescription=stretchcli: remind me of stretches that are due\n\n"
        "[Service]\nType=oneshot\n"
        f"{env}ExecStart={' '.join(_quote(word) for word in command())}\n"
    )
    calendars = "".join(f"OnCalendar=*-*-* {h:02d}:{m:02d}:00\n" for h, m in reminder_times(plan))
    timer = (
        "[Unit]\nDescription=stretchcli: reminder times from the plan\n\n"
        f"[Timer]\n{calendars}Persistent=false\n\n[Install]\nWantedBy=timers.target\n"
    )
    return Install(
        "systemd",
        files={folder / f"{UNIT}.service": service, folder / f"{UNIT}.timer": timer},
        commands=[
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"],
        ],
    )


def launchd_install(plan: Plan, home: Path) -> Install:
    """A launchd agent with one calendar interval per time."""
    import plistlib

    agent = {
        "Label": AGENT,
        "ProgramArguments": command(),
        "EnvironmentVariables": _environment(),
        "StartCalendarInterval": [{"Hour": h, "Minute": m} for h, m in reminder_times(plan)],
    }
    path = home / "Library" / "LaunchAgents" / f"{AGENT}.plist"
    text = plistlib.dumps(agent).decode("utf-8")
    return Install(
        "launchd",
        files={path: text},
        commands=[["launchctl", "unload", str(path)], ["launchctl", "load", "-w", str(path)]],
    )


def _without_ours(crontab: str) -> list[str]:
    lines, inside = [], False
    for line in crontab.splitlines():
        if line == CRON_BEGIN:
            inside = True
        elif line == CRON_END:
            inside = False
        elif not inside:
            lines.append(line)
    return lines


def cron_install(plan: Plan, current: str) -> Install:
    """The user's crontab with our block (replaced, never duplicated) at its end."""
    env = " ".join(f"{key}={_quote(value)}" for key, value in _environment().items())
    run_line = " ".join(_quote(word) for word in command())
    ours = [CRON_BEGIN]
    ours += [f"{m} {h} * * * {env + ' ' if env else ''}{run_line}" for h, m in reminder_times(plan)]
    ours.append(CRON_END)
    lines = _without_ours(current)
    return Install("cron", crontab="\n".join([*lines, *ours]) + "\n")


def plan_install(plan: Plan, *, scheduler: str, home: Path, runner: Runner = run) -> Install:
    """What installing the reminders would write and run (nothing is done here)."""
    if not reminder_times(plan):
        raise StretchError(
            "the plan has no reminder times; add some, e.g. stretch plan add ROUTINE --at 08:00"
        )
    if scheduler == "systemd":
        return systemd_install(plan, home)
    if scheduler == "launchd":
        return launchd_install(plan, home)
    listed = runner(["crontab", "-l"], None)
    return cron_install(plan, listed.stdout if listed.returncode == 0 else "")


def apply(install: Install, *, runner: Runner = run) -> None:
    """Write the files and run the commands of ``install``."""
    from stretchcli.files import write_atomic

    for path, text in install.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _writer(text))
    if install.crontab is not None:
        _check(runner(["crontab", "-"], install.crontab), "crontab -")
    for args in install.commands:
        if args[:2] == ["launchctl", "unload"]:
            runner(args, None)  # not loaded yet is fine
            continue
        _check(runner(args, None), " ".join(args))


def _writer(text: str) -> Callable[[IO[str]], int]:
    return lambda out: out.write(text)


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise StretchError(f"`{what}` failed: {detail[-1] if detail else result.returncode}")


def uninstall(*, scheduler: str, home: Path, runner: Runner = run) -> list[str]:
    """Remove exactly what install wrote; returns what was removed (empty: nothing was
    installed)."""
    removed: list[str] = []
    if scheduler == "systemd":
        folder = home / ".config" / "systemd" / "user"
        timer = folder / f"{UNIT}.timer"
        if timer.exists():
            runner(["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"], None)
        for path in (timer, folder / f"{UNIT}.service"):
            if path.exists():
                path.unlink()
                removed.append(str(path))
        if removed:
            runner(["systemctl", "--user", "daemon-reload"], None)
    elif scheduler == "launchd":
        path = home / "Library" / "LaunchAgents" / f"{AGENT}.plist"
        if path.exists():
            runner(["launchctl", "unload", str(path)], None)
            path.unlink()
            removed.append(str(path))
    else:
        listed = runner(["crontab", "-l"], None)
        current = listed.stdout if listed.returncode == 0 else ""
        if CRON_BEGIN in current.splitlines():
            lines = _without_ours(current)
            _check(runner(["crontab", "-"], "\n".join(lines) + "\n" if lines else ""), "crontab -")
            removed.append("the stretchcli lines of your crontab")
    return removed


def installed(*, scheduler: str, home: Path, runner: Runner = run) -> list[str]:
    """What of ours is installed for ``scheduler``: file paths or crontab lines."""
    if scheduler == "systemd":
        folder = home / ".config" / "systemd" / "user"
        return [
            str(p) for p in (folder / f"{UNIT}.timer", folder / f"{UNIT}.service") if p.exists()
        ]
    if scheduler == "launchd":
        path = home / "Library" / "LaunchAgents" / f"{AGENT}.plist"
        return [str(path)] if path.exists() else []
    listed = runner(["crontab", "-l"], None)
    lines = listed.stdout.splitlines() if listed.returncode == 0 else []
    if CRON_BEGIN not in lines:
        return []
    return lines[lines.index(CRON_BEGIN) + 1 : lines.index(CRON_END)]
