"""Refusing a file at the database path that is not one of our databases (another file,
another program's database, a damaged one, one from a newer stretchcli), before anything
can write to it: a refused file is left byte-for-byte as it was.

Only reads here: nothing is ever opened for writing (``database`` does the writing).
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Literal

from stretchcli.errors import HistoryError
from stretchcli.history import schema

SQLITE_MAGIC = b"SQLite format 3\x00"


class HotJournal(Exception):
    """Our database has a hot journal: a write was cut off (killed, power lost) before its
    rollback-journal transaction ended, and a read-only connection cannot roll it back."""


def inspect_file(path: Path) -> Literal["missing", "empty", "ours"]:
    """What is at ``path``, from its bytes only (nothing is opened for writing).

    Raises ``HistoryError`` for anything that is not a stretchcli database.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise HistoryError(f"history database {path} is a folder; move it away") from None
    except NotADirectoryError:
        raise HistoryError(
            f"history database {path}: a part of that path is a file, not a folder; "
            "check STRETCH_HOME"
        ) from None
    except OSError as exc:
        raise HistoryError(
            f"history database {path}: cannot read ({exc.strerror or exc}); check its permissions"
        ) from None
    if not header:
        # Created but never written (or being created by another process right now).
        return "empty"
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise foreign(path, "is not a SQLite database (damaged, or another file)")
    if int.from_bytes(header[68:72], "big") != schema.APPLICATION_ID:
        raise foreign(path, "is another program's SQLite database")
    return "ours"


def foreign(path: Path, what: str) -> HistoryError:
    """The error for a file at ``path`` that is not ours (``what`` says what it is)."""
    return HistoryError(
        f"history database {path} {what}; it was left untouched: move it away (or set "
        "STRETCH_HOME to another folder) and run stretch again to start a new history"
    )


def damaged(path: Path, problem: str) -> HistoryError:
    """The error for one of our databases found damaged inside: nothing is written to it."""
    detail = problem if len(problem) <= 120 else f"{problem[:117]}..."
    return HistoryError(
        f"history database {path} is damaged ({detail}); nothing was written to it and it was "
        "left as it was: move it away (or set STRETCH_HOME to another folder) and run stretch "
        "again to start a new history"
    )


def check_read_only(path: Path, busy_timeout: float) -> None:
    """Look inside one of our databases without any chance of writing to it.

    A read-only connection to a WAL database may create empty ``-wal``/``-shm`` files; when
    the database is refused, the ones this check created are removed again. Raises
    ``HotJournal`` when a cut-off write must be rolled back first.
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {p for p in sidecars if p.exists()}
    try:
        _check_version(path, busy_timeout)
    except HistoryError:
        wal = sidecars[0]
        if wal not in existed and (not wal.exists() or wal.stat().st_size == 0):
            for created in set(sidecars) - existed:
                # A read-only folder refuses even the unlink of a file that is not there.
                with suppress(OSError):
                    created.unlink(missing_ok=True)
        raise


def _check_version(path: Path, busy_timeout: float) -> None:
    uri = f"{path.absolute().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise HistoryError(f"history database {path}: cannot open ({exc})") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_READONLY_ROLLBACK:
            raise HotJournal from None
        # Not damage: locked, or a WAL database in a read-only folder (where a reader
        # cannot make the -shm file it needs).
        raise HistoryError(
            f"history database {path}: cannot open ({exc}); is its folder read-only or its "
            "disk full, or is another program holding it?"
        ) from None
    except sqlite3.DatabaseError as exc:
        raise foreign(path, f"is damaged ({exc})") from None
    finally:
        conn.close()
    known = schema.schema_version()
    if version > known:
        raise HistoryError(
            f"history database {path} was written by a newer stretchcli (schema {version}, "
            f"this one knows {known}); it was left untouched: upgrade stretchcli"
        )
    if version >= 1 and "sessions" not in tables:
        raise foreign(path, "is damaged (no sessions table)")
