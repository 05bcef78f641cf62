"""The running session's journal (journal.py): written while a session runs, added to the
history by the next command once its process has ended, never while it still runs.

A process's death is played here by closing the journal's lock descriptor without
removing the journal (what the system does when a process is killed); the real kills are
in test_crash.py."""

from __future__ import annotations

import fcntl
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from stretchcli.history import journal
from stretchcli.history.journal import RECOVERED_NOTE, SessionJournal, folder_for
from stretchcli.history.record import SessionRecord, new_session_id
from stretchcli.history.store import HistoryStore
from support import make_record


def started(db: Path, record: SessionRecord) -> SessionJournal:
    """A session's journal with ``record`` written, as after its first step."""
    running = SessionJournal(folder_for(db), record.id)
    assert running.write(record)
    return running


def killed(running: SessionJournal) -> None:
    """The session's process dies: the system lets its lock go, its files stay."""
    assert running._lock_fd is not None
    os.close(running._lock_fd)
    running._lock_fd = None


def files(db: Path) -> list[str]:
    folder = folder_for(db)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_running_session_is_left_alone_and_its_journal_removed_when_saved(db: Path) -> None:
    record = make_record(note=RECOVERED_NOTE, status="quit")
    running = started(db, record)
    assert files(db) == [f"{record.id}.json", f"{record.id}.lock"]

    with HistoryStore.open(db) as store:  # another command, while the session runs
        assert store.sessions() == []
    assert files(db) == [f"{record.id}.json", f"{record.id}.lock"]

    final = replace(record, status="completed", note="")
    assert running.write(final)
    with HistoryStore.open(db) as store:
        assert store.record(final)
    running.close()
    assert not folder_for(db).exists()
    with HistoryStore.open(db) as store:
        assert store.sessions() == [final]


def test_the_journal_of_a_killed_session_is_added_once_by_the_next_command(db: Path) -> None:
    first = make_record(note=RECOVERED_NOTE, status="quit", duration_s=30.0)
    running = started(db, first)
    later = replace(first, duration_s=95.5)  # the record at a later step replaces it
    assert running.write(later)
    killed(running)

    with HistoryStore.open(db) as store:
        assert store.sessions() == [later]
    assert not folder_for(db).exists()
    with HistoryStore.open(db) as store:
        assert store.count() == 1


def test_a_read_only_command_on_a_new_home_still_adds_a_left_journal(db: Path) -> None:
    killed(started(db, make_record(note=RECOVERED_NOTE)))
    assert not db.exists()
    with HistoryStore.open(db, create=False) as store:
        assert store.count() == 1
    assert db.exists()
    with HistoryStore.open(db.with_name("other.sqlite3"), create=False) as store:
        assert store.count() == 0  # nothing waits beside that one: nothing is created
    assert not db.with_name("other.sqlite3").exists()


def test_a_killed_session_already_saved_is_not_added_twice(db: Path) -> None:
    record = make_record()
    running = started(db, record)
    with HistoryStore.open(db) as store:
        store.record(record)
    killed(running)  # after the save, before the journal was removed

    with HistoryStore.open(db) as store:
        assert store.sessions() == [record]
    assert not folder_for(db).exists()


def test_leftovers_of_a_session_killed_before_its_first_write_are_removed(db: Path) -> None:
    folder = folder_for(db)
    folder.mkdir(parents=True)
    name = new_session_id()
    (folder / f"{name}.lock").write_bytes(b"")
    (folder / f"{name}.tmp").write_text('{"format": "stretchcli-hist', encoding="utf-8")

    with HistoryStore.open(db) as store:
        assert store.count() == 0
    assert not folder.exists()


def test_a_damaged_journal_is_kept_for_a_person_to_look_at_and_breaks_nothing(
    db: Path,
) -> None:
    folder = folder_for(db)
    folder.mkdir(parents=True)
    damaged = folder / f"{new_session_id()}.json"
    damaged.write_text("not json", encoding="utf-8")
    killed(started(db, make_record()))

    with HistoryStore.open(db) as store:
        assert store.count() == 1
    assert files(db) == [damaged.name, damaged.with_suffix(".lock").name]
    assert damaged.read_text(encoding="utf-8") == "not json"


def test_a_journal_that_cannot_be_written_costs_nothing_but_itself(db: Path) -> None:
    db.parent.mkdir(parents=True)
    folder_for(db).write_text("a file where the folder would be", encoding="utf-8")
    running = SessionJournal(folder_for(db), new_session_id())
    assert running.write(make_record()) is False
    running.close()
    with HistoryStore.open(db) as store:
        assert store.count() == 0


def test_a_lock_file_removed_while_it_is_locked_is_made_again(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A recovery that found the new lock file before the session locked it removes it just
    # as the session locks it: that lock guards nothing, so the session locks a new file.
    real_flock = fcntl.flock
    removed: list[str] = []

    def flock_then_removed(fd: int, operation: int) -> Any:
        result = real_flock(fd, operation)
        if not removed:
            path = next(folder_for(db).glob("*.lock"))
            removed.append(path.name)
            path.unlink()
        return result

    monkeypatch.setattr(journal.fcntl, "flock", flock_then_removed)
    record = make_record()
    running = started(db, record)
    assert removed == [f"{record.id}.lock"]
    monkeypatch.undo()

    lock = folder_for(db) / f"{record.id}.lock"
    assert lock.exists()
    assert running._lock_fd is not None
    assert os.fstat(running._lock_fd).st_ino == lock.stat().st_ino
    with HistoryStore.open(db) as store:  # the session is running: it stays out
        assert store.count() == 0
    running.close()
