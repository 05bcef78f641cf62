"""Schedule arithmetic, pure: for a plan, the sessions in the history and a local day,
what is due, done, skipped and missed; plan weeks and adherence; the dose in use by the
progression rule; which items a pain stop suspended.

Days are local calendar days in ``tz``; "now" is always an argument. Only completed
sessions count as done (an interrupted session and its resumption are one session: the
interrupted part is ``quit``, so the pair is counted once, by its completed part).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from stretchcli.history.record import SessionRecord
from stretchcli.plan.model import Item, Plan


@dataclass(frozen=True)
class ItemDay:
    """One item on one day."""

    routine: str
    day: date
    due: int
    done: int
    skipped: int
    reasons: tuple[str, ...] = ()
    suspended: bool = False

    @property
    def missed(self) -> int:
        """Sessions due and neither done nor skipped (so far, on the day itself)."""
        return max(0, self.due - self.done - self.skipped)

    @property
    def left(self) -> int:
        """Sessions still to do: the missed ones, unless a pain stop paused the item."""
        return 0 if self.suspended else self.missed

    @property
    def kept(self) -> int:
        """Sessions done, up to the number due."""
        return min(self.done, self.due)


@dataclass(frozen=True)
class WeekAdherence:
    """One plan week of one item, or of the whole plan (``routine`` None)."""

    week: int
    start: date
    routine: str | None
    due: int
    done: int
    skipped: int
    reasons: tuple[str, ...] = ()

    @property
    def missed(self) -> int:
        """Due, not done, not skipped."""
        return max(0, self.due - self.done - self.skipped)

    @property
    def share(self) -> float | None:
        """Done of due (0..1), None when nothing was due."""
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class Dose:
    """The dose the plan gives an item on a day."""

    week: int | None
    extra_hold: int
    hold_max: int | None
    good_weeks: int

    def hold(self, own: int) -> int:
        """An exercise's hold with the plan's growth: never beyond ``hold_max`` (and never
        below the routine's own hold)."""
        if not self.extra_hold:
            return own
        ceiling = max(own, self.hold_max) if self.hold_max is not None else own + self.extra_hold
        return min(own + self.extra_hold, ceiling)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The local calendar day of an aware datetime."""
    return moment.astimezone(tz).date()


def end(plan: Plan) -> date | None:
    """The first day after the plan (None: open-ended)."""
    return plan.starts + timedelta(weeks=plan.weeks) if plan.weeks is not None else None


def in_plan(plan: Plan, day: date) -> bool:
    """Whether ``day`` is within the plan's weeks."""
    last = end(plan)
    return plan.starts <= day and (last is None or day < last)


def plan_week(plan: Plan, day: date) -> int | None:
    """The plan week of ``day``, 1-based (week 1 starts on ``starts``); None outside."""
    if not in_plan(plan, day):
        return None
    return (day - plan.starts).days // 7 + 1


def week_start(plan: Plan, week: int) -> date:
    """The first day of plan week ``week``."""
    return plan.starts + timedelta(weeks=week - 1)


def is_due_day(plan: Plan, item: Item, day: date) -> bool:
    """Whether ``item`` is due on ``day`` at all (before any suspension)."""
    if not in_plan(plan, day):
        return False
    weekdays = item.weekdays
    if weekdays is not None:
        return day.weekday() in weekdays
    return (day - plan.starts).days % item.every == 0


class Sessions:
    """The sessions of a history that the schedule reads, indexed once by routine and day."""

    def __init__(self, sessions: Iterable[SessionRecord], tz: tzinfo) -> None:
        self.tz = tz
        self.by_day: dict[tuple[str, date], list[SessionRecord]] = defaultdict(list)
        self.stops: dict[str, list[datetime]] = defaultdict(list)
        for record in sorted(sessions, key=lambda r: r.started_at):
            self.by_day[(record.routine, local_date(record.started_at, tz))].append(record)
            if record.status == "stopped":
                self.stops[record.routine].append(record.started_at)

    def on(self, routine: str, day: date) -> Sequence[SessionRecord]:
        """The sessions of ``routine`` started on ``day``, oldest first."""
        return self.by_day.get((routine, day), ())


def suspended_since(plan: Plan, item: Item, sessions: Sessions, at: datetime) -> datetime | None:
    """When a pain stop suspended ``item``, if it is suspended at ``at``: the latest pain
    stop in the plan before ``at`` that no `stretch plan resume` came after."""
    start = datetime.combine(plan.starts, time(), sessions.tz)
    for stop in reversed(sessions.stops.get(item.routine, [])):
        if stop > at or stop < start:
            continue
        if item.resumed is not None and stop < item.resumed.astimezone(sessions.tz) <= at:
            return None
        return stop
    return None


def item_day(plan: Plan, item: Item, day: date, sessions: Sessions) -> ItemDay:
    """What ``item`` asks of ``day`` and what was done: due, done, skipped (with reasons).

    A pain stop suspends the item from that moment: on the day of the stop only the
    sessions started up to the stop were due, and no day after it is due until the item
    is resumed (a resumed item is due again from the day it was resumed)."""
    records = [r for r in sessions.on(item.routine, day) if not r.removed]
    done = sum(1 for r in records if r.status == "completed")
    skips = [r for r in records if r.status == "skipped"]
    reasons = tuple(r.reason for r in skips if r.reason)
    due = item.times if is_due_day(plan, item, day) else 0
    day_start = datetime.combine(day, time(), sessions.tz)
    day_end = day_start + timedelta(days=1)
    stop = suspended_since(plan, item, sessions, day_end - timedelta(microseconds=1))
    suspended = stop is not None
    if stop is not None:
        if stop >= day_start:  # stopped today: what was started up to the stop was due
            started = sum(1 for r in records if r.started_at <= stop and r.status != "skipped")
            due = min(due, started)
        else:
            due = 0
    return ItemDay(item.routine, day, due, done, len(skips), reasons, suspended)


def plan_days(plan: Plan, sessions: Sessions, day: date) -> list[ItemDay]:
    """Every item of the plan on ``day``, in the plan's order."""
    return [item_day(plan, item, day, sessions) for item in plan.items]


def adherence(
    plan: Plan, sessions: Sessions, today: date, *, routine: str | None = None
) -> list[WeekAdherence]:
    """Per plan week up to the one holding ``today`` (today included, later days not):
    due, done (up to due), skipped and the reasons given, for one item or all of them."""
    items = [i for i in plan.items if routine is None or i.routine == routine]
    weeks: list[WeekAdherence] = []
    last = min(today, (end(plan) or today + timedelta(days=1)) - timedelta(days=1))
    week = 1
    while week_start(plan, week) <= last:
        start = week_start(plan, week)
        due = done = skipped = 0
        reasons: list[str] = []
        for offset in range(7):
            day = start + timedelta(days=offset)
            if day > last:
                break
            for item in items:
                one = item_day(plan, item, day, sessions)
                due += one.due
                done += one.kept
                skipped += min(one.skipped, max(0, one.due - one.kept))
                reasons.extend(one.reasons)
        weeks.append(WeekAdherence(week, start, routine, due, done, skipped, tuple(reasons)))
        week += 1
    return weeks


def good_week(plan: Plan, item: Item, week: int, sessions: Sessions) -> bool:
    """A week that lets the dose grow: every due session done, every pain check ``fine``,
    pain after never above pain before, no pain stop."""
    start = week_start(plan, week)
    due = done = 0
    for offset in range(7):
        day = start + timedelta(days=offset)
        one = item_day(plan, item, day, sessions)
        due += one.due
        done += one.kept
        for record in sessions.on(item.routine, day):
            if record.status == "stopped":
                return False
            if any(answer.answer != "fine" for answer in record.pain):
                return False
            if (
                record.pain_before is not None
                and record.pain_after is not None
                and record.pain_after > record.pain_before
            ):
                return False
    return due > 0 and done >= due


def dose(plan: Plan, item: Item, sessions: Sessions, today: date) -> Dose:
    """The dose in use on ``today``: ``hold_step`` more for each good plan week before this
    one (a sore week keeps the dose another week), capped at ``hold_max``."""
    week = plan_week(plan, today)
    if item.progress is None or week is None:
        return Dose(week, 0, None, 0)
    good = sum(1 for w in range(1, week) if good_week(plan, item, w, sessions))
    return Dose(week, good * item.progress.hold_step, item.progress.hold_max, good)


def next_reminder(plan: Plan, sessions: Sessions, now: datetime) -> datetime | None:
    """The next reminder time today (after ``now``) of an item with sessions left."""
    today = local_date(now, sessions.tz)
    times: list[datetime] = []
    for item in plan.items:
        if item_day(plan, item, today, sessions).left == 0:
            continue
        for at in item.at:
            hour, minute = (int(part) for part in at.split(":"))
            moment = datetime.combine(today, time(hour, minute), sessions.tz)
            if moment > now:
                times.append(moment)
    return min(times, default=None)
