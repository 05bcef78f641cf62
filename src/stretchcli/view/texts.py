"""The words of a session: phase names and colours, pain-check answers, advice, key hints."""

from __future__ import annotations

from stretchcli.history.record import PainAnswer

# Colours that read on dark and on light themes: no yellow (faint on white) and no blue
# (faint on black); a rest is in the terminal's own colour. Labels are drawn reversed.
PHASE_STYLE = {
    "prep": "bold magenta",
    "hold": "bold green",
    "move": "bold green",
    "rest": "bold",
    "switch": "bold magenta",
    "check": "bold",
}
PAUSED_STYLE = "bold red"
PHASE_WORD = {
    "prep": "GET READY",
    "hold": "HOLD",
    "move": "MOVE",
    "rest": "REST",
    "switch": "SWITCH SIDES",
    "check": "PAIN CHECK",
}
ANSWER_TEXT: dict[PainAnswer, str] = {
    "fine": "fine, just a stretch",
    "sore": "sore but OK",
    "sharp": "sharp pain",
    "numbness": "numbness or tingling spreading",
    "stop": "stopped with !",
}
CHECK_CHOICES = (
    "1  fine, just a stretch",
    "2  sore but OK",
    "3  sharp pain",
    "4  numbness or tingling spreading",
)
SORE_ADVICE = "Sore but OK: ease off. Stretch less far and move more slowly."
SAFETY_TITLE = "STOP"
SAFETY_ADVICE = (
    "Stop stretching now. Sharp pain, or numbness or tingling that spreads, is a sign to stop. "
    "Talk to your doctor or therapist (physiotherapist) before you do these stretches again. "
    "Sudden leg weakness, or trouble controlling your bladder or bowels, needs medical help "
    "right away."
)
# Key hints for each moment, longest first: the view shows the longest that fits.
KEY_HINTS = (
    "space pause   n next   b back   + 10 s   q quit   ! stop for pain",
    "space pause  n next  b back  + 10 s  q quit  ! stop",
    "space pause n next b back q quit ! stop",
)
PAUSED_KEY_HINTS = (
    "space go on   n next   b back   + 10 s   q quit   ! stop for pain",
    "space go on  n next  b back  + 10 s  q quit  ! stop",
    "space go on n next b back q quit ! stop",
)
CHECK_KEY_HINTS = (
    "1-4 answer   b back   q quit   ! stop for pain",
    "1-4 answer  b back  q quit  ! stop",
)
# At a step that waits for the person (prep or switch "ready", --confirm-switch).
READY_KEY_HINTS = (
    "space or Enter go on   b back   q quit   ! stop for pain",
    "Enter go on  b back  q quit  ! stop",
)
RATING_KEY_HINTS = (
    "type 0-10 and Enter   Enter alone skips   q quit",
    "0-10 and Enter  Enter skips  q quit",
)
LEAVE_KEY_HINTS = ("any key: leave",)
# What each key does, for the opening screen.
KEYS = (
    ("space", "pause / go on"),
    ("n  →", "next step"),
    ("b  ←", "back to the start of the step"),
    ("+", "ten more seconds"),
    ("q", "quit"),
    ("!", "stop now for pain"),
)


def fitting(hints: tuple[str, ...], width: int) -> str:
    """The longest of ``hints`` that fits in ``width`` columns (else the shortest)."""
    return next((hint for hint in hints if len(hint) <= width), hints[-1])


def plural(count: int, noun: str) -> str:
    """``1 exercise``, ``4 exercises``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
