"""Routine files that are not regular files, or whose size says nothing: refused in one
line, never opened when they are no file at all, never read past ``MAX_FILE_BYTES``.

A FIFO or a device that were opened or read would hang the command or eat memory, so
every case that could block runs in a subprocess with a timeout (a failure is then a
timeout, not a test run that never ends); the rest run in-process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.errors import RoutineError
from stretchcli.routine.library import MAX_FILE_BYTES, load_file

Stretch = Callable[..., Result]
GOOD = 'title = "Good"\n[[exercises]]\nname = "A"\n'
NOT_A_FILE = {
    "fifo": "Not a regular file: a named pipe",
    "device": "Not a regular file: a device",
    "socket": "Not a regular file: a socket",
    "folder": "Is a directory",
}


@pytest.fixture
def odd_files(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """``NAME.toml`` for each kind in ``NOT_A_FILE``: a FIFO nobody writes to, a link to
    /dev/zero, a listening-less Unix socket, a folder."""
    folder = tmp_path / "odd"
    folder.mkdir()
    paths = {kind: folder / f"{kind}.toml" for kind in NOT_A_FILE}
    os.mkfifo(paths["fifo"])
    paths["device"].symlink_to("/dev/zero")
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(paths["socket"]))
    paths["folder"].mkdir()
    yield paths
    unix.close()


def run_cli(
    args: list[str | Path], env: dict[str, str], timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """``stretch ARGS`` in a subprocess; a hang is a ``TimeoutExpired``, a failure."""
    return subprocess.run(
        [sys.executable, "-m", "stretchcli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """The environment of the ``home`` fixture, for subprocesses."""
    return dict(os.environ)


def test_paths_that_are_no_regular_files_are_one_line_each_for_validate(
    odd_files: dict[str, Path], env: dict[str, str]
) -> None:
    done = run_cli(["validate", *odd_files.values()], env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        f"{path}: cannot read file ({NOT_A_FILE[kind]})" for kind, path in odd_files.items()
    ]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("command", ["show", "start"])
def test_a_path_that_is_no_regular_file_is_one_line_and_exit_1(
    odd_files: dict[str, Path], env: dict[str, str], kind: str, command: str
) -> None:
    path = odd_files[kind]
    done = run_cli([command, path], env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{path}: cannot read file ({NOT_A_FILE[kind]})\n"


def test_a_device_given_to_validate_is_refused_without_a_read(env: dict[str, str]) -> None:
    """Not a .toml name, so it is only ever read by validate."""
    done = run_cli(["validate", "/dev/zero", "/dev/null"], env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"/dev/zero: cannot read file ({NOT_A_FILE['device']})",
        f"/dev/null: cannot read file ({NOT_A_FILE['device']})",
    ]


def test_odd_entries_in_a_routine_folder_are_one_warning_each(
    odd_files: dict[str, Path], env: dict[str, str]
) -> None:
    folder = odd_files["fifo"].parent
    (folder / "good.toml").write_text(GOOD, encoding="utf-8")
    env["STRETCH_ROUTINES"] = str(folder)

    done = run_cli(["list", "--json"], env)
    assert done.returncode == 0
    assert sorted(done.stderr.splitlines()) == sorted(
        f"stretch: skipped {path}: cannot read file ({NOT_A_FILE[kind]})"
        for kind, path in odd_files.items()
    )
    assert '"id": "good"' in done.stdout
    assert '"id": "lower-back"' in done.stdout
    # An id that names one of them is not a routine; a good one still plays.
    shown = run_cli(["show", "fifo"], env)
    assert shown.returncode == 1
    assert shown.stderr.startswith("no routine 'fifo'")
    assert run_cli(["show", "good"], env).returncode == 0


def test_a_regular_file_whose_size_says_nothing_is_read_only_up_to_the_bound(
    tmp_path: Path,
) -> None:
    """/proc/self/pagemap is a regular file of size 0 that reads on for gigabytes: the
    size check passes, so only a bounded read stops it."""
    pagemap = Path("/proc/self/pagemap")
    io_stats = Path("/proc/self/io")
    if not pagemap.exists() or not io_stats.exists():
        pytest.skip("needs Linux /proc")
    assert pagemap.stat().st_size == 0

    def bytes_read() -> int:
        line = next(x for x in io_stats.read_text().splitlines() if x.startswith("rchar:"))
        return int(line.split()[1])

    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    load_file(good)  # imports done, so that only the reading of pagemap counts
    before = bytes_read()
    with pytest.raises(RoutineError) as refused:
        load_file(pagemap)
    assert bytes_read() - before <= MAX_FILE_BYTES + 128 * 1024  # a chunk, and /proc/self/io
    assert refused.value.problems == [
        f"{pagemap}: file has more than 1024 KiB; a routine file may be at most 1024 KiB"
    ]


def test_the_read_is_bounded_even_when_the_size_says_the_file_is_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows after it was measured (or lies about its size): a 50 MiB file
    that both stats call empty is read up to the bound and refused."""
    big = tmp_path / "growing.toml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    real_stat, real_fstat = os.stat, os.fstat

    def small(result: os.stat_result) -> os.stat_result:
        fields = list(result)
        fields[6] = 0  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda *a, **k: small(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    chunks: list[int] = []
    real_read = os.read

    def read(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        chunks.append(len(data))
        return data

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(RoutineError) as refused:
        load_file(big)
    assert refused.value.problems == [
        f"{big}: file has more than 1024 KiB; a routine file may be at most 1024 KiB"
    ]
    assert MAX_FILE_BYTES < sum(chunks) <= MAX_FILE_BYTES + 64 * 1024


def test_a_file_of_exactly_the_bound_is_read(tmp_path: Path) -> None:
    """The bound is inclusive: a file of MAX_FILE_BYTES is read in full (and here found to
    be a TOML comment, then nothing)."""
    path = tmp_path / "edge.toml"
    path.write_bytes(GOOD.encode() + b"#" * (MAX_FILE_BYTES - len(GOOD)))
    assert load_file(path).title == "Good"
    path.write_bytes(path.read_bytes() + b"#")
    with pytest.raises(RoutineError, match=r"file is 1\.0 MiB; a routine file may be at most"):
        load_file(path)


def test_a_link_to_a_regular_file_still_loads(stretch: Stretch, tmp_path: Path) -> None:
    target = tmp_path / "real.toml"
    target.write_text(GOOD, encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert stretch("validate", link) == Result(0, f"{link}: ok\n", "")
    assert stretch("show", link).code == 0
