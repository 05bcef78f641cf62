"""Render `stretch stats`: totals, weekly bars, a calendar heatmap, routines, pain, sides.

Plain data in (``Stats``), rich renderables out. Every chart uses different characters for
different amounts, so it reads without colour (``NO_COLOR``, pipes) as well as with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from stretchcli.routine.durations import total_text
from stretchcli.safe import visible
from stretchcli.view.console import literal
from stretchcli.view.log import empty_log
from stretchcli.view.texts import plural

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from stretchcli.history.record import PainAnswer
    from stretchcli.history.stats import PainWeek, Stats
    from stretchcli.plan.schedule import WeekAdherence

# Heatmap cells by sessions that day: none, 1, 2, 3, 4 or more.
HEAT_CHARS = ("·", "░", "▒", "▓", "█")
HEAT_STYLES = ("grey50", "green4", "green3", "green1", "bold bright_green")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BAR_WIDTH = 30


def days_text(count: int) -> str:
    """``1 day``, ``3 days``."""
    return plural(count, "day")


def stats_view(stats: Stats, adherence: Sequence[WeekAdherence] = ()) -> RenderableType:
    """`stretch stats`: totals, weekly bars, heatmap, routines, pain, left/right, and the
    plan's adherence per week when there is a plan."""
    from rich.console import Group

    if stats.total_sessions == 0 and not adherence:
        if stats.since is not None:
            return f"No sessions since {stats.since.isoformat()}."
        return empty_log(filtered=False)
    parts: list[RenderableType] = [totals_text(stats)]
    if stats.first_day is not None:
        weeks = f"{_from(stats, stats.weeks[0].start)} to {stats.today}" if stats.weeks else ""
        parts += [
            "",
            _heading(f"Sessions per week, {weeks}"),
            *week_bars(stats),
            "",
            _heading(f"Calendar, {_from(stats, stats.heatmap_start)} to {stats.today}"),
            *heatmap_lines(stats.heatmap, start=stats.heatmap_start, today=stats.today),
            "",
            _heading(f"Pain by week, {weeks}"),
            *pain_trend(stats.pain_weeks),
            pain_table(stats.pain_weeks),
        ]
    parts += ["", _heading(f"Routines, {span_text(stats)}"), routines_table(stats)]
    if stats.sides:
        parts += ["", _heading(f"Left / right, {span_text(stats)}"), sides_table(stats)]
    if adherence:
        parts += ["", *adherence_lines(adherence)]
    return Group(*parts)


def adherence_lines(weeks: Sequence[WeekAdherence]) -> list[RenderableType]:
    """The plan kept, week by week: done of due, skips with their reasons, and overall."""
    from rich.text import Text

    due = sum(w.due for w in weeks)
    done = sum(w.done for w in weeks)
    skipped = sum(w.skipped for w in weeks)
    span = f"plan weeks 1-{weeks[-1].week}, from {weeks[0].start:%b %d}"
    lines: list[RenderableType] = [_heading(f"Plan adherence ({span})")]
    for week in weeks:
        line = Text(f"week {week.week:<3}{week.start:%b %d}  ")
        line.append(bar(week.done, max(1, week.due), BAR_WIDTH // 2), style="cyan")
        line.append(f" {week.done} of {week.due} done")
        if week.skipped:
            reasons = "; ".join(dict.fromkeys(week.reasons))
            line.append(f", {week.skipped} skipped" + (f": {visible(reasons)}" if reasons else ""))
        if week.missed:
            line.append(f", {week.missed} missed", style="yellow")
        lines.append(line)
    share = f" ({round(100 * done / due)}%)" if due else ""
    lines.append(Text(f"overall: {done} of {due} done{share}, {skipped} skipped", style="bold"))
    return lines


def adherence_json(weeks: Sequence[WeekAdherence]) -> dict[str, object]:
    """The plan's adherence for `stretch stats --json` (the same numbers as the text)."""
    return {
        "weeks": [
            {
                "week": w.week,
                "start": w.start.isoformat(),
                "due": w.due,
                "done": w.done,
                "skipped": w.skipped,
                "missed": w.missed,
                "reasons": list(w.reasons),
            }
            for w in weeks
        ],
        "due": sum(w.due for w in weeks),
        "done": sum(w.done for w in weeks),
        "skipped": sum(w.skipped for w in weeks),
        "missed": sum(w.missed for w in weeks),
    }


def _heading(text: str) -> Text:
    from rich.text import Text

    return Text(text, style="bold")


def span_text(stats: Stats) -> str:
    """The days the totals cover: from the first session (or ``--since``) to today."""
    first = stats.first_day
    if first is None:
        return f"since {stats.since}" if stats.since else "all time"
    if stats.since is None:
        return f"all time: {first} (the first session) to {stats.today}"
    if first > stats.since:
        return f"since {stats.since}: {first} (the first session) to {stats.today}"
    return f"{stats.since} to {stats.today}"


def _from(stats: Stats, start: date) -> str:
    """The first day a chart shows sessions of: its first Monday, or the first session
    (or ``since``) when later."""
    return str(max(start, stats.first_day or start, stats.since or start))


def totals_text(stats: Stats) -> Text:
    """The span, then sessions, time and streaks."""
    from rich.text import Text

    text = Text(f"{span_text(stats)[0].upper()}{span_text(stats)[1:]}\n", style="bold")
    text.append(f"{plural(stats.total_sessions, 'session')}", style="bold")
    text.append(f", {total_text(stats.total_duration_s)} in all")
    if stats.last_day is not None:
        text.append(f"; last on {stats.last_day.isoformat()}")
    text.append("\nCurrent streak: ")
    text.append(days_text(stats.current_streak), style="bold green" if stats.current_streak else "")
    text.append(f"   Longest streak: {days_text(stats.longest_streak)}")
    return text


def week_bars(stats: Stats) -> list[Text]:
    """One bar per week (Monday's date), scaled to the busiest week shown."""
    from rich.text import Text

    most = max((w.sessions for w in stats.weeks), default=0)
    lines = []
    for week in stats.weeks:
        line = Text(f"{week.start:%b %d}  ")
        line.append(bar(week.sessions, most, BAR_WIDTH), style="cyan")
        line.append(f" {week.sessions}")
        lines.append(line)
    return lines


def bar(value: float, most: float, width: int) -> str:
    """A horizontal bar of ``width`` cells for ``value`` out of ``most`` (eighths of a cell)."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def heat_level(count: int) -> int:
    """Shade index for a day's session count: 0 none ... 4 four or more."""
    return min(count, len(HEAT_CHARS) - 1)


def heatmap_lines(heatmap: Mapping[date, int], *, start: date, today: date) -> list[Text]:
    """A calendar: 7 rows (Mon-Sun) × one column per week from ``start`` (a Monday) to
    this week; month names above the weeks where a month begins; days after today blank."""
    from rich.text import Text

    weeks = (today - start).days // 7 + 1
    months = [" "] * (weeks * 2 + 3)
    previous = None
    for column in range(weeks):
        monday = start + timedelta(weeks=column)
        label = f"{monday:%b}"
        if monday.month != previous and "".join(months[column * 2 : column * 2 + 4]).isspace():
            months[column * 2 : column * 2 + 3] = list(label)
        previous = monday.month
    lines = [Text("    " + "".join(months).rstrip(), style="dim")]
    for weekday, name in enumerate(WEEKDAYS):
        line = Text(f"{name} ")
        for column in range(weeks):
            day = start + timedelta(weeks=column, days=weekday)
            if day > today:
                line.append("  ")
                continue
            level = heat_level(heatmap.get(day, 0))
            line.append(HEAT_CHARS[level], style=HEAT_STYLES[level])
            line.append(" ")
        line.rstrip()
        lines.append(line)
    legend = Text("    less ", style="dim")
    for level, char in enumerate(HEAT_CHARS):
        legend.append(char, style=HEAT_STYLES[level])
        legend.append(" ")
    legend.append("more (0, 1, 2, 3, 4+ sessions a day)", style="dim")
    lines.append(legend)
    return lines


def routines_table(stats: Stats) -> RenderableType:
    """Sessions and time per routine, most used first."""
    from rich.table import Table

    table = Table()
    table.add_column("routine", style="bold cyan")
    table.add_column("sessions", justify="right")
    table.add_column("time", justify="right")
    for row in stats.routines:
        table.add_row(literal(row.routine), str(row.sessions), total_text(row.duration_s))
    return table


def mean_text(value: float | None) -> str:
    """A 0-10 mean with one decimal, or ``–``."""
    return "–" if value is None else f"{value:.1f}"


def pain_table(weeks: Sequence[PainWeek]) -> RenderableType:
    """Pain by week: sessions stopped, "sore" answers (bars), mean rating before → after."""
    from rich.table import Table
    from rich.text import Text

    most = max((max(w.stopped, w.sore) for w in weeks), default=0)
    table = Table()
    table.add_column("week", no_wrap=True)
    table.add_column("sessions", justify="right")
    table.add_column("stopped", no_wrap=True)
    table.add_column("sore", no_wrap=True)
    table.add_column("pain 0-10 before → after", no_wrap=True)
    for week in weeks:
        stopped = Text(bar(week.stopped, most, 10), style="red")
        stopped.append(f" {week.stopped}" if week.stopped else "0")
        sore = Text(bar(week.sore, most, 10), style="yellow")
        sore.append(f" {week.sore}" if week.sore else "0")
        trend = ""
        if week.before_mean is not None or week.after_mean is not None:
            trend = f"{mean_text(week.before_mean)} → {mean_text(week.after_mean)}"
        table.add_row(f"{week.start:%b %d}", str(week.sessions), stopped, sore, trend)
    return table


# A 0-10 rating as one of eight heights (0 the lowest), for the trend line of each week.
SPARKS = "▁▂▃▄▅▆▇█"


def spark(value: float | None) -> str:
    """One week's mean rating as a bar of its height; ``·`` for a week without ratings."""
    if value is None:
        return "·"
    return SPARKS[round(max(0.0, min(value, 10.0)) / 10 * (len(SPARKS) - 1))]


def pain_trend(weeks: Sequence[PainWeek]) -> list[RenderableType]:
    """Pain 0-10 before and after the sessions, week by week, as two small bar lines (one
    bar a week, higher is more pain) with the first and last weekly means beside them."""
    from rich.text import Text

    lines: list[RenderableType] = []
    rated = [w for w in weeks if w.before_mean is not None or w.after_mean is not None]
    if not rated:
        return [Text("No 0-10 pain ratings in these weeks.", style="dim")]
    for name, style, values in (
        ("before", "yellow", [w.before_mean for w in weeks]),
        ("after ", "cyan", [w.after_mean for w in weeks]),
    ):
        known = [v for v in values if v is not None]
        line = Text(f"{name} ")
        line.append(" ".join(spark(v) for v in values), style=style)
        if len(known) > 1:
            line.append(f"  {mean_text(known[0])} → {mean_text(known[-1])} (first → last week)")
        elif known:
            line.append(f"  {mean_text(known[0])}")
        lines.append(line)
    lines.append(
        Text("(pain 0-10 by week, mean before and after the sessions; · none)", style="dim")
    )
    return lines


def answers_text(answers: Mapping[PainAnswer, int]) -> str:
    """``sore 2, stop 1`` or ``–``."""
    return ", ".join(f"{answer} {count}" for answer, count in answers.items()) or "–"


def sides_table(stats: Stats) -> RenderableType:
    """Left/right: time held and pain answers per side, then time per side per exercise."""
    from rich.console import Group
    from rich.table import Table

    sides = Table()
    sides.add_column("side", style="bold")
    sides.add_column("time held", justify="right")
    sides.add_column("holds", justify="right")
    sides.add_column("pain answers")
    for side in stats.sides:
        sides.add_row(
            literal(side.side), total_text(side.held_s), str(side.holds), answers_text(side.answers)
        )
    names = [s.side for s in stats.sides]
    exercises = Table(title="Time held per side", title_justify="left")
    exercises.add_column("exercise")
    for name in names:
        exercises.add_column(literal(name), justify="right")
    for row in stats.side_exercises:
        exercises.add_row(
            literal(row.exercise),
            *(total_text(row.held_s[name]) if name in row.held_s else "–" for name in names),
        )
    return Group(sides, exercises)
