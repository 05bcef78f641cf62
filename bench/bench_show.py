"""Benchmark `stretch show` against the size of a routine (not a test).

Routines of N exercises x 50 reps x 2 sides, alternating (201 steps an exercise: prep, 100
holds, 99 side switches, a pain check), from 5 to 100 exercises (1,005 to 20,100 steps;
100 exercises is a 5 KB file, within every bound of a routine file). For each it prints
the time to compile the timeline, to build the renderable, and to print it at 80 columns
into memory (median of ``--runs``), and the cost per step; then a whole process,
``python -m stretchcli show FILE > /dev/null``, for the largest. Output time should grow
linearly with the steps, and stay well under a second for the largest routine.

    python bench/bench_show.py [--runs 3] [--exercises 5,10,25,50,100]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from rich.console import Console  # noqa: E402

from stretchcli.routine.library import load_routine  # noqa: E402
from stretchcli.routine.timeline import build_timeline  # noqa: E402
from stretchcli.view.routines import routine_show  # noqa: E402


def routine_text(exercises: int) -> str:
    """A routine file of ``exercises`` two-sided exercises of 50 one-second holds."""
    lines = ['title = "Big"', "[defaults]", "hold = 1", "reps = 50", "rest = 1", "prep = 1"]
    lines.append("switch = 1")
    for number in range(exercises):
        lines += ["[[exercises]]", f'name = "Exercise {number}"', 'sides = ["left", "right"]']
    return "\n".join(lines) + "\n"


def median_time(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``work`` over ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(file: Path, runs: int) -> tuple[int, float, float, float]:
    """Steps, and the median seconds to compile, build and print the routine in ``file``."""
    loaded = load_routine(str(file))
    timeline = build_timeline(loaded.routine)
    compile_s = median_time(lambda: build_timeline(loaded.routine), runs)
    build_s = median_time(lambda: routine_show(loaded, timeline), runs)
    renderable = routine_show(loaded, timeline)

    def render() -> None:
        console = Console(file=io.StringIO(), width=80, highlight=False)
        console.print(renderable, markup=False)

    return len(timeline.steps), compile_s, build_s, median_time(render, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--exercises", default="5,10,25,50,100")
    args = parser.parse_args()
    sizes = [int(size) for size in args.exercises.split(",")]

    with tempfile.TemporaryDirectory() as folder:
        print(f"stretch show: {args.runs} runs each, median; rendered at 80 columns into memory")
        head = ("exercises", "steps", "timeline", "build", "print", "per step")
        print("{:>9} {:>7} {:>9} {:>8} {:>8} {:>9}".format(*head))
        path = Path(folder)
        for size in sizes:
            file = path / f"big-{size}.toml"
            file.write_text(routine_text(size), encoding="utf-8")
            steps, compile_s, build_s, print_s = measure(file, args.runs)
            per_step = (build_s + print_s) / steps * 1e6
            print(
                f"{size:>9} {steps:>7} {compile_s:>8.3f}s {build_s:>7.3f}s {print_s:>7.3f}s "
                f"{per_step:>7.1f}us"
            )

        largest = path / f"big-{max(sizes)}.toml"
        env = dict(os.environ, STRETCH_HOME=str(path / "home"), COLUMNS="80")

        def whole() -> None:
            subprocess.run(
                [sys.executable, "-m", "stretchcli", "show", str(largest)],
                env=env,
                stdout=subprocess.DEVNULL,
                check=True,
            )

        size_kb = largest.stat().st_size / 1024
        print(
            f"whole process, `stretch show` of {max(sizes)} exercises ({size_kb:.1f} KB): "
            f"{median_time(whole, args.runs):.2f}s"
        )


if __name__ == "__main__":
    main()
