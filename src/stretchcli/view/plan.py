"""Render the plan: `stretch plan`, `stretch today`, and the start screen of bare `stretch`
(rich renderables for people, dicts for JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from stretchcli.view.console import literal

if TYPE_CHECKING:
    from rich.console import RenderableType

    from stretchcli.history.record import SessionRecord
    from stretchcli.plan.model import Item, Plan
    from stretchcli.plan.schedule import WeekAdherence
    from stretchcli.plan.today import Today, TodayItem

SUSPENDED = (
    "{routine} is paused: a session was stopped for pain on {when}. Talk to your doctor or "
    "therapist before you go on; then: stretch plan resume {routine}"
)


def days_text(item: Item) -> str:
    """``daily``, ``mon, wed``, ``every 2 days``."""
    return ", ".join(item.days) if isinstance(item.days, list) else item.days


def dose_text(entry: TodayItem) -> str:
    """The dose the plan gives today: ``holds +10 s (2 good weeks)`` or ``as written``."""
    extra = entry.dose.extra_hold
    if not extra:
        return "holds as written"
    cap = f", at most {entry.dose.hold_max} s" if entry.dose.hold_max else ""
    weeks = entry.dose.good_weeks
    return f"holds +{extra} s ({weeks} good week{'s' * (weeks != 1)}{cap})"


def _when(moment: datetime) -> str:
    return f"{moment:%a %d %b %H:%M}"


def suspended_text(entry: TodayItem) -> str:
    """The one line that says an item is paused and what to do."""
    assert entry.suspended_since is not None
    return SUSPENDED.format(routine=entry.routine, when=_when(entry.suspended_since))


def today_json(result: Today) -> dict[str, Any]:
    """`stretch today --json`."""
    return {
        "date": result.now.date().isoformat(),
        "week": result.week,
        "weeks": result.plan.weeks,
        "items": [
            {
                "routine": entry.routine,
                "due": entry.day.due,
                "done": entry.day.done,
                "skipped": entry.day.skipped,
                "left": entry.day.left,
                "reasons": list(entry.day.reasons),
                "at": list(entry.at),
                "extra_hold_s": entry.dose.extra_hold,
                "suspended_since": (
                    entry.suspended_since.isoformat() if entry.suspended_since else None
                ),
            }
            for entry in result.items
        ],
        "next_reminder": result.next_reminder.isoformat() if result.next_reminder else None,
    }


def today_lines(result: Today) -> list[RenderableType]:
    """`stretch today`: each item's sessions today (done, skipped, left), the dose, the
    next reminder, and paused items with what to do."""
    from rich.text import Text

    head = Text(f"Today, {result.now:%A %d %B %Y}", style="bold")
    if result.week is not None:
        weeks = f" of {result.plan.weeks}" if result.plan.weeks else ""
        head.append(f"   plan week {result.week}{weeks}", style="dim")
    lines: list[RenderableType] = [head]
    if result.not_started:
        lines.append(Text(f"The plan starts on {result.plan.starts:%A %d %B}."))
    elif result.over:
        lines.append(Text("The plan's weeks are over; `stretch plan add` starts a new one."))
    for entry in result.items:
        day = entry.day
        if entry.suspended_since is not None:
            lines.append(literal(suspended_text(entry), "bold yellow"))
            continue
        if not day.due and not day.done:
            lines.append(literal(f"  {entry.routine}: not due today"))
            continue
        mark = "✓" if day.left == 0 else "•"
        line = literal(f"  {mark} {entry.routine}: {day.done} of {day.due} done")
        if day.skipped:
            reasons = "; ".join(day.reasons)
            line.append(f", {day.skipped} skipped" + (f" ({reasons})" if reasons else ""))
        line.append(f"   {dose_text(entry)}", style="dim")
        lines.append(line)
    if result.next_reminder is not None:
        lines.append(Text(f"Next reminder at {result.next_reminder:%H:%M}.", style="dim"))
    if result.left:
        lines.append(Text(f"Start the next one: stretch start {result.left[0].routine}"))
    return lines


def plan_json(plan: Plan, result: Today, weeks: dict[str, list[WeekAdherence]]) -> dict[str, Any]:
    """`stretch plan --json`."""
    by_routine = {entry.routine: entry for entry in result.items}
    return {
        "starts": plan.starts.isoformat(),
        "weeks": plan.weeks,
        "week": result.week,
        "items": [
            {
                "routine": item.routine,
                "days": item.days,
                "times": item.times,
                "at": list(item.at),
                "progress": item.progress.model_dump() if item.progress else None,
                "extra_hold_s": by_routine[item.routine].dose.extra_hold,
                "suspended_since": (
                    by_routine[item.routine].suspended_since.isoformat()  # type: ignore[union-attr]
                    if by_routine[item.routine].suspended_since
                    else None
                ),
                "adherence": [
                    {
                        "week": w.week,
                        "start": w.start.isoformat(),
                        "due": w.due,
                        "done": w.done,
                        "skipped": w.skipped,
                        "missed": w.missed,
                        "reasons": list(w.reasons),
                    }
                    for w in weeks.get(item.routine, [])
                ],
            }
            for item in plan.items
        ],
    }


def _share(done: int, due: int) -> str:
    return f"{done} of {due} ({round(100 * done / due)}%)" if due else "nothing due"


def plan_view(plan: Plan, result: Today, weeks: dict[str, list[WeekAdherence]]) -> RenderableType:
    """`stretch plan`: each item's schedule, dose, adherence this week and overall."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text(f"Plan from {plan.starts:%a %d %b %Y}", style="bold")
    head.append(f", {plan.weeks} weeks" if plan.weeks else ", open-ended")
    if result.week is not None:
        head.append(f"; this is week {result.week}", style="dim")
    table = Table(title_justify="left")
    for name in ("routine", "days", "sessions", "reminders", "dose now", "this week", "overall"):
        table.add_column(name)
    by_routine = {entry.routine: entry for entry in result.items}
    notes: list[RenderableType] = []
    for item in plan.items:
        entry = by_routine[item.routine]
        history = weeks.get(item.routine, [])
        this = history[-1] if history else None
        due = sum(w.due for w in history)
        done = sum(w.done for w in history)
        table.add_row(
            literal(item.routine),
            days_text(item),
            f"{item.times} a day",
            ", ".join(item.at) or "–",
            dose_text(entry),
            _share(this.done, this.due) if this else "–",
            _share(done, due),
        )
        if entry.suspended_since is not None:
            notes.append(literal(suspended_text(entry), "bold yellow"))
    if not plan.items:
        notes.append(Text("No items yet: stretch plan add ROUTINE --days daily --times 1"))
    return Group(head, table, *notes)


def start_screen(result: Today | None, last: SessionRecord | None) -> list[RenderableType]:
    """Bare `stretch`: what is due today (or, without a plan, the last session and a
    suggestion) and the commands to run next."""
    from rich.text import Text

    lines: list[RenderableType] = [Text("stretch: a guided stretch timer", style="bold")]
    if result is not None:
        lines.extend(today_lines(result))
        lines.append(Text(""))
        lines.append(Text("stretch today      what is due, done and skipped"))
        lines.append(Text("stretch plan       the plan, the dose, adherence"))
        return lines
    if last is not None:
        lines.append(
            literal(f"Last session: {last.routine}, {last.started_at.astimezone():%a %d %b %H:%M}")
        )
    else:
        lines.append(Text("No sessions yet."))
    lines.append(Text(""))
    routine = last.routine if last is not None and last.routine != "hold" else "lower-back"
    lines.append(literal(f"stretch start {routine}".ljust(36) + "a guided session"))
    lines.append(Text("stretch list".ljust(36) + "the routines there are"))
    lines.append(
        Text("stretch plan add ROUTINE --at 08:00".ljust(36) + "a plan over weeks, with reminders")
    )
    return lines
