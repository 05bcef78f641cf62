"""The end of a session: a summary in plain lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stretchcli.routine.durations import clock_text
from stretchcli.safe import visible
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
    lines.append(
        f"Exercises done: {outcome.exercises_done} of {plan.timeline.exercise_count}; "
        f"time spent: {clock_text(outcome.active_s)}"
        + (f" (paused {clock_text(outcome.paused_s)})" if outcome.paused_s >= 1 else "")
    )
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
    """Print the summary on stdout, as plain text (exercise names as written)."""
    from rich.console import Console

    # emoji=False: rich's emoji table would cost ~10 ms to load at the very end.
    out = Console(highlight=False, no_color=plain or None, soft_wrap=True, emoji=False)
    for line in summary_lines(plan, result):
        out.print(visible(line), markup=False)
