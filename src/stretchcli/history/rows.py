"""A session record as rows of the tables (``sessions``, ``session_sides``,
``session_pain``) and back: the column lists, the parameters of an insert, the record of
a row and its child rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from stretchcli.history.record import PainRecord, SessionRecord, SideRecord

CHUNK = 500  # ids per `IN (...)` query, well below SQLite's variable limit

SESSION_COLUMNS = (
    "id, routine, title, started_at, started_ts, ended_at, duration_s, status, source, "
    "pain_before, pain_after, note, reason, resumes, step, extra_hold_s, removed"
)
SESSION_COUNT = SESSION_COLUMNS.count(",") + 1
SELECT_SESSIONS = f"SELECT pk, {SESSION_COLUMNS} FROM sessions"
# The sessions that count in stats and streaks (``record.counted`` in SQL).
COUNTED = "status != 'skipped' AND removed = 0"

SIDE_COLUMNS = "session_pk, seq, exercise_index, exercise, side, held_s, holds, moves"
PAIN_COLUMNS = "session_pk, seq, exercise_index, exercise, answer, side"


def marks(count: int) -> str:
    """``count`` SQL parameter marks: ``?, ?, ?``."""
    return ", ".join("?" * count)


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``items`` in pieces small enough for one ``IN (...)`` query each."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def group(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Child rows by their session's ``pk`` (the first column)."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def session_row(r: SessionRecord) -> tuple[Any, ...]:
    """The values of ``SESSION_COLUMNS`` for a record."""
    return (
        r.id,
        r.routine,
        r.title,
        r.started_at.isoformat(),
        r.started_at.timestamp(),
        r.ended_at.isoformat(),
        r.duration_s,
        r.status,
        r.source,
        r.pain_before,
        r.pain_after,
        r.note,
        r.reason,
        r.resumes,
        r.step,
        r.extra_hold_s,
        int(r.removed),
    )


def record_from_row(
    row: tuple[Any, ...], sides: Iterable[tuple[Any, ...]], pain: Iterable[tuple[Any, ...]]
) -> SessionRecord:
    """The record of a ``SELECT_SESSIONS`` row with its side and pain rows (in order)."""
    (
        _pk,
        id_,
        routine,
        title,
        started,
        _ts,
        ended,
        duration,
        status,
        source,
        before,
        after,
        note,
        reason,
        resumes,
        step,
        extra_hold_s,
        removed,
    ) = row
    return SessionRecord(
        id=id_,
        routine=routine,
        title=title,
        started_at=datetime.fromisoformat(started),
        ended_at=datetime.fromisoformat(ended),
        duration_s=duration,
        status=status,
        source=source,
        pain_before=before,
        pain_after=after,
        sides=tuple(SideRecord(s[2], s[3], s[4], s[5], s[6], s[7]) for s in sides),
        pain=tuple(PainRecord(p[2], p[3], p[4], p[5]) for p in pain),
        note=note,
        reason=reason,
        resumes=resumes,
        step=step,
        extra_hold_s=extra_hold_s,
        removed=bool(removed),
    )
