"""The words and tables of the report, shared by its HTML and its Markdown so that both say
the same: plain strings, every one from a record or a file made visible (``safe.visible``);
each format escapes them for itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from stretchcli.routine.durations import about_text
from stretchcli.safe import visible
from stretchcli.view.texts import plural

if TYPE_CHECKING:
    from stretchcli.history.record import PainAnswer, SessionRecord, Status
    from stretchcli.history.stats import PainWeek
    from stretchcli.report.data import Report

TITLE = "Stretching report"
ABOUT = (
    "The person's own records from a stretch timer: sessions, pain rated 0-10 before and "
    "after, and the pain check after each exercise. A log to talk about, not a diagnosis."
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STATUS_WORD: dict[Status, str] = {
    "completed": "completed",
    "stopped": "stopped for pain",
    "quit": "ended early",
    "skipped": "skipped",
}
# One character per session in the calendar, so a day reads at a glance without colour.
STATUS_MARK: dict[Status, str] = {"completed": "✓", "stopped": "✗", "quit": "–", "skipped": "s"}
MARKS_LEGEND = "✓ done · ✗ pain stop · – ended early · s skipped · · none"
ANSWER_COLUMNS: tuple[tuple[PainAnswer, str], ...] = (
    ("fine", "Fine"),
    ("sore", "Sore"),
    ("sharp", "Sharp"),
    ("numbness", "Numbness"),
    ("stop", "Stop key"),
)
STOP_WORD: dict[PainAnswer, str] = {
    "sharp": "sharp pain",
    "numbness": "numbness or tingling spreading",
    "stop": "stopped with !",
}
SIDES = ("left", "right")
MAX_NOTES = 12  # the most recent notes (one page); `stretch log` has them all
NOTE_CHARS = 240


@dataclass(frozen=True)
class Table:
    """A table: a caption, column headers, rows of cells, right-aligned (numeric) columns,
    and an optional totals row."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    total: tuple[str, ...] | None = None


def day_text(day: date) -> str:
    """``Mon 2 Nov``."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%b}"


def short_day(day: date) -> str:
    """``19 Oct``."""
    return f"{day.day} {day:%b}"


def when_text(moment: datetime) -> str:
    """``Mon 2 Nov 08:07`` (local time)."""
    return f"{day_text(moment.date())} {moment:%H:%M}"


def mean_text(value: float | None) -> str:
    """A 0-10 mean with one decimal, or ``–``."""
    return "–" if value is None else f"{value:.1f}"


def pain_pair(record: SessionRecord) -> str:
    """``5 → 3``, ``5 → –``, or ``–``."""
    if record.pain_before is None and record.pain_after is None:
        return "–"
    before = "–" if record.pain_before is None else str(record.pain_before)
    after = "–" if record.pain_after is None else str(record.pain_after)
    return f"{before} → {after}"


def shown(text: str) -> str:
    """Text from a record on one line, made visible."""
    return visible(" / ".join(part.strip() for part in text.splitlines() if part.strip()))


def period_text(report: Report) -> str:
    """``Mon 19 Oct to Wed 2 Dec 2026 (6 weeks)``."""
    weeks, days = divmod(report.days, 7)
    span = plural(weeks, "week") + (f" {plural(days, 'day')}" if days else "")
    if not weeks:
        span = plural(days, "day")
    year = "" if report.start.year == report.end.year else f" {report.start.year}"
    return f"{day_text(report.start)}{year} to {day_text(report.end)} {report.end.year} ({span})"


def generated_text(report: Report, version: str) -> str:
    """When and by what the report was made."""
    return f"Made {report.now:%Y-%m-%d %H:%M} with stretchcli {version}."


def figures(report: Report) -> list[tuple[str, str]]:
    """The key figures: (label, value)."""
    rows = [
        ("Sessions", f"{report.total_sessions} ({about_text(report.total_duration_s)})"),
        ("Days with a session", f"{report.active_days} of {report.days}"),
    ]
    if report.adherence:
        due = sum(w.due for w in report.adherence)
        done = sum(w.done for w in report.adherence)
        rows.append(("Plan kept", f"{done} of {due} due" + _share(done, due)))
    rows += [
        ("Current streak", plural(report.current_streak, "day")),
        ("Longest streak", plural(report.longest_streak, "day")),
        ("Pain stops", str(len(report.stops))),
    ]
    for kind in ("before", "after"):
        label = f"Mean pain {kind}"
        values = [v for w in report.weeks if (v := week_mean(w, kind)) is not None]
        if values:
            rows.append((f"{label}, first → last week", f"{values[0]:.1f} → {values[-1]:.1f}"))
    return rows


def week_mean(week: PainWeek, kind: str) -> float | None:
    """The week's mean rating ``before`` or ``after`` sessions."""
    return week.before_mean if kind == "before" else week.after_mean


def _share(done: int, due: int) -> str:
    return f" ({round(100 * done / due)} %)" if due else ""


def plan_lines(report: Report) -> list[str]:
    """The plan in a line or two; without a plan, one line saying adherence needs one."""
    if report.plan is None:
        return ["No plan, so nothing was due: adherence needs one (stretch plan add ROUTINE)."]
    plan = report.plan.plan
    length = f", {plural(plan.weeks, 'week')}" if plan.weeks is not None else ", open-ended"
    week = f"; now in week {report.plan.week}" if report.plan.week is not None else ""
    nothing = "" if report.adherence else "; nothing was due in this period"
    lines = [f"Plan from {day_text(plan.starts)} {plan.starts.year}{length}{week}{nothing}."]
    for entry in report.plan.items:
        item = plan.item(entry.routine)
        if item is None:
            continue
        days = ", ".join(item.days) if isinstance(item.days, list) else item.days
        line = f"{visible(item.routine)}: {days}, {plural(item.times, 'session')} a day"
        if entry.dose.extra_hold:
            line += f", holds +{entry.dose.extra_hold} s"
        if entry.suspended_since is not None:
            stopped = entry.suspended_since.astimezone(report.tz)
            line += f"; paused since a pain stop on {when_text(stopped)}"
        elif item.resumed is not None:
            resumed = item.resumed.astimezone(report.tz)
            line += f"; resumed on {when_text(resumed)} after a pain stop"
        lines.append(line + ".")
    return lines


def adherence_table(report: Report) -> Table | None:
    """Plan weeks that overlap the period: due, done, skipped (with reasons), missed."""
    if not report.adherence:
        return None
    rows = tuple(
        (
            f"{w.week}: {short_day(w.start)}",
            str(w.due),
            str(w.done),
            str(w.skipped),
            str(w.missed),
            "; ".join(shown(r) for r in dict.fromkeys(w.reasons)) or "–",
        )
        for w in report.adherence
    )
    total = (
        "All",
        str(sum(w.due for w in report.adherence)),
        str(sum(w.done for w in report.adherence)),
        str(sum(w.skipped for w in report.adherence)),
        str(sum(w.missed for w in report.adherence)),
        "",
    )
    return Table(
        "Plan weeks (number: first day): sessions due, done, skipped and why, missed",
        ("Week", "Due", "Done", "Skipped", "Missed", "Reasons for skipping"),
        rows,
        frozenset({1, 2, 3, 4}),
        total,
    )


def weeks_table(report: Report) -> Table:
    """Calendar weeks (Monday to Sunday): sessions, pain stops, "sore" answers, means."""
    rows = tuple(
        (
            short_day(w.start),
            str(w.sessions),
            str(w.stopped),
            str(w.sore),
            mean_text(w.before_mean),
            mean_text(w.after_mean),
        )
        for w in report.weeks
    )
    return Table(
        "Monday to Sunday; mean pain 0-10 before and after sessions",
        ("Week of", "Sessions", "Pain stops", "Sore answers", "Before", "After"),
        rows,
        frozenset({1, 2, 3, 4, 5}),
    )


def answers_table(report: Report) -> Table | None:
    """Pain-check answers per exercise."""
    if not report.answers:
        return None
    rows = tuple(
        (
            shown(row.exercise),
            *(str(row.counts.get(kind, 0)) for kind, _ in ANSWER_COLUMNS),
            str(row.total),
        )
        for row in report.answers
    )
    return Table(
        "Answers at the pain check after each exercise",
        ("Exercise", *(name for _, name in ANSWER_COLUMNS), "All"),
        rows,
        frozenset(range(1, len(ANSWER_COLUMNS) + 2)),
    )


def stops_table(report: Report) -> Table | None:
    """Every pain stop: when, routine, exercise, what was answered, side."""
    if not report.stops:
        return None
    rows = tuple(
        (
            when_text(stop.at.astimezone(report.tz)),
            shown(stop.routine),
            shown(stop.exercise) if stop.exercise else "–",
            STOP_WORD.get(stop.answer, "–") if stop.answer else "–",
            shown(stop.side) if stop.side else "–",
        )
        for stop in report.stops
    )
    return Table(
        "Sessions stopped for pain",
        ("When", "Routine", "Exercise", "Answer", "Side"),
        rows,
    )


def imbalance_text(left: float, right: float) -> str:
    """``right 12 % less``, ``even``, or ``–`` (one side has no time)."""
    if left <= 0 or right <= 0:
        return "–"
    more, less = (left, right) if left >= right else (right, left)
    short = round(100 * (more - less) / more)
    if short == 0:
        return "even"
    return f"{'right' if left >= right else 'left'} {short} % less"


def sides_table(report: Report) -> Table | None:
    """Time held on each side of each sided exercise, and how far apart the sides are."""
    rows = []
    for row in report.sides:
        left, right = row.held_s.get("left", 0.0), row.held_s.get("right", 0.0)
        others = [f"{shown(s)} {about_text(t)}" for s, t in row.held_s.items() if s not in SIDES]
        rows.append(
            (
                shown(row.exercise),
                about_text(left) if "left" in row.held_s else "–",
                about_text(right) if "right" in row.held_s else "–",
                "; ".join([imbalance_text(left, right), *others]),
            )
        )
    if not rows:
        return None
    return Table(
        "Time held per side",
        ("Exercise", "Left", "Right", "Difference"),
        tuple(rows),
        frozenset({1, 2}),
    )


def calendar_table(report: Report) -> Table:
    """Every day of the period by week: one mark per session (and per skip)."""
    marks: dict[date, list[str]] = defaultdict(list)
    for session in report.sessions:
        marks[session.record.started_at.astimezone(report.tz).date()].append(
            STATUS_MARK[session.status]
        )
    for skip in report.skips:
        marks[skip.at.astimezone(report.tz).date()].append(STATUS_MARK["skipped"])
    rows = []
    monday = report.start - timedelta(days=report.start.weekday())
    while monday <= report.end:
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            inside = report.start <= day <= report.end
            cells.append(("".join(marks.get(day, [])) or "·") if inside else "")
        rows.append((short_day(monday), *cells))
        monday += timedelta(weeks=1)
    return Table(f"One mark per session: {MARKS_LEGEND}", ("Week of", *WEEKDAYS), tuple(rows))


def notes_table(report: Report) -> tuple[Table | None, int]:
    """The most recent ``MAX_NOTES`` sessions with a note (oldest of them first), and how
    many earlier ones are left out."""
    noted = [s for s in report.sessions if s.record.note.strip()]
    kept = noted[-MAX_NOTES:]
    rows = tuple(
        (
            when_text(s.record.started_at.astimezone(report.tz)),
            shown(s.record.routine),
            STATUS_WORD[s.status] + (" (resumed)" if s.parts > 1 else ""),
            pain_pair(s.record),
            _cut(shown(s.record.note)),
        )
        for s in kept
    )
    if not rows:
        return None, 0
    table = Table(
        "Sessions with a note; pain 0-10 before → after",
        ("When", "Routine", "Ended", "Pain", "Note"),
        rows,
    )
    return table, len(noted) - len(kept)


def _cut(text: str) -> str:
    return text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1].rstrip() + "…"


def left_out_text(count: int, report: Report) -> str:
    """The line under the notes when earlier ones are left out."""
    return (
        f"{plural(count, 'earlier note')} not shown: stretch log --since {report.start.isoformat()}"
    )


EMPTY = {
    "answers": "No pain checks were answered in this period.",
    "stops": "No session was stopped for pain in this period.",
    "sides": "No exercise done on one side at a time in this period.",
    "notes": "No notes in this period.",
}
