"""Find routine files by id or path, read them within bounds, and load them as models."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stretchcli import paths
from stretchcli.errors import RoutineError
from stretchcli.safe import from_argument, visible

if TYPE_CHECKING:
    from stretchcli.routine.model import Routine

Origin = Literal["built-in", "user", "path"]

# A routine file larger than this is refused before it is read: a real one is a few KiB.
# The read itself stops past it too (a file whose size says nothing: /proc, or that grows).
MAX_FILE_BYTES = 1024 * 1024
_READ_CHUNK = 64 * 1024
# Opening never waits for a writer (a FIFO) nor takes a terminal as controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


@dataclass(frozen=True)
class RoutineSource:
    """Where a routine id was found."""

    id: str
    path: Path
    origin: Origin


@dataclass(frozen=True)
class LoadedRoutine:
    """A routine file that passed validation."""

    source: RoutineSource
    routine: Routine


def search_dirs() -> list[tuple[Path, Origin]]:
    """Folders searched for ids, first match wins: STRETCH_ROUTINES, user, built-in."""
    dirs: list[tuple[Path, Origin]] = [(d, "user") for d in paths.extra_routine_dirs()]
    dirs.append((paths.user_routines_dir(), "user"))
    dirs.append((paths.builtin_routines_dir(), "built-in"))
    return dirs


def is_path_ref(ref: str) -> bool:
    """A ROUTINE argument names a file when it ends in ``.toml``; otherwise it is an id."""
    return ref.lower().endswith(".toml")


def is_valid_id(routine_id: str) -> bool:
    """A plain file stem: no folders, no ``..``, so no id can leave the routine folders."""
    return _ID.fullmatch(routine_id) is not None and ".." not in routine_id


def check_id(routine_id: str) -> None:
    """Refuse ids that are not plain file stems (so no id can leave the routine folders)."""
    if not is_valid_id(routine_id):
        raise RoutineError(
            f"routine id {routine_id!r} is not allowed: an id is a file name without folders "
            "(letters, digits, '-', '_', '.'); give a path ending in .toml to use another file"
        )


def find_routine(ref: str) -> RoutineSource:
    """Resolve a ROUTINE argument (id or path to a .toml file) to a file."""
    if is_path_ref(ref):
        path = Path(ref).expanduser()
        try:
            mode = path.stat().st_mode
        except OSError:
            raise RoutineError(f"{ref}: no such routine file") from None
        if not stat.S_ISREG(mode):  # a folder, a FIFO, a device: one line, never opened
            raise RoutineError(f"{ref}: cannot read file ({_not_regular(mode)})")
        # The id of a file named on the command line is only a label in the history: bytes
        # of its name that are not UTF-8, or control characters, could not be stored.
        return RoutineSource(id=visible(from_argument(path.stem)), path=path, origin="path")
    check_id(ref)
    for folder, origin in search_dirs():
        candidate = folder / f"{ref}.toml"
        try:
            if candidate.is_file():
                return RoutineSource(id=ref, path=candidate, origin=origin)
        except OSError:
            continue
    known = sorted({s.id for s in scan_routines()[0]})
    raise RoutineError(unknown_id_message(ref, known))


def unknown_id_message(ref: str, known: list[str]) -> str:
    """One line for an unknown id, with the close matches (or all ids when none is close)."""
    import difflib

    close = difflib.get_close_matches(ref, known, n=3, cutoff=0.5)
    if close:
        return f"no routine {ref!r}; did you mean: {', '.join(close)}? (see `stretch list`)"
    return f"no routine {ref!r}; known routines: {', '.join(known) or 'none'}"


def scan_routines() -> tuple[list[RoutineSource], list[str]]:
    """Every routine file in the search folders, first id wins; plus unreadable folders."""
    found: dict[str, RoutineSource] = {}
    warnings: list[str] = []
    for folder, origin in search_dirs():
        try:
            if not folder.is_dir():
                if folder.is_symlink() or folder.exists():  # a file, or a link to nowhere
                    warnings.append(f"{folder}: not a folder; no routines read from it")
                continue
            # Not glob(): it skips a folder it may not list without a word.
            files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
        except OSError as exc:
            warnings.append(f"{folder}: cannot read folder ({exc.strerror or exc})")
            continue
        for path in files:
            if is_valid_id(path.stem) and path.stem not in found:
                found[path.stem] = RoutineSource(id=path.stem, path=path, origin=origin)
    return sorted(found.values(), key=lambda source: source.id), warnings


def load_routine(ref: str) -> LoadedRoutine:
    """Find and load a routine by id or path."""
    source = find_routine(ref)
    return LoadedRoutine(source=source, routine=load_file(source.path))


def read_text(path: Path) -> str:
    """The file's text: refused when missing, unreadable, not a regular file, too large or
    not UTF-8."""
    try:
        data = _read_bounded(path)
    except OSError as exc:
        raise RoutineError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")  # a BOM (Windows editors) is not an error
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RoutineError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def _read_bounded(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES``. A FIFO, a device
    (``/dev/zero``), a folder or a socket is refused before it is opened (and again after,
    should it have been swapped meanwhile); the read stops within a chunk past the limit,
    so a file whose size says nothing (``/proc``) or that grows cannot be read for ever."""
    _check_file(path, path.stat())
    fd = os.open(path, _OPEN_FLAGS)
    try:
        _check_file(path, os.fstat(fd))
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:  # whole chunks: /proc/self/pagemap wants 8 bytes
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise RoutineError(
            f"{path}: file has more than {MAX_FILE_BYTES // 1024} KiB; a routine file may be at "
            f"most {MAX_FILE_BYTES // 1024} KiB"
        )
    return b"".join(chunks)


def _check_file(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise RoutineError(f"{path}: cannot read file ({_not_regular(info.st_mode)})")
    if info.st_size > MAX_FILE_BYTES:
        raise RoutineError(
            f"{path}: file is {info.st_size / 1024 / 1024:.1f} MiB; a routine file may be at most "
            f"{MAX_FILE_BYTES // 1024} KiB"
        )


def _not_regular(mode: int) -> str:
    """Why a path that exists is no routine file, in the words of an OS error."""
    if stat.S_ISDIR(mode):
        return os.strerror(errno.EISDIR)
    for test, kind in _KINDS:
        if test(mode):
            return f"Not a regular file: {kind}"
    return "Not a regular file"


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def parse_toml(text: str, path: Path) -> dict[str, object]:
    """TOML text to a dict; syntax errors become ``file:line:col: message``."""
    import tomllib  # not for a list read from its cache

    if not text.strip():
        raise RoutineError(
            f"{path}: file is empty; a routine needs a title and at least one [[exercises]] table"
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from stretchcli.routine.problems import toml_position

        raise RoutineError(f"{path}:{toml_position(exc, text)}") from None
    except RecursionError:
        raise RoutineError(f"{path}: TOML: arrays or tables are nested too deeply") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise RoutineError(f"{path}: TOML: a number has too many digits") from None


def load_file(path: Path) -> Routine:
    """Read, parse and validate one routine file."""
    from pydantic import ValidationError

    from stretchcli.routine.model import Routine
    from stretchcli.routine.problems import validation_problems

    data = parse_toml(read_text(path), path)
    try:
        return Routine.model_validate(data)
    except ValidationError as exc:
        raise RoutineError(validation_problems(exc, path)) from None
