"""A table drawn in one pass, for the thousands of rows of a long timeline.

rich's ``Table`` measures, pads, wraps and crops every cell as a renderable of its own:
about a third of a millisecond a row, so `stretch show` of a routine of 100 exercises x 50
reps x 2 sides (20,100 steps) took 8 s. ``RowTable`` draws the same layout (a heavy rule
under the header, columns apart by a thin line, no outer edge) from plain strings: column
widths in one pass over the cells, a cell wider than its column wrapped once per distinct
text (cached), every line written as a few segments. Cells are never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

# Imported by `stretch show` only, when it draws: rich is loaded by then anyway.
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.style import Style

_NEWLINE = Segment.line()


@dataclass(frozen=True)
class Column:
    """A column: its header, its alignment, its style, and whether it may be narrowed (its
    cells then wrap) when the table is wider than the terminal."""

    header: str
    justify: Literal["left", "right"] = "left"
    style: str = ""
    wrap: bool = False


@dataclass
class RowTable:
    """Rows of one-line cells under a title and a header (see the module docstring)."""

    columns: Sequence[Column]
    title: str = ""
    rows: list[tuple[Sequence[str], Sequence[str] | None]] = field(default_factory=list)

    def add_row(self, *cells: str, styles: Sequence[str] | None = None) -> None:
        """A row; ``styles`` (one per cell) replace the columns' styles for it."""
        self.rows.append((cells, styles))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ascii_only = options.ascii_only
        thin, heavy, rule, joint = ("|", "|", "-", "+") if ascii_only else ("│", "┃", "━", "╇")
        widths = [_cells(column.header) for column in self.columns]
        for cells, _ in self.rows:
            for index, cell in enumerate(cells):
                widths[index] = max(widths[index], _cells(cell))
        widths = _fit(widths, [c.wrap for c in self.columns], options.max_width)
        plain = console.get_style("none")
        styles = [console.get_style(column.style or "none") for column in self.columns]
        if self.title:
            yield Segment(self.title, console.get_style("table.title"))
            yield _NEWLINE
        header = [console.get_style("table.header")] * len(widths)
        yield from self._line([c.header for c in self.columns], widths, header, heavy, plain)
        yield Segment(joint.join(rule * (w + 2) for w in widths)[1:-1])
        yield _NEWLINE
        wrapped: dict[tuple[str, int], list[str]] = {}
        for cells, row_styles in self.rows:
            cell_styles = (
                styles if row_styles is None else [console.get_style(s) for s in row_styles]
            )
            parts = [
                _wrap(console, cell, width, wrapped) if _cells(cell) > width else [cell]
                for cell, width in zip(cells, widths, strict=True)
            ]
            for line in range(max(len(part) for part in parts)):
                texts = [part[line] if line < len(part) else "" for part in parts]
                yield from self._line(texts, widths, cell_styles, thin, plain)

    def _line(
        self,
        texts: Sequence[str],
        widths: Sequence[int],
        styles: Sequence[Style],
        bar: str,
        plain: Style,
    ) -> list[Segment]:
        """One line of cells, as few segments as its styles allow (one per run of equal
        style: what is drawn, ~100,000 segments for the largest timeline, costs most)."""
        segments: list[Segment] = []
        run, run_style = "", plain
        last = len(texts) - 1
        for index, (text, width, style, column) in enumerate(
            zip(texts, widths, styles, self.columns, strict=True)
        ):
            gap = width - _cells(text)
            if gap < 0:
                text = set_cell_size(text, width)
            elif column.justify == "right":
                text = " " * gap + text
            elif index < last:
                text += " " * gap
            for piece, piece_style in ((text, style), (f" {bar} " if index < last else "", plain)):
                if piece_style is not run_style:  # (rich compares styles slowly)
                    if run:
                        segments.append(Segment(run, run_style))
                    run, run_style = "", piece_style
                run += piece
        if run:
            segments.append(Segment(run, run_style))
        segments.append(_NEWLINE)
        return segments


def _cells(text: str) -> int:
    """Terminal cells of ``text``; printable ASCII (nearly every cell) without a lookup."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _fit(widths: list[int], wraps: Sequence[bool], room: int) -> list[int]:
    """Narrow the columns that may wrap, the widest first, until the table fits in
    ``room`` cells (or they are one cell wide: the console then crops the lines)."""
    widths = list(widths)
    excess = sum(widths) + 3 * (len(widths) - 1) - room
    while excess > 0:
        candidates = [i for i, wraps_ in enumerate(wraps) if wraps_ and widths[i] > 1]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _wrap(
    console: Console, text: str, width: int, cache: dict[tuple[str, int], list[str]]
) -> list[str]:
    """``text`` wrapped at word boundaries into lines of ``width`` cells, once per text."""
    key = (text, width)
    if key not in cache:
        cache[key] = [line.plain.rstrip() for line in Text(text).wrap(console, width)] or [""]
    return cache[key]
