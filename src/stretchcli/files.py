"""Writing files so that a crash, a full disk or a power cut never leaves half of one, and
reading files within a bound.

Every file stretchcli writes goes through here: a file the user names (``write_output``:
``export -o``; it refuses the history's own files and writes through pipes and terminals),
the journal of a running session (``write_atomic``, synced), and the fallback file of a
session the database could not take (``write_new``: never overwrites anything). Every file
the history reads whole (an import, a journal) is read by ``read_limited``.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import IO, BinaryIO, TypeVar

from stretchcli.errors import StretchError

T = TypeVar("T")
MIB = 1024 * 1024
_CHUNK = MIB  # bytes a read asks for: a device or a pipe never fills memory past the bound


def write_atomic(
    path: Path,
    write: Callable[[IO[str]], T],
    *,
    sync: bool = False,
    temporary: Path | None = None,
    mode: int | None = None,
) -> T:
    """Write ``path`` through a temporary file in its folder, then rename it into place.

    ``write`` is given the open text file and its result is returned. Until the rename,
    whatever was at ``path`` stays as it was; on any error the temporary file is removed
    and the error raised. ``sync`` flushes the data and the rename to disk (for files that
    must last through a power cut). ``temporary`` names the temporary file (default: a new
    hidden name beside ``path``). ``mode`` sets the new file's permissions (default: those
    of a new temporary file, 0600).
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
        if mode is not None:
            temporary.chmod(mode)
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


# --- files the user names ---


def write_output(path: Path, write: Callable[[IO[str]], T], *, protected: Iterable[Path] = ()) -> T:
    """Write a file the user named (``-o FILE``) with ``write``, and return its result.

    - A regular file (or a new one) is written atomically (``write_atomic``) at the path a
      symbolic link leads to, so the link stays a link; an existing file keeps its mode.
    - A pipe (FIFO) or a character device (``/dev/stdout``, a terminal) is written through:
      never replaced by a file, never truncated.
    - A folder, a block device or a socket is refused.
    - ``protected`` are files (and folders, with everything in them) that must never be
      written: a target that is one of them, by its resolved path or by its device and
      inode (a hard link, a bind mount), or lies in one, is refused.

    Raises ``StretchError`` with one line naming ``path``; nothing is reported written that
    was not (a full disk or a closed pipe is an error too).
    """
    name = str(path)
    try:
        found: os.stat_result | None = path.stat()
    except FileNotFoundError:
        found = None  # a new file (or a symbolic link to a file not made yet)
    except OSError as exc:
        raise _cannot_write(name, exc) from None
    target = Path(os.path.realpath(path))
    guarded = _guarded(protected)
    _refuse_protected(name, guarded, target=target, found=found)
    if found is None or stat.S_ISREG(found.st_mode):
        mode = None if found is None else stat.S_IMODE(found.st_mode)
        try:
            return write_atomic(target, write, mode=mode)
        except OSError as exc:
            raise _cannot_write(name, exc) from None
    if stat.S_ISDIR(found.st_mode):
        raise StretchError(f"{name}: is a folder; name a file to write")
    if not (stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode)):
        raise StretchError(f"{name}: is {_kind_of(found.st_mode)}; name a file to write")
    return _write_through(name, path, write, guarded)


def _write_through(
    name: str,
    path: Path,
    write: Callable[[IO[str]], T],
    guarded: list[tuple[Path, os.stat_result | None]],
) -> T:
    """Write into a pipe or a character device as it is (no new file, no truncation)."""
    try:
        # No O_CREAT: if the pipe went away meanwhile, nothing is made in its place.
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _cannot_write(name, exc) from None
    try:
        opened = os.fstat(fd)
        if not (stat.S_ISFIFO(opened.st_mode) or stat.S_ISCHR(opened.st_mode)):
            raise StretchError(f"{name}: changed while it was opened; try again")
        _refuse_protected(name, guarded, target=None, found=opened)
    except BaseException:
        os.close(fd)
        raise
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123 (an fd)
            return write(handle)
    except OSError as exc:
        raise _cannot_write(name, exc) from None


def _guarded(protected: Iterable[Path]) -> list[tuple[Path, os.stat_result | None]]:
    """Each protected path resolved, with its status when it exists; for a folder, also
    everything in it (two levels down), so a hard link to one of its files is found."""
    guarded: list[tuple[Path, os.stat_result | None]] = []
    pending = [(Path(p), 2) for p in protected]
    while pending:
        path, depth = pending.pop()
        try:
            info: os.stat_result | None = path.stat()
        except OSError:
            info = None
        guarded.append((Path(os.path.realpath(path)), info))
        if info is not None and stat.S_ISDIR(info.st_mode) and depth > 0:
            with suppress(OSError):
                pending.extend((entry, depth - 1) for entry in path.iterdir())
    return guarded


def _refuse_protected(
    name: str,
    guarded: list[tuple[Path, os.stat_result | None]],
    *,
    target: Path | None,
    found: os.stat_result | None,
) -> None:
    """Raise if ``target`` (a resolved path) or the file ``found`` is, or lies in, a
    protected one."""
    if not guarded:
        return
    ancestors: set[tuple[int, int]] = set()
    if target is not None:
        for folder in target.parents:
            with suppress(OSError):
                above = folder.stat()
                ancestors.add((above.st_dev, above.st_ino))
    for own, info in guarded:
        key = None if info is None else (info.st_dev, info.st_ino)
        if target == own or (found is not None and key == (found.st_dev, found.st_ino)):
            raise StretchError(
                f"{name}: that is the history's own {own}; it was left as it was: name another file"
            )
        if (target is not None and own in target.parents) or key in ancestors:
            raise StretchError(
                f"{name}: that is in the history's own folder {own}; nothing was written: "
                "name another file"
            )


def _cannot_write(name: str, exc: OSError) -> StretchError:
    return StretchError(f"{name}: cannot write ({exc.strerror or exc})")


def _kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


# --- reading within a bound ---


class FileRefused(Exception):
    """A file ``read_limited`` does not read (too big, not a regular file); the message says
    why, without the path."""


def read_limited(
    path: Path, *, limit: int, what: str, streams: bool = True, follow: bool = True
) -> bytearray:
    """The bytes of ``path`` (``-``: standard input), at most ``limit`` of them.

    A regular file bigger than ``limit`` is refused before anything is read; a pipe or
    standard input (when ``streams``) is read in chunks up to the bound and refused past it,
    so a device or an endless pipe never fills memory. Anything else (a folder, a device, a
    socket; a pipe when not ``streams``; a symbolic link when not ``follow``) is refused
    without waiting for it. ``what`` names the file in the message (``an export``).

    Raises ``FileRefused`` (the reason) or ``OSError``.
    """
    if str(path) == "-":
        if not streams:
            raise FileRefused("standard input is not read here")
        return _read_stream(sys.stdin.buffer, limit=limit, what=what)
    # What is there, before opening it: opening a pipe waits for its writer, and even a
    # non-blocking look would let a writer in and throw away what it wrote.
    found = path.stat() if follow else path.lstat()
    if stat.S_ISLNK(found.st_mode):
        raise FileRefused("is a symbolic link, not a file")
    pipe = stat.S_ISFIFO(found.st_mode)
    if not (stat.S_ISREG(found.st_mode) or (streams and pipe)):
        raise FileRefused(f"is {_kind_of(found.st_mode)}, not a file")
    flags = os.O_RDONLY | os.O_NOCTTY | os.O_CLOEXEC
    if not follow:
        flags |= os.O_NOFOLLOW
    if not pipe:
        flags |= os.O_NONBLOCK  # a pipe put there meanwhile must not make this wait
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow and exc.errno == errno.ELOOP:
            raise FileRefused("is a symbolic link, not a file") from None
        raise
    with open(fd, "rb") as handle:  # noqa: PTH123 (an fd)
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            if info.st_size > limit:
                raise FileRefused(
                    f"file is {_size_text(info.st_size)}; {what} may be at most {_size_text(limit)}"
                )
            os.set_blocking(fd, True)
        elif not (streams and stat.S_ISFIFO(info.st_mode)):
            raise FileRefused(f"is {_kind_of(info.st_mode)}, not a file")
        return _read_stream(handle, limit=limit, what=what)


def _read_stream(handle: BinaryIO | IO[bytes], *, limit: int, what: str) -> bytearray:
    """Read ``handle`` to its end in chunks; refuse it past ``limit`` bytes. (A bytearray:
    no copy of up to ``limit`` bytes at the end.)"""
    data = bytearray()
    while chunk := handle.read(min(_CHUNK, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            size = _size_text(limit)
            raise FileRefused(f"is more than {size}; {what} may be at most {size}")
    return data


def _size_text(size: int) -> str:
    """``256 MiB``, ``50.0 MiB``, ``12 KiB``: a size for a message."""
    if size >= MIB:
        return f"{size // MIB} MiB" if size % MIB == 0 else f"{size / MIB:.1f} MiB"
    return f"{-(-size // 1024)} KiB"
