"""Statistics as a pure function of the sessions: the grouped rows they are computed from
(``StatsRows``: from records here, or from SQL in ``aggregate``), the result types of
``stretch stats``, and ``compute_stats``. Dates are local calendar days."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from stretchcli.history.record import PAIN_ANSWERS, PainAnswer, SessionRecord, counted

WEEKS_SHOWN = 12  # sessions per week, and pain per week
HEATMAP_WEEKS = 26


@dataclass(frozen=True)
class DayTotals:
    """Sessions started on one local day, summed."""

    sessions: int = 0
    duration_s: float = 0.0
    stopped: int = 0
    before_sum: int = 0
    before_n: int = 0
    after_sum: int = 0
    after_n: int = 0


@dataclass(frozen=True)
class SideTotals:
    """Time held and holds completed on one side of one exercise."""

    held_s: float = 0.0
    holds: int = 0


@dataclass(frozen=True)
class StatsRows:
    """The grouped rows statistics are computed from (from SQL or from records).

    Totals, the days with a session, routines and sides cover all time (from local day
    ``since`` on, when given); ``days`` (by local day) start at ``window_start(today,
    since)``, ``answers`` at ``pain_window_start(today, since)``. Removed sessions are in
    none of them. ``first_day`` is the local day of the first session counted.
    """

    total_sessions: int = 0
    total_duration_s: float = 0.0
    active_days: frozenset[date] = frozenset()
    days: Mapping[date, DayTotals] = field(default_factory=dict)
    answers: Mapping[date, Mapping[PainAnswer, int]] = field(default_factory=dict)
    routines: Mapping[str, tuple[int, float]] = field(default_factory=dict)
    sides: Mapping[tuple[str, str], SideTotals] = field(default_factory=dict)
    side_answers: Mapping[str, Mapping[PainAnswer, int]] = field(default_factory=dict)
    since: date | None = None
    first_day: date | None = None


def aggregate_sessions(
    sessions: Iterable[SessionRecord], *, tz: tzinfo, today: date, since: date | None = None
) -> StatsRows:
    """The same rows as ``aggregate.stats_rows`` (SQL), computed in Python from records."""
    start, pain_start = window_start(today, since), pain_window_start(today, since)
    days: dict[date, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0, 0])
    answers: dict[date, Counter[PainAnswer]] = defaultdict(Counter)
    routines: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    sides: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    side_answers: dict[str, Counter[PainAnswer]] = defaultdict(Counter)
    for s in sessions:
        if not counted(s):
            continue
        day = s.started_at.astimezone(tz).date()
        if getattr(s, "removed", False) or (since is not None and day < since):
            continue
        totals = days[day]
        totals[0] += s.resumes is None  # a resumption goes on with a session counted
        totals[1] += s.duration_s
        totals[2] += s.status == "stopped"
        if s.pain_before is not None:
            totals[3] += s.pain_before
            totals[4] += 1
        if s.pain_after is not None:
            totals[5] += s.pain_after
            totals[6] += 1
        routines[s.routine][0] += s.resumes is None
        routines[s.routine][1] += s.duration_s
        for side in s.sides:
            if side.side is not None:
                sides[(side.exercise, side.side)][0] += side.held_s
                sides[(side.exercise, side.side)][1] += side.holds
        for answer in s.pain:
            if day >= pain_start:
                answers[day][answer.answer] += 1
            if answer.side is not None:
                side_answers[answer.side][answer.answer] += 1
    return StatsRows(
        total_sessions=int(sum(t[0] for t in days.values())),
        total_duration_s=sum(t[1] for t in days.values()),
        active_days=frozenset(days),
        days={
            d: DayTotals(int(t[0]), t[1], int(t[2]), int(t[3]), int(t[4]), int(t[5]), int(t[6]))
            for d, t in days.items()
            if d >= start
        },
        answers={d: dict(c) for d, c in answers.items()},
        routines={name: (int(v[0]), v[1]) for name, v in routines.items()},
        sides={key: SideTotals(v[0], int(v[1])) for key, v in sides.items()},
        side_answers={side: dict(c) for side, c in side_answers.items()},
        since=since,
        first_day=min(days, default=None),
    )


@dataclass(frozen=True)
class WeekCount:
    """Sessions in one week (Monday to Sunday, local days)."""

    start: date
    sessions: int
    duration_s: float


@dataclass(frozen=True)
class PainWeek:
    """Pain over one week: stops, pain-check answers, mean 0-10 ratings before and after."""

    start: date
    sessions: int
    stopped: int
    answers: Mapping[PainAnswer, int]
    before_mean: float | None
    after_mean: float | None

    @property
    def sore(self) -> int:
        """How many pain checks were answered "sore but OK"."""
        return self.answers.get("sore", 0)


@dataclass(frozen=True)
class RoutineCount:
    """Sessions and time per routine."""

    routine: str
    sessions: int
    duration_s: float


@dataclass(frozen=True)
class SideReport:
    """One side over all sided exercises: time held, holds, pain answers given on it."""

    side: str
    held_s: float
    holds: int
    answers: Mapping[PainAnswer, int]


@dataclass(frozen=True)
class ExerciseSides:
    """Time held per side for one sided exercise (to spot a side that gets less)."""

    exercise: str
    held_s: Mapping[str, float]


@dataclass(frozen=True)
class Stats:
    """Everything ``stretch stats`` shows; dates are local calendar days."""

    today: date
    since: date | None
    first_day: date | None
    total_sessions: int
    total_duration_s: float
    current_streak: int
    longest_streak: int
    last_day: date | None
    weeks: tuple[WeekCount, ...]
    heatmap_start: date
    heatmap: Mapping[date, int]
    routines: tuple[RoutineCount, ...]
    pain_weeks: tuple[PainWeek, ...]
    sides: tuple[SideReport, ...]
    side_exercises: tuple[ExerciseSides, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """``stretch stats --json``."""
        return {
            "today": self.today.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "total_sessions": self.total_sessions,
            "total_duration_s": self.total_duration_s,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "weeks": [
                {"start": w.start.isoformat(), "sessions": w.sessions, "duration_s": w.duration_s}
                for w in self.weeks
            ],
            "heatmap": {
                "start": self.heatmap_start.isoformat(),
                "days": {d.isoformat(): n for d, n in sorted(self.heatmap.items())},
            },
            "routines": [
                {"routine": r.routine, "sessions": r.sessions, "duration_s": r.duration_s}
                for r in self.routines
            ],
            "pain_weeks": [
                {
                    "start": w.start.isoformat(),
                    "sessions": w.sessions,
                    "stopped": w.stopped,
                    "sore": w.sore,
                    "answers": dict(w.answers),
                    "pain_before_mean": w.before_mean,
                    "pain_after_mean": w.after_mean,
                }
                for w in self.pain_weeks
            ],
            "sides": [
                {"side": s.side, "held_s": s.held_s, "holds": s.holds, "answers": dict(s.answers)}
                for s in self.sides
            ],
            "side_exercises": [
                {"exercise": e.exercise, "held_s": dict(e.held_s)} for e in self.side_exercises
            ],
        }


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def pain_window_start(today: date, since: date | None = None) -> date:
    """First day of the per-week charts: a Monday 11 weeks back, or ``since`` if later."""
    first = week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    return max(first, since) if since is not None else first


def window_start(today: date, since: date | None = None) -> date:
    """First day of the heatmap (the widest chart): a Monday 25 weeks back, or ``since``
    if later."""
    first = week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1)
    return max(first, since) if since is not None else first


def chart_start(today: date, weeks: int, first_day: date | None) -> date:
    """The Monday a chart of ``weeks`` weeks up to ``today`` starts on: no earlier than
    the week of the first session (no rows of weeks before any history)."""
    start = week_start(today) - timedelta(weeks=weeks - 1)
    if first_day is not None and first_day <= today:
        start = max(start, week_start(first_day))
    return start


def compute_stats(
    data: StatsRows | Iterable[SessionRecord],
    *,
    today: date,
    tz: tzinfo,
    since: date | None = None,
) -> Stats:
    """Statistics as of local day ``today`` (from local day ``since`` on): a pure function
    of the sessions (or of the rows ``HistoryStore.aggregate`` made from them in zone
    ``tz``)."""
    rows = (
        data
        if isinstance(data, StatsRows)
        else aggregate_sessions(data, tz=tz, today=today, since=since)
    )
    days = rows.days
    start = chart_start(today, HEATMAP_WEEKS, rows.first_day)
    weeks = chart_start(today, WEEKS_SHOWN, rows.first_day)
    current, longest, last = _streaks(sorted(d for d in rows.active_days if d <= today), today)
    return Stats(
        today=today,
        since=since,
        first_day=rows.first_day,
        total_sessions=rows.total_sessions,
        total_duration_s=rows.total_duration_s,
        current_streak=current,
        longest_streak=longest,
        last_day=last,
        weeks=_weeks(days, today, weeks) if rows.first_day is not None else (),
        heatmap_start=start,
        heatmap={d: t.sessions for d, t in days.items() if start <= d <= today},
        routines=tuple(
            RoutineCount(name, n, seconds)
            for name, (n, seconds) in sorted(rows.routines.items(), key=lambda i: (-i[1][0], i[0]))
        ),
        pain_weeks=_pain_weeks(rows, today, weeks) if rows.first_day is not None else (),
        sides=_side_reports(rows),
        side_exercises=_exercise_sides(rows),
    )


def _streaks(days: list[date], today: date) -> tuple[int, int, date | None]:
    """(current, longest, last day): runs of consecutive local days with a session."""
    if not days:
        return 0, 0, None
    longest = run = 1
    for before, after in itertools.pairwise(days):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    current = run if (today - days[-1]).days <= 1 else 0
    return current, longest, days[-1]


def _week_starts(today: date, first: date) -> list[date]:
    """The Mondays from ``first`` (a Monday) to this week's."""
    return [first + timedelta(weeks=n) for n in range((week_start(today) - first).days // 7 + 1)]


def _weeks(days: Mapping[date, DayTotals], today: date, first: date) -> tuple[WeekCount, ...]:
    totals = {start: [0, 0.0] for start in _week_starts(today, first)}
    for day, t in days.items():
        bucket = totals.get(week_start(day))
        if bucket is not None and day <= today:
            bucket[0] += t.sessions
            bucket[1] += t.duration_s
    return tuple(WeekCount(start, int(v[0]), v[1]) for start, v in totals.items())


def _pain_weeks(rows: StatsRows, today: date, first: date) -> tuple[PainWeek, ...]:
    result = []
    for start in _week_starts(today, first):
        week = [start + timedelta(days=i) for i in range(7)]
        totals = [rows.days[d] for d in week if d in rows.days and d <= today]
        answers: Counter[PainAnswer] = Counter()
        for d in week:
            if d <= today:
                answers.update(rows.answers.get(d, {}))
        before_n = sum(t.before_n for t in totals)
        after_n = sum(t.after_n for t in totals)
        result.append(
            PainWeek(
                start=start,
                sessions=sum(t.sessions for t in totals),
                stopped=sum(t.stopped for t in totals),
                answers={a: answers[a] for a in PAIN_ANSWERS if answers[a]},
                before_mean=sum(t.before_sum for t in totals) / before_n if before_n else None,
                after_mean=sum(t.after_sum for t in totals) / after_n if after_n else None,
            )
        )
    return tuple(result)


def _side_reports(rows: StatsRows) -> tuple[SideReport, ...]:
    held: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for (_exercise, side), t in rows.sides.items():
        held[side][0] += t.held_s
        held[side][1] += t.holds
    names = sorted(set(held) | set(rows.side_answers), key=_side_order)
    return tuple(
        SideReport(
            side=name,
            held_s=held[name][0],
            holds=int(held[name][1]),
            answers={
                a: n for a in PAIN_ANSWERS if (n := rows.side_answers.get(name, {}).get(a, 0))
            },
        )
        for name in names
    )


def _exercise_sides(rows: StatsRows) -> tuple[ExerciseSides, ...]:
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for (exercise, side), t in rows.sides.items():
        per[exercise][side] = t.held_s
    return tuple(
        ExerciseSides(name, dict(sorted(sides.items(), key=lambda i: _side_order(i[0]))))
        for name, sides in sorted(per.items())
    )


def _side_order(side: str) -> tuple[int, str]:
    """left before right, then anything else alphabetically."""
    return ({"left": 0, "right": 1}.get(side, 2), side)
