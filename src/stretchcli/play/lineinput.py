"""Keys from lines, for plain mode (pipes, screen readers): an answer is one line."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from types import FrameType
from typing import IO, Any

from stretchcli.errors import EndlessInput, InputClosed
from stretchcli.play.clock import Clock
from stretchcli.play.keys import PAUSE, Key, Suspended, take_stop

# An answer line is kept up to LINE_LIMIT characters; the rest of a longer line is read and
# thrown away, up to DISCARD_LIMIT characters, and the line is an invalid answer
# (UNREADABLE). A line that has not ended by then (``< /dev/zero``) is end of input: memory
# stays bounded and nothing waits for an end that never comes.
LINE_LIMIT = 1024
DISCARD_LIMIT = 1024 * 1024
UNREADABLE = "<unreadable line>"  # no answer starts with "<": asked again
# Lines read at questions in a row, with no countdown between: a person answers in a few,
# a script whose answer is wrong (``yes x | stretch start``) would be asked forever.
# Past this many the input counts as ended.
MAX_LINES_IN_A_ROW = 100
NO_ANSWER = f"{MAX_LINES_IN_A_ROW} lines of input in a row and no usable answer"


def read_line(stream: IO[str]) -> str | None:
    """One line of ``stream`` without its line end, within bounds; None at end of input.

    A line over ``LINE_LIMIT`` characters or not in the stream's encoding comes back as
    ``UNREADABLE``; one still going after ``DISCARD_LIMIT`` characters counts as the end.
    """
    try:
        line = stream.readline(LINE_LIMIT + 1)
        if not line:
            return None
        if line.endswith("\n"):
            return line[:-1]
        if len(line) <= LINE_LIMIT:
            return line  # the last line, without a line end
        discarded = len(line)
        while discarded <= DISCARD_LIMIT:
            rest = stream.readline(LINE_LIMIT)
            if not rest or rest.endswith("\n"):
                return UNREADABLE
            discarded += len(rest)
        return None
    except UnicodeDecodeError:
        return UNREADABLE


class LineInput:
    """Input for plain mode (pipes, screen readers): nothing is read while a step counts
    down; an answer is one line. End of input raises ``InputClosed``.

    Entered (``with``), it counts a Ctrl-Z stop as a pause, as in the live view: after
    ``fg`` the next wait returns ``Suspended``, and Enter (an empty line) goes on.

    More than ``MAX_LINES_IN_A_ROW`` lines read with no countdown between is the end of
    input too: what comes is not answering the questions.
    """

    lines = True

    def __init__(self, *, clock: Clock, stream: IO[str] | None = None) -> None:
        self.clock = clock
        self.stream = sys.stdin if stream is None else stream
        self._pending: deque[Key] = deque()
        self._stopped_at: float | None = None
        self._previous: dict[int, Any] = {}
        self._in_a_row = 0  # lines read since the last countdown

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        """At a prompt, the next line (stripped); outside one (while paused) a line too,
        Enter meaning go on; otherwise just wait ``timeout``."""
        if self._pending:
            return self._pending.popleft()
        if prompt or timeout is None:
            if self._in_a_row >= MAX_LINES_IN_A_ROW:
                raise EndlessInput(NO_ANSWER)
            line = read_line(self.stream)
            if line is None:
                raise InputClosed("end of input")
            self._in_a_row += 1
            text = line.strip()
            key: Key = text if prompt or text else PAUSE
            if self._pending:  # stopped while the line was awaited: that comes first
                self._pending.append(key)
                return self._pending.popleft()
            return key
        self._in_a_row = 0
        time.sleep(max(0.0, timeout))
        return self._pending.popleft() if self._pending else None

    def stopped(self) -> Suspended | None:
        """A stop that ``fg`` ended and no wait has handed over yet (see ``Input``)."""
        return take_stop(self._pending)

    def __enter__(self) -> LineInput:
        """Count the time the process is stopped (Ctrl-Z until ``fg``) as a pause."""
        self._previous = {
            signal.SIGTSTP: signal.signal(signal.SIGTSTP, self._on_stop),
            signal.SIGCONT: signal.signal(signal.SIGCONT, self._on_continue),
        }
        return self

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _on_stop(self, _signum: int, _frame: FrameType | None) -> None:
        self._stopped_at = self.clock.now()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        # Execution continues here after SIGCONT.
        signal.signal(signal.SIGTSTP, self._on_stop)

    def _on_continue(self, _signum: int, _frame: FrameType | None) -> None:
        if self._stopped_at is not None:
            self._pending.append(Suspended(at=self._stopped_at))
            self._stopped_at = None
