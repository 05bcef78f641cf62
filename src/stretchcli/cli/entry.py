"""The entry point of the `stretch` console script: standard streams made safe, the typer
app run, core errors turned into one line, and an output that cannot be written into one
line and exit 1.

`stretch --version` alone is answered here, before typer is imported (~50 ms of start-up
for one line); the app's `--version` option says the same wherever else it is given.
"""

import contextlib
import errno
import io
import os
import sys
from typing import IO, NoReturn

from stretchcli.cli.common import fail, version_line
from stretchcli.errors import EXIT_FAILURE, StretchError
from stretchcli.safe import degrade_to_ascii
from stretchcli.view.console import drop_nonsense_size


def _exit_without_collecting() -> None:
    """At exit, spare the interpreter a last garbage collection of every object of the
    modules loaded (typer, pydantic, rich): ~30 ms at the end of each command, for memory
    the OS takes back anyway. Registered once, so in-process tests are not affected."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def main() -> None:
    """Entry point of the `stretch` console script."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:
            # Started with that stream closed (`0<&-`): Python gives None, which every
            # `.isatty()` or `.write()` would trip on. /dev/null reads as end of input.
            mode = "r" if name == "stdin" else "w"
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115, PTH123
    degrade_to_ascii(sys.stdout)
    degrade_to_ascii(sys.stderr)
    drop_nonsense_size(os.environ)
    _exit_without_collecting()
    try:
        try:
            _run(sys.argv[1:])
        finally:
            # Here, not at exit: Python's own flush there would turn a full disk into an
            # "Exception ignored" message and exit code 120.
            sys.stdout.flush()
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS or error.filename is not None:
            raise
        _output_failed(error)


def _run(args: list[str]) -> None:
    if args == ["--version"]:
        sys.stdout.write(version_line() + "\n")
        return
    from stretchcli.cli.app import app

    try:
        app()
    except StretchError as error:
        fail(error)


# Errors of a write to a stream that cannot take it: a closed pipe, a full disk or device
# (`> /dev/full`), a terminal gone, a non-blocking stdout that is full.
_OUTPUT_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.ENXIO, errno.EAGAIN}
)


def _output_failed(error: OSError) -> NoReturn:
    """The output cannot be written: one line on stderr (none for a closed pipe, which is
    how `stretch log | head` ends) and exit 1. What is still buffered goes to /dev/null,
    so that Python's flush at exit cannot fail again."""
    _to_devnull(sys.stdout)
    if error.errno != errno.EPIPE:
        try:
            sys.stderr.write(f"stretch: cannot write the output ({error.strerror or error})\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            _to_devnull(sys.stderr)
    raise SystemExit(EXIT_FAILURE)


def _to_devnull(stream: IO[str]) -> None:
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
