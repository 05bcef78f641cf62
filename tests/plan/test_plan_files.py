"""The plan file: valid and invalid files as a table (one line per problem), routines that
do not exist, and editing with comments kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from stretchcli.errors import PlanError
from stretchcli.plan.edit import add_item, remove_item, resume_item
from stretchcli.plan.files import load_plan

GOOD = """\
starts = 2026-12-01   # the day the therapist said to start
weeks = 6

[[items]]
routine = "lower-back"
days = "daily"
times = 2
at = ["08:00", "19:00"]

[items.progress]
hold_step = "5s"
hold_max = "60s"
"""


@pytest.fixture
def plan_file(tmp_path: Path, home: Path) -> Path:
    return tmp_path / "plan.toml"


def test_a_good_plan_loads(plan_file: Path) -> None:
    plan_file.write_text(GOOD, encoding="utf-8")
    plan = load_plan(plan_file)
    assert plan is not None
    (item,) = plan.items
    assert (plan.starts, plan.weeks, item.days, item.times, item.at) == (
        date(2026, 12, 1),
        6,
        "daily",
        2,
        ["08:00", "19:00"],
    )
    assert item.progress is not None and (item.progress.hold_step, item.progress.hold_max) == (
        5,
        60,
    )


def test_no_file_is_no_plan(plan_file: Path) -> None:
    assert load_plan(plan_file) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "file is empty; a plan needs starts = YYYY-MM-DD and [[items]]"),
        (
            "starts = 2026-12-01\nstart = 1\n",
            "start: unknown key; did you mean starts? allowed here: starts, weeks, items",
        ),
        ("weeks = 2\n", "starts: required key is missing"),
        ("starts = 2026-12-01\nweeks = 0\n", "weeks: must be greater than or equal to 1 (got 0)"),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\ndays = "sometimes"\n',
            'items[0].days: must be "daily", "every N days" or a list of weekdays such as ["mon", "thu"] (got "sometimes")',
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\ndays = ["mon", "funday"]\n',
            'items[0].days: weekdays are mon, tue, wed, thu, fri, sat, sun (got ["mon", "funday"])',
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\ntimes = 7\n',
            "items[0].times: must be less than or equal to 6 (got 7)",
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\nat = ["25:00"]\n',
            'items[0].at[0]: must be a time of day as "HH:MM", 00:00 to 23:59 (got "25:00")',
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\nat = ["08:00", "09:00"]\n',
            'items[0]: at: at most one reminder per session: 1 a day, 2 times given (got {routine = "lower-back", at = ["08:00", "09:00"]})',
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\n[items.progress]\nhold_step = "5s"\nhold_mx = "1m"\n',
            "items[0].progress.hold_mx: unknown key; did you mean hold_max? allowed here: hold_step, hold_max",
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "lower-bak"\n',
            "items[0].routine: no routine 'lower-bak'; did you mean: lower-back, sore-back, desk-break? (see `stretch list`)",
        ),
        (
            'starts = 2026-12-01\n[[items]]\nroutine = "../etc"\n',
            "items[0].routine: must be a routine id (letters, digits, '-', '_', '.'; see `stretch list`) (got \"../etc\")",
        ),
    ],
)
def test_bad_plans_give_one_line_per_problem(plan_file: Path, text: str, problem: str) -> None:
    plan_file.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(plan_file)
    assert caught.value.problems[-1] == f"{plan_file}: {problem}"
    assert len(caught.value.problems) == (2 if "hold_mx" in text else 1)


def test_editing_keeps_comments_and_checks_every_change(plan_file: Path) -> None:
    plan_file.write_text(GOOD, encoding="utf-8")
    plan, new = add_item(plan_file, "mid-back", today=date(2026, 12, 2), days=["wed", "mon"])
    assert new and [i.routine for i in plan.items] == ["lower-back", "mid-back"]
    plan, new = add_item(plan_file, "lower-back", today=date(2026, 12, 2), times=1, at=["07:30"])
    assert not new and (plan.items[0].times, plan.items[0].at) == (1, ["07:30"])
    text = plan_file.read_text(encoding="utf-8")
    assert "# the day the therapist said to start" in text
    with pytest.raises(PlanError):
        add_item(plan_file, "mid-back", today=date(2026, 12, 2), times=9)
    assert plan_file.read_text(encoding="utf-8") == text  # a bad change never lands
    resume_item(plan_file, "lower-back", now=datetime(2026, 12, 3, 9, tzinfo=UTC))
    plan = remove_item(plan_file, "mid-back")
    assert [i.routine for i in plan.items] == ["lower-back"]
    assert plan.items[0].resumed == datetime(2026, 12, 3, 9, tzinfo=UTC)
    with pytest.raises(PlanError, match="mid-back is not in the plan"):
        remove_item(plan_file, "mid-back")


def test_a_new_plan_starts_today_with_a_header(plan_file: Path) -> None:
    plan, new = add_item(plan_file, "lower-back", today=date(2026, 12, 2))
    assert new and plan.starts == date(2026, 12, 2)
    assert plan_file.read_text(encoding="utf-8").startswith("# Your stretch plan")
