"""`stretch report` from the command line: where it writes (the default name, -o and its
suffix, stdout, never over a file without --force, never onto the history), --since,
--open through $BROWSER, and the figures of the report next to `stretch stats --json`."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Result
from report_dom import parse, rows, section
from report_support import TODAY, seed_home
from stretchcli.routine.durations import about_text

Run = Callable[..., Result]
DEFAULT = "stretch-report-2026-12-02.html"


@pytest.fixture(autouse=True)
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Berlin's and "now" the fixture's, for every command run in-process."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    monkeypatch.setenv("STRETCH_TODAY", TODAY)
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder of the command."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def seeded(home: Path) -> Path:
    seed_home(home)
    return home


def test_the_default_file_and_no_overwrite_without_force(
    stretch: Run, seeded: Path, here: Path
) -> None:
    first = stretch("report")
    assert (first.code, first.out, first.err) == (
        0,
        f"wrote the report of 2026-10-21 to 2026-12-02 to {DEFAULT}\n",
        "",
    )
    html = (here / DEFAULT).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    (here / DEFAULT).write_text("mine", encoding="utf-8")
    again = stretch("report")
    assert (again.code, again.out, again.err) == (
        1,
        "",
        f"{DEFAULT}: already exists; add --force to replace it, or -o FILE\n",
    )
    assert (here / DEFAULT).read_text(encoding="utf-8") == "mine"
    assert stretch("report", "--force").code == 0
    assert (here / DEFAULT).read_text(encoding="utf-8") == html


def test_the_format_comes_from_the_suffix_or_the_option(
    stretch: Run, seeded: Path, here: Path
) -> None:
    assert stretch("report", "-o", "for-anna.md").code == 0
    assert (here / "for-anna.md").read_text(encoding="utf-8").startswith("# Stretching report\n")
    assert stretch("report", "--format", "md").code == 0
    assert (here / "stretch-report-2026-12-02.md").exists()
    assert stretch("report", "-o", "page.HTM").code == 0
    assert (here / "page.HTM").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out = stretch("report", "--format", "md", "-o", "-")
    assert (out.code, out.out.splitlines()[0], out.err) == (0, "# Stretching report", "")
    html = stretch("report", "-o", "-")
    assert html.out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "notes.txt"],
            "-o notes.txt: end the name in .html or .md, or say which with --format html|md",
        ),
        (["--format", "md", "-o", "r.html"], "-o r.html: the name says html, --format says md"),
        (["-o", "-", "--open"], "--open: needs a file to open, not -o -"),
        (
            ["--since", "soon"],
            "--since: not a date or time; use 2026-12-01, 2026-12-01T08:30, today, yesterday, "
            "monday, 08:30, 8am, 7:30pm, 3 days ago, 3d, 2w, or a day and a time such as "
            "yesterday 8am",
        ),
        (["--since", "2026-12-03"], "--since: 2026-12-03 is after today (2026-12-02)"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(
    stretch: Run, seeded: Path, here: Path, args: list[str], message: str
) -> None:
    result = stretch("report", *args)
    assert (result.code, result.out, result.err) == (2, "", message + "\n")
    assert list(here.iterdir()) == []


def test_a_bad_format_name_is_a_usage_error(stretch: Run, seeded: Path, here: Path) -> None:
    result = stretch("report", "--format", "pdf")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_a_long_period_is_cut_to_twelve_weeks_with_a_warning(
    stretch: Run, seeded: Path, here: Path
) -> None:
    result = stretch("report", "--since", "2026-01-01", "-o", "r.md")
    assert result.code == 0
    assert (
        result.err == "stretch: a report covers at most 12 weeks: this one starts on 2026-09-14\n"
    )
    assert "Mon 14 Sep to Wed 2 Dec 2026 (11 weeks 3 days)" in (here / "r.md").read_text()


def test_never_onto_the_history_or_the_plan(stretch: Run, seeded: Path, here: Path) -> None:
    db = seeded / "history.sqlite3"
    before = db.read_bytes()
    result = stretch("report", "-o", db.with_suffix(".html"), "--force")
    assert result.code == 0  # beside it is fine
    link = here / "link.html"
    link.symlink_to(db)
    refused = stretch("report", "-o", link, "--force")
    assert refused.code == 1
    assert refused.err == (
        f"{link}: that is the history's own {db}; it was left as it was: name another file\n"
    )
    plan = here / "plan.md"
    plan.symlink_to(seeded / "plan.toml")
    assert stretch("report", "-o", plan, "--force").code == 1
    assert db.read_bytes() == before
    assert (seeded / "plan.toml").read_text().startswith("starts = 2026-10-26")


def test_open_hands_the_file_to_the_browser(
    stretch: Run, seeded: Path, here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    result = stretch("report", "--open")
    assert result.code == 0, result.err
    assert opened.read_text() == (here / DEFAULT).as_uri() + "\n"


def test_open_without_a_browser_says_so(
    stretch: Run, seeded: Path, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    result = stretch("report", "--open")
    assert (result.code, result.err) == (
        1,
        f"no web browser could be started: open {DEFAULT} yourself\n",
    )
    assert (here / DEFAULT).exists()


def test_an_empty_history_without_a_plan(stretch: Run, home: Path, here: Path) -> None:
    result = stretch("report", "-o", "-")
    assert result.code == 0, result.err
    _, doc = parse(result.out)
    figures = {d.one("dt").text(): d.one("dd").text() for d in doc.one("dl").all("div")}
    assert figures["Sessions"] == "0 (0 s)"
    assert section(doc, "Notes").text() == "Notes No notes in this period."
    assert section(doc, "Pain stops").text() == (
        "Pain stops No session was stopped for pain in this period."
    )
    assert not (home / "history.sqlite3").exists()  # a report creates no history


def test_a_broken_plan_is_one_line(stretch: Run, home: Path, here: Path) -> None:
    (home / "plan.toml").write_text("starts = soon\n")
    result = stretch("report")
    assert result.code == 1
    assert result.err.startswith(f"{home / 'plan.toml'}:1:")
    assert len(result.err.splitlines()) == 1


def test_the_figures_are_those_of_stats_json(stretch: Run, seeded: Path, here: Path) -> None:
    """The same functions, the same numbers: both count the resumed pair (Sun 15 Nov) as
    one session, as PRODUCT.md asks."""
    stats = json.loads(stretch("stats", "--json").out)
    _, doc = parse(stretch("report", "-o", "-").out)
    figures = {d.one("dt").text(): d.one("dd").text() for d in doc.one("dl").all("div")}
    assert figures["Current streak"] == f"{stats['current_streak']} days"
    assert figures["Longest streak"] == f"{stats['longest_streak']} days"
    # All time in stats: the 30 sessions of the period and one logged before it.
    assert (stats["total_sessions"], figures["Sessions"].split()[0]) == (31, "30")

    weeks = {w["start"]: w for w in stats["pain_weeks"]}
    starts = ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    starts += ["2026-11-23", "2026-11-30"]
    report_weeks = rows(section(doc, "Pain by week").one("table"))
    assert len(report_weeks) == len(starts)
    for start, (_, sessions, stops, sore, before, after) in zip(starts, report_weeks, strict=True):
        theirs = weeks[start]
        assert int(sessions) == theirs["sessions"]
        assert (int(stops), int(sore)) == (theirs["stopped"], theirs["sore"])
        assert (before, after) == (
            f"{theirs['pain_before_mean']:.1f}",
            f"{theirs['pain_after_mean']:.1f}",
        )

    plan_rows = rows(section(doc, "Plan and adherence").one("table"))
    assert [r[1:5] for r in plan_rows] == [
        [str(w["due"]), str(w["done"]), str(w["skipped"]), str(w["missed"])]
        for w in stats["plan"]["weeks"]
    ]
    assert [r[5] for r in plan_rows] == [
        "; ".join(w["reasons"]) or "–" for w in stats["plan"]["weeks"]
    ]

    (exercise,) = stats["side_exercises"]
    sides = section(doc, "Time held per side").one("svg").one("desc").text()
    left, right = exercise["held_s"]["left"], exercise["held_s"]["right"]
    assert f"left {about_text(left)}, right {about_text(right)}" in sides
