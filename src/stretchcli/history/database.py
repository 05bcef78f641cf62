"""A ready connection to the history database file: guarded, created with its folders,
rolled back after a cut-off write, migrated to this schema, in WAL mode.

Storage rules (see docs/history.md): WAL, ``busy_timeout``, one ``BEGIN IMMEDIATE``
transaction per write, the schema version in ``PRAGMA user_version`` with migrations run in
order, each in its own transaction. A file at the database path that is not one of our
databases is refused (``guard``) and never written to.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from stretchcli.errors import HistoryError
from stretchcli.history import guard, schema

_BUSY_RETRY_SECONDS = 0.01  # between tries of a change SQLite refused at once as busy


def open_file(
    path: Path, state: Literal["missing", "empty", "ours"], busy_timeout: float
) -> sqlite3.Connection:
    """A connection to the database at ``path``, created if need be; ``state`` is what
    ``guard.inspect_file`` found there. Raises ``HistoryError`` (the file left as it was
    when it is not ours, damaged or from a newer version)."""
    if state == "ours":
        try:
            guard.check_read_only(path, busy_timeout)
        except guard.HotJournal:
            _roll_back_interrupted_write(path, busy_timeout)
            guard.check_read_only(path, busy_timeout)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                f"history database {path}: cannot create its folder ({exc.strerror or exc})"
            ) from None
    try:
        conn = connect(path, busy_timeout)
    except sqlite3.Error as exc:
        raise HistoryError(f"history database {path}: cannot open ({exc})") from None
    try:
        with sql_errors(path, "prepare"):
            migrate(conn, path)
            _use_wal(conn, busy_timeout)
    except BaseException:
        conn.close()
        raise
    return conn


def open_memory(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """An empty history in memory, with the schema of the one at ``path`` (which is not
    created): what read-only commands see before there is a history."""
    conn = connect(":memory:", busy_timeout)
    migrate(conn, path)
    return conn


def connect(path: Path | str, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), foreign keys on."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@contextmanager
def sql_errors(path: Path, action: str) -> Iterator[None]:
    """Turn SQLite errors into one-line ``HistoryError``s naming the database."""
    try:
        yield
    except sqlite3.Error as exc:
        raise HistoryError(f"history database {path}: cannot {action} ({exc})") from exc


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Run every migration newer than the database, each in its own transaction."""
    for migration in schema.MIGRATIONS:
        if conn.execute("PRAGMA user_version").fetchone()[0] >= migration.version:
            continue
        if migration.rebuilds:
            conn.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current < migration.version:
                if current == 0 and _has_tables(conn):
                    raise guard.foreign(path, "is another program's SQLite database")
                for statement in migration.statements:
                    conn.execute(statement)
                if migration.rebuilds and conn.execute("PRAGMA foreign_key_check").fetchone():
                    raise HistoryError(
                        f"history database {path}: cannot upgrade it (its rows do not match)"
                    )
                conn.execute(f"PRAGMA user_version = {migration.version}")
        except BaseException:
            conn.execute("ROLLBACK")
            if migration.rebuilds:
                conn.execute("PRAGMA foreign_keys = ON")
            raise
        conn.execute("COMMIT")
        if migration.rebuilds:
            conn.execute("PRAGMA foreign_keys = ON")  # after the transaction, or it is ignored


def check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse to write to a damaged database: ``PRAGMA quick_check`` (every page read and its
    structure checked; ~0.5 s for 100,000 sessions, see docs/history.md), run in the write
    transaction before anything is written. Raises ``HistoryError`` (the caller rolls back,
    so the file stays byte-for-byte as it was)."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError:
        raise  # not damage: locked, I/O error (the caller says which)
    except sqlite3.DatabaseError as exc:
        raise guard.damaged(path, str(exc)) from None
    problems = [line.strip() for (text,) in rows for line in str(text).splitlines() if line.strip()]
    problems = [line for line in problems if not line.startswith("***")]
    if problems != ["ok"]:
        raise guard.damaged(path, problems[0] if problems else "quick_check found a problem")


def _has_tables(conn: sqlite3.Connection) -> bool:
    count: int = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return count > 0


def _use_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Switch to WAL once (it is persistent); another process may be switching too.

    SQLite can answer a journal-mode change with "database is locked" at once, without
    waiting in the busy handler (seen when several processes create the history together),
    so a busy answer is tried again until ``busy_timeout`` has passed. A file system that
    cannot do WAL leaves the mode as it was, which is still a safe rollback journal.
    """
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(_BUSY_RETRY_SECONDS)


def _roll_back_interrupted_write(path: Path, busy_timeout: float) -> None:
    """Let SQLite's own crash recovery undo the interrupted write (``guard.HotJournal``):
    the first read on a read-write connection rolls the hot journal back, to the last
    committed state."""
    try:
        conn = connect(path, busy_timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise HistoryError(
            f"history database {path}: cannot recover an interrupted write ({exc}); is its "
            "folder read-only or its disk full?"
        ) from None
