"""The end of a session: a summary in plain lines, printed on the normal screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stretchcli.play.screen import Ending
from stretchcli.safe import visible
from stretchcli.view.ends import done_line, safety_box
from stretchcli.view.texts import ANSWER_TEXT, SAFETY_ADVICE, SORE_ADVICE

if TYPE_CHECKING:
    from stretchcli.play.plan import SessionPlan
    from stretchcli.play.run import RunResult


def summary_lines(plan: SessionPlan, result: RunResult) -> list[str]:
    """The end-of-session summary, as plain lines."""
    outcome = result.outcome
    recorded = result.recorded
    status = outcome.status or "quit"
    headline = {
        "completed": "Session complete. Well done.",
        "stopped": "Session stopped for pain.",
        "quit": "Session quit.",
    }[status]
    lines = [headline, *recorded.notes]
    if plan.resume is not None:
        step = plan.timeline.steps[0] if plan.timeline.steps else None
        where = f" (at {step.exercise})" if step is not None else ""
        lines.append(f"Resumed where the last session stopped{where}.")
    lines.append(done_line(Ending(outcome, plan.timeline.exercise_count)))
    for answer in outcome.pain:
        lines.append(f"  {answer.exercise}: {ANSWER_TEXT[answer.answer]}")
    if recorded.pain_before is not None or recorded.pain_after is not None:
        before = "-" if recorded.pain_before is None else recorded.pain_before
        after = "-" if recorded.pain_after is None else recorded.pain_after
        lines.append(f"Pain rating: {before} before, {after} after (0-10)")
    if any(a.answer == "sore" for a in outcome.pain) and status != "stopped":
        lines.append(SORE_ADVICE)
    if status == "stopped":
        lines.append(SAFETY_ADVICE)
    if recorded.fallback:
        lines.append(
            f"The history database could not be written; this session was saved to "
            f"{recorded.saved_to}. Add it later with: stretch import {recorded.saved_to}"
        )
    return lines


def print_summary(plan: SessionPlan, result: RunResult, *, plain: bool) -> None:
    """Print the summary on stdout (exercise names as written), a line each; on a
    terminal the safety advice is in its box, wrapped at word boundaries."""
    from rich.console import Console

    # emoji=False: rich's emoji table would cost ~10 ms to load at the very end.
    out = Console(highlight=False, no_color=plain or None, soft_wrap=True, emoji=False)
    for line in summary_lines(plan, result):
        if line == SAFETY_ADVICE and not plain:
            out.print(safety_box(out.width, leave_hint=False))
        else:
            out.print(visible(line), markup=False)
