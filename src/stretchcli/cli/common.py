"""What every command shares: JSON on stdout, warnings and core errors on stderr."""

import sys
from typing import Any, NoReturn

from stretchcli.errors import RoutineError, StretchError


def print_json(data: Any) -> None:
    """JSON on stdout, one document."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def warn(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"stretch: {message}\n")


def fail(error: StretchError) -> NoReturn:
    """Print a core error as one line per problem on stderr and exit with its code."""
    lines = error.problems if isinstance(error, RoutineError) else [str(error)]
    for line in lines:
        sys.stderr.write(f"{line}\n")
    raise SystemExit(error.exit_code)
