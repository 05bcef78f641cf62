"""files.py: the one writer of files the user names (``write_output``) and the one bounded
reader (``read_limited``), on real files, links, pipes and devices."""

from __future__ import annotations

import io
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from stretchcli.errors import StretchError
from stretchcli.files import FileRefused, read_limited, write_output

TEXT = '{"format": "stretchcli-history", "version": 1, "sessions": []}\n'


def writes(text: str) -> Callable[[IO[str]], int]:
    def write(out: IO[str]) -> int:
        out.write(text)
        return len(text)

    return write


@pytest.fixture
def history(tmp_path: Path) -> Iterator[tuple[Path, tuple[Path, ...]]]:
    """A history folder with its database, its WAL files and a journal; the protected set."""
    home = tmp_path / "home"
    (home / "in-progress").mkdir(parents=True)
    db = home / "history.sqlite3"
    for path in (db, home / "history.sqlite3-wal", home / "in-progress" / "abc.json"):
        path.write_bytes(b"precious " + path.name.encode())
    yield (
        db,
        (
            db,
            home / "history.sqlite3-wal",
            home / "history.sqlite3-shm",
            home / "history.sqlite3-journal",
            home / "in-progress",
        ),
    )


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, a link's target, a folder's name."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[key] = "folder"
        else:
            found[key] = path.read_bytes()
    return found


# --- write_output: the history's own files ---


@pytest.mark.parametrize(
    "target",
    [
        "history.sqlite3",
        "history.sqlite3-wal",
        "history.sqlite3-shm",  # not there: refused by its name
        "history.sqlite3-journal",
        "in-progress/abc.json",
        "in-progress/new.json",  # a new file in the journal folder
        "in-progress",
        "./../home/history.sqlite3",
    ],
)
def test_the_history_files_are_refused_by_path(
    history: tuple[Path, tuple[Path, ...]], target: str
) -> None:
    db, protected = history
    before = snapshot(db.parent)
    with pytest.raises(StretchError) as caught:
        write_output(db.parent / target, writes(TEXT), protected=protected)
    message = str(caught.value)
    assert message.startswith(f"{db.parent / target}: that is ")
    assert message.endswith("name another file") and "\n" not in message
    assert snapshot(db.parent) == before


@pytest.mark.parametrize(
    "linked", ["history.sqlite3", "history.sqlite3-wal", "in-progress/abc.json"]
)
def test_hard_links_and_symbolic_links_to_the_history_files_are_refused(
    history: tuple[Path, tuple[Path, ...]], tmp_path: Path, linked: str
) -> None:
    db, protected = history
    hard = tmp_path / "hard.json"
    os.link(db.parent / linked, hard)
    soft = tmp_path / "soft.json"
    soft.symlink_to(db.parent / linked)
    before = snapshot(db.parent)
    for target in (hard, soft):
        with pytest.raises(StretchError, match=r"that is (in )?the history's own"):
            write_output(target, writes(TEXT), protected=protected)
    assert snapshot(db.parent) == before
    assert hard.read_bytes() == (db.parent / linked).read_bytes()


def test_a_link_to_a_history_file_not_made_yet_is_refused(
    history: tuple[Path, tuple[Path, ...]], tmp_path: Path
) -> None:
    db, protected = history
    link = tmp_path / "shm.json"
    link.symlink_to(db.parent / "history.sqlite3-shm")
    with pytest.raises(StretchError, match=r"that is the history's own"):
        write_output(link, writes(TEXT), protected=protected)
    assert not (db.parent / "history.sqlite3-shm").exists()


def test_the_journal_folder_reached_another_way_is_refused(
    history: tuple[Path, tuple[Path, ...]], tmp_path: Path
) -> None:
    db, protected = history
    alias = tmp_path / "alias"
    alias.symlink_to(db.parent / "in-progress", target_is_directory=True)
    with pytest.raises(StretchError, match=r"that is in the history's own folder"):
        write_output(alias / "x.json", writes(TEXT), protected=protected)
    assert not (db.parent / "in-progress" / "x.json").exists()


# --- write_output: what is at the target ---


def test_a_new_file_and_an_existing_one_are_written_whole_keeping_the_mode(
    tmp_path: Path,
) -> None:
    new = tmp_path / "new.json"
    assert write_output(new, writes(TEXT)) == len(TEXT)
    assert new.read_text(encoding="utf-8") == TEXT
    old = tmp_path / "old.json"
    old.write_text("old backup", encoding="utf-8")
    old.chmod(0o640)
    write_output(old, writes(TEXT))
    assert old.read_text(encoding="utf-8") == TEXT
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "old.json"]


def test_a_symbolic_link_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    (tmp_path / "backups").mkdir()
    real = tmp_path / "backups" / "latest.json"
    real.write_text("older", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    write_output(link, writes(TEXT))
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") == TEXT
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "backups" / "next.json")
    write_output(dangling, writes(TEXT))
    assert dangling.is_symlink()
    assert (tmp_path / "backups" / "next.json").read_text(encoding="utf-8") == TEXT


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert write_output(fifo, writes(TEXT * 1000)) == len(TEXT) * 1000
    reader.join(timeout=30)
    assert received == [(TEXT * 1000).encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_pipe_closed_by_its_reader_is_an_error_not_a_success(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with fifo.open("rb") as handle:
            handle.read(1)

    reader = threading.Thread(target=read_a_little)
    reader.start()
    with pytest.raises(StretchError) as caught:
        write_output(fifo, writes("x" * (8 * 1024 * 1024)))  # far more than a pipe holds
    reader.join(timeout=30)
    assert str(caught.value) == f"{fifo}: cannot write (Broken pipe)"


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    assert write_output(Path("/dev/null"), writes(TEXT)) == len(TEXT)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    with pytest.raises(StretchError) as caught:
        write_output(Path("/dev/full"), writes(TEXT))
    assert str(caught.value) == "/dev/full: cannot write (No space left on device)"


def test_a_folder_is_refused_and_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(StretchError) as caught:
        write_output(tmp_path, writes(TEXT))
    assert str(caught.value) == f"{tmp_path}: is a folder; name a file to write"
    missing = tmp_path / "no" / "such.json"
    with pytest.raises(StretchError) as caught:
        write_output(missing, writes(TEXT))
    assert str(caught.value) == f"{missing}: cannot write (No such file or directory)"
    assert sorted(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    old = tmp_path / "backup.json"
    old.write_text("old backup", encoding="utf-8")

    def fail_half_way(out: IO[str]) -> int:
        out.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(StretchError, match=r"cannot write \(No space left on device\)$"):
        write_output(old, fail_half_way)
    assert old.read_text(encoding="utf-8") == "old backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json"]


# --- read_limited ---


def test_a_regular_file_over_the_bound_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024 + 512 * 1024)
    with pytest.raises(FileRefused) as caught:
        read_limited(big, limit=1024 * 1024, what="an export")
    assert str(caught.value) == "file is 3.5 MiB; an export may be at most 1 MiB"
    exact = tmp_path / "exact.json"
    exact.write_bytes(b"x" * 1024)
    assert read_limited(exact, limit=1024, what="an export") == b"x" * 1024


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/zero", "is a character device, not a file"),
        ("/dev/null", "is a character device, not a file"),
    ],
)
def test_devices_are_refused_without_being_read(path: str, message: str) -> None:
    with pytest.raises(FileRefused) as caught:
        read_limited(Path(path), limit=1024, what="an export")
    assert str(caught.value) == message


def test_a_folder_and_a_link_when_links_are_not_followed_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"^is a folder, not a file$"):
        read_limited(tmp_path, limit=1024, what="an export")
    real = tmp_path / "real.json"
    real.write_text("[]", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert read_limited(link, limit=1024, what="an export") == b"[]"
    with pytest.raises(FileRefused, match=r"^is a symbolic link, not a file$"):
        read_limited(link, limit=1024, what="an export", follow=False)


def test_a_fifo_is_read_to_its_end_or_refused_when_streams_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match=r"^is a pipe, not a file$"):
        read_limited(fifo, limit=1024, what="a journal", streams=False)  # no writer: no wait
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"[1, 2]"))
    writer.start()
    assert read_limited(fifo, limit=1024, what="an export") == b"[1, 2]"
    writer.join(timeout=30)


def test_an_endless_fifo_is_read_up_to_the_bound_only(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sent: list[int] = []

    def endless() -> None:
        with fifo.open("wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    sent.append(65536)
            except BrokenPipeError:
                pass  # the reader stopped at its bound

    writer = threading.Thread(target=endless)
    writer.start()
    with pytest.raises(FileRefused) as caught:
        read_limited(fifo, limit=2 * 1024 * 1024, what="an export")
    writer.join(timeout=30)
    assert str(caught.value) == "is more than 2 MiB; an export may be at most 2 MiB"
    assert not writer.is_alive()


class Endless(io.RawIOBase):
    """Standard input that never ends (``< /dev/zero``), counting what is read of it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = b"\0" * size
        self.given += size
        return size


def test_endless_standard_input_is_read_up_to_the_bound_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endless = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(endless)))
    with pytest.raises(FileRefused, match=r"^is more than 3 MiB; an export may be at most 3 MiB$"):
        read_limited(Path("-"), limit=3 * 1024 * 1024, what="an export")
    assert endless.given <= 3 * 1024 * 1024 + 2 * 1024 * 1024  # the bound and a chunk or so
