"""Reminders through the system scheduler, against fake ``systemctl``/``crontab``/
``launchctl`` runners: what install writes and runs, that a dry run is exactly that, and
that uninstall leaves nothing behind."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from stretchcli.errors import StretchError
from stretchcli.plan import remind
from stretchcli.plan.model import Plan

PLAN = Plan.model_validate(
    {
        "starts": "2026-12-01",
        "items": [
            {"routine": "lower-back", "times": 2, "at": ["08:00", "19:00"]},
            {"routine": "desk-break", "at": ["23:45"]},
        ],
    }
)


class FakeScheduler:
    """Records every command; keeps a crontab like the real one."""

    def __init__(self, crontab: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.crontab = crontab

    def __call__(self, args: Sequence[str], stdin: str | None) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(args))
        if list(args) == ["crontab", "-l"]:
            if self.crontab is None:
                return subprocess.CompletedProcess(args, 1, "", "no crontab for user\n")
            return subprocess.CompletedProcess(args, 0, self.crontab, "")
        if list(args) == ["crontab", "-"]:
            self.crontab = stdin
        return subprocess.CompletedProcess(args, 0, "", "")


def test_the_times_are_each_reminder_and_its_repeat_half_an_hour_later() -> None:
    # 23:45 + 30 min is tomorrow: no repeat then.
    assert remind.reminder_times(PLAN) == [(8, 0), (8, 30), (19, 0), (19, 30), (23, 45)]


def test_systemd_install_writes_a_service_and_a_timer_and_enables_it(tmp_path: Path) -> None:
    fake = FakeScheduler()
    install = remind.plan_install(PLAN, scheduler="systemd", home=tmp_path, runner=fake)
    assert fake.calls == []  # planning runs nothing: --dry-run prints exactly this
    remind.apply(install, runner=fake)
    folder = tmp_path / ".config/systemd/user"
    timer = (folder / "stretch-reminder.timer").read_text()
    assert "OnCalendar=*-*-* 08:00:00\nOnCalendar=*-*-* 08:30:00\n" in timer
    assert "WantedBy=timers.target" in timer
    service = (folder / "stretch-reminder.service").read_text()
    assert f"ExecStart={sys.executable} -m stretchcli remind now" in service
    assert fake.calls == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "stretch-reminder.timer"],
    ]
    assert remind.installed(scheduler="systemd", home=tmp_path, runner=fake) == [
        str(folder / "stretch-reminder.timer"),
        str(folder / "stretch-reminder.service"),
    ]
    removed = remind.uninstall(scheduler="systemd", home=tmp_path, runner=fake)
    assert len(removed) == 2 and list(folder.iterdir()) == []
    assert fake.calls[-2:] == [
        ["systemctl", "--user", "disable", "--now", "stretch-reminder.timer"],
        ["systemctl", "--user", "daemon-reload"],
    ]


def test_cron_install_keeps_the_users_lines_and_never_duplicates_ours(tmp_path: Path) -> None:
    fake = FakeScheduler("MAILTO=me\n0 3 * * * backup.sh\n")
    for _ in range(2):
        install = remind.plan_install(PLAN, scheduler="cron", home=tmp_path, runner=fake)
        remind.apply(install, runner=fake)
    assert fake.crontab is not None
    lines = fake.crontab.splitlines()
    assert lines[:2] == ["MAILTO=me", "0 3 * * * backup.sh"]
    assert lines.count(remind.CRON_BEGIN) == 1
    assert len(remind.installed(scheduler="cron", home=tmp_path, runner=fake)) == 5
    assert f"0 8 * * * {sys.executable} -m stretchcli remind now" in lines
    remind.uninstall(scheduler="cron", home=tmp_path, runner=fake)
    assert fake.crontab == "MAILTO=me\n0 3 * * * backup.sh\n"
    assert remind.installed(scheduler="cron", home=tmp_path, runner=fake) == []


def test_launchd_install_writes_an_agent_with_calendar_intervals(tmp_path: Path) -> None:
    fake = FakeScheduler()
    install = remind.plan_install(PLAN, scheduler="launchd", home=tmp_path, runner=fake)
    remind.apply(install, runner=fake)
    path = tmp_path / "Library/LaunchAgents/org.stretchcli.reminder.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["StartCalendarInterval"][0] == {"Hour": 8, "Minute": 0}
    assert agent["ProgramArguments"][-2:] == ["remind", "now"]
    assert ["launchctl", "load", "-w", str(path)] in fake.calls
    remind.uninstall(scheduler="launchd", home=tmp_path, runner=fake)
    assert not path.exists()


def test_a_plan_without_times_has_nothing_to_install(tmp_path: Path) -> None:
    plan = Plan.model_validate({"starts": "2026-12-01", "items": [{"routine": "lower-back"}]})
    with pytest.raises(StretchError, match="no reminder times"):
        remind.plan_install(plan, scheduler="cron", home=tmp_path, runner=FakeScheduler())


def test_a_failing_scheduler_is_one_line(tmp_path: Path) -> None:
    def refuse(args: Sequence[str], stdin: str | None) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 1, "", "Failed to connect to bus\n")

    install = remind.plan_install(PLAN, scheduler="systemd", home=tmp_path, runner=refuse)
    with pytest.raises(StretchError, match="daemon-reload` failed: Failed to connect to bus"):
        remind.apply(install, runner=refuse)


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """Where systemd is installed, `systemd-analyze verify` checks the units we write."""
    import shutil

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    install = remind.plan_install(PLAN, scheduler="systemd", home=tmp_path, runner=FakeScheduler())
    remind.apply(install, runner=FakeScheduler())
    folder = tmp_path / ".config/systemd/user"
    runtime = tmp_path / "runtime"  # --user needs a runtime folder (none in CI)
    runtime.mkdir()
    done = subprocess.run(
        ["systemd-analyze", "verify", "--user", *(str(p) for p in sorted(folder.iterdir()))],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    assert done.returncode == 0, done.stderr
