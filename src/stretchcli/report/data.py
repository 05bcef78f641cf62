"""The report for the therapist as data: one frozen ``Report`` for a period, pure.

Every figure comes from the functions behind `stretch stats` and `stretch plan`: totals,
weeks, pain means and time per side from ``history.stats.compute_stats``, streaks from the
history's own ``Stats``, adherence from ``plan.schedule.adherence``, the plan's items today
from ``plan.today.today``. What the report adds is only what stats has no figure for: the
pain-check answers per exercise, the list of pain stops, the sessions and the skips.

Sessions that do not count (``record.counted``: skips, sessions removed by `log rm`) are in
no figure; skips are listed with their reasons. An interrupted session and its
resumption(s) (``resumes`` = the id of the session continued) are one session
(``merge_resumed``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from stretchcli.history.record import PAIN_ANSWERS, PainAnswer, SessionRecord, Status, counted
from stretchcli.history.stats import (
    ExerciseSides,
    PainWeek,
    Stats,
    compute_stats,
    pain_window_start,
    week_start,
)

if TYPE_CHECKING:
    from pathlib import Path

    from stretchcli.plan.model import Plan
    from stretchcli.plan.schedule import WeekAdherence
    from stretchcli.plan.today import Today

DEFAULT_SINCE = "6w"
# Answers that stop a session at once (keys 3, 4 and !).
STOP_ANSWERS: frozenset[PainAnswer] = frozenset({"sharp", "numbness", "stop"})


@dataclass(frozen=True)
class Session:
    """One session of the period; ``parts`` > 1: interrupted and resumed, counted once."""

    record: SessionRecord
    parts: int = 1

    @property
    def status(self) -> Status:
        """How the session (all its parts) ended."""
        return self.record.status


@dataclass(frozen=True)
class Skip:
    """A due session skipped (`stretch skip`), and why."""

    at: datetime
    routine: str
    reason: str


@dataclass(frozen=True)
class PainStop:
    """A session stopped for pain: when, and the exercise and answer that stopped it (None
    when the record does not say: an import of a session logged elsewhere)."""

    at: datetime
    routine: str
    exercise: str | None
    answer: PainAnswer | None
    side: str | None


@dataclass(frozen=True)
class ExerciseAnswers:
    """How often each pain-check answer was given after one exercise."""

    exercise: str
    counts: Mapping[PainAnswer, int]

    @property
    def total(self) -> int:
        """Answers given for this exercise."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Report:
    """Everything the report shows, for the local days ``start`` to ``end`` (today)."""

    now: datetime
    tz: tzinfo
    start: date
    end: date
    sessions: tuple[Session, ...]
    skips: tuple[Skip, ...]
    total_sessions: int
    total_duration_s: float
    active_days: int
    current_streak: int
    longest_streak: int
    last_day: date | None
    weeks: tuple[PainWeek, ...]
    answers: tuple[ExerciseAnswers, ...]
    stops: tuple[PainStop, ...]
    sides: tuple[ExerciseSides, ...]
    plan: Today | None = None
    adherence: tuple[WeekAdherence, ...] = ()

    @property
    def days(self) -> int:
        """Days in the period, today included."""
        return (self.end - self.start).days + 1


def period_start(since: datetime, *, now: datetime, tz: tzinfo) -> tuple[date, bool]:
    """The first local day of a report from ``since`` (``--since``), and whether it was
    moved later: a report covers at most the weeks `stretch stats` has pain figures for
    (``history.stats.PAIN_WEEKS_SHOWN``, from a Monday). A day after today raises
    ValueError."""
    today = now.astimezone(tz).date()
    day = since.astimezone(tz).date()
    if day > today:
        raise ValueError(f"{day.isoformat()} is after today ({today.isoformat()})")
    first = pain_window_start(today)
    return (first, True) if day < first else (day, False)


def first_day_needed(start: date, plan: Plan | None) -> date:
    """The first local day whose sessions the report reads: the Monday of the period's first
    week (its weekly figures are whole weeks, as in `stretch stats`), or the day before the
    plan starts when that is earlier (as ``plan.today.plan_sessions`` reads for adherence)."""
    first = week_start(start)
    if plan is not None:
        first = min(first, plan.starts - timedelta(days=1))
    return first


def merge_resumed(records: Iterable[SessionRecord]) -> list[Session]:
    """Counted sessions, oldest first, each resumption folded into the session it continues.

    A record whose ``resumes`` names a counted session that started before it is part of
    that session (and a resumption of a resumption, of the first one): one session from the
    first part's start to the last part's end, time spent added up, every side and answer
    kept, pain before from the first part that has one and after from the last. It ends as
    the last part did, except that a pain stop in any part is a pain stop of the whole. A
    resumption of a session that does not count (removed by `log rm`) or is not there
    stands on its own.
    """
    chains: dict[str, list[SessionRecord]] = {}
    root_of: dict[str, str] = {}
    for record in sorted((r for r in records if counted(r)), key=lambda r: (r.started_at, r.id)):
        root = root_of.get(record.resumes) if record.resumes is not None else None
        if root is None:
            root = record.id
            chains[root] = []
        root_of[record.id] = root
        chains[root].append(record)
    return [Session(_joined(parts), len(parts)) for parts in chains.values()]


def _joined(parts: Sequence[SessionRecord]) -> SessionRecord:
    first = parts[0]
    if len(parts) == 1:
        return first
    before = next((p.pain_before for p in parts if p.pain_before is not None), None)
    after = next((p.pain_after for p in reversed(parts) if p.pain_after is not None), None)
    stopped = any(p.status == "stopped" for p in parts)
    return replace(
        first,
        ended_at=max(p.ended_at for p in parts),
        duration_s=sum(p.duration_s for p in parts),
        status="stopped" if stopped else parts[-1].status,
        pain_before=before,
        pain_after=after,
        sides=tuple(side for p in parts for side in p.sides),
        pain=tuple(answer for p in parts for answer in p.pain),
        note="\n".join(dict.fromkeys(p.note for p in parts if p.note)),
        resumes=None,
    )


def pain_stops(records: Iterable[SessionRecord]) -> list[PainStop]:
    """Every counted session stopped for pain, oldest first: when it stopped, and the last
    answer that stops a session (sharp, numbness, ``!``) with its exercise and side."""
    stops = []
    for record in sorted(records, key=lambda r: r.started_at):
        if not counted(record) or record.status != "stopped":
            continue
        answer = next((p for p in reversed(record.pain) if p.answer in STOP_ANSWERS), None)
        stops.append(
            PainStop(
                at=record.ended_at,
                routine=record.routine,
                exercise=answer.exercise if answer else None,
                answer=answer.answer if answer else None,
                side=answer.side if answer else None,
            )
        )
    return stops


def answers_by_exercise(records: Iterable[SessionRecord]) -> list[ExerciseAnswers]:
    """Pain-check answers per exercise name (as `stretch stats` groups sides by exercise
    name), every answer kind counted, exercises in alphabetical order."""
    counts: dict[str, Counter[PainAnswer]] = {}
    for record in records:
        if not counted(record):
            continue
        for answer in record.pain:
            counts.setdefault(answer.exercise, Counter())[answer.answer] += 1
    return [
        ExerciseAnswers(name, {kind: counts[name][kind] for kind in PAIN_ANSWERS})
        for name in sorted(counts)
    ]


def build_report(
    records: Iterable[SessionRecord],
    stats: Stats,
    plan: Plan | None,
    *,
    start: date,
    now: datetime,
    tz: tzinfo,
) -> Report:
    """The report of the local days ``start`` to today (the day of ``now`` in ``tz``).

    ``records`` are the history's sessions from ``first_day_needed(start, plan)`` on (more
    do no harm); ``stats`` is the history's ``Stats`` as of today (for the streaks, which
    look at every day); ``plan`` the plan, if there is one.
    """
    today = now.astimezone(tz).date()
    loaded = list(records)
    days = {id(r): r.started_at.astimezone(tz).date() for r in loaded}

    def local(record: SessionRecord) -> date:
        found = days.get(id(record))
        return found if found is not None else record.started_at.astimezone(tz).date()

    def in_period(record: SessionRecord) -> bool:
        return start <= local(record) <= today

    merged = merge_resumed(r for r in loaded if local(r) >= week_start(start))
    # Whole calendar weeks, as `stretch stats` shows them: the same function, the same days.
    weekly = compute_stats((s.record for s in merged), today=today, tz=tz)
    sessions = tuple(s for s in merged if in_period(s.record))
    period = compute_stats((s.record for s in sessions), today=today, tz=tz)
    chosen = [r for r in loaded if in_period(r)]
    skips = tuple(
        Skip(r.started_at, r.routine, r.reason or "")
        for r in sorted(chosen, key=lambda r: r.started_at)
        if r.status == "skipped" and not r.removed
    )
    plan_today, weeks = _plan_part(plan, loaded, start=start, now=now, tz=tz)
    return Report(
        now=now.astimezone(tz),
        tz=tz,
        start=start,
        end=today,
        sessions=sessions,
        skips=skips,
        total_sessions=period.total_sessions,
        total_duration_s=period.total_duration_s,
        active_days=len(period.heatmap),
        current_streak=stats.current_streak,
        longest_streak=stats.longest_streak,
        last_day=stats.last_day,
        weeks=tuple(w for w in weekly.pain_weeks if w.start + timedelta(days=6) >= start),
        answers=tuple(answers_by_exercise(s.record for s in sessions)),
        stops=tuple(pain_stops(chosen)),
        sides=period.side_exercises,
        plan=plan_today,
        adherence=weeks,
    )


def _plan_part(
    plan: Plan | None,
    records: list[SessionRecord],
    *,
    start: date,
    now: datetime,
    tz: tzinfo,
) -> tuple[Today | None, tuple[WeekAdherence, ...]]:
    """The plan today and its adherence in the plan weeks that overlap the period."""
    if plan is None:
        return None, ()
    from stretchcli.plan.schedule import Sessions, adherence
    from stretchcli.plan.today import today

    result = today(plan, records, now=now, tz=tz)
    weeks = adherence(plan, Sessions(records, tz), now.astimezone(tz).date())
    return result, tuple(w for w in weeks if w.start + timedelta(days=6) >= start)


def load_report(
    db_path: Path, plan_path: Path, *, start: date, now: datetime, tz: tzinfo
) -> Report:
    """The report of the history at ``db_path`` and the plan at ``plan_path`` (none: the
    sections that need one say so) from local day ``start`` to today."""
    from stretchcli.history.store import HistoryStore
    from stretchcli.plan.files import load_plan

    # A routine file renamed since the plan was written is no reason to refuse a report.
    plan = load_plan(plan_path, check_routines=False)
    today = now.astimezone(tz).date()
    since = datetime.combine(first_day_needed(start, plan), time(), tz)
    with HistoryStore.open(db_path, create=False) as store:
        stats = store.stats(today=today, tz=tz)
        records = store.sessions(since=since)
    return build_report(records, stats, plan, start=start, now=now, tz=tz)
