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
from datetime import UTC, datetime, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from stretchcli.history import (  # noqa: E402
    HistoryStore,
    PainAnswer,
    PainRecord,
    SessionRecord,
    SideRecord,
    Status,
)
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


def run(args: list[str], home: Path) -> float:
    """Seconds one ``python -m stretchcli ARGS`` process took (it must succeed)."""
    env = {**os.environ, "STRETCH_HOME": str(home), "PYTHONPATH": str(SRC), "COLUMNS": "100"}
    # As an installed package would be: byte-compiled once (here into a private cache).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stretchcli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"stretch {' '.join(args)} failed: {done.stderr.strip()}")
    return took


def median_of(runs: int, measure: object) -> tuple[float, list[float]]:
    """Median and all timings of ``runs`` calls of ``measure()``."""
    assert callable(measure)
    times = [measure() for _ in range(runs)]
    return statistics.median(times), times


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

        rows: list[tuple[str, float, list[float], float | None]] = [
            ("record_many (in-process, once)", built, [built], None),
        ]
        run(["--version"], home)  # warm the file cache and .pyc files
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

        def import_once() -> float:
            return run(["import", str(export)], root / f"import-{next(counter)}")

        median, times = median_of(options.runs, import_once)
        rows.append((f"stretch import ({options.sessions:,} sessions)", median, times, 10.0))

    print(f"{added:,} sessions; database {size / 1e6:.1f} MB; export {export.name}")
    print(f"median of {options.runs} runs, whole processes (python {sys.version.split()[0]})\n")
    print(f"{'what':<40} {'median':>9} {'target':>8}  {'ok':<3} runs")
    for label, median, times, target in rows:
        ok = "" if target is None else ("yes" if median < target else "NO")
        goal = "" if target is None else f"{target * 1000:.0f} ms"
        runs = " ".join(f"{t * 1000:.0f}" for t in times)
        print(f"{label:<40} {median * 1000:>6.0f} ms {goal:>8}  {ok:<3} {runs}")


if __name__ == "__main__":
    main()
