"""`stretch remind now`, what the scheduler runs: a desktop notification when a session
is due now and not done (at its reminder time, and once more 30 minutes later), nothing
otherwise. It never fails loudly: a scheduler shows no one its output, so every problem
goes to ``remind.log`` in the data folder instead."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from stretchcli.plan.remind import REPEAT_MINUTES
from stretchcli.plan.today import Today, load_today, status_line, write_status

LOG_NAME = "remind.log"
# A reminder time counts as "now" for this long (the repeat comes 30 minutes after it).
WINDOW = timedelta(minutes=REPEAT_MINUTES + 29)

Notifier = Callable[[str, str], bool]


def desktop_notifier(runner: Callable[[Sequence[str]], int] | None = None) -> Notifier:
    """notify-send (Linux and BSD desktops) or osascript (macOS)."""

    def call(args: Sequence[str]) -> int:
        return subprocess.run(list(args), capture_output=True, check=False, timeout=20).returncode

    run = runner or call

    def notify(title: str, body: str) -> bool:
        if sys.platform == "darwin" and shutil.which("osascript"):
            script = f"display notification {_apple(body)} with title {_apple(title)}"
            return run(["osascript", "-e", script]) == 0
        if shutil.which("notify-send"):
            return run(["notify-send", "--app-name=stretch", title, body]) == 0
        return False

    return notify


def _apple(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def due_now(result: Today) -> list[str]:
    """Routines with sessions left whose reminder time is now (within the window)."""
    now = result.now
    due: list[str] = []
    for entry in result.left:
        if entry.suspended_since is not None:
            continue
        for at in entry.at:
            hour, minute = (int(part) for part in at.split(":"))
            moment = datetime.combine(now.date(), time(hour, minute), now.tzinfo)
            if moment <= now < moment + WINDOW:
                due.append(entry.routine)
                break
    return due


def message(result: Today, routines: list[str]) -> tuple[str, str]:
    """The notification's title and body."""
    left = {entry.routine: entry.day.left for entry in result.items}
    parts = [f"{name} ({left[name]} left today)" for name in routines]
    return "Time to stretch", f"{', '.join(parts)}. Start with: stretch start {routines[0]}"


def remind_now(
    plan_path: Path,
    db_path: Path,
    data_dir: Path,
    *,
    now: datetime,
    tz: tzinfo,
    notify: Notifier | None = None,
) -> list[str]:
    """Notify about what is due now; returns the routines notified. Never raises: a
    problem is one line in ``remind.log``."""
    try:
        result = load_today(plan_path, db_path, now=now, tz=tz)
        write_status(data_dir, status_line(result) if result is not None else "")
        if result is None:
            return []
        routines = due_now(result)
        if routines:
            title, body = message(result, routines)
            if not (notify or desktop_notifier())(title, body):
                _log(data_dir, now, f"no desktop notification could be shown: {body}")
        return routines
    except Exception as exc:
        _log(data_dir, now, f"{type(exc).__name__}: {exc}")
        return []


def _log(folder: Path, now: datetime, line: str) -> None:
    from stretchcli.safe import visible

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / LOG_NAME).open("a", encoding="utf-8") as log:
            log.write(f"{now.isoformat(timespec='seconds')} {visible(line)}\n")
    except OSError:
        pass
