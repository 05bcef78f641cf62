"""The export format: a JSON document of sessions (also the journal's and the fallback
file's), read and validated whole, and the JSON and CSV writers of ``stretch export``."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from stretchcli.errors import HistoryError
from stretchcli.files import MIB, FileRefused, read_limited
from stretchcli.history.record import RECORD_FIELDS, SessionRecord
from stretchcli.history.validate import parse_record, shown

EXPORT_FORMAT = "stretchcli-history"
EXPORT_VERSION = 1
# The most `stretch import` reads: an export of 100,000 sessions (about 90 years of three
# sessions a day) is 82 MiB (bench/bench_history.py's sessions), so three times that.
MAX_EXPORT_BYTES = 256 * MIB


def export_document(records: Iterable[SessionRecord]) -> dict[str, Any]:
    """The export/fallback file content for some records."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "sessions": [r.to_json_dict() for r in records],
    }


def parse_export(data: object, *, name: str = "input") -> list[SessionRecord]:
    """Validate a whole export document (or a bare list, as ``stretch log --json`` prints).

    Every record is checked before anything is returned; the first problem raises
    ``HistoryError`` with the record number (counted from 1) and the field.
    """
    if isinstance(data, dict):
        unknown = set(data) - {"format", "version", "sessions", "exported_at"}
        if data.get("format") != EXPORT_FORMAT:
            raise HistoryError(f"{name}: not a stretchcli history export (no format marker)")
        version = data.get("version")
        if type(version) is not int or version != EXPORT_VERSION:  # not true, not 1.0
            raise HistoryError(
                f"{name}: export version {shown(version)} is not supported (this stretchcli reads "
                f"version {EXPORT_VERSION}); upgrade stretchcli"
            )
        if unknown:
            raise HistoryError(f"{name}: unknown top-level field {shown(sorted(unknown)[0])}")
        items = data.get("sessions")
    else:
        items = data
    if not isinstance(items, list):
        raise HistoryError(f"{name}: expected a list of sessions")
    return [
        parse_record(item, where=f"{name}: record {number}") for number, item in enumerate(items, 1)
    ]


def read_export(
    path: Path,
    *,
    limit: int = MAX_EXPORT_BYTES,
    what: str = "an export",
    streams: bool = True,
    follow: bool = True,
    csv: bool = True,
) -> list[SessionRecord]:
    """Read and validate an export or fallback file (``-`` reads standard input), at most
    ``limit`` bytes of it (``files.read_limited``: ``what`` names such a file in a message,
    ``streams`` and ``follow`` say whether a pipe and a symbolic link are read). JSON, or
    (``csv``) the CSV of ``write_csv``. Any problem is one ``HistoryError`` line naming
    ``path``."""
    name = source_name(path)
    try:
        data = read_limited(path, limit=limit, what=what, streams=streams, follow=follow)
    except FileRefused as exc:
        raise HistoryError(f"{name}: {exc}") from None
    except OSError as exc:
        raise HistoryError(f"{name}: cannot read file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HistoryError(
            f"{name}: cannot read file (not UTF-8 text: byte {data[exc.start]:#04x} at "
            f"offset {exc.start})"
        ) from None
    del data  # up to 256 MiB, not needed while the JSON is parsed
    with gc_paused():
        if not csv or text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
            return parse_export(_json(text, name), name=name)
        from stretchcli.history.csvfile import looks_like_csv, parse_csv

        if looks_like_csv(text):
            return parse_export(parse_csv(text, name), name=name)
    raise HistoryError(f"{name}: not a stretchcli export: expected JSON or CSV")


def source_name(path: Path) -> str:
    """How messages name a file to read: ``standard input`` for ``-``."""
    return "standard input" if str(path) == "-" else str(path)


def _json(text: str, name: str) -> object:
    """The JSON document in ``text``; whatever is wrong with it is one ``HistoryError``
    line (also a number too long for Python, ``NaN``, or nesting too deep to parse)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise HistoryError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise HistoryError(f"{name}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        # int() refuses more than 4300 digits; _no_constant refuses NaN and Infinity.
        reason = str(exc) if isinstance(exc, _Constant) else "a number with too many digits"
        raise HistoryError(f"{name}: not valid JSON ({reason})") from None


class _Constant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python reads them, JSON has no such numbers."""


def _no_constant(word: str) -> object:
    raise _Constant(f"{word} is not a JSON number")


def write_json(records: Sequence[SessionRecord], out: IO[str]) -> int:
    """Write ``records`` as an export document, one session a line; returns the count."""
    out.write(f'{{"format": "{EXPORT_FORMAT}", "version": {EXPORT_VERSION}, "sessions": [')
    for number, record in enumerate(records):
        out.write(",\n  " if number else "\n  ")
        out.write(json.dumps(record.to_json_dict(), ensure_ascii=False))
    out.write("\n]}\n" if records else "]}\n")
    return len(records)


def write_csv(records: Sequence[SessionRecord], out: IO[str]) -> int:
    """Write one CSV row per session; ``sides`` and ``pain`` hold JSON lists."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_FIELDS)
    for record in records:
        data = record.to_json_dict()
        data["sides"] = json.dumps(data["sides"], ensure_ascii=False)
        data["pain"] = json.dumps(data["pain"], ensure_ascii=False)
        writer.writerow([_cell(data[k]) for k in RECORD_FIELDS])
    return len(records)


def _cell(value: object) -> object:
    """A CSV cell as JSON would write the value: empty for null, true/false for flags."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building many objects that all stay alive (JSON
    and records of a big import or export): the collector would rescan them all, over and
    over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
