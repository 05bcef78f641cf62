"""Render `stretch log`: the history newest first (or its JSON), one line a session with
its note wrapped below it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from stretchcli.routine.durations import clock_text
from stretchcli.view.console import literal

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from stretchcli.history.record import PainAnswer, SessionRecord

STATUS_STYLE = {"completed": "green", "stopped": "bold red", "quit": "yellow", "skipped": "dim"}
# Pain-check answers worth showing in the log, most serious last, in words.
NOTABLE: dict[PainAnswer, str] = {
    "sore": "sore",
    "sharp": "sharp pain",
    "numbness": "numbness",
    "stop": "stopped with !",
}
HEADER = ("id", "date", "routine", "time", "status", "pain 0-10")


def log_json(records: Sequence[SessionRecord]) -> list[dict[str, Any]]:
    """`stretch log --json`: the records, newest first."""
    return [record.to_json_dict() for record in records]


def pain_text(record: SessionRecord) -> str:
    """The 0-10 ratings before → after, then the pain checks that were not "fine", in
    words: ``5 → 3``, ``6 → –, sore, stopped with !``, ``sore ×2``."""
    parts: list[str] = []
    if record.pain_before is not None or record.pain_after is not None:
        before = "–" if record.pain_before is None else str(record.pain_before)
        after = "–" if record.pain_after is None else str(record.pain_after)
        parts.append(f"{before} → {after}")
    counts = Counter(p.answer for p in record.pain)
    for answer, words in NOTABLE.items():
        if counts[answer]:
            parts.append(words if counts[answer] == 1 else f"{words} ×{counts[answer]}")
    return ", ".join(parts)


def log_table(
    records: Sequence[SessionRecord],
    *,
    tz: tzinfo,
    ids: Mapping[str, str],
    removed: bool = False,
) -> RenderableType:
    """`stretch log`: one line a session (short id, local date, routine, time spent, status,
    pain), newest first, and its note wrapped below it, indented."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    rows = [
        (
            literal(ids.get(r.id, r.id)),
            Text(r.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
            _routine(r),
            Text(clock_text(r.duration_s)),
            Text(r.status, style=STATUS_STYLE.get(r.status, "")),
            Text(pain_text(r)),
        )
        for r in records
    ]
    widths = [
        max(len(h), *(cell.cell_len for cell in column))
        for h, column in zip(HEADER, zip(*rows, strict=True), strict=True)
    ]
    indent = widths[0] + 2
    title = "Removed sessions (stretch log restore ID brings one back)" if removed else "History"
    parts: list[RenderableType] = [
        Text(title, style="bold"),
        _line(map(Text, HEADER), widths, "bold"),
    ]
    for record, row in zip(records, rows, strict=True):
        parts.append(_line(row, widths))
        if record.note.strip():
            parts.append(
                Padding(
                    literal(record.note.strip(), "italic", lines=True),
                    (0, 0, 0, indent),
                    expand=False,
                )
            )
    return Group(*parts)


def _routine(record: SessionRecord) -> Text:
    text = literal(record.routine, "bold cyan")
    if record.source != "guided":
        text.append(f" ({record.source})", style="dim")
    return text


def _line(cells: Any, widths: Sequence[int], style: str = "") -> Text:
    """Cells in columns two spaces apart (time right-aligned), trailing space dropped."""
    from rich.text import Text

    line = Text(style=style)
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * (width - cell.cell_len)
        if index:
            line.append("  ")
        if HEADER[index] == "time":
            line.append(pad)
            line.append_text(cell)
        else:
            line.append_text(cell)
            line.append(pad)
    line.rstrip()
    return line


def log_footer(*, shown: int, total: int) -> str | None:
    """A hint when the table does not show everything that matched."""
    if shown >= total:
        return None
    return f"{shown} newest of {total} sessions shown; use --limit N for more (0: all)"


def empty_log(*, filtered: bool, removed: bool = False) -> str:
    """What `stretch log` says when there is nothing to show."""
    if removed:
        return "No removed sessions." if not filtered else "No removed sessions match."
    if filtered:
        return "No sessions match."
    return "No sessions yet. Start one with: stretch start ROUTINE (see stretch list)"
