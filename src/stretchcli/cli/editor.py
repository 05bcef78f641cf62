"""Opening a file in the person's editor and checking it on save (`plan edit`, later
`edit ROUTINE`): on errors the problems are shown and the file offered again."""

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from stretchcli.cli.common import problems
from stretchcli.errors import EXIT_FAILURE, StretchError


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, split as a shell would; ``vi`` when neither is set."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                raise StretchError(f"{name}={value!r} cannot be split into a command") from None
            if words:
                return words
    return ["vi"]


def edit_until_valid(path: Path, check: Callable[[Path], list[str]], *, kept: str = "") -> None:
    """Open ``path`` in the editor; when ``check`` finds problems after it closes, show
    them and offer to open the file again (y/Enter: again; n: exit 1, the file kept, and
    ``kept`` said on stderr)."""
    while True:
        command = [*editor_command(), str(path)]
        try:
            subprocess.run(command, check=False)
        except OSError as exc:
            raise StretchError(
                f"cannot start the editor {command[0]!r}: {exc.strerror or exc}"
            ) from None
        found = check(path)
        if not found:
            return
        problems(found)
        answer = ""
        if sys.stdin.isatty():
            sys.stdout.write("Open the file again to fix it? [Y/n] ")
            sys.stdout.flush()
            answer = sys.stdin.readline(100)
        if not answer or answer.strip().lower() in ("n", "no", "q"):
            if kept:
                problems([kept])
            raise SystemExit(EXIT_FAILURE)
