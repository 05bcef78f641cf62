"""What the plan asks of today, in one result that `stretch today`, bare `stretch`,
`stretch start` without a routine, `remind now` and the status file all read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from stretchcli.history.record import SessionRecord
from stretchcli.paths import STATUS_NAME
from stretchcli.plan.model import Plan
from stretchcli.plan.schedule import (
    Dose,
    ItemDay,
    Sessions,
    dose,
    end,
    item_day,
    local_date,
    next_reminder,
    plan_week,
    suspended_since,
)


@dataclass(frozen=True)
class TodayItem:
    """One plan item today: its day, its dose, whether a pain stop suspended it."""

    day: ItemDay
    dose: Dose
    at: tuple[str, ...]
    suspended_since: datetime | None

    @property
    def routine(self) -> str:
        """The item's routine id."""
        return self.day.routine


@dataclass(frozen=True)
class Today:
    """The plan on one day."""

    plan: Plan
    now: datetime
    week: int | None
    items: tuple[TodayItem, ...]
    next_reminder: datetime | None

    @property
    def left(self) -> tuple[TodayItem, ...]:
        """Items with sessions still to do today."""
        return tuple(item for item in self.items if item.day.left > 0)

    @property
    def suspended(self) -> tuple[TodayItem, ...]:
        """Items a pain stop suspended."""
        return tuple(item for item in self.items if item.suspended_since is not None)

    @property
    def over(self) -> bool:
        """The plan's last week has passed."""
        last = end(self.plan)
        return last is not None and self.now.date() >= last

    @property
    def not_started(self) -> bool:
        """The plan starts on a later day."""
        return self.now.date() < self.plan.starts


def today(
    plan: Plan, sessions: Iterable[SessionRecord] | Sessions, *, now: datetime, tz: tzinfo
) -> Today:
    """The plan on the local day of ``now`` (``sessions`` indexed already, or records)."""
    indexed = sessions if isinstance(sessions, Sessions) else Sessions(sessions, tz)
    day = local_date(now, tz)
    items = tuple(
        TodayItem(
            day=item_day(plan, item, day, indexed),
            dose=dose(plan, item, indexed, day),
            at=tuple(item.at),
            suspended_since=suspended_since(plan, item, indexed, now),
        )
        for item in plan.items
    )
    local_now = now.astimezone(tz)
    return Today(plan, local_now, plan_week(plan, day), items, next_reminder(plan, indexed, now))


def status_line(result: Today) -> str:
    """One short line for a shell prompt or a status bar; empty when nothing is due."""
    left = result.left
    if not left:
        return ""
    parts = [
        f"{item.routine} {item.day.left}" if item.day.left > 1 else item.routine for item in left
    ]
    return f"stretch due: {', '.join(parts)}"


def write_status(folder: Path, line: str) -> None:
    """Replace ``folder/status`` with ``line`` (atomically), for prompts that read it
    without starting Python. Best effort: a folder that cannot be written costs only it."""
    from stretchcli.files import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / STATUS_NAME, lambda out: out.write(line + "\n" if line else ""))
    except OSError:
        pass


def plan_sessions(plan: Plan, db_path: Path, *, tz: tzinfo) -> list[SessionRecord]:
    """The sessions the schedule reads: from the day before the plan starts on (a day in
    any zone), from the history at ``db_path``."""
    from datetime import time, timedelta

    from stretchcli.history.store import HistoryStore

    since = datetime.combine(plan.starts - timedelta(days=1), time(), tz)
    with HistoryStore.open(db_path, create=False) as store:
        return store.sessions(since=since)


def load_today(plan_path: Path, db_path: Path, *, now: datetime, tz: tzinfo) -> Today | None:
    """The plan at ``plan_path`` on the day of ``now``, from the history at ``db_path``;
    None when there is no plan."""
    from stretchcli.plan.files import load_plan

    plan = load_plan(plan_path)
    if plan is None:
        return None
    return today(plan, plan_sessions(plan, db_path, tz=tz), now=now, tz=tz)
