"""The geometry of the report's two charts, pure: where each mark, line and bar goes in SVG
user units, with the words a screen reader gets instead. The template draws them
(``templates/report.html.j2``); the Markdown draws the pain chart in text (``pain_grid``).

Small and written here rather than taken from a chart library: pygal costs ~80 ms to
import and seconds to draw thousands of points, with random ids and a script by default;
leather has no bars that grow both ways from a centre, no titles or descriptions for
screen readers, and a theme that is global state (bench/bench_report.py measures both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from stretchcli.routine.durations import about_text
from stretchcli.view.report_text import (
    day_text,
    imbalance_text,
    mean_text,
    shown,
    week_mean,
    when_text,
)

if TYPE_CHECKING:
    from stretchcli.report.data import Report

PAIN_MAX = 10
WIDTH, HEIGHT = 700, 146
LEFT, RIGHT, TOP, BOTTOM = 30.0, 690.0, 10.0, 124.0  # the plot area
SIDES_WIDTH, SIDES_ROW, SIDES_LABEL, SIDES_TOP = 300, 28.0, 62.0, 12.0


@dataclass(frozen=True)
class Mark:
    """A point, with what it says (its tooltip)."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Segment:
    """A horizontal line from ``x1`` to ``x2`` at ``y`` (a weekly mean)."""

    x1: float
    x2: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    """A grid line and its label."""

    at: float
    label: str


@dataclass(frozen=True)
class PainChart:
    """Pain before and after each session over the period, with the weekly means."""

    before: tuple[Mark, ...]
    after: tuple[Mark, ...]
    before_mean: tuple[Segment, ...]
    after_mean: tuple[Segment, ...]
    stops: tuple[Mark, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM


@dataclass(frozen=True)
class SideBar:
    """One sided exercise: its name, and a bar to each side of the centre."""

    exercise: str
    y: float
    left: float
    right: float
    left_text: str
    right_text: str
    difference: str


@dataclass(frozen=True)
class SidesChart:
    """Time held on the left and on the right of each sided exercise, from a centre line."""

    bars: tuple[SideBar, ...]
    description: str
    width: int = SIDES_WIDTH
    centre: float = SIDES_WIDTH / 2
    bar_height: float = 10.0

    @property
    def height(self) -> int:
        """Room for every row."""
        return round(SIDES_TOP + len(self.bars) * SIDES_ROW + 4)


class TimeAxis:
    """Local days ``start`` to ``end`` (whole days) onto ``LEFT`` .. ``RIGHT``, in real time
    (a day of a daylight-saving change is an hour longer or shorter)."""

    def __init__(self, start: date, end: date, tz: tzinfo) -> None:
        self.start = datetime.combine(start, time(), tz).timestamp()
        self.span = datetime.combine(end + timedelta(days=1), time(), tz).timestamp() - self.start

    def x(self, moment: datetime) -> float:
        """Where ``moment`` goes, within the plot."""
        share = (moment.timestamp() - self.start) / self.span
        return round(LEFT + min(max(share, 0.0), 1.0) * (RIGHT - LEFT), 1)


def pain_y(value: float) -> float:
    """Where a 0-10 rating goes: 0 at the bottom of the plot, 10 at the top."""
    return round(BOTTOM - value / PAIN_MAX * (BOTTOM - TOP), 1)


def pain_chart(report: Report) -> PainChart:
    """The pain chart of ``report``."""
    tz = report.tz
    axis = TimeAxis(report.start, report.end, tz)
    before, after = [], []
    for session in report.sessions:
        record = session.record
        start = record.started_at.astimezone(tz)
        if record.pain_before is not None:
            label = f"{when_text(start)}: before {record.pain_before}"
            before.append(Mark(axis.x(start), pain_y(record.pain_before), label))
        if record.pain_after is not None:
            label = f"{when_text(start)}: after {record.pain_after}"
            after.append(Mark(axis.x(record.ended_at), pain_y(record.pain_after), label))
    means: dict[str, list[Segment]] = {"before": [], "after": []}
    for week in report.weeks:
        first = max(week.start, report.start)
        last = min(week.start + timedelta(days=6), report.end)
        x1 = axis.x(datetime.combine(first, time(), tz))
        x2 = axis.x(datetime.combine(last + timedelta(days=1), time(), tz))
        for kind, value in (("before", week.before_mean), ("after", week.after_mean)):
            if value is not None:
                label = f"week of {day_text(week.start)}: mean {kind} {mean_text(value)}"
                means[kind].append(Segment(x1, x2, pain_y(value), label))
    stops = tuple(
        Mark(axis.x(stop.at), TOP, f"{when_text(stop.at.astimezone(tz))}: stopped for pain")
        for stop in report.stops
    )
    return PainChart(
        before=tuple(before),
        after=tuple(after),
        before_mean=tuple(means["before"]),
        after_mean=tuple(means["after"]),
        stops=stops,
        x_ticks=_mondays(report, axis),
        y_ticks=tuple(Tick(pain_y(v), str(v)) for v in range(0, PAIN_MAX + 1, 2)),
        description=pain_description(report, len(before), len(after)),
    )


def _mondays(report: Report, axis: TimeAxis) -> tuple[Tick, ...]:
    """A tick at the start of the period and at each Monday after it."""
    ticks = [Tick(LEFT, day_text(report.start))]
    day = report.start + timedelta(days=7 - report.start.weekday())
    while day <= report.end:
        ticks.append(Tick(axis.x(datetime.combine(day, time(), report.tz)), day_text(day)))
        day += timedelta(weeks=1)
    # A label under 60 units from the first would overlap it.
    return tuple(t for t in ticks if t.at == LEFT or t.at - LEFT >= 60)


def pain_description(report: Report, before: int, after: int) -> str:
    """What the pain chart shows, in words (its text alternative)."""
    words = [
        f"Pain from 0 (none) to {PAIN_MAX} (worst), rated before and after each session, "
        f"{day_text(report.start)} to {day_text(report.end)}: {before} ratings before "
        f"and {after} after."
    ]
    for kind in ("before", "after"):
        values = [(w.start, v) for w in report.weeks if (v := week_mean(w, kind)) is not None]
        if len(values) > 1:
            (first_week, first), (last_week, last) = values[0], values[-1]
            words.append(
                f"Weekly mean {kind}: {first:.1f} in the week of {day_text(first_week)}, "
                f"{last:.1f} in the week of {day_text(last_week)}."
            )
    if report.stops:
        words.append(f"Pain stops: {len(report.stops)}, marked at the top.")
    return " ".join(words)


def sides_chart(report: Report) -> SidesChart | None:
    """Left and right of each exercise that has either (None: none has)."""
    rows = [r for r in report.sides if "left" in r.held_s or "right" in r.held_s]
    if not rows:
        return None
    most = max(max(r.held_s.get("left", 0.0), r.held_s.get("right", 0.0)) for r in rows)
    half = SIDES_WIDTH / 2 - SIDES_LABEL
    bars = []
    words = []
    for index, row in enumerate(rows):
        left, right = row.held_s.get("left", 0.0), row.held_s.get("right", 0.0)
        bars.append(
            SideBar(
                exercise=shown(row.exercise),
                y=SIDES_TOP + index * SIDES_ROW,
                left=round(half * left / most, 1) if most else 0.0,
                right=round(half * right / most, 1) if most else 0.0,
                left_text=about_text(left),
                right_text=about_text(right),
                difference=imbalance_text(left, right),
            )
        )
        words.append(
            f"{shown(row.exercise)}: left {about_text(left)}, right {about_text(right)} "
            f"({imbalance_text(left, right)})."
        )
    return SidesChart(
        tuple(bars), "Time held on each side, left bars to the left: " + " ".join(words)
    )


# --- the pain chart in text, for the Markdown ---

GRID_BEFORE, GRID_AFTER, GRID_BOTH, GRID_EMPTY = "b", "a", "*", " "


def pain_grid(report: Report) -> list[str]:
    """The pain chart as lines of text: one column per day, one row per rating (10 at the
    top); ``b`` a rating before, ``a`` after, ``*`` both on that day; ``x`` under a day
    with a pain stop."""
    days = report.days
    cells = [[GRID_EMPTY] * days for _ in range(PAIN_MAX + 1)]

    def put(day: date, value: int, mark: str) -> None:
        column = (day - report.start).days
        if not 0 <= column < days:
            return
        row = cells[PAIN_MAX - value]
        row[column] = mark if row[column] in (GRID_EMPTY, mark) else GRID_BOTH

    for session in report.sessions:
        record = session.record
        day = record.started_at.astimezone(report.tz).date()
        if record.pain_before is not None:
            put(day, record.pain_before, GRID_BEFORE)
        if record.pain_after is not None:
            put(day, record.pain_after, GRID_AFTER)
    lines = [f"{PAIN_MAX - n:>2} |{''.join(row).rstrip()}" for n, row in enumerate(cells)]
    stops = [" "] * days
    for stop in report.stops:
        column = (stop.at.astimezone(report.tz).date() - report.start).days
        if 0 <= column < days:
            stops[column] = "x"
    lines.append("   +" + "".join("+" if _is_monday(report, n) else "-" for n in range(days)))
    if any(mark != " " for mark in stops):
        lines.append("    " + "".join(stops).rstrip() + "  (x: pain stop)")
    lines.append(_monday_labels(report))
    return lines


def _is_monday(report: Report, column: int) -> bool:
    return (report.start + timedelta(days=column)).weekday() == 0


def _monday_labels(report: Report) -> str:
    """Dates under the Mondays (``2/11``), where they fit."""
    line = [" "] * (report.days + 8)
    for column in range(report.days):
        day = report.start + timedelta(days=column)
        if day.weekday() == 0 or column == 0:
            label = f"{day.day}/{day.month}"
            at = 4 + column
            if all(c == " " for c in line[max(0, at - 1) : at + len(label) + 1]):
                line[at : at + len(label)] = label
    return "".join(line).rstrip()


def grid_legend() -> str:
    """What the marks of ``pain_grid`` mean."""
    return (
        f"{GRID_BEFORE}: pain before a session, {GRID_AFTER}: after, {GRID_BOTH}: both on "
        "that day; one column per day, dates under the Mondays (day/month)"
    )
