"""Shell completion of ROUTINE arguments (typer's ``autocompletion=``): the shell asks for
every Tab, so this only lists file names: the ``.toml`` stems in the routine folders,
nothing read or validated (that would load pydantic and take ten times as long), and the
routines the plan names (the plan file read as TOML, nothing validated)."""

import os
from pathlib import Path


def routine_ids(incomplete: str) -> list[tuple[str, str]]:
    """Routine ids starting with ``incomplete``, first folder first (``STRETCH_ROUTINES``,
    yours, built-in), each with where it comes from; ``hold`` is left to `log add`."""
    from stretchcli.routine.library import is_valid_id, search_dirs

    found: dict[str, str] = {}
    for folder, origin in search_dirs():
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError:
            continue
        for name in names:
            stem = name[: -len(".toml")]
            if name.endswith(".toml") and stem.startswith(incomplete) and is_valid_id(stem):
                found.setdefault(stem, origin)
    return sorted(found.items())


def logged_routines(incomplete: str) -> list[tuple[str, str]]:
    """What `log add` takes: routine ids, and ``hold`` (a quick hold timer)."""
    extra = [("hold", "a quick hold timer")] if "hold".startswith(incomplete) else []
    return sorted([*routine_ids(incomplete), *extra])


def plan_routines(incomplete: str) -> list[tuple[str, str]]:
    """The routines of the plan's items starting with ``incomplete`` (none without a plan,
    or when the file cannot be read as TOML)."""
    import tomllib

    from stretchcli import paths

    try:
        data = tomllib.loads(Path(paths.plan_path()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return []
    items = data.get("items")
    names = (
        [item.get("routine") for item in items if isinstance(item, dict)]
        if isinstance(items, list)
        else []
    )
    return [
        (name, "in the plan")
        for name in names
        if isinstance(name, str) and name.startswith(incomplete)
    ]
