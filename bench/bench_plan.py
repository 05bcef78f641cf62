"""Benchmark the plan's daily commands on a history of 100,000 sessions (not a test).

Builds a temp STRETCH_HOME with ``--sessions`` sessions over three years and a plan of
three items that started six weeks ago, then times whole processes next to a minimal typer
app (the floor every typer CLI pays) and the status file a prompt reads instead:
``stretch today --short``, ``stretch today``, ``stretch plan``, bare ``stretch``.

    python bench/bench_plan.py [--sessions 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_history import SRC, Timing, fake_sessions, median_of, run
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME

TYPER_APP = """
import typer
app = typer.Typer()
@app.command()
def main(name: str = "world") -> None:
    print(name)
app()
"""


def run_python(args: list[str]) -> Timing:
    """Time one plain ``python ARGS`` process, measured like ``run``."""
    import subprocess
    import time

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return Timing(time.perf_counter() - start, usage.ru_utime + usage.ru_stime)


def main() -> None:
    """Build the history and the plan, time the commands, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stretch-bench-plan-") as temp:
        root = Path(temp)
        home = root / "home"
        with HistoryStore.open(home / DB_NAME) as store:
            store.record_many(fake_sessions(options.sessions))
        starts = date.today() - timedelta(weeks=6)
        (home / "plan.toml").write_text(
            f"starts = {starts}\nweeks = 12\n"
            '[[items]]\nroutine = "lower-back"\ntimes = 2\nat = ["08:00", "19:00"]\n'
            '[items.progress]\nhold_step = "5s"\nhold_max = "60s"\n'
            '[[items]]\nroutine = "mid-back"\ndays = ["mon", "wed", "fri"]\n'
            '[[items]]\nroutine = "desk-break"\ndays = "every 2 days"\n',
            encoding="utf-8",
        )
        app = root / "typer_app.py"
        app.write_text(TYPER_APP, encoding="utf-8")
        rows: list[tuple[str, Timing]] = []
        for label, measure in [
            ("minimal typer app", lambda: run_python([str(app)])),
            ("stretch today --short", lambda: run(["today", "--short"], home)),
            ("stretch today", lambda: run(["today"], home)),
            ("stretch plan", lambda: run(["plan"], home)),
            ("stretch (start screen)", lambda: run([], home)),
        ]:
            measure()  # warm-up (and byte-compiling)
            rows.append((label, median_of(options.runs, measure)[0]))
    floor = rows[0][1].wall
    print(f"{options.sessions:,} sessions; plan of 3 items in its 7th week; PYTHONPATH={SRC}")
    print("a prompt that reads the status file (STRETCH_HOME/status) starts no Python at all")
    print(f"median of {options.runs} whole processes, load {os.getloadavg()[0]:.1f}\n")
    print(f"{'what':<40} {'wall ms':>8} {'cpu ms':>8} {'vs typer':>9}")
    for label, timing in rows:
        print(
            f"{label:<40} {timing.wall * 1000:>8.0f} {timing.cpu * 1000:>8.0f} "
            f"{timing.wall / floor:>8.2f}x"
        )


if __name__ == "__main__":
    main()
