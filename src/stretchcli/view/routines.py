"""Render routines for `stretch list` and `stretch show`: rich tables for people, dicts for JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stretchcli.routine.durations import about_text, clock_text
from stretchcli.safe import visible
from stretchcli.view.console import literal
from stretchcli.view.texts import plural

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.text import Text

    from stretchcli.routine.catalog import RoutineSummary
    from stretchcli.routine.library import LoadedRoutine
    from stretchcli.routine.model import Dose, Dosing
    from stretchcli.routine.timeline import Step, Timeline


def routine_list_json(summaries: list[RoutineSummary]) -> list[dict[str, Any]]:
    """`stretch list --json`: one object per routine."""
    return [
        {
            "id": item.id,
            "title": item.title,
            "summary": item.summary,
            "tags": list(item.tags),
            "exercises": item.exercises,
            "seconds": item.seconds,
            "source": item.origin,
            "path": str(item.path),
        }
        for item in summaries
    ]


def routine_list_table(summaries: list[RoutineSummary]) -> RenderableType:
    """`stretch list`: a table of id, title with the summary below it (wrapped, never
    cut), exercises, estimated time and source."""
    from rich.table import Table

    # Routine text goes in as Text, never as markup: a title like "Knees [L/R]" is plain text.
    table = Table(title="Routines", title_justify="left", expand=False)
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("routine", ratio=1)
    table.add_column("exercises", justify="right")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("source", no_wrap=True)
    for row in routine_list_json(summaries):
        about = literal(row["title"], "bold")
        if row["summary"]:
            about.append("\n")
            about.append_text(literal(row["summary"]))
        table.add_row(
            literal(row["id"]),
            about,
            str(row["exercises"]),
            about_text(row["seconds"]),
            row["source"],
        )
    return table


class Hanging:
    """Lines that each start with a mark (``•``, ``!``, ``Easier:``) and wrap under their
    text, not under the mark. (A rich grid does the same at several times the cost.)"""

    def __init__(self, lines: list[tuple[str, Text]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len
        from rich.text import Text

        width = max((cell_len(mark) for mark, _ in self.lines), default=0) + 1
        for mark, text in self.lines:
            for number, part in enumerate(text.wrap(console, max(1, options.max_width - width))):
                line = Text(mark.ljust(width - 1) + " " if number == 0 else " " * width)
                line.append_text(part)
                yield line


def hanging(lines: list[tuple[str, Text]]) -> Hanging:
    """``Hanging`` lines."""
    return Hanging(lines)


def step_label(step: Step) -> str:
    """What a step is, in a few words: ``hold left 2/3``, ``switch to right``."""
    side = f" {step.side}" if step.side else ""
    ready = ", ready: waits for a key" if step.ready else ""
    if step.kind == "hold":
        return f"hold{side} {step.rep}/{step.reps}"
    if step.kind == "move":
        return f"move{side} {step.moves} × {step.tempo} s"
    if step.kind == "rest":
        return f"rest, then hold{side} {step.rep}/{step.reps}"
    if step.kind == "switch":
        return f"switch to {step.side}{ready}"
    if step.kind == "prep":
        return (f"get ready, {step.side} first" if step.side else "get into position") + ready
    return "pain check"


def step_json(step: Step) -> dict[str, Any]:
    """A step as JSON (``moves`` and ``tempo`` for a moving one, ``ready`` for a step
    that waits for a key)."""
    data: dict[str, Any] = {
        "kind": step.kind,
        "seconds": step.seconds,
        "exercise_index": step.exercise_index,
        "exercise": step.exercise,
        "side": step.side,
        "rep": step.rep,
        "reps": step.reps,
    }
    if step.kind == "move":
        data.update(moves=step.moves, tempo=step.tempo)
    if step.ready:
        data["ready"] = True
    return data


def dose_json(dose: Dose) -> dict[str, Any]:
    """An exercise's dosing as JSON: hold and reps, or moves and tempo."""
    data = dose.model_dump()
    drop = ("hold", "reps") if dose.moving else ("moves", "tempo")
    return {key: value for key, value in data.items() if key not in drop}


def routine_show_json(item: LoadedRoutine, timeline: Timeline) -> dict[str, Any]:
    """`stretch show --json`: the routine as loaded, each exercise's dosing, and the timeline."""
    from stretchcli.routine.model import dose_for

    routine = item.routine
    exercises = []
    for exercise in routine.exercises:
        data = exercise.model_dump(
            exclude={"hold", "reps", "rest", "prep", "switch", "moves", "tempo"}
        )
        data["dose"] = dose_json(dose_for(exercise, routine.defaults))
        exercises.append(data)
    return {
        "id": item.source.id,
        "source": item.source.origin,
        "path": str(item.source.path),
        "title": routine.title,
        "summary": routine.summary,
        "tags": list(routine.tags),
        "cautions": list(routine.cautions),
        "defaults": routine.defaults.model_dump(),
        "exercises": exercises,
        "timeline": [step_json(step) for step in timeline.steps],
        "total_seconds": timeline.total_seconds,
    }


def _wait_text(seconds: int | str) -> str:
    """A prep or switch: ``5 s``, or ``ready`` (waits for a key)."""
    return f"{seconds} s" if isinstance(seconds, int) else "until ready"


def routine_show(
    item: LoadedRoutine, timeline: Timeline, overrides: Dosing | None = None
) -> RenderableType:
    """`stretch show`: exercises with cues and dosing, cautions, then the step timeline."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from stretchcli.routine.model import dose_for
    from stretchcli.view.rows import Column, RowTable

    routine = item.routine
    parts: list[RenderableType] = []
    head = literal(routine.title, "bold")
    head.append(visible(f"   ({item.source.id}, {item.source.origin})"), style="dim")
    parts.append(head)
    if routine.summary:
        parts.append(literal(routine.summary, lines=True))
    parts.append(
        Text(
            f"{plural(len(routine.exercises), 'exercise')}, "
            f"about {about_text(timeline.total_seconds)} ({clock_text(timeline.total_seconds)})"
        )
    )
    for number, exercise in enumerate(routine.exercises, 1):
        dose = dose_for(exercise, routine.defaults, overrides)
        sides = exercise.sides or []
        if dose.moves is not None:
            dosing = f"{dose.moves} moves × {dose.tempo} s"
        else:
            dosing = f"hold {dose.hold} s × {dose.reps}"
        if sides:
            each = "each side" if len(sides) > 1 else f"{sides[0]} side"
            dosing += f" {each} ({exercise.side_order}: {' then '.join(sides)})"
        # Alternating sides rest while the other side holds: no rest step, so no rest shown.
        rests = dose.reps > 1 and (len(sides) < 2 or exercise.side_order == "block")
        if rests and dose.rest and not dose.moving:
            dosing += f", rest {dose.rest} s"
        dosing += f", prep {_wait_text(dose.prep)}"
        if len(sides) > 1:
            dosing += f", switch {_wait_text(dose.switch)}"
        tips = [("Easier:", exercise.easier, "green"), ("Harder:", exercise.harder, "yellow")]
        body = Group(
            Text(dosing, style="bold"),
            hanging([("•", literal(cue, lines=True)) for cue in exercise.cues]),
            hanging([(mark, literal(tip, style, lines=True)) for mark, tip, style in tips if tip]),
        )
        title = literal(f"{number}. {exercise.name}")
        parts.append(Panel(body, title=title, title_align="left"))
    if routine.cautions:
        cautions = hanging([("!", literal(c, "bold red", lines=True)) for c in routine.cautions])
        parts.append(Panel(cautions, title="Cautions", title_align="left", border_style="red"))
    # Not a rich Table: a timeline has up to 20,000 steps (see view/rows.py).
    table = RowTable(
        [
            Column("at", justify="right", style="dim"),
            Column("exercise", wrap=True),
            Column("step", wrap=True),
            Column("time", justify="right"),
        ],
        title="Timeline",
    )
    at = 0
    shown = -1
    for step in timeline.steps:
        length = "answer" if step.kind == "check" else f"{step.seconds} s"
        # The exercise's name on its first step only: the rows below are its steps.
        name = visible(step.exercise) if step.exercise_index != shown else ""
        shown = step.exercise_index
        table.add_row(clock_text(at), name, visible(step_label(step)), length)
        at += step.seconds
    table.add_row("", "", "total", clock_text(at), styles=("", "", "bold", "bold"))
    parts.append(table)
    return Group(*parts)
