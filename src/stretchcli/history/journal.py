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

A journal that cannot be read or is not a valid record (garbage left by another program,
a folder, a pipe, a link, a huge file) is set aside into ``in-progress/bad/`` with one
warning naming it, so that it never stops a command.

The journal is an export document (``export``); it knows nothing of the store.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from stretchcli.errors import HistoryError
from stretchcli.files import MIB, write_atomic
from stretchcli.history.export import export_document, read_export

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord

FOLDER = "in-progress"
BAD = "bad"  # in FOLDER: journals set aside
# A journal holds one record: a few KiB, and well under this even at every bound of
# validate.py (1,000 sides and answers with 500-character names).
MAX_JOURNAL_BYTES = 16 * MIB
_SUFFIXES = (".json", ".lock", ".tmp")
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
    """Whether anything is left in the journal folder beside the history at ``db_path``
    (journals set aside do not count)."""
    try:
        return any(entry.name != BAD for entry in folder_for(db_path).iterdir())
    except OSError:
        return False


def recover(
    db_path: Path, add: Callable[[list[SessionRecord]], int], warn: Callable[[str], None]
) -> int:
    """Add (with ``add``, which stores records already validated and returns how many were
    new) the sessions whose journal is left beside the history at ``db_path`` and whose
    process has ended, then remove their files; returns how many sessions were added.

    A journal the database cannot take now stays for a later try; one that cannot be read
    or is not a valid record, and anything else that is not a journal's file, is set aside
    into ``in-progress/bad/`` with one ``warn`` line each, and breaks nothing."""
    folder = folder_for(db_path)
    try:
        entries = [entry for entry in folder.iterdir() if entry.name != BAD]
    except OSError:
        return 0
    names: set[str] = set()
    for entry in entries:
        if entry.suffix in _SUFFIXES and entry.stem:
            names.add(entry.stem)
        else:
            _set_aside(entry, "not a file of a session journal", warn)
    added = 0
    for name in sorted(names):
        path = folder / f"{name}.json"
        lock_path = folder / f"{name}.lock"
        if _not_a_file(lock_path):
            _set_aside(lock_path, "not a lock file", warn)
        fd = _lock(lock_path)
        if fd is None:
            continue  # its session is running (or another command is recovering it)
        try:
            # The lock is ours, so its session has ended. Without a journal it saved
            # itself (the journal goes before the lock) or died before its first write.
            if os.path.lexists(path):
                try:
                    records = read_export(
                        path,
                        limit=MAX_JOURNAL_BYTES,
                        what="a session journal",
                        streams=False,
                        follow=False,
                        csv=False,
                    )
                except HistoryError as exc:
                    _set_aside(path, str(exc).removeprefix(str(path)).lstrip(": "), warn)
                else:
                    try:
                        added += add(records)
                    except HistoryError:
                        continue  # the database cannot take it now: left for a later try
            for leftover in (path, folder / f"{name}.tmp", lock_path):
                try:
                    leftover.unlink(missing_ok=True)
                except IsADirectoryError:
                    _set_aside(leftover, "a folder, not a file", warn)
                except OSError:
                    pass
        finally:
            os.close(fd)
    with suppress(OSError):
        folder.rmdir()
    return added


def _set_aside(entry: Path, reason: str, warn: Callable[[str], None]) -> None:
    """Move ``entry`` into the ``bad`` folder beside it (under a free name: nothing there is
    replaced) and say so in one line."""
    bad = entry.parent / BAD
    try:
        bad.mkdir(exist_ok=True)
        target = bad / entry.name
        number = 1
        while os.path.lexists(target):
            number += 1
            target = bad / f"{entry.name}.{number}"
        entry.rename(target)
    except OSError as exc:
        warn(
            f"a damaged session journal {entry} ({reason}) could not be set aside "
            f"({exc.strerror or exc}); move it away"
        )
        return
    warn(f"set aside a damaged session journal {entry} ({reason}): it is now {target}")


def _not_a_file(path: Path) -> bool:
    """Whether something that is not a regular file (a folder, a link, a pipe) is at
    ``path``."""
    try:
        return not stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


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
