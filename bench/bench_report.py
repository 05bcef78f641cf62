"""Benchmark `stretch report` on a history of 100,000 sessions (not a test).

Builds a temp STRETCH_HOME with ``--sessions`` sessions over three years (about 3,800 of
them in the last six weeks) and a plan of three items that started six weeks ago, then
times whole processes, median of ``--runs``, interleaved: `stretch stats` and `stretch
stats --json` next to `stretch report` (HTML and Markdown, the default six weeks). Target:
the report under 2x `stretch stats`. Then, in this process, where the report's time goes
(loading, HTML, Markdown) and what the chart libraries that were considered would cost
(pygal and leather, when installed: import, and drawing the period's pain ratings).

    python bench/bench_report.py [--sessions 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_history import PYCACHE, Timing, fake_sessions, run
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME, PLAN_NAME

TARGET = 2.0
PLAN = (
    "starts = {starts}\nweeks = 12\n"
    '[[items]]\nroutine = "lower-back"\ntimes = 2\nat = ["08:00", "19:00"]\n'
    '[[items]]\nroutine = "mid-back"\ndays = ["mon", "wed", "fri"]\n'
    '[[items]]\nroutine = "desk-break"\ndays = "every 2 days"\n'
)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:>8.0f}"


def timed(what: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        what()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_cost(module: str) -> float | None:
    """Seconds a fresh interpreter takes to import ``module`` beyond ``pass`` (None: not
    installed), median of 5."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPYCACHEPREFIX": str(PYCACHE)},
        )
        if result.returncode != 0:
            return None
        samples.append(float(result.stdout))
    return statistics.median(samples)


def chart_libraries(points: list[tuple[datetime, int]], runs: int) -> list[tuple[str, str]]:
    """What drawing the period's ratings (before and after) costs pygal and leather."""
    rows = []
    for name in ("jinja2", "pygal", "leather"):
        cost = import_cost(name)
        rows.append(
            (f"import {name} (fresh interpreter)", "not installed" if cost is None else ms(cost))
        )
    after = [(when, max(0, value - 2)) for when, value in points]
    try:
        import pygal

        def draw_pygal() -> None:
            chart = pygal.DateTimeLine(js=[], disable_xml_declaration=True, stroke=False)
            chart.add("before", points)
            chart.add("after", after)
            chart.render(is_unicode=True)

        rows.append((f"pygal: draw {2 * len(points):,} points", ms(timed(draw_pygal, 1))))
    except ImportError:
        pass
    try:
        import leather

        def draw_leather() -> None:
            chart = leather.Chart("Pain")
            chart.add_dots(points, name="before")
            chart.add_dots(after, name="after")
            chart.to_svg(width=700, height=190)

        rows.append((f"leather: draw {2 * len(points):,} points", ms(timed(draw_leather, runs))))
    except ImportError:
        pass
    return rows


def main() -> None:
    """Build the history and the plan, time the commands, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stretch-bench-report-") as temp:
        root = Path(temp)
        home = root / "home"
        records = fake_sessions(options.sessions)
        with HistoryStore.open(home / DB_NAME) as store:
            store.record_many(records)
        starts = date.today() - timedelta(weeks=6)
        (home / PLAN_NAME).write_text(PLAN.format(starts=starts), encoding="utf-8")
        html, md = root / "report.html", root / "report.md"
        commands = {
            "stretch stats": ["stats"],
            "stretch stats --json": ["stats", "--json"],
            "stretch report (HTML, 6 weeks)": ["report", "--force", "-o", str(html)],
            "stretch report --format md": ["report", "--force", "-o", str(md)],
        }
        for args in commands.values():
            run(args, home)  # warm-up, byte-compiling
        samples: dict[str, list[Timing]] = {label: [] for label in commands}
        for _ in range(options.runs):  # interleaved: load changes hit all alike
            for label, args in commands.items():
                samples[label].append(run(args, home))
        size = html.stat().st_size
        inside = in_process(home, options.runs)
        points = [
            (r.started_at.replace(tzinfo=None), r.pain_before)
            for r in records
            if r.pain_before is not None
            and r.started_at >= datetime.now(r.started_at.tzinfo) - timedelta(weeks=6)
        ]
        libraries = chart_libraries(points, options.runs)

    wall = {label: statistics.median(t.wall for t in times) for label, times in samples.items()}
    cpu = {label: statistics.median(t.cpu for t in times) for label, times in samples.items()}
    floor = wall["stretch stats"]
    print(f"{options.sessions:,} sessions over 3 years; plan of 3 items in its 7th week")
    print(f"median of {options.runs} whole processes, interleaved; load average ", end="")
    print(f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; python {sys.version.split()[0]}\n")
    print(f"{'what':<44} {'wall ms':>8} {'cpu ms':>8} {'vs stats':>9}")
    for label in commands:
        ratio = wall[label] / floor
        print(f"{label:<44} {ms(wall[label])} {ms(cpu[label])} {ratio:>8.2f}x")
    report = wall["stretch report (HTML, 6 weeks)"] / floor
    verdict = "met" if report < TARGET else "MISSED"
    print(f"\ntarget: report under {TARGET:.0f}x stats: {report:.2f}x, {verdict}")
    print(f"HTML file: {size / 1024:.0f} KiB\n")
    print("in this process (median ms):")
    for label, value in [*inside, *libraries]:
        print(f"  {label:<46} {value}")


def in_process(home: Path, runs: int) -> list[tuple[str, str]]:
    """Where the report's time goes, in this process (modules already imported)."""
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.report.data import load_report, period_start
    from stretchcli.view.report_html import render_html
    from stretchcli.view.report_md import render_markdown

    now, tz = now_local(), local_timezone()
    start, _ = period_start(now - timedelta(days=41), now=now, tz=tz)

    def load() -> object:
        return load_report(home / DB_NAME, home / PLAN_NAME, start=start, now=now, tz=tz)

    report = load_report(home / DB_NAME, home / PLAN_NAME, start=start, now=now, tz=tz)
    return [
        (f"load_report ({len(report.sessions):,} sessions in the period)", ms(timed(load, runs))),
        ("render_html", ms(timed(lambda: render_html(report, "bench"), runs))),
        ("render_markdown", ms(timed(lambda: render_markdown(report, "bench"), runs))),
    ]


if __name__ == "__main__":
    main()
