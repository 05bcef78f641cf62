"""The running session's journal (journal.py): written while a session runs, added to the
history by the next command once its process has ended, never while it still runs.

A process's death is played here by closing the journal's lock descriptor without
removing the journal (what the system does when a process is killed); the real kills are
in test_crash.py."""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from stretchcli.errors import HistoryError
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


def _garbage(path: Path, kind: str) -> str:
    """Leave a journal at ``path`` that is garbage of ``kind``; returns what the warning
    says about it."""
    record = make_record().to_json_dict()
    if kind == "not JSON":
        path.write_text("not json", encoding="utf-8")
        return "1:1: not valid JSON (Expecting value)"
    if kind == "a number of 5000 digits":
        record["holds"] = None
        text = json.dumps(export_document_of(record)).replace('"holds": null', '"x": ' + "9" * 5000)
        path.write_text(text, encoding="utf-8")
        return "not valid JSON (a number with too many digits)"
    if kind == "1e999 seconds":
        text = json.dumps(export_document_of(record)).replace(
            '"duration_s": 725.25', '"duration_s": 1e999'
        )
        path.write_text(text, encoding="utf-8")
        return "record 1: duration_s: expected a number of seconds from 0 to 86400 (24 h), got inf"
    if kind == "NaN":
        text = json.dumps(export_document_of(record)).replace(
            '"duration_s": 725.25', '"duration_s": NaN'
        )
        path.write_text(text, encoding="utf-8")
        return "not valid JSON (NaN is not a JSON number)"
    if kind == "100,000-deep nesting":
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        return "not valid JSON (nested too deeply)"
    if kind == "invalid UTF-8":
        path.write_bytes(b'{"format": "\xff"}')
        return "cannot read file (not UTF-8 text: byte 0xff at offset 12)"
    if kind == "a FIFO":
        os.mkfifo(path)
        return "is a pipe, not a file"
    if kind == "a folder":
        path.mkdir()
        (path / "inside").write_text("x", encoding="utf-8")
        return "is a folder, not a file"
    if kind == "a symbolic link":
        path.symlink_to("/dev/zero")
        return "is a symbolic link, not a file"
    if kind == "a 17 MiB file":
        with path.open("wb") as handle:
            handle.truncate(17 * 1024 * 1024)
        return "file is 17 MiB; a session journal may be at most 16 MiB"
    raise AssertionError(kind)


def export_document_of(record: dict[str, Any]) -> dict[str, Any]:
    return {"format": "stretchcli-history", "version": 1, "sessions": [record]}


GARBAGE = [
    "not JSON",
    "a number of 5000 digits",
    "1e999 seconds",
    "NaN",
    "100,000-deep nesting",
    "invalid UTF-8",
    "a FIFO",
    "a folder",
    "a symbolic link",
    "a 17 MiB file",
]


@pytest.mark.parametrize("kind", GARBAGE)
def test_a_garbage_journal_is_set_aside_with_one_warning_and_breaks_nothing(
    db: Path, kind: str
) -> None:
    folder = folder_for(db)
    folder.mkdir(parents=True)
    damaged = folder / f"{new_session_id()}.json"
    reason = _garbage(damaged, kind)
    good = make_record()
    killed(started(db, good))

    warnings: list[str] = []
    with HistoryStore.open(db, warn=warnings.append) as store:
        assert store.sessions() == [replace(good)]
    aside = folder / "bad" / damaged.name
    assert warnings == [
        f"set aside a damaged session journal {damaged} ({reason}): it is now {aside}"
    ]
    assert files(db) == ["bad"]
    assert os.path.lexists(aside)
    assert not journal.pending(db)

    with HistoryStore.open(db, warn=warnings.append) as store:  # once: not again
        assert store.count() == 1
    assert len(warnings) == 1


def test_anything_else_in_the_journal_folder_is_set_aside_too(db: Path) -> None:
    folder = folder_for(db)
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    lock_folder = folder / f"{new_session_id()}.lock"
    lock_folder.mkdir()
    warnings: list[str] = []
    with HistoryStore.open(db, warn=warnings.append) as store:
        assert store.count() == 0
    assert sorted(warnings) == sorted(
        [
            f"set aside a damaged session journal {folder / 'notes.txt'} (not a file of a "
            f"session journal): it is now {folder / 'bad' / 'notes.txt'}",
            f"set aside a damaged session journal {lock_folder} (not a lock file): it is now "
            f"{folder / 'bad' / lock_folder.name}",
        ]
    )
    assert files(db) == ["bad"]


def test_a_second_bad_journal_of_the_same_name_does_not_replace_the_first(db: Path) -> None:
    folder = folder_for(db)
    name = f"{new_session_id()}.json"
    warnings: list[str] = []
    for text in ("first", "second"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        with HistoryStore.open(db, warn=warnings.append):
            pass
    assert (folder / "bad" / name).read_text(encoding="utf-8") == "first"
    assert (folder / "bad" / f"{name}.2").read_text(encoding="utf-8") == "second"
    assert warnings[1].endswith(f"it is now {folder / 'bad' / name}.2")


def test_set_aside_journals_make_a_read_only_command_create_nothing(db: Path) -> None:
    folder = folder_for(db)
    (folder / "bad").mkdir(parents=True)
    (folder / "bad" / "old.json").write_text("junk", encoding="utf-8")
    with HistoryStore.open(db, create=False) as store:
        assert store.count() == 0
    assert not db.exists()


def test_a_journal_the_database_cannot_take_now_stays_for_a_later_try(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make_record()
    killed(started(db, record))

    def refuse(self: HistoryStore, records: object, *, trusted: bool = False) -> int:
        raise HistoryError("history database: cannot save sessions (database is locked)")

    warnings: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(HistoryStore, "record_many", refuse)
        with HistoryStore.open(db, warn=warnings.append) as store:
            assert store.count() == 0
    assert warnings == []
    assert files(db) == [f"{record.id}.json", f"{record.id}.lock"]
    with HistoryStore.open(db) as store:
        assert store.sessions() == [record]


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
