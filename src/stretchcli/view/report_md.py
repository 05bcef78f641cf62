"""The report as Markdown, for an email or a patient portal: the same words as the HTML
(``report_text``), tables as Markdown tables and the charts as text. Every cell is escaped,
so a note can neither format the page nor carry HTML into a viewer that renders it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stretchcli.view.report_chart import grid_legend, pain_grid
from stretchcli.view.report_text import (
    ABOUT,
    EMPTY,
    TITLE,
    Table,
    adherence_table,
    answers_table,
    calendar_table,
    figures,
    generated_text,
    left_out_text,
    notes_table,
    period_text,
    plan_lines,
    shown,
    sides_table,
    stops_table,
    weeks_table,
)

if TYPE_CHECKING:
    from stretchcli.report.data import Report

# Markdown's punctuation that can format text, make a link, a table cell or HTML.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
BAR_WIDTH = 12


def md(text: str) -> str:
    """``text`` shown literally in Markdown (on one line)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table_lines(table: Table) -> list[str]:
    """A Markdown table under its caption (in italics)."""
    lines = [f"*{md(table.caption)}*", ""]
    lines.append("| " + " | ".join(md(h) for h in table.headers) + " |")
    lines.append(
        "|" + "|".join("--:" if n in table.numeric else "---" for n in range(len(table.headers)))
    )
    lines[-1] += "|"
    rows = list(table.rows) + ([table.total] if table.total else [])
    for row in rows:
        lines.append("| " + " | ".join(md(cell) for cell in row) + " |")
    return lines


def sides_bars(report: Report) -> list[str]:
    """Left and right of each sided exercise as bars growing from a centre line."""
    rows = [r for r in report.sides if "left" in r.held_s or "right" in r.held_s]
    if not rows:
        return []
    most = max(max(r.held_s.get("left", 0.0), r.held_s.get("right", 0.0)) for r in rows)
    names = [shown(r.exercise) for r in rows]
    width = min(max(len(n) for n in names), 40)
    lines = []
    for name, row in zip(names, rows, strict=True):
        left = round(BAR_WIDTH * row.held_s.get("left", 0.0) / most) if most else 0
        right = round(BAR_WIDTH * row.held_s.get("right", 0.0) / most) if most else 0
        bars = f"{'█' * left:>{BAR_WIDTH}}|{'█' * right:<{BAR_WIDTH}}"
        lines.append(f"{name[:width]:<{width}}  left {bars} right")
    return lines


def render_markdown(report: Report, version: str) -> str:
    """The whole report as Markdown text."""
    out = [f"# {TITLE}", ""]
    out += [md(f"{period_text(report)}. {generated_text(report, version)}"), "", md(ABOUT), ""]
    out += ["## Summary", "", "| Figure | Value |", "|---|---|"]
    out += [f"| {md(label)} | {md(value)} |" for label, value in figures(report)]
    out += ["", "## Plan and adherence", ""]
    plan = plan_lines(report)
    out += [md(plan[0]), ""]
    if len(plan) > 1:
        out += [f"- {md(line)}" for line in plan[1:]] + [""]
    if (adherence := adherence_table(report)) is not None:
        out += [*table_lines(adherence), ""]
    out += ["## Pain before and after", "", "```text", *pain_grid(report), "```", ""]
    out += [md(grid_legend()), ""]
    out += [*table_lines(weeks_table(report)), ""]
    out += _section("Pain checks per exercise", answers_table(report), EMPTY["answers"])
    out += _section("Pain stops", stops_table(report), EMPTY["stops"])
    out += _section("Time held per side", sides_table(report), EMPTY["sides"])
    if bars := sides_bars(report):
        out += ["```text", *bars, "```", ""]
    out += ["## Sessions", "", *table_lines(calendar_table(report)), ""]
    notes, left_out = notes_table(report)
    out += _section("Notes", notes, EMPTY["notes"])
    if left_out:
        out += [md(left_out_text(left_out, report)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _section(heading: str, table: Table | None, empty: str) -> list[str]:
    lines = [f"## {heading}", ""]
    if table is None:
        return [*lines, md(empty), ""]
    return [*lines, *table_lines(table), ""]
