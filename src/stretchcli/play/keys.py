"""Keys: the names the player acts on, the ``Input`` protocol every key source follows
(a terminal, a pipe, a test script), and decoding what a terminal sends into key names."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Protocol

# Key names an Input returns; anything else is ignored outside prompts.
PAUSE, NEXT, RIGHT, QUIT, PAIN_STOP, ENTER = "space", "n", "right", "q", "!", "enter"
BACK, LEFT, MORE = "b", "left", "+"
# Ctrl-D in cbreak mode is a character, not the end of input: at a question it counts as
# the end all the same (a person at a terminal means "I am done"). Backspace edits an answer.
END, BACKSPACE = "end", "backspace"


@dataclass(frozen=True)
class Suspended:
    """The process was stopped (Ctrl-Z) at clock time ``at`` and has been continued."""

    at: float


Key = str | Suspended


class Input(Protocol):
    """Where keys come from: a terminal, a pipe, or a test script. ``lines`` says that an
    answer comes as a whole line (a pipe, a screen reader's input), not key by key."""

    lines: bool

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        """The next key within ``timeout`` real seconds (None: wait for ever), else None.

        With ``prompt`` an answer is wanted: a line-based input reads one line then.
        Raises ``InputClosed`` when the input has ended.
        """

    def stopped(self) -> Suspended | None:
        """A stop (Ctrl-Z) that has ended (``fg``) and was not handed over yet, without
        waiting: checked before the time left is read, which would have the stop in it."""


class Keys(Input, Protocol):
    """A key source that is entered for the length of play (a terminal in cbreak mode, or
    lines with Ctrl-Z counted as a pause)."""

    def __enter__(self) -> object:
        """Take the input for the session."""

    def __exit__(self, *exc: object) -> None:
        """Give it back as it was."""


# Arrow keys, in normal and application cursor mode: → next, ← back.
_ARROWS = {"\x1b[C": RIGHT, "\x1bOC": RIGHT, "\x1b[D": LEFT, "\x1bOD": LEFT}
_NAMED = {" ": PAUSE, "\r": ENTER, "\n": ENTER, "\x04": END, "\x7f": BACKSPACE, "\x08": BACKSPACE}


def split_keys(text: str) -> list[str]:
    """Turn what one read returned into key names: ``space``, ``enter``, ``right``,
    ``left``, ``end`` (Ctrl-D), ``backspace``, a character, or ``escape`` for any other
    escape sequence (ignored by the player)."""
    keys: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\x1b":
            end = index + 1
            if end < len(text) and text[end] in "[O":
                end += 1
                while end < len(text) and not ("@" <= text[end] <= "~"):
                    end += 1
                end += 1
            elif end < len(text) and text[end] != "\x1b":
                end += 1  # Alt+key arrives as ESC and the key: not the key itself
            sequence = text[index:end]
            keys.append(_ARROWS.get(sequence, "escape"))
            index = end
            continue
        keys.append(_NAMED.get(char, char))
        index += 1
    return keys


def take_stop(pending: deque[Key]) -> Suspended | None:
    """Take the first ``Suspended`` out of ``pending`` (other keys keep their order)."""
    for key in pending:
        if isinstance(key, Suspended):
            pending.remove(key)
            return key
    return None
