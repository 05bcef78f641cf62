"""The report as one self-contained HTML page: a Jinja2 template shipped with the package
(``templates/report.html.j2``: inline CSS, inline SVG charts, no script, nothing fetched),
with autoescaping on, since every string from a record is untrusted.

Jinja2 is imported here only, inside ``render_html``: no other command loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stretchcli.safe import visible
from stretchcli.view import report_chart, report_text

if TYPE_CHECKING:
    from jinja2 import Environment

    from stretchcli.report.data import Report

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE = "report.html.j2"


def _finalize(value: Any) -> Any:
    """Every plain string a template prints, made visible (markup the view built itself,
    such as ``Markup``, is left alone; autoescaping still applies to the rest)."""
    return visible(value) if type(value) is str else value


def environment() -> Environment:
    """The template environment: autoescape on, an unknown name an error."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_html(report: Report, version: str) -> str:
    """The whole report as an HTML document."""
    notes, left_out = report_text.notes_table(report)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            title=report_text.TITLE,
            about=report_text.ABOUT,
            period=report_text.period_text(report),
            generated=report_text.generated_text(report, version),
            figures=report_text.figures(report),
            plan=report_text.plan_lines(report),
            adherence=report_text.adherence_table(report),
            pain=report_chart.pain_chart(report),
            weeks=report_text.weeks_table(report),
            answers=report_text.answers_table(report),
            stops=report_text.stops_table(report),
            sides=report_text.sides_table(report),
            sides_chart=report_chart.sides_chart(report),
            # The chart shows left and right; a table only for other sides (e.g. front, back).
            other_sides=any(set(row.held_s) - set(report_text.SIDES) for row in report.sides),
            calendar=report_text.calendar_table(report),
            notes=notes,
            left_out=report_text.left_out_text(left_out, report) if left_out else "",
            empty=report_text.EMPTY,
        )
    )
