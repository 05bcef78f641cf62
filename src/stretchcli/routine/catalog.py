"""The list of routines (`stretch list`): each routine file found, summarised in a line of
figures, with a cache of the summaries so that a list of unchanged files loads no model.

Validating a routine needs pydantic and the routine model, about 60 ms of start-up on
their own, for figures (title, summary, exercises, time) that change only when the file
does. The cache keeps each file's summary, or the problem that made it skipped, under the
file's identity (path, device, inode, size, modification and change times in
nanoseconds) and the code's (stretchcli's version and the modification times of the
model and timeline modules); a file whose identity differs is loaded again.
The cache is ours but still read as untrusted bytes: anything in it that is not exactly
what this module writes is thrown away whole, and a cache that cannot be read or written
changes nothing but the time taken.
"""

from __future__ import annotations

import json
import os
import stat
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stretchcli import __version__
from stretchcli.errors import RoutineError
from stretchcli.routine.library import (
    Origin,
    RoutineSource,
    load_file,
    scan_routines,
)

SETTLE_NS = 3_000_000_000  # a file modified this recently is validated, not cached
CACHE_LIMIT = 1024 * 1024  # bytes of cache read at most (a few hundred bytes per routine)
_TEXT_LIMIT = 2_000  # characters of any text in a cached summary (files allow 200)


@dataclass(frozen=True)
class RoutineSummary:
    """What `stretch list` shows of one routine."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    exercises: int
    seconds: int
    origin: Origin
    path: Path


def _code_stamp() -> str:
    """What the summaries were made by: a new version, or a changed model or timeline
    module (a development install), makes every cached summary stale."""
    here = Path(__file__).parent
    times = []
    for module in ("model.py", "timeline.py"):
        with suppress(OSError):
            times.append(str((here / module).stat().st_mtime_ns))
    return ":".join([__version__, *times])


def summarise(source: RoutineSource) -> RoutineSummary:
    """Load and summarise the routine at ``source``; raises ``RoutineError``."""
    from stretchcli.routine.timeline import build_timeline

    routine = load_file(source.path)
    return RoutineSummary(
        id=source.id,
        title=routine.title,
        summary=routine.summary,
        tags=tuple(routine.tags),
        exercises=len(routine.exercises),
        seconds=build_timeline(routine).total_seconds,
        origin=source.origin,
        path=source.path,
    )


def list_summaries(cache: Path | None = None) -> tuple[list[RoutineSummary], list[str]]:
    """Every routine found, summarised, in id order; bad files and folders come back as
    warning lines. ``cache``: the cache file to use (read, and rewritten when a file was
    loaded anew), or None for none."""
    sources, warnings = scan_routines()
    cached = _read_cache(cache) if cache is not None else {}
    entries: dict[str, dict[str, Any]] = {}
    summaries: list[RoutineSummary] = []
    for source in sources:
        key, settled = _identity(source.path)
        entry = cached.get(key) if key is not None else None
        if entry is None:
            try:
                entry = {"summary": _summary_fields(summarise(source))}
            except RoutineError as exc:
                entry = {"problem": _skipped(exc)}
        if key is not None and (settled or key in cached):
            entries[key] = entry
        if "problem" in entry:
            warnings.append(entry["problem"])
        else:
            summaries.append(_summary(source, entry["summary"]))
    if cache is not None and entries != cached:
        _write_cache(cache, entries)
    return summaries, warnings


def _skipped(exc: RoutineError) -> str:
    """The warning for a routine file left out of the list: its first problem."""
    more = len(exc.problems) - 1
    return f"skipped {exc.problems[0]}" + (f" (+{more} more)" if more else "")


def _identity(path: Path) -> tuple[str | None, bool]:
    """The file's identity as a cache key (None when it is no regular file: never cached,
    its problem is found again each time without reading it), and whether the file has
    been left alone long enough to be cached.

    A file modified within ``SETTLE_NS`` of now is not cached (as git treats a "racily
    clean" file): file times tick in steps of a few milliseconds (2 s on FAT), so a file
    written again within the same step, at the same size, would keep its key. (A change
    of the time itself, ``touch``, changes the key through the change time.)"""
    try:
        info = path.stat()
    except OSError:
        return None, False
    if not stat.S_ISREG(info.st_mode):
        return None, False
    figures = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    key = os.fsencode(path).hex() + ":" + ":".join(str(figure) for figure in figures)
    settled = time.time_ns() - info.st_mtime_ns >= SETTLE_NS
    return key, settled


def _summary_fields(summary: RoutineSummary) -> dict[str, Any]:
    fields = asdict(summary)
    for per_source in ("id", "origin", "path"):  # from the scan, not the file
        del fields[per_source]
    fields["tags"] = list(summary.tags)
    return fields


def _summary(source: RoutineSource, fields: dict[str, Any]) -> RoutineSummary:
    return RoutineSummary(
        id=source.id,
        title=fields["title"],
        summary=fields["summary"],
        tags=tuple(fields["tags"]),
        exercises=fields["exercises"],
        seconds=fields["seconds"],
        origin=source.origin,
        path=source.path,
    )


def _read_cache(cache: Path) -> dict[str, dict[str, Any]]:
    """The cached entries, or none when the file is missing, unreadable or not exactly
    what ``_write_cache`` writes."""
    from stretchcli.files import FileRefused, read_limited

    try:
        data = json.loads(read_limited(cache, limit=CACHE_LIMIT, what="a cache", streams=False))
    except (OSError, FileRefused, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _code_stamp():
        return {}
    entries = data.get("routines")
    if not isinstance(entries, dict) or not all(
        isinstance(key, str) and _valid_entry(entry) for key, entry in entries.items()
    ):
        return {}
    return entries


def _valid_entry(entry: object) -> bool:
    if not isinstance(entry, dict) or len(entry) != 1:
        return False
    if "problem" in entry:
        return _text(entry["problem"])
    fields = entry.get("summary")
    return (
        isinstance(fields, dict)
        and set(fields) == {"title", "summary", "tags", "exercises", "seconds"}
        and _text(fields["title"])
        and _text(fields["summary"])
        and isinstance(fields["tags"], list)
        and len(fields["tags"]) <= 100
        and all(_text(tag) for tag in fields["tags"])
        and _count(fields["exercises"])
        and _count(fields["seconds"])
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= _TEXT_LIMIT


def _count(value: object) -> bool:
    return type(value) is int and 0 <= value < 10**9  # no bool, no float


def _write_cache(cache: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Replace the cache atomically; a folder that cannot be made or written is no error."""
    from stretchcli.files import write_atomic

    text = json.dumps({"version": _code_stamp(), "routines": entries}, ensure_ascii=True)
    if len(text) > CACHE_LIMIT:
        return  # it would not be read back
    with suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, lambda handle: handle.write(text))
