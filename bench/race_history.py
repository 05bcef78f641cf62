"""Several processes saving sessions into one history at the same moment (not a test).

Each round starts ``--procs`` processes that wait on one barrier, then each saves
``--sessions`` sessions with ``save_session`` (the path a finished session takes). Half the
rounds start with no history at all (everyone races to create it), half with an empty one.
A save counts as failed when it did not reach the database (it went to a fallback file).
Prints failures per kind of start and the distinct problems seen.

    python bench/race_history.py [--rounds 200] [--procs 3] [--sessions 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from stretchcli.history.record import SessionRecord  # noqa: E402
from stretchcli.history.save import save_session  # noqa: E402
from stretchcli.history.store import HistoryStore  # noqa: E402


def _record(session_id: str) -> SessionRecord:
    now = datetime.now(UTC).astimezone()
    return SessionRecord(
        id=session_id,
        routine="lower-back",
        title="Lower back",
        started_at=now,
        ended_at=now,
        duration_s=1.0,
        status="completed",
        source="guided",
        pain_before=None,
        pain_after=None,
    )


def _child(db: str, barrier: Any, ids: list[str], problems: Any) -> None:
    barrier.wait()
    for session_id in ids:
        result = save_session(_record(session_id), Path(db))
        if not result.in_database:
            problems.put(result.problem or "not in the database")
    problems.put(None)


def _round(ctx: Any, number: int, procs: int, sessions: int, existing: bool) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="stretch-race-"))
    db = folder / "data" / "history.sqlite3"
    if existing:
        with HistoryStore.open(db):
            pass
    barrier = ctx.Barrier(procs)
    problems = ctx.Queue()
    ids = [[f"r{number}-p{p}-{i}" for i in range(sessions)] for p in range(procs)]
    children = [ctx.Process(target=_child, args=(str(db), barrier, i, problems)) for i in ids]
    for child in children:
        child.start()
    seen: list[str] = []
    finished = 0
    while finished < procs:
        item = problems.get(timeout=60)
        if item is None:
            finished += 1
        else:
            seen.append(
                re.sub(r"'r\d+-p\d+-\d+'", "<id>", str(item).replace(str(folder), "<home>"))
            )
    for child in children:
        child.join(60)
    with HistoryStore.open(db) as store:
        stored = store.count()
    if stored + len(seen) != procs * sessions:
        seen.append(f"{procs * sessions - stored - len(seen)} sessions neither stored nor refused")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--procs", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    ctx = multiprocessing.get_context("fork")
    failures: Counter[bool] = Counter()
    problems: Counter[str] = Counter()
    began = time.perf_counter()
    for number in range(args.rounds):
        existing = number % 2 == 1
        seen = _round(ctx, number, args.procs, args.sessions, existing)
        failures[existing] += len(seen)
        problems.update(seen)
    elapsed = time.perf_counter() - began
    per_kind = args.rounds // 2 * args.procs * args.sessions
    print(
        f"{args.rounds} rounds x {args.procs} processes x {args.sessions} saves in {elapsed:.1f} s"
    )
    print(f"  new history:      {failures[False]} of {per_kind} saves failed")
    print(f"  existing history: {failures[True]} of {per_kind} saves failed")
    for problem, count in problems.most_common(10):
        print(f"  {count:5d} x {problem}")


if __name__ == "__main__":
    main()
