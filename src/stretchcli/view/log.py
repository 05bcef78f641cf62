"""Render `stretch log`: the history table (or its JSON), newest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from stretchcli.routine.durations import clock_text
from stretchcli.view.console import literal

if TYPE_CHECKING:
    from rich.console import RenderableType

    from stretchcli.history.record import PainAnswer, SessionRecord

STATUS_STYLE = {"completed": "green", "stopped": "bold red", "quit": "yellow"}
# Pain-check answers worth showing in the log, most serious last.
NOTABLE: tuple[PainAnswer, ...] = ("sore", "sharp", "numbness", "stop")


def log_json(records: Sequence[SessionRecord]) -> list[dict[str, Any]]:
    """`stretch log --json`: the records, newest first."""
    return [record.to_json_dict() for record in records]


def pain_text(record: SessionRecord) -> str:
    """Pain in a few characters: ``5→3``, ``sore``, ``7→– stop``, ``sore×2``."""
    parts: list[str] = []
    if record.pain_before is not None or record.pain_after is not None:
        before = "–" if record.pain_before is None else str(record.pain_before)
        after = "–" if record.pain_after is None else str(record.pain_after)
        parts.append(f"{before}→{after}")
    counts = Counter(p.answer for p in record.pain)
    for answer in NOTABLE:
        if counts[answer]:
            parts.append(answer if counts[answer] == 1 else f"{answer}×{counts[answer]}")
    return " ".join(parts)


def log_table(records: Sequence[SessionRecord], *, tz: tzinfo) -> RenderableType:
    """`stretch log`: date (local time), routine, time spent, status and pain, newest first."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="History", title_justify="left")
    table.add_column("date", no_wrap=True)
    table.add_column("routine", style="bold cyan")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("pain", no_wrap=True)
    for record in records:
        routine = literal(record.routine)
        if record.source != "guided":
            routine.append(f" ({record.source})", style="dim")
        table.add_row(
            record.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            routine,
            clock_text(record.duration_s),
            Text(record.status, style=STATUS_STYLE[record.status]),
            pain_text(record),
        )
    return table


def log_footer(*, shown: int, total: int) -> str | None:
    """A hint when the table does not show everything that matched."""
    if shown >= total:
        return None
    return f"{shown} newest of {total} sessions shown; use --limit N for more (0: all)"


def empty_log(*, filtered: bool) -> str:
    """What `stretch log` says when there is nothing to show."""
    if filtered:
        return "No sessions match."
    return "No sessions yet. Start one with: stretch start ROUTINE (see stretch list)"
