"""What every command shares: JSON on stdout, warnings and core errors on stderr."""

import sys
from typing import Any, NoReturn

from stretchcli import __version__
from stretchcli.errors import RoutineError, StretchError
from stretchcli.safe import visible


def version_line() -> str:
    """What `stretch --version` prints."""
    return f"stretch {__version__}"


def print_json(data: Any) -> None:
    """JSON on stdout, one document. Beyond what JSON itself escapes, every character a
    terminal would act on (DEL, C1 controls, bidirectional overrides, lone surrogates) is
    written as ``\\uXXXX``: the same JSON value, safe to print."""
    import json

    sys.stdout.write(visible(json.dumps(data, indent=2, ensure_ascii=False), lines=True) + "\n")


def say(line: str) -> None:
    """One line on stdout, shown literally (it may hold a file name or a routine id)."""
    sys.stdout.write(visible(line) + "\n")


def warn(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"stretch: {visible(message)}\n")


def problems(lines: list[str]) -> None:
    """Problem lines on stderr, one per line, shown literally."""
    for line in lines:
        sys.stderr.write(f"{visible(line)}\n")


def fail(error: StretchError) -> NoReturn:
    """Print a core error as one line per problem on stderr and exit with its code."""
    problems(error.problems if isinstance(error, RoutineError) else [str(error)])
    raise SystemExit(error.exit_code)
