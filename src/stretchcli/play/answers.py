"""Answers to the questions around a session, read from any ``Input``: the 0-10 pain
rating (digits and Enter from a terminal in cbreak mode, or one line from a pipe) and a
yes/no (resume the interrupted session?). At every question ``q``, Ctrl-D and the end of
input quit; Ctrl-C raises as anywhere."""

from __future__ import annotations

from collections.abc import Callable

from stretchcli.errors import InputClosed
from stretchcli.play.keys import BACKSPACE, END, ENTER, QUIT, Input, Suspended

RATING_HELP = "Type a whole number from 0 (no pain) to 10 (worst), or just Enter."
YES_NO_HELP = "Press y for yes or n for no (q quits)."


class Quit(Exception):
    """``q`` (or a line ``q``) at a question: the person wants out."""


def _next_key(keys: Input) -> str:
    """The next key or line at a question; Ctrl-D is the end of input."""
    while True:
        key = keys.key(None, prompt=True)
        if key is None or isinstance(key, Suspended):
            continue  # a stop (Ctrl-Z) while asking: the question still waits
        if key == END:
            raise InputClosed("end of input")
        return key


def read_rating(keys: Input, show: Callable[[str, str], None]) -> int | None:
    """The answer to "pain right now, 0-10?": a number, or None when skipped (Enter).

    From a terminal it is typed key by key (digits, Backspace, Enter); from a line-based
    input (``keys.lines``) each line is an answer. ``show(typed, problem)`` draws the
    question with what is typed so far and, after a wrong answer, what to type. Raises
    ``Quit`` for ``q``, ``InputClosed`` at the end of input (Ctrl-D included)."""
    typed, problem = "", ""
    show(typed, problem)
    while True:
        key = _next_key(keys)
        if keys.lines or key == ENTER:
            text = key.strip() if keys.lines else typed
            if text.lower() == QUIT:
                raise Quit
            if not text:
                return None
            if text.isascii() and text.isdigit() and int(text) <= 10:
                return int(text)
            typed, problem = "", RATING_HELP
        elif key == BACKSPACE:
            typed = typed[:-1]
        elif len(key) == 1 and key.isdigit():
            typed = (typed + key)[-2:]
        elif key == QUIT:
            raise Quit
        else:
            continue  # other keys do nothing here
        show(typed, problem)
        problem = ""  # said once


def read_yes_no(keys: Input, show: Callable[[str], None]) -> bool:
    """A yes or no (``y``/``n``, or a line starting with one); ``show(problem)`` draws
    the question, with what to type after anything else. Raises ``Quit`` for ``q`` and
    ``InputClosed`` at the end of input."""
    show("")
    while True:
        word = _next_key(keys).strip().lower()
        if word == QUIT:
            raise Quit
        if word[:1] in ("y", "n") and (len(word) == 1 or word in ("yes", "no")):
            return word[:1] == "y"
        show(YES_NO_HELP)
