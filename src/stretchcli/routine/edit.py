"""`stretch edit`: the file a person edits for a routine (a built-in one is first copied
to the user routines folder, where it then overrides the built-in), and the check of each
save."""

from __future__ import annotations

from pathlib import Path

from stretchcli import paths
from stretchcli.errors import RoutineError
from stretchcli.files import write_new
from stretchcli.routine.library import find_routine, load_file, read_text

COPY_HEADER = (
    "# Your copy of the built-in routine {id}: it overrides the built-in one.\n"
    "# Delete this file to use the built-in routine again.\n"
)


def editable_copy(ref: str) -> tuple[Path, Path | None]:
    """The file to edit for ``ref`` (an id or a path), and the built-in file it was just
    copied from (None when the routine was already a file of the person's own)."""
    source = find_routine(ref)
    if source.origin != "built-in":
        return source.path, None
    folder = paths.user_routines_dir()
    target = folder / f"{source.id}.toml"
    text = COPY_HEADER.format(id=source.id) + read_text(source.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_new(target, text)
    except FileExistsError:  # made meanwhile (another `stretch edit`): edit that one
        return target, None
    except OSError as exc:
        raise RoutineError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target, source.path


def routine_problems(path: Path) -> list[str]:
    """One line per problem of the routine file at ``path`` (none: it is valid)."""
    try:
        load_file(path)
    except RoutineError as exc:
        return exc.problems
    return []
