"""Sound: when the bell rings, what the voice says, and the voice itself (a system speech
command, never waited for, so speaking cannot delay the timer)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from stretchcli.play.player import Snapshot
from stretchcli.routine.timeline import Step, Timeline

SPEECH_COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("espeak-ng", []),
    ("spd-say", ["--wait"]),
    ("say", []),
)
NO_VOICE = "No speech command found (espeak-ng, spd-say or say); going on without voice."


class Voice:
    """Speaks short phrases through a system speech command, without waiting for it."""

    def __init__(self, command: list[str] | None) -> None:
        self.command = command
        self._process: subprocess.Popen[bytes] | None = None

    @classmethod
    def find(cls) -> Voice:
        """The first speech command installed (espeak-ng, spd-say, say), or a silent one."""
        for name, args in SPEECH_COMMANDS:
            path = shutil.which(name)
            if path:
                return cls([path, *args])
        return cls(None)

    def say(self, text: str) -> None:
        """Speak ``text``, cutting off whatever was still being said."""
        if self.command is None or not text:
            return
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        try:
            self._process = subprocess.Popen(
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.command = None

    def close(self) -> None:
        """Let the last phrase finish in the background; reap it if it already has."""
        if self._process is not None:
            self._process.poll()


def spoken(snap: Snapshot, cues: Sequence[Sequence[str]], timeline: Timeline) -> str:
    """What the voice says at a snapshot: the exercise and its cues at its prep, the side,
    "hold 2 of 3", what comes next, the last three seconds of a hold or prep, and each
    repetition of a moving exercise ("3 of 10")."""
    step = snap.step
    if step is None:
        return ""
    if snap.event == "tick":
        return _tick_words(snap, step)
    if snap.event in ("pause", "resume", "more"):
        return {"pause": "Paused.", "resume": "Going on.", "more": "Ten more seconds."}[snap.event]
    if snap.event == "answer":
        return _ANSWER_WORDS.get(snap.answer or "fine", "")
    if snap.event not in ("step", "prompt"):
        return ""
    side = f"{step.side} side" if step.side else ""
    if step.kind == "prep":
        said = cues[step.exercise_index] if step.exercise_index < len(cues) else ()
        first = f" Start with the {side}." if side else ""
        ready = " Press Enter when you are ready." if step.ready else ""
        return " ".join([f"{step.exercise}.", *said]) + first + ready
    if step.kind == "switch":
        ready = " Press Enter when you are ready." if step.ready else ""
        return f"Switch sides. Now the {side}.{ready}"
    if step.kind == "hold":
        count = f", {step.rep} of {step.reps}" if step.reps > 1 else ""
        return f"Hold{', ' + side if side else ''}{count}."
    if step.kind == "move":
        return f"Move{', ' + side if side else ''}, {snap.moves} times. 1 of {snap.moves}."
    if step.kind == "rest":
        following = timeline.next_step(snap.index)
        then = f" Then hold {following.rep} of {following.reps}." if following else ""
        return f"Rest.{then}"
    return "Pain check. One, fine. Two, sore. Three, sharp pain. Four, numbness."


# Counted out loud in a countdown of at least this many seconds (a shorter one would
# have its own words cut off by the count).
COUNT_FROM = 6
_ANSWER_WORDS = {
    "sore": "Ease off. Stretch less far and move more slowly.",
    "sharp": "Stop now.",
    "numbness": "Stop now.",
}


def _tick_words(snap: Snapshot, step: Step) -> str:
    if step.kind == "move":
        return f"{snap.move} of {snap.moves}" if snap.starts_move and snap.move > 1 else ""
    if step.kind in ("hold", "prep") and step.seconds >= COUNT_FROM and 1 <= snap.remaining <= 3:
        return str(snap.remaining)
    return ""


def ending_words(status: str | None) -> str:
    """What the voice says as the session ends."""
    return {
        "completed": "Done. Well done.",
        "stopped": "Stop, and talk to your doctor or therapist before you stretch again.",
    }.get(status or "", "")


def wants_bell(previous: Snapshot | None, snap: Snapshot) -> bool:
    """Ring at the end of every hold, at a side switch, when a hold starts after one, and
    at each repetition of a moving exercise."""
    step = snap.step
    if previous is None or previous.step is None:
        return False
    if snap.index == previous.index:
        return step is not None and step.kind == "move" and snap.move > previous.move
    ended_hold = previous.step.kind in ("hold", "move")
    after_switch = (
        previous.step.kind == "switch" and step is not None and step.kind in ("hold", "move")
    )
    starts_switch = step is not None and step.kind == "switch"
    return ended_hold or after_switch or starts_switch
