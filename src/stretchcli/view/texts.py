"""The words of a session: phase names, pain-check answers, advice, key hints."""

from __future__ import annotations

from stretchcli.history.record import PainAnswer

PHASE_STYLE = {
    "prep": "bold yellow",
    "hold": "bold green",
    "rest": "bold blue",
    "switch": "bold magenta",
    "check": "bold cyan",
}
PHASE_WORD = {
    "prep": "GET READY",
    "hold": "HOLD",
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
SAFETY_ADVICE = (
    "Stop stretching now. Sharp pain, or numbness or tingling that spreads, is a sign to stop. "
    "Talk to your doctor or therapist (physiotherapist) before you do these stretches again. "
    "Sudden leg weakness, or trouble controlling your bladder or bowels, needs medical help "
    "right away."
)
KEY_HINTS = "space pause   n next   q quit   ! stop for pain"
# At a side switch that waits for the person (--confirm-switch): space, Enter or n go on.
SWITCH_KEY_HINTS = "space or Enter go on   q quit   ! stop for pain"


def plural(count: int, noun: str) -> str:
    """``1 exercise``, ``4 exercises``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
