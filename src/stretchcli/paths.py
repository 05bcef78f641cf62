"""Where stretchcli keeps its files: platformdirs defaults, overridable by environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "stretchcli"
DB_NAME = "history.sqlite3"
PLAN_NAME = "plan.toml"
STATUS_NAME = "status"  # the one-line status of today, for a shell prompt


def data_dir() -> Path:
    """Folder for the history database: ``STRETCH_HOME`` or the platform user data dir."""
    home = os.environ.get("STRETCH_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path() -> Path:
    """Path of the SQLite history database."""
    return data_dir() / DB_NAME


def cache_dir() -> Path:
    """Folder for what can be made again (the routine list's summaries):
    ``$STRETCH_HOME/cache``, else the platform user cache dir."""
    home = os.environ.get("STRETCH_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_routines_dir() -> Path:
    """The user routines folder: ``routines/`` in the platform config dir.

    With ``STRETCH_HOME`` set, it is ``$STRETCH_HOME/routines`` so that a test or a
    portable install keeps everything in one place.
    """
    home = os.environ.get("STRETCH_HOME")
    if home:
        return Path(home).expanduser() / "routines"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "routines"


def plan_path() -> Path:
    """The plan file: ``$STRETCH_HOME/plan.toml``, else ``plan.toml`` in the platform
    config dir (beside the user routines folder)."""
    return user_routines_dir().parent / PLAN_NAME


def extra_routine_dirs() -> list[Path]:
    """Folders named in ``STRETCH_ROUTINES`` (os.pathsep-separated), searched first."""
    raw = os.environ.get("STRETCH_ROUTINES", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def builtin_routines_dir() -> Path:
    """The routines shipped inside the package (or the checkout's ``routines/`` when run
    from source, where the wheel's copy does not exist)."""
    packaged = Path(__file__).parent / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "routines"
