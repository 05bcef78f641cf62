"""Reading command-line values, in one place: durations, counts, dates, choices and notes.

Each parser is made for one option (``parser=params.duration("--hold", 1, 3600)``) and
typer calls it with the text typed. A bad value raises ``UsageError``: one line in one
style, ``OPTION: what it must be (got "VALUE")``, and exit code 2. A parser imports what it
needs when it runs, so that the command signatures cost nothing at start-up.

The metavars the help shows for values are here too.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from stretchcli.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from stretchcli.history.dates import Moment

T = TypeVar("T")

# What the help shows in place of a value.
ROUTINE = "ROUTINE"
SECONDS = "SECONDS"
DURATION = "DURATION"
DATE = "DATE"
FILE = "FILE"
N = "N"
TEXT = "TEXT"
ID = "ID"

# The most `--limit` takes: far more sessions than a history holds (0 means all).
MAX_LIMIT = 1_000_000_000


def shown(value: str) -> str:
    """A typed value as a message shows it: in double quotes, escaped so that it stays on
    one visible line, cut short when long."""
    import json

    from stretchcli.safe import visible

    text = visible(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 60 else text[:56] + '..."'


def _typed(parse: Callable[[str], T]) -> Callable[[Any], T]:
    """``parse`` for a typed value; a value that is not text is a default the signature
    gave (``reps: int = 1``), already what it should be."""

    def read(value: Any) -> T:
        return parse(value) if isinstance(value, str) else cast(T, value)

    return read


def bad_value(option: str, problem: str, value: str) -> UsageError:
    """The one message of a bad command-line value (exit 2)."""
    return UsageError(f"{option}: {problem} (got {shown(value)})")


def duration(option: str, low: int, high: int) -> Callable[[Any], int]:
    """Whole seconds from ``30``, ``45s``, ``2m``, ``1m30s``, ``1h5m``, from ``low`` to
    ``high``."""

    def parse(value: str) -> int:
        from stretchcli.routine.durations import DURATION_FORMS, format_duration, parse_duration

        try:
            seconds = parse_duration(value)
        except ValueError:
            raise bad_value(option, f"must be {DURATION_FORMS}", value) from None
        if not low <= seconds <= high:
            span = f"must be between {format_duration(low)} and {format_duration(high)}"
            raise bad_value(option, span, value)
        return seconds

    return _typed(parse)


def count(option: str, low: int, high: int, *, zero: str = "") -> Callable[[Any], int]:
    """A whole number from ``low`` to ``high`` (digits only); ``zero`` says what 0 means
    (``all``), shown in the message."""
    meaning = f" ({zero})" if zero else ""
    problem = f"must be a whole number from {low}{meaning} to {high}"

    def parse(value: str) -> int:
        digits = value.strip()
        if digits.isascii() and digits.isdigit():
            digits = digits.lstrip("0") or "0"
        if not (digits.isascii() and digits.isdigit() and len(digits) <= len(str(high))):
            raise bad_value(option, problem, value)
        number = int(digits)
        if not low <= number <= high:
            raise bad_value(option, problem, value)
        return number

    return _typed(parse)


def since(option: str = "--since") -> Callable[[Any], "datetime"]:
    """A date (and maybe a time) from which on to show sessions (``history.dates``)."""

    def parse(value: str) -> "datetime":
        from stretchcli.history.dates import parse_since
        from stretchcli.history.days import local_timezone, now_local

        try:
            return parse_since(value, now=now_local(), tz=local_timezone())
        except ValueError as exc:
            raise bad_value(option, str(exc), value) from None

    return _typed(parse)


def moment(option: str = "--at") -> Callable[[Any], "Moment"]:
    """When something happened: not in the future (``history.dates``)."""

    def parse(value: str) -> "Moment":
        from stretchcli.history.dates import parse_when
        from stretchcli.history.days import local_timezone, now_local

        try:
            return parse_when(value, now=now_local(), tz=local_timezone())
        except ValueError as exc:
            raise bad_value(option, str(exc), value) from None

    return _typed(parse)


def choice(option: str, choices: tuple[str, ...]) -> Callable[[Any], str]:
    """One of ``choices`` (any case)."""
    words = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]

    def parse(value: str) -> str:
        if value.strip().lower() not in choices:
            raise bad_value(option, f"must be {words}", value)
        return value.strip().lower()

    return _typed(parse)


def note(option: str = "--note") -> Callable[[Any], str]:
    """A note kept with a session: what a stored note may be (``validate.note_problem``)."""

    def parse(value: str) -> str:
        from stretchcli.history.validate import note_problem
        from stretchcli.safe import from_argument

        text = from_argument(value)
        if problem := note_problem(text):
            raise UsageError(f"{option}: {problem}")
        return text

    return _typed(parse)
