"""The rows statistics are computed from, grouped by local day in SQL, and the running
totals per routine and per exercise side that ``record_many`` keeps (scanning every side
row would take most of the time ``stretch stats`` has)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from stretchcli.history.days import from_day_number, local_midnight_ts, offset_segments
from stretchcli.history.record import PainAnswer, SessionRecord, counted
from stretchcli.history.rows import COUNTED
from stretchcli.history.stats import (
    DayTotals,
    SideTotals,
    StatsRows,
    pain_window_start,
    window_start,
)
from stretchcli.history.validate import EARLIEST, MAX_HOLDS, MAX_SECONDS

if TYPE_CHECKING:
    import sqlite3

_MARGIN = 2 * 86400  # seconds: more than any UTC offset, around a range of local days


def stats_rows(
    conn: sqlite3.Connection,
    *,
    tz: tzinfo,
    today: date,
    since: date | None = None,
    kept: str = COUNTED,
) -> StatsRows:
    """All-time days and per-routine/side sums (from local day ``since`` on, when given);
    day details for the chart windows only; only the sessions the SQL condition ``kept``
    keeps (those not removed: ``removal.KEPT``).

    Days are counted from ``validate.EARLIEST`` to the day after tomorrow (no later day is
    shown), and every duration is taken within ``validate.MAX_SECONDS``, so a database an
    older stretchcli filled with years like 9999 or durations like 1e308 cannot make this
    walk millions of days or sum to infinity."""
    # The timestamps leave a margin for any UTC offset; rows are then kept by local day.
    until = local_midnight_ts(today + timedelta(days=2), tz) + _MARGIN
    first = EARLIEST.timestamp()
    if since is not None:
        first = max(first, local_midnight_ts(since, tz) - _MARGIN)
    span = (first, until)
    low, high = conn.execute(
        f"SELECT min(started_ts), max(started_ts) FROM sessions "
        f"WHERE started_ts >= ? AND started_ts < ? AND {kept}",
        span,
    ).fetchone()
    if low is None:
        if since is not None:
            return StatsRows(since=since)
        routines = _routine_sums(conn)  # sessions out of range may still count here
        return StatsRows(
            total_sessions=sum(n for n, _ in routines.values()),
            total_duration_s=sum(seconds for _, seconds in routines.values()),
            routines=routines,
            sides=_side_sums(conn),
            side_answers=_side_answers(conn, "0", None, until, tz, kept),
        )
    day = _day_sql(offset_segments(tz, low, high))
    active = frozenset(
        when
        for (number,) in conn.execute(
            f"SELECT DISTINCT {day} FROM sessions "
            f"WHERE started_ts >= ? AND started_ts < ? AND {kept}",
            span,
        )
        if (when := from_day_number(number)) >= (since or when)
    )
    if since is None:
        routines, sides = _routine_sums(conn), _side_sums(conn)
    else:
        routines, sides = _sums_since(conn, day, since, until, tz, kept)
    start, pain_start = window_start(today, since), pain_window_start(today, since)
    days = {}
    for when, *totals in _by_day(
        conn,
        f"""SELECT {day} AS d, sum(resumes IS NULL),
            total(min(max(duration_s, 0), {MAX_SECONDS})),
            sum(status = 'stopped'),
            coalesce(sum(pain_before), 0), count(pain_before),
            coalesce(sum(pain_after), 0), count(pain_after)
            FROM sessions WHERE started_ts >= ? AND started_ts < ? AND {kept} GROUP BY d""",
        start,
        until,
        tz,
    ):
        days[when] = DayTotals(*totals)
    answers: dict[date, dict[PainAnswer, int]] = defaultdict(dict)
    for when, answer, n in _by_day(
        conn,
        f"""SELECT {day} AS d, p.answer, count(*) FROM sessions
            JOIN session_pain AS p ON p.session_pk = sessions.pk
            WHERE started_ts >= ? AND started_ts < ? AND {kept} GROUP BY d, p.answer""",
        pain_start,
        until,
        tz,
    ):
        answers[when][answer] = n
    return StatsRows(
        total_sessions=sum(n for n, _ in routines.values()),
        total_duration_s=sum(seconds for _, seconds in routines.values()),
        active_days=active,
        days=days,
        answers=dict(answers),
        routines=routines,
        sides=sides,
        side_answers=_side_answers(conn, day, since, until, tz, kept),
        since=since,
        first_day=min(active, default=None),
    )


def _sums_since(
    conn: sqlite3.Connection, day: str, since: date, until: float, tz: tzinfo, kept: str
) -> tuple[dict[str, tuple[int, float]], dict[tuple[str, str], SideTotals]]:
    """Sessions and time per routine, time held per exercise side, from local day
    ``since`` on (the running totals are all-time: these are summed from the sessions)."""
    merged: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for _, name, n, seconds in _by_day(
        conn,
        f"""SELECT {day} AS d, routine, sum(resumes IS NULL),
            total(min(max(duration_s, 0), {MAX_SECONDS})) FROM sessions
            WHERE started_ts >= ? AND started_ts < ? AND {kept} GROUP BY d, routine""",
        since,
        until,
        tz,
    ):
        merged[name][0] += n
        merged[name][1] += seconds
    routines = {name: (int(n), seconds) for name, (n, seconds) in merged.items()}
    sides: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for _, exercise, side, held, holds in _by_day(
        conn,
        f"""SELECT {day} AS d, s.exercise, s.side,
            total(min(max(s.held_s, 0), {MAX_SECONDS})), total(min(max(s.holds, 0), {MAX_HOLDS}))
            FROM sessions JOIN session_sides AS s ON s.session_pk = sessions.pk
            WHERE started_ts >= ? AND started_ts < ? AND {kept} AND s.side IS NOT NULL
            GROUP BY d, s.exercise, s.side""",
        since,
        until,
        tz,
    ):
        sides[(exercise, side)][0] += held
        sides[(exercise, side)][1] += holds
    return routines, {key: SideTotals(v[0], int(v[1])) for key, v in sides.items()}


def add_totals(conn: sqlite3.Connection, records: Sequence[SessionRecord]) -> None:
    """Add new sessions (not removed ones) to the running totals per routine and per
    exercise side (triggers of the schema take deleted sessions off, ``removal`` removed
    ones)."""
    routines: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    sides: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0, 0])
    for record in records:
        if not counted(record):  # a skip, or imported as removed: in no total
            continue
        routines[record.routine][0] += record.resumes is None  # a resumption: same one
        routines[record.routine][1] += record.duration_s
        for side in record.sides:
            if side.side is not None:
                totals = sides[(side.exercise, side.side)]
                totals[0] += side.held_s
                totals[1] += side.holds
                totals[2] += 1
    conn.executemany(
        """INSERT INTO routine_totals VALUES (?, ?, ?) ON CONFLICT (routine) DO UPDATE
           SET sessions = sessions + excluded.sessions,
               duration_s = duration_s + excluded.duration_s""",
        ((name, int(n), seconds) for name, (n, seconds) in routines.items()),
    )
    conn.executemany(
        """INSERT INTO side_totals VALUES (?, ?, ?, ?, ?) ON CONFLICT (exercise, side) DO UPDATE
           SET held_s = held_s + excluded.held_s, holds = holds + excluded.holds,
               rows = rows + excluded.rows""",
        (
            (exercise, side, held, int(holds), int(rows))
            for (exercise, side), (held, holds, rows) in sides.items()
        ),
    )


def _by_day(
    conn: sqlite3.Connection, sql: str, start: date, until: float, tz: tzinfo
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (local day number first; a first and an end timestamp as its
    parameters) for the local days from ``start`` on, with the day number turned into a
    date."""
    cutoff = local_midnight_ts(start, tz) - _MARGIN
    for number, *rest in conn.execute(sql, (cutoff, until)):
        if (when := from_day_number(number)) >= start:
            yield (when, *rest)


def _day_sql(segments: list[tuple[int, int]]) -> str:
    """SQL for the local day number (days since 1970-01-01) of ``started_ts``."""
    if len(segments) == 1:
        offset = str(segments[0][1])
    else:
        cases = " ".join(
            f"WHEN started_ts < {start} THEN {prev}"
            for (start, _), (_, prev) in zip(segments[1:], segments, strict=False)
        )
        offset = f"(CASE {cases} ELSE {segments[-1][1]} END)"
    return f"((CAST(started_ts AS INTEGER) + {offset}) / 86400)"


def _routine_sums(conn: sqlite3.Connection) -> dict[str, tuple[int, float]]:
    sql = f"""SELECT routine, sessions, max(min(duration_s, sessions * {MAX_SECONDS}.0), 0.0)
              FROM routine_totals WHERE sessions > 0"""
    return {name: (n, seconds) for name, n, seconds in conn.execute(sql)}


def _side_sums(conn: sqlite3.Connection) -> dict[tuple[str, str], SideTotals]:
    sql = f"""SELECT exercise, side, max(min(held_s, rows * {MAX_SECONDS}.0), 0.0),
              max(min(holds, rows * {MAX_HOLDS}), 0) FROM side_totals"""
    return {
        (exercise, side): SideTotals(held, holds)
        for exercise, side, held, holds in conn.execute(sql)
    }


def _side_answers(
    conn: sqlite3.Connection, day: str, since: date | None, until: float, tz: tzinfo, kept: str
) -> dict[str, dict[PainAnswer, int]]:
    """Pain answers per side (given during a sided hold), from local day ``since`` on."""
    found: dict[str, dict[PainAnswer, int]] = defaultdict(dict)
    if since is None:
        rows: Iterator[tuple[Any, ...]] = conn.execute(
            f"""SELECT NULL, p.side, p.answer, count(*) FROM session_pain AS p
                JOIN sessions ON sessions.pk = p.session_pk
                WHERE p.side IS NOT NULL AND {kept} GROUP BY p.side, p.answer"""
        )
    else:
        rows = _by_day(
            conn,
            f"""SELECT {day} AS d, p.side, p.answer, count(*) FROM session_pain AS p
                JOIN sessions ON sessions.pk = p.session_pk
                WHERE started_ts >= ? AND started_ts < ? AND p.side IS NOT NULL AND {kept}
                GROUP BY d, p.side, p.answer""",
            since,
            until,
            tz,
        )
    for _, side, answer, n in rows:
        found[side][answer] = found[side].get(answer, 0) + n
    return dict(found)
