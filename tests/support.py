"""Test data that several test modules share (imported as ``from support import ...``;
the tests folder is on ``sys.path`` as the rootdir of ``conftest.py``). Nothing of
stretchcli is imported until a helper is called."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord
    from stretchcli.history.stats import Stats

# The built-in routines, in the order `stretch list` shows them.
BUILTIN_IDS = [
    "back-in-bed",
    "desk-break",
    "lower-back",
    "mid-back",
    "sore-back",
    "stenosis-seated",
]

# A routine of two one-second exercises, the second two-sided: two pain checks.
_TINY_START = """
title = "Tiny"
[defaults]
prep = 1
hold = 1
reps = 1
switch = 1
[[exercises]]
name = "One"
"""
_TINY_END = """[[exercises]]
name = "Two"
sides = ["left", "right"]
"""
TINY = _TINY_START + _TINY_END
# The same with a cue on the first exercise (more text to fit on a tiny terminal).
TINY_WITH_CUE = _TINY_START + 'cues = ["Breathe out."]\n' + _TINY_END


# --- history records ---

BERLIN = ZoneInfo("Europe/Berlin")


def make_record(
    started: datetime = datetime(2024, 5, 6, 8, 0, tzinfo=BERLIN), **overrides: Any
) -> SessionRecord:
    """The one record factory of the tests: a full guided lower-back session starting at
    ``started``, 12m30s long, with time held per side and pain answers. Any field can be
    overridden; the end stays 12m30s after ``started`` unless ``ended_at`` is given."""
    from stretchcli.history.record import PainRecord, SessionRecord, SideRecord, new_session_id

    record = SessionRecord(
        id=new_session_id(),
        routine="lower-back",
        title="Lower back: extension and rotation",
        started_at=started,
        # Through UTC: 12m30s later in time, also across a DST change (wall-clock
        # arithmetic would end a session on Lord Howe Island before it started).
        ended_at=(started.astimezone(UTC) + timedelta(minutes=12, seconds=30)).astimezone(
            started.tzinfo
        ),
        duration_s=725.25,
        status="completed",
        source="guided",
        pain_before=5,
        pain_after=3,
        sides=(
            SideRecord(0, "Prone on elbows", None, 120.0, 1),
            SideRecord(1, "Hooklying trunk rotation", "left", 90.5, 3),
            SideRecord(1, "Hooklying trunk rotation", "right", 88.0, 3),
        ),
        pain=(
            PainRecord(0, "Prone on elbows", "fine"),
            PainRecord(1, "Hooklying trunk rotation", "sore"),
        ),
        note="felt good",
    )
    return replace(record, **overrides)


def stats_both_ways(
    records: list[SessionRecord], today: date, tz: tzinfo, since: date | None = None
) -> Stats:
    """Stats from SQL and from Python (from local day ``since`` on); they must agree."""
    from stretchcli.history.stats import compute_stats
    from stretchcli.history.store import HistoryStore

    with HistoryStore.open(Path("/nonexistent/history.sqlite3"), create=False) as memory:
        memory.record_many(records)
        from_sql = memory.stats(today=today, tz=tz, since=since)
    assert compute_stats(records, today=today, tz=tz, since=since) == from_sql
    return from_sql
