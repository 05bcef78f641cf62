"""The routine list's summaries and their cache (routine/catalog.py): the same list with
or without the cache, a file loaded again when it changes, and a cache that is damaged,
forged, too big, not a file or not writable changes nothing but the time taken."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.routine import catalog
from stretchcli.routine.catalog import CACHE_LIMIT, SETTLE_NS, RoutineSummary, list_summaries
from stretchcli.routine.library import load_file, scan_routines
from stretchcli.routine.timeline import build_timeline

MINE = 'title = "Mine"\nsummary = "My own."\ntags = ["desk"]\n[[exercises]]\nname = "A"\n'
BROKEN = 'title = "Broken"\n[[exercises]]\nname = "A"\nhold = -1\n'


# A fixed instant long past for the files written here: a file modified in the last
# SETTLE_NS is validated every time and never cached (see test_a_file_just_written_...).
LONG_AGO_NS = 1_700_000_000 * 10**9


def write(path: Path, text: str, *, modified_ns: int = LONG_AGO_NS) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(modified_ns, modified_ns))
    return path


@pytest.fixture
def routines(home: Path) -> Path:
    """The STRETCH_ROUTINES folder of the ``home`` fixture, with one routine in it."""
    folder = Path(os.environ["STRETCH_ROUTINES"])
    write(folder / "mine.toml", MINE)
    return folder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every routine file the catalog loads (validates), in order."""
    seen: list[Path] = []
    real = catalog.load_file

    def counting(path: Path) -> object:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(catalog, "load_file", counting)
    return seen


def cache_file(home: Path) -> Path:
    return home / "cache" / "routines.json"


def test_summaries_are_what_the_loaded_routines_say(routines: Path, home: Path) -> None:
    summaries, warnings = list_summaries(cache_file(home))
    sources, expected_warnings = scan_routines()
    assert warnings == expected_warnings == []
    loaded = [(source, load_file(source.path)) for source in sources]
    assert summaries == [
        RoutineSummary(
            id=source.id,
            title=routine.title,
            summary=routine.summary,
            tags=tuple(routine.tags),
            exercises=len(routine.exercises),
            seconds=build_timeline(routine).total_seconds,
            origin=source.origin,
            path=source.path,
        )
        for source, routine in loaded
    ]
    mine = next(summary for summary in summaries if summary.id == "mine")
    assert (mine.title, mine.summary, mine.tags, mine.origin) == (
        "Mine",
        "My own.",
        ("desk",),
        "user",
    )


@pytest.mark.usefixtures("routines")
def test_the_second_list_loads_nothing_and_is_the_same(home: Path, loads: list[Path]) -> None:
    first = list_summaries(cache_file(home))
    count = len(loads)
    assert count == len(first[0]) >= 7  # six built-in routines and mine
    assert list_summaries(cache_file(home)) == first
    assert len(loads) == count
    assert list_summaries(None) == first  # without a cache: loaded again, the same


def test_a_changed_file_is_loaded_again_and_only_it(
    routines: Path, home: Path, loads: list[Path]
) -> None:
    list_summaries(cache_file(home))
    loads.clear()
    mine = routines / "mine.toml"
    write(mine, MINE.replace('"Mine"', '"Mind"'))  # the same size, and the same time
    summaries, _ = list_summaries(cache_file(home))
    assert loads == [mine]
    assert next(s.title for s in summaries if s.id == "mine") == "Mind"


def test_a_removed_file_leaves_the_list_and_the_cache(
    routines: Path, home: Path, loads: list[Path]
) -> None:
    list_summaries(cache_file(home))
    (routines / "mine.toml").unlink()
    summaries, _ = list_summaries(cache_file(home))
    assert "mine" not in {summary.id for summary in summaries}
    assert "mine" not in cache_file(home).read_text(encoding="utf-8")  # path is hex
    assert (routines / "mine.toml").as_posix().encode().hex() not in cache_file(home).read_text(
        encoding="utf-8"
    )


def test_a_bad_file_is_skipped_with_its_problem_cached_until_it_is_mended(
    routines: Path, home: Path, loads: list[Path]
) -> None:
    broken = routines / "broken.toml"
    write(broken, BROKEN)
    summaries, warnings = list_summaries(cache_file(home))
    assert "broken" not in {summary.id for summary in summaries}
    assert len(warnings) == 1
    assert warnings[0].startswith(f"skipped {broken}:") and "hold" in warnings[0]

    loads.clear()
    assert list_summaries(cache_file(home)) == (summaries, warnings)
    assert loads == []

    write(broken, BROKEN.replace("-1", "20"), modified_ns=LONG_AGO_NS + 1)
    summaries, warnings = list_summaries(cache_file(home))
    assert (loads, warnings) == ([broken], [])
    assert "broken" in {summary.id for summary in summaries}


def test_a_file_just_written_is_validated_each_time_until_it_has_settled(
    routines: Path, home: Path, loads: list[Path]
) -> None:
    """File times tick in steps of milliseconds: a file rewritten within one step at the
    same size would keep its key, so a file modified in the last SETTLE_NS is never cached:
    it is validated at every list until it has settled."""
    mine = routines / "mine.toml"
    mine.write_text(MINE, encoding="utf-8")  # modified now
    key = os.fsencode(mine).hex()
    for _ in range(2):
        loads.clear()
        summaries, _ = list_summaries(cache_file(home))
        assert loads.count(mine) == 1
        assert "mine" in {summary.id for summary in summaries}
        assert key not in cache_file(home).read_text(encoding="utf-8")
    settled = time.time_ns() - SETTLE_NS
    os.utime(mine, ns=(settled, settled))
    loads.clear()
    list_summaries(cache_file(home))
    assert loads == [mine]  # its change time changed with its times: loaded, and cached
    assert key in cache_file(home).read_text(encoding="utf-8")
    loads.clear()
    list_summaries(cache_file(home))
    assert loads == []


def forged(home: Path, change: object) -> None:
    """Rewrite the cache's entries with ``change(entry)``."""
    path = cache_file(home)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["routines"].values():
        change(entry)  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")


def _set(field: str, value: object) -> object:
    def change(entry: dict[str, dict[str, object]]) -> None:
        if "summary" in entry:
            entry["summary"][field] = value

    return change


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\xff\xfe not json",
        b"[]",
        b'{"version": "0", "routines": {}}',
        b"[" * 100_000,
        b"1" * 5_000,
        b"x" * (CACHE_LIMIT + 1),
    ],
    ids=["empty", "bytes", "list", "old-version", "deep", "long-number", "too-big"],
)
@pytest.mark.usefixtures("routines")
def test_a_damaged_cache_is_thrown_away_and_written_anew(
    home: Path, loads: list[Path], damage: bytes
) -> None:
    expected = list_summaries(cache_file(home))
    cache_file(home).write_bytes(damage)
    loads.clear()
    assert list_summaries(cache_file(home)) == expected
    assert len(loads) == len(expected[0])  # every file loaded again
    loads.clear()
    assert list_summaries(cache_file(home)) == expected
    assert loads == []  # the cache was written anew


@pytest.mark.parametrize(
    "change",
    [
        _set("title", 7),
        _set("exercises", True),
        _set("exercises", -1),
        _set("seconds", 1.5),
        _set("seconds", 10**20),
        _set("tags", "desk"),
        _set("tags", [None]),
        _set("title", "x" * 5000),
        _set("extra", 1),
        lambda entry: entry.update(problem="skipped"),
        lambda entry: entry.clear(),
    ],
    ids=[
        "title-number", "count-bool", "count-negative", "seconds-float", "seconds-huge",
        "tags-string", "tags-null", "title-long", "extra-field", "two-kinds", "empty-entry",
    ],
)  # fmt: skip
@pytest.mark.usefixtures("routines")
def test_a_forged_entry_throws_the_whole_cache_away(
    home: Path, loads: list[Path], change: object
) -> None:
    expected = list_summaries(cache_file(home))
    forged(home, change)
    loads.clear()
    assert list_summaries(cache_file(home)) == expected
    assert len(loads) == len(expected[0])


@pytest.mark.usefixtures("routines")
def test_a_cache_that_is_no_file_or_cannot_be_written_changes_nothing(
    home: Path, loads: list[Path]
) -> None:
    expected = list_summaries(None)
    cache = cache_file(home)
    cache.parent.mkdir()
    os.mkfifo(cache)  # a FIFO: never opened (reading would wait); our file takes its place
    assert list_summaries(cache) == expected
    assert cache.is_file()
    cache.unlink()
    elsewhere = home / "elsewhere.json"
    cache.symlink_to(elsewhere)  # a link is replaced too, never written through
    assert list_summaries(cache) == expected
    assert (cache.is_symlink(), cache.is_file(), elsewhere.exists()) == (False, True, False)
    cache.unlink()

    cache.mkdir()  # a folder in its place
    assert list_summaries(cache) == expected
    assert cache.is_dir()
    cache.rmdir()

    cache.parent.rmdir()
    cache.parent.write_text("not a folder", encoding="utf-8")  # no folder can be made there
    assert list_summaries(cache) == expected
    assert cache.parent.read_text(encoding="utf-8") == "not a folder"


def test_text_from_a_forged_cache_is_shown_literally(
    routines: Path, home: Path, stretch: Callable[..., Result]
) -> None:
    """The cache is read as untrusted bytes: a title with an escape sequence and markup
    that passes its checks is printed as text, like the same title in a routine file."""
    assert stretch("list").code == 0
    forged(home, _set("title", "\x1b]0;owned\x07[link=https://x.example]Mine[/link]"))
    result = stretch("list", "--json")
    listed = {row["id"]: row["title"] for row in json.loads(result.out)}
    assert listed["mine"].startswith("\x1b]0;owned")  # the data itself, kept as it was
    shown = stretch("list")
    assert shown.code == 0
    assert "\x1b" not in shown.out and "\x07" not in shown.out
    assert "[link=https://x.example]Mine[/link]" in shown.out.replace("\n", "")
