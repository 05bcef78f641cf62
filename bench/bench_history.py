"""Benchmark the history with 100,000 sessions (not a test).

Builds a temp STRETCH_HOME with ``--sessions`` sessions (via ``record_many``), then times
whole processes, median of ``--runs``: ``python -m stretchcli log``, ``... stats``, and
``... import`` of an export of all of them into an empty home. Targets: log and stats under
300 ms, import under 10 s.

    python bench/bench_history.py [--sessions 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from stretchcli.history.record import (  # noqa: E402
    PainAnswer,
    PainRecord,
    SessionRecord,
    SideRecord,
    Status,
)
from stretchcli.history.store import HistoryStore  # noqa: E402
from stretchcli.paths import DB_NAME  # noqa: E402

ROUTINES = ["lower-back", "sore-back", "mid-back", "desk-break", "back-in-bed", "hold"]
EXERCISES = ["Prone on elbows", "Hooklying trunk rotation", "Knee to chest", "Cat-cow"]
TARGETS = {"log": 0.3, "stats": 0.3, "import": 10.0}
PYCACHE = Path(tempfile.gettempdir()) / "stretch-bench-pycache"


def fake_sessions(count: int, *, seed: int = 4) -> list[SessionRecord]:
    """``count`` plausible sessions over the last three years, about one in ten with sides."""
    rng = random.Random(seed)
    end = datetime.now(UTC)
    span = timedelta(days=3 * 365).total_seconds()
    records = []
    for number in range(count):
        started = (end - timedelta(seconds=rng.uniform(0, span))).astimezone()
        duration = rng.uniform(60, 900)
        status: Status = rng.choices(["completed", "stopped", "quit"], [90, 4, 6])[0]
        answers: list[PainAnswer] = rng.choices(["fine", "sore"], [80, 20], k=rng.randint(1, 3))
        if status == "stopped":
            answers.append("stop")
        sides = [SideRecord(0, EXERCISES[0], None, rng.uniform(20, 120), 1)]
        for side in ("left", "right"):
            sides.append(SideRecord(1, EXERCISES[1], side, rng.uniform(20, 90), rng.randint(1, 3)))
        records.append(
            SessionRecord(
                id=f"{number:08x}{rng.getrandbits(96):024x}",
                routine=rng.choice(ROUTINES),
                title="Benchmark session",
                started_at=started,
                ended_at=started + timedelta(seconds=duration),
                duration_s=round(duration, 3),
                status=status,
                source="guided",
                pain_before=rng.choice([None, *range(11)]),
                pain_after=rng.choice([None, *range(11)]),
                sides=tuple(sides),
                pain=tuple(
                    PainRecord(i, EXERCISES[i % 4], a, "left" if a == "stop" else None)
                    for i, a in enumerate(answers)
                ),
            )
        )
    return records


@dataclass(frozen=True)
class Timing:
    """One process: wall-clock seconds, and CPU seconds (user + system) it used itself,
    which other load on the machine disturbs much less."""

    wall: float
    cpu: float


def run(args: list[str], home: Path) -> Timing:
    """Time one ``python -m stretchcli ARGS`` process (it must succeed)."""
    env = {**os.environ, "STRETCH_HOME": str(home), "PYTHONPATH": str(SRC), "COLUMNS": "100"}
    # As an installed package would be: byte-compiled once (here into a private cache).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stretchcli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"stretch {' '.join(args)} failed with exit code {proc.returncode}")
    return Timing(took, usage.ru_utime + usage.ru_stime)


def median_of(runs: int, measure: Callable[[], Timing]) -> tuple[Timing, list[Timing]]:
    """Medians (wall and CPU separately) and all timings of ``runs`` calls of ``measure``."""
    times = [measure() for _ in range(runs)]
    wall = statistics.median(t.wall for t in times)
    cpu = statistics.median(t.cpu for t in times)
    return Timing(wall, cpu), times


def main() -> None:
    """Build the history, time the commands, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stretch-bench-") as temp:
        root = Path(temp)
        home = root / "home"
        records = fake_sessions(options.sessions)
        start = time.perf_counter()
        with HistoryStore.open(home / DB_NAME) as store:
            added = store.record_many(records)
        built = time.perf_counter() - start
        export = root / "export.json"
        with HistoryStore.open(home / DB_NAME) as store, export.open("w") as out:
            store.export_json(out)
        size = (home / DB_NAME).stat().st_size

        rows: list[tuple[str, Timing, list[Timing], float | None]] = []
        run(["--version"], home)  # byte-compile, warm the file cache
        for label, args in [
            ("stretch --version (start-up)", ["--version"]),
            ("stretch log", ["log"]),
            ("stretch log --json --limit 20", ["log", "--json", "--limit", "20"]),
            ("stretch stats", ["stats"]),
            ("stretch stats --json", ["stats", "--json"]),
        ]:
            run(args, home)
            median, times = median_of(options.runs, lambda args=args: run(args, home))
            rows.append((label, median, times, TARGETS.get(args[0])))
        counter = iter(range(options.runs))

        def import_once() -> Timing:
            return run(["import", str(export)], root / f"import-{next(counter)}")

        median, times = median_of(options.runs, import_once)
        rows.append((f"stretch import ({options.sessions:,} sessions)", median, times, 10.0))

    print(
        f"{added:,} sessions (record_many in-process: {built:.1f} s); database {size / 1e6:.1f} MB"
    )
    print(
        f"median of {options.runs} runs, whole processes (python {sys.version.split()[0]}, ", end=""
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)\n")
    print(f"{'what':<40} {'wall':>8} {'cpu':>8} {'target':>8}  ok   wall of each run (ms)")
    for label, median, times, target in rows:
        ok = "" if target is None else ("yes" if median.wall < target else "NO")
        goal = "" if target is None else f"{target * 1000:.0f}"
        each = " ".join(f"{t.wall * 1000:.0f}" for t in times)
        print(
            f"{label:<40} {median.wall * 1000:>8.0f} {median.cpu * 1000:>8.0f} {goal:>8}  "
            f"{ok:<4} {each}"
        )


if __name__ == "__main__":
    main()
