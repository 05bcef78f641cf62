"""`stretch remind now`, as the scheduler runs it, with a fake `notify-send` on PATH and a
fixed "now": a notification only when a session is due now and not done (at its time and
once more 30 minutes later), nothing otherwise, and never a loud failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import make_record

PLAN = (
    'starts = 2026-11-30\n[[items]]\nroutine = "lower-back"\ntimes = 2\nat = ["08:00", "19:00"]\n'
)


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    """A folder with a `notify-send` that appends its arguments to calls.txt."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "notify-send"
    calls = tmp_path / "calls.txt"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> {calls}\necho >> {calls}\n')
    script.chmod(0o755)
    return folder


def remind_now(home: Path, fake_bin: Path, when: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STRETCH_HOME": str(home),
        "STRETCH_TODAY": when,
        "TZ": "Europe/Berlin",
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
    }
    return subprocess.run(
        [sys.executable, "-m", "stretchcli", "remind", "now"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls.txt"
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize(
    ("when", "notified"),
    [
        ("2026-12-02T07:59", False),  # before the reminder time
        ("2026-12-02T08:00", True),
        ("2026-12-02T08:30", True),  # the repeat, 30 minutes later
        ("2026-12-02T09:30", False),  # long past: the scheduler did not run it then
        ("2026-12-02T19:00", True),
    ],
)
def test_a_notification_only_at_a_reminder_time_with_something_due(
    tmp_path: Path, home: Path, fake_bin: Path, when: str, notified: bool
) -> None:
    (home / "plan.toml").write_text(PLAN)
    done = remind_now(home, fake_bin, when)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    if notified:
        assert calls(tmp_path) == [
            "--app-name=stretch|Time to stretch|lower-back (2 left today). "
            "Start with: stretch start lower-back|"
        ]
    else:
        assert calls(tmp_path) == []
    assert (home / "status").read_text() == "stretch due: lower-back 2\n"


def test_nothing_when_the_sessions_are_done(tmp_path: Path, home: Path, fake_bin: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from stretchcli.history.store import HistoryStore

    (home / "plan.toml").write_text(PLAN)
    berlin = ZoneInfo("Europe/Berlin")
    with HistoryStore.open(home / "history.sqlite3") as store:
        for hour in (7, 8):
            store.record(make_record(datetime(2026, 12, 2, hour, tzinfo=berlin)))
    assert remind_now(home, fake_bin, "2026-12-02T08:30").returncode == 0
    assert calls(tmp_path) == []
    assert (home / "status").read_text() == ""


def test_a_broken_plan_is_logged_never_loud(tmp_path: Path, home: Path, fake_bin: Path) -> None:
    (home / "plan.toml").write_text("starts = soon\n")
    done = remind_now(home, fake_bin, "2026-12-02T08:00")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    (line,) = (home / "remind.log").read_text().splitlines()
    assert line.startswith("2026-12-02T08:00:00+01:00 PlanError: ")
    assert calls(tmp_path) == []


def test_without_a_notifier_the_reminder_goes_to_the_log(tmp_path: Path, home: Path) -> None:
    (home / "plan.toml").write_text(PLAN)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env_path = f"{empty}:/usr/local/bin:/usr/bin:/bin"
    done = subprocess.run(
        [sys.executable, "-m", "stretchcli", "remind", "now"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={
            **os.environ,
            "STRETCH_HOME": str(home),
            "STRETCH_TODAY": "2026-12-02T08:00",
            "TZ": "Europe/Berlin",
            "PATH": env_path,
        },
    )
    assert done.returncode == 0
    if Path("/usr/bin/notify-send").exists():
        pytest.skip("this machine has a real notify-send")
    assert "no desktop notification could be shown" in (home / "remind.log").read_text()
