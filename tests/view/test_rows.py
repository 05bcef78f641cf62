"""``RowTable``, the one-pass table of `stretch show`'s timeline: the layout of rich's
``Table`` for the same cells, any width without a failure, ASCII where the output cannot
take box characters, cells never read as markup, and work that does not grow with the rows
beyond the rows themselves (wrapping once per distinct cell)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from stretchcli.routine.library import LoadedRoutine, load_routine
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import build_timeline
from stretchcli.view import rows
from stretchcli.view.routines import routine_show, step_label
from stretchcli.view.rows import Column, RowTable
from support import BUILTIN_IDS

COLUMNS = [
    Column("at", justify="right", style="dim"),
    Column("exercise", wrap=True),
    Column("step", wrap=True),
    Column("time", justify="right"),
]


def render(renderable: object, width: int, *, encoding: str = "utf-8") -> list[str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    console = Console(file=out, width=width, color_system=None, highlight=False)
    console.print(renderable)
    out.flush()
    data = out.buffer.getvalue()  # type: ignore[attr-defined]
    return [line.rstrip() for line in data.decode(encoding).splitlines()]


def timeline_rows(routine_id: str) -> list[tuple[str, str, str, str]]:
    from stretchcli.routine.durations import clock_text

    timeline = build_timeline(load_routine(routine_id).routine)
    cells, at = [], 0
    for step in timeline.steps:
        length = "answer" if step.kind == "check" else f"{step.seconds} s"
        cells.append((clock_text(at), step.exercise, step_label(step), length))
        at += step.seconds
    cells.append(("", "", "total", clock_text(at)))
    return cells


def both(cells: list[tuple[str, str, str, str]]) -> tuple[Table, RowTable]:
    table = Table(title="Timeline", title_justify="left", show_edge=False, pad_edge=False)
    ours = RowTable(COLUMNS, title="Timeline")
    for column in COLUMNS:
        table.add_column(column.header, justify=column.justify, style=column.style or None)
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
        ours.add_row(*row)
    return table, ours


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("routine_id", BUILTIN_IDS)
def test_it_draws_what_a_rich_table_draws(home: object, routine_id: str, width: int) -> None:
    table, ours = both(timeline_rows(routine_id))
    assert render(ours, width) == render(table, width)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(1, 120),
    # Names as a routine may have them: no control characters (see routine/model.py).
    names=st.lists(
        st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=80),
        min_size=1,
        max_size=4,
    ),
)
def test_any_width_and_any_text_fit_without_failing(width: int, names: list[str]) -> None:
    ours = RowTable(COLUMNS, title="Timeline")
    for number, name in enumerate(names):
        ours.add_row(f"{number}:00", name, "hold left 1/3 and a long label", "30 s")
    lines = render(ours, width)
    assert all(cell_len(line) <= width for line in lines)  # wrapped, or cropped
    assert len(lines) >= 3 + len(names)


def test_the_names_are_kept_whole_when_they_must_wrap() -> None:
    ours = RowTable(COLUMNS)
    ours.add_row("0:00", "Lower-body rotation, top leg over", "get into position", "5 s")
    lines = render(ours, 40)
    assert max(len(line) for line in lines) <= 40
    joined = " ".join(line.split("│")[1].strip() for line in lines[2:])
    assert " ".join(joined.split()) == "Lower-body rotation, top leg over"


def test_cells_are_never_markup() -> None:
    ours = RowTable(COLUMNS)
    ours.add_row("0:00", "[bold]Knees[/] [L/R]", "hold", "5 s")
    assert "[bold]Knees[/] [L/R]" in render(ours, 80)[2]


def test_an_output_that_takes_only_ascii_gets_ascii_lines() -> None:
    _, ours = both(timeline_rows("desk-break"))
    lines = render(ours, 80, encoding="ascii")
    assert lines[1].startswith("  at | exercise")
    assert set(lines[2]) == {"-", "+"}
    assert lines[3].startswith("0:00 | Seated twist")


def test_wrapping_is_done_once_per_distinct_cell_not_per_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The linear part of the work: 100 exercises x 50 reps x 2 sides (20,100 steps) drawn
    at 40 columns, where every exercise name must wrap, wraps each name once."""
    routine = Routine.model_validate(
        {
            "title": "Big",
            "defaults": {"hold": 1, "reps": 50, "rest": 1, "prep": 1, "switch": 1},
            "exercises": [
                {"name": f"A long exercise name number {n}", "sides": ["left", "right"]}
                for n in range(100)
            ],
        }
    )
    timeline = build_timeline(routine)
    assert len(timeline.steps) == 20_100
    wraps: list[str] = []
    real_wrap = rows._wrap

    def counting(console: Console, text: str, width: int, cache: dict[object, object]) -> object:
        if (text, width) not in cache:
            wraps.append(text)
        return real_wrap(console, text, width, cache)  # type: ignore[arg-type]

    monkeypatch.setattr(rows, "_wrap", counting)
    item = LoadedRoutine(load_routine("desk-break").source, routine)
    lines = render(routine_show(item, timeline), 40)

    timeline_lines = lines[lines.index("Timeline") + 3 :]
    assert len(timeline_lines) >= 20_101
    labels = {step_label(step) for step in timeline.steps} | {"total"}
    assert len(wraps) <= 100 + len(labels)
