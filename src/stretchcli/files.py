"""Writing files so that a crash, a full disk or a power cut never leaves half of one.

Every file stretchcli writes goes through here: the export (``write_atomic`` with a
writer that streams into the file), the journal of a running session (``write_atomic``,
synced), and the fallback file of a session the database could not take
(``write_new``: never overwrites anything).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def write_atomic(
    path: Path,
    write: Callable[[IO[str]], T],
    *,
    sync: bool = False,
    temporary: Path | None = None,
) -> T:
    """Write ``path`` through a temporary file in its folder, then rename it into place.

    ``write`` is given the open text file and its result is returned. Until the rename,
    whatever was at ``path`` stays as it was; on any error the temporary file is removed
    and the error raised. ``sync`` flushes the data and the rename to disk (for files that
    must last through a power cut). ``temporary`` names the temporary file (default: a new
    hidden name beside ``path``).
    """
    if temporary is None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        temporary = Path(name)
        handle = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115, PTH123 (an fd)
    else:
        handle = temporary.open("w", encoding="utf-8", newline="")
    try:
        with handle:
            result = write(handle)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.replace(path)
        if sync:
            sync_folder(path.parent)
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
    return result


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``, synced; never overwrite: an existing file raises
    ``FileExistsError``. A file that could be made but not filled (a full disk) is removed
    before the error is raised, so no empty husk is left."""
    handle = path.open("x", encoding="utf-8")
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        with suppress(OSError):
            path.unlink()
        raise


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` last through a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
