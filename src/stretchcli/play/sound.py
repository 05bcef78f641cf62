"""Sound: when the bell rings, what the voice says, and the voice itself (a system speech
command, never waited for, so speaking cannot delay the timer)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from stretchcli.play.player import Snapshot

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


def spoken(snap: Snapshot, cues: Sequence[Sequence[str]]) -> str:
    """What the voice says at a snapshot (step starts and prompts only)."""
    step = snap.step
    if step is None or snap.event not in ("step", "prompt"):
        return ""
    if step.kind == "prep":
        said = cues[step.exercise_index] if step.exercise_index < len(cues) else ()
        side = f" Start with the {step.side} side." if step.side else ""
        return " ".join([f"{step.exercise}.", *said]) + side
    if step.kind == "switch" and snap.event == "prompt":
        return f"Switch sides. Now the {step.side} side. Press Enter when you are ready."
    if step.kind == "switch":
        return f"Switch sides. Now the {step.side} side."
    if step.kind == "hold":
        return f"Hold, {step.side} side." if step.side else "Hold."
    if step.kind == "rest":
        return "Rest."
    return "Pain check. One, fine. Two, sore. Three, sharp pain. Four, numbness."


def wants_bell(previous: Snapshot | None, snap: Snapshot) -> bool:
    """Ring at the end of every hold, at a side switch, and when a hold starts after one."""
    step = snap.step
    if previous is None or previous.step is None or snap.index == previous.index:
        return False
    ended_hold = previous.step.kind == "hold"
    after_switch = previous.step.kind == "switch" and step is not None and step.kind == "hold"
    starts_switch = step is not None and step.kind == "switch"
    return ended_hold or after_switch or starts_switch
