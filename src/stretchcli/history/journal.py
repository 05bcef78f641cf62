"""A running session's record, kept on disk while the session runs.

A session is recorded in the history when it ends, however it ends, as long as the
program lives to write it. This journal covers the rest (SIGKILL, a crash of Python, the
battery running out): at every step the session's record so far is written to
``in-progress/<id>.json`` beside the history database, and the next command that opens the
history adds it (``recover``, called by ``HistoryStore.open``) and removes the file.

``<id>.lock`` beside it is locked (``flock``) by the session for as long as it runs, and
the system lets go of that lock however the process ends, so a session that is still
running (in another terminal) is never taken for a dead one. Writing is best effort: a
folder that cannot be written costs this safety net, never the session.

The journal is an export document (``export``); it knows nothing of the store.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from stretchcli.errors import HistoryError
from stretchcli.files import write_atomic
from stretchcli.history.export import export_document, read_export

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord

FOLDER = "in-progress"
# The note of a session that only its journal kept.
RECOVERED_NOTE = (
    "recovered: stretch ended before it could save this session (killed, crashed or the "
    "power went off); saved as it was at its last step"
)


def folder_for(db_path: Path) -> Path:
    """The journal folder of the history database at ``db_path``."""
    return db_path.parent / FOLDER


class SessionJournal:
    """The journal of one running session; ``write`` it at every step, ``close`` it once
    the session is saved."""

    def __init__(self, folder: Path, session_id: str) -> None:
        self.folder = folder
        self.path = folder / f"{session_id}.json"
        self._lock_path = folder / f"{session_id}.lock"
        self._lock_fd: int | None = None

    def write(self, record: SessionRecord) -> bool:
        """Replace the journal with ``record`` (atomically, synced); False if it could not
        be written (the session goes on all the same)."""
        try:
            if self._lock_fd is None:
                # A new id: its lock is free, unless a recovery that found the lock file
                # before it was locked is removing it (or the emptied folder) right now;
                # then lock the new one.
                for _ in range(3):
                    self.folder.mkdir(parents=True, exist_ok=True)
                    self._lock_fd = _lock(self._lock_path)
                    if self._lock_fd is not None:
                        break
                else:
                    return False
            document = json.dumps(export_document([record]), ensure_ascii=False)
            write_atomic(
                self.path,
                lambda out: out.write(document),
                sync=True,
                temporary=self.folder / f"{self.path.stem}.tmp",
            )
        except OSError:
            return False
        return True

    def close(self) -> None:
        """The session is saved: remove its journal, then its lock (in that order, see
        ``recover``), and the folder when nothing else is in it."""
        with suppress(OSError):
            self.path.unlink(missing_ok=True)
        if self._lock_fd is not None:
            with suppress(OSError):
                self._lock_path.unlink(missing_ok=True)
            os.close(self._lock_fd)
            self._lock_fd = None
        with suppress(OSError):
            self.folder.rmdir()


def pending(db_path: Path) -> bool:
    """Whether anything is left in the journal folder beside the history at ``db_path``."""
    try:
        return any(folder_for(db_path).iterdir())
    except OSError:
        return False


def recover(db_path: Path, add: Callable[[list[SessionRecord]], int]) -> int:
    """Add (with ``add``, which stores records already validated and returns how many were
    new) the sessions whose journal is left beside the history at ``db_path`` and whose
    process has ended, then remove their files; returns how many sessions were added. Best
    effort: a journal that cannot be read or added stays where it is for a later try."""
    folder = folder_for(db_path)
    try:
        names = {entry.stem for entry in folder.iterdir()}
    except OSError:
        return 0
    added = 0
    for name in sorted(names):
        path = folder / f"{name}.json"
        lock_path = folder / f"{name}.lock"
        fd = _lock(lock_path)
        if fd is None:
            continue  # its session is running (or another command is recovering it)
        try:
            # The lock is ours, so its session has ended. Without a journal it saved
            # itself (the journal goes before the lock) or died before its first write.
            if path.exists():
                try:
                    added += add(read_export(path))
                except HistoryError:
                    continue
            for leftover in (path, folder / f"{name}.tmp", lock_path):
                with suppress(OSError):
                    leftover.unlink(missing_ok=True)
        finally:
            os.close(fd)
    with suppress(OSError):
        folder.rmdir()
    return added


def _lock(path: Path) -> int | None:
    """Lock the file at ``path`` (made if missing) without waiting: its descriptor, or None
    when another process holds it or the file was removed (or replaced) meanwhile, since a
    lock on a file no longer at ``path`` guards nothing."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino == path.stat().st_ino:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None
