"""Questions asked before a session, on the normal screen: whether to go on with today's
interrupted session (a y/n key on a terminal, a line in plain mode)."""

from __future__ import annotations

from datetime import tzinfo
from typing import IO

from stretchcli.history.record import SessionRecord
from stretchcli.play.answers import read_yes_no
from stretchcli.play.keys import Input
from stretchcli.routine.timeline import Timeline
from stretchcli.safe import visible


def resume_question(record: SessionRecord, timeline: Timeline, step: int, *, tz: tzinfo) -> str:
    """``Today's lower-back session stopped at 08:10, in exercise 2 of 4 (Hooklying trunk
    rotation). Go on from there?``"""
    at = record.started_at.astimezone(tz).strftime("%H:%M")
    where = timeline.steps[step]
    return (
        f"Today's {record.routine} session started at {at} stopped in exercise "
        f"{where.exercise_index + 1} of {timeline.exercise_count} ({where.exercise}). "
        "Go on from there?"
    )


def ask_yes_no(question: str, keys: Input, *, out: IO[str], width: int = 80) -> bool:
    """``question`` and ``y/n``, wrapped at word boundaries to ``width``; the answer (a
    key, or a line when ``keys`` reads lines). Raises ``answers.Quit`` for ``q``,
    ``InputClosed`` at the end of input."""
    import textwrap

    asked = "\n".join(textwrap.wrap(f"{visible(question)} y/n:", max(20, width))) + " "

    def show(problem: str) -> None:
        if problem:
            out.write(f"\n{problem}\n" if not keys.lines else f"{problem}\n")
        out.write(asked)
        out.flush()

    try:
        answer = read_yes_no(keys, show)
    except BaseException:
        if not keys.lines:
            out.write("\n")
        raise
    if not keys.lines:  # cbreak does not echo: say what was taken
        out.write("yes\n" if answer else "no\n")
    out.flush()
    return answer
