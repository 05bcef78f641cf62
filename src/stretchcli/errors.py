"""Error kinds the core raises; the CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations

# Exit codes fixed by PRODUCT.md.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PAIN_STOP = 3
EXIT_QUIT = 130


class StretchError(Exception):
    """A failure the user can act on: printed as one line, exit code 1."""

    exit_code = EXIT_FAILURE


class UsageError(StretchError):
    """A bad option value, found after the command line was parsed: one line naming the
    option, exit code 2."""

    exit_code = EXIT_USAGE


class RoutineError(StretchError):
    """A routine file that cannot be found, read or validated.

    ``problems`` holds one line per problem (``file: field: what is wrong``).
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class PlanError(RoutineError):
    """A plan file that cannot be read or validated (one line per problem, as for routines)."""


class HistoryError(StretchError):
    """The history database cannot be opened, read or written."""


class InputClosed(StretchError):
    """Standard input ended while a question was waiting for an answer."""


class EndlessInput(InputClosed):
    """Input kept coming at the questions without a usable answer (a script answering
    wrongly for ever): it counts as ended. The message says so."""
