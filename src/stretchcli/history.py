"""The session history: record types, the SQLite store, export/import, and statistics.

No typer and no rich here. The CLI opens a ``HistoryStore``, calls one method and renders
the plain data it gets back (see ``report.py``).

Storage rules (see docs/history.md): WAL, ``busy_timeout``, one ``BEGIN IMMEDIATE``
transaction per write, the schema version in ``PRAGMA user_version`` with migrations run in
order, each in its own transaction. A file at the database path that is not one of our
databases is refused and never written to. ``save_session`` never loses a finished session:
when the database cannot be written it saves the record as a JSON file to import later.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import re
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self, cast, get_args

from stretchcli.errors import HistoryError
from stretchcli.records import PainAnswer as PainAnswer
from stretchcli.records import PainRecord as PainRecord
from stretchcli.records import SideRecord as SideRecord
from stretchcli.records import Source as Source
from stretchcli.records import Status as Status

PAIN_ANSWERS: tuple[PainAnswer, ...] = get_args(PainAnswer)
STATUSES: tuple[Status, ...] = get_args(Status)
SOURCES: tuple[Source, ...] = get_args(Source)

EXPORT_FORMAT = "stretchcli-history"
EXPORT_VERSION = 1
# "STRC": marks a SQLite file as ours (PRAGMA application_id, bytes 68-71 of the header).
APPLICATION_ID = 0x53545243
SQLITE_MAGIC = b"SQLite format 3\x00"
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CHUNK = 500  # ids per `IN (...)` query, well below SQLite's variable limit
_BULK = 2000  # a batch this big is an import: bigger page cache, one scan for known ids
_BULK_CACHE_KIB = -128 * 1024  # negative: KiB (SQLite's convention)
_BUSY_RETRY_SECONDS = 0.01  # between tries of a change SQLite refused at once as busy


# --- records ---


@dataclass(frozen=True)
class SessionRecord:
    """One session, however it ended; ``stretch log --json`` prints a list of these."""

    id: str
    routine: str
    title: str
    started_at: datetime
    ended_at: datetime
    duration_s: float
    status: Status
    source: Source
    pain_before: int | None
    pain_after: int | None
    sides: tuple[SideRecord, ...] = ()
    pain: tuple[PainRecord, ...] = ()
    note: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data: ISO 8601 datetimes with offset, lists of objects."""
        return {
            "id": self.id,
            "routine": self.routine,
            "title": self.title,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "duration_s": self.duration_s,
            "status": self.status,
            "source": self.source,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "sides": [
                {
                    "exercise_index": s.exercise_index,
                    "exercise": s.exercise,
                    "side": s.side,
                    "held_s": s.held_s,
                    "holds": s.holds,
                }
                for s in self.sides
            ],
            "pain": [
                {
                    "exercise_index": p.exercise_index,
                    "exercise": p.exercise,
                    "answer": p.answer,
                    "side": p.side,
                }
                for p in self.pain
            ],
            "note": self.note,
        }

    @classmethod
    def from_json_dict(cls, data: object, *, where: str = "record") -> SessionRecord:
        """Validate JSON data strictly and build a record.

        Raises ``HistoryError`` naming ``where`` and the field, e.g.
        ``record 3: started_at: expected an ISO 8601 date-time with a UTC offset``.
        A record without ``source`` gets ``"import"``.
        """
        return _parse_record(data, where)


def new_session_id() -> str:
    """A fresh session id (uuid4 hex): stable for the record's life, so import can dedup."""
    import uuid

    return uuid.uuid4().hex


class _Invalid(Exception):
    """Internal: one field of a record is wrong (``field``, ``problem``)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")


# Field order of the JSON record and of the CSV columns.
_RECORD_FIELDS = tuple(f.name for f in fields(SessionRecord))
_ALLOWED = frozenset(_RECORD_FIELDS)
_REQUIRED = frozenset(("id", "routine", "title", "started_at", "ended_at", "duration_s", "status"))
_SIDE_ORDER = ("exercise_index", "exercise", "side", "held_s", "holds")
_SIDE_FIELDS = frozenset(_SIDE_ORDER)
_PAIN_ORDER = ("exercise_index", "exercise", "answer", "side")
_PAIN_FIELDS = frozenset(_PAIN_ORDER)
_PAIN_REQUIRED = _PAIN_FIELDS - {"side"}
_side_items = itemgetter(*_SIDE_ORDER)
_pain_items = itemgetter("exercise_index", "exercise", "answer")


def _parse_record(data: object, where: str) -> SessionRecord:
    try:
        return _record_from(data)
    except _Invalid as exc:
        raise HistoryError(f"{where}: {exc}") from None


def _record_from(data: object) -> SessionRecord:
    obj = _object(data, "(record)", _ALLOWED, _REQUIRED)
    started = _datetime(obj["started_at"], "started_at")
    ended = _datetime(obj["ended_at"], "ended_at")
    if ended < started:
        raise _Invalid("ended_at", f"is before started_at ({obj['ended_at']!r})")
    return SessionRecord(
        id=_session_id(obj["id"]),
        routine=_text(obj["routine"], "routine", empty=False),
        title=_text(obj["title"], "title"),
        started_at=started,
        ended_at=ended,
        duration_s=_seconds(obj["duration_s"], "duration_s"),
        status=cast(Status, _choice(obj["status"], "status", STATUSES)),
        source=cast(Source, _choice(obj.get("source", "import"), "source", SOURCES)),
        pain_before=_rating(obj.get("pain_before"), "pain_before"),
        pain_after=_rating(obj.get("pain_after"), "pain_after"),
        sides=tuple(_side_from(item, i) for i, item in enumerate(_list(obj, "sides"))),
        pain=tuple(_pain_from(item, i) for i, item in enumerate(_list(obj, "pain"))),
        note=_text(obj.get("note", ""), "note"),
    )


def _side_from(data: object, number: int) -> SideRecord:
    """One ``sides`` item. A quick test passes valid items (an import has hundreds of
    thousands); anything else goes through the field-by-field checks for the message."""
    if type(data) is dict and data.keys() == _SIDE_FIELDS:
        index, name, side, held, holds = _side_items(data)
        if (
            type(index) is int
            and index >= 0
            and type(name) is str
            and (side is None or (type(side) is str and side.strip()))
            and type(held) in (int, float)
            and 0 <= held < math.inf
            and type(holds) is int
            and holds >= 0
        ):
            return SideRecord(index, name, side, float(held), holds)
    where = f"sides[{number}]"
    obj = _object(data, where, _SIDE_FIELDS, _SIDE_FIELDS)
    return SideRecord(
        exercise_index=_count(obj["exercise_index"], f"{where}.exercise_index"),
        exercise=_text(obj["exercise"], f"{where}.exercise"),
        side=_optional_text(obj["side"], f"{where}.side"),
        held_s=_seconds(obj["held_s"], f"{where}.held_s"),
        holds=_count(obj["holds"], f"{where}.holds"),
    )


def _pain_from(data: object, number: int) -> PainRecord:
    """One ``pain`` item: a quick test first, as for sides."""
    if type(data) is dict and _PAIN_REQUIRED <= data.keys() <= _PAIN_FIELDS:
        index, name, answer = _pain_items(data)
        side = data.get("side")
        if (
            type(index) is int
            and index >= 0
            and type(name) is str
            and answer in PAIN_ANSWERS
            and (side is None or (type(side) is str and side.strip()))
        ):
            return PainRecord(index, name, answer, side)
    where = f"pain[{number}]"
    obj = _object(data, where, _PAIN_FIELDS, _PAIN_REQUIRED)
    return PainRecord(
        exercise_index=_count(obj["exercise_index"], f"{where}.exercise_index"),
        exercise=_text(obj["exercise"], f"{where}.exercise"),
        answer=cast(PainAnswer, _choice(obj["answer"], f"{where}.answer", PAIN_ANSWERS)),
        side=_optional_text(obj.get("side"), f"{where}.side"),
    )


def _object(
    data: object, where: str, allowed: frozenset[str], required: frozenset[str]
) -> dict[str, Any]:
    """``data`` as a dict with only ``allowed`` keys and all ``required`` ones."""
    if not isinstance(data, dict):
        raise _Invalid(where, f"expected an object, got {_kind(data)}")
    if data.keys() <= allowed and required <= data.keys():
        return data
    for key in data:
        if key not in allowed:
            raise _Invalid(where, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")
    missing = sorted(required - data.keys())[0]
    raise _Invalid(missing if where == "(record)" else f"{where}.{missing}", "missing")


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), f"a {type(value).__name__}")


def _text(value: object, name: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _Invalid(name, f"expected a string, got {_kind(value)}")
    if not empty and not value.strip():
        raise _Invalid(name, "must not be empty")
    return value


def _optional_text(value: object, name: str) -> str | None:
    return None if value is None else _text(value, name, empty=False)


def _session_id(value: object) -> str:
    text = _text(value, "id")
    if not _ID_PATTERN.fullmatch(text):
        raise _Invalid("id", f"expected 1-64 letters, digits, '.', '_' or '-', got {text!r}")
    return text


def _datetime(value: object, name: str) -> datetime:
    text = _text(value, name)
    problem = f"expected an ISO 8601 date-time with a UTC offset, got {text!r}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(name, problem) from None
    if parsed.utcoffset() is None:
        raise _Invalid(name, problem)
    if parsed.timestamp() < 0:
        raise _Invalid(name, f"is before 1970 ({text!r})")
    return parsed


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(name, f"expected a number of seconds, got {_kind(value)}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise _Invalid(name, f"expected a number of seconds >= 0, got {value!r}")
    return number


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid(name, f"expected a whole number >= 0, got {value!r}")
    return value


def _rating(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _Invalid(name, f"expected a whole number 0-10 or null, got {value!r}")
    return value


def _choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _Invalid(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def _list(obj: Mapping[str, Any], name: str) -> list[object]:
    value = obj.get(name, [])
    if not isinstance(value, list):
        raise _Invalid(name, f"expected a list, got {_kind(value)}")
    return value


def checked(record: SessionRecord) -> SessionRecord:
    """The record after the same validation an import gets (aware datetimes, ranges...)."""
    return _parse_record(record.to_json_dict(), f"session {record.id!r}")


# --- export format ---


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
        if version != EXPORT_VERSION:
            raise HistoryError(
                f"{name}: export version {version!r} is not supported (this stretchcli reads "
                f"version {EXPORT_VERSION}); upgrade stretchcli"
            )
        if unknown:
            raise HistoryError(f"{name}: unknown top-level field {sorted(unknown)[0]!r}")
        items = data.get("sessions")
    else:
        items = data
    if not isinstance(items, list):
        raise HistoryError(f"{name}: expected a list of sessions")
    return [_parse_record(item, f"{name}: record {number}") for number, item in enumerate(items, 1)]


def read_export(path: Path) -> list[SessionRecord]:
    """Read and validate an export or fallback file (``-`` reads standard input)."""
    import sys

    name = str(path)
    try:
        text = sys.stdin.read() if name == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise HistoryError(f"{name}: cannot read file ({reason})") from None
    with gc_paused():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HistoryError(
                f"{name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
            ) from None
        return parse_export(data, name=name)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building many objects that all stay alive (JSON
    and records of a big import): the collector would rescan them all, over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- schema ---


@dataclass(frozen=True)
class Migration:
    """One schema step: run in its own transaction, then ``user_version`` = ``version``."""

    version: int
    summary: str
    statements: tuple[str, ...]


_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sessions with their per-side times and pain answers",
        (
            f"PRAGMA application_id = {APPLICATION_ID}",
            # `pk` is internal: the child tables refer to it (small keys that only grow,
            # so bulk inserts append); `id` is the public, stable session id.
            """CREATE TABLE sessions (
                pk INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                routine TEXT NOT NULL,
                title TEXT NOT NULL,
                started_at TEXT NOT NULL,
                started_ts REAL NOT NULL,
                ended_at TEXT NOT NULL,
                duration_s REAL NOT NULL CHECK (duration_s >= 0),
                status TEXT NOT NULL CHECK (status IN ('completed', 'stopped', 'quit')),
                source TEXT NOT NULL CHECK (source IN ('guided', 'manual', 'import')),
                pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
                pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
                note TEXT NOT NULL DEFAULT ''
            )""",
            # Covers `log` (newest first) and the day-by-day scan of `stats`.
            """CREATE INDEX sessions_by_start ON sessions
                (started_ts, status, duration_s, pain_before, pain_after)""",
            "CREATE INDEX sessions_by_routine ON sessions (routine, started_ts)",
            """CREATE TABLE session_sides (
                session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                exercise_index INTEGER NOT NULL,
                exercise TEXT NOT NULL,
                side TEXT,
                held_s REAL NOT NULL,
                holds INTEGER NOT NULL,
                PRIMARY KEY (session_pk, seq)
            ) WITHOUT ROWID""",
            """CREATE TABLE session_pain (
                session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                exercise_index INTEGER NOT NULL,
                exercise TEXT NOT NULL,
                answer TEXT NOT NULL
                    CHECK (answer IN ('fine', 'sore', 'sharp', 'numbness', 'stop')),
                side TEXT,
                PRIMARY KEY (session_pk, seq)
            ) WITHOUT ROWID""",
            "CREATE INDEX session_pain_by_side ON session_pain (side, answer) "
            "WHERE side IS NOT NULL",
            # Running totals for `stats` (scanning every side row would take most of its
            # time budget): `record_many` adds each batch's sums, triggers take deletes off.
            """CREATE TABLE routine_totals (
                routine TEXT PRIMARY KEY NOT NULL,
                sessions INTEGER NOT NULL,
                duration_s REAL NOT NULL
            ) WITHOUT ROWID""",
            """CREATE TABLE side_totals (
                exercise TEXT NOT NULL,
                side TEXT NOT NULL,
                held_s REAL NOT NULL,
                holds INTEGER NOT NULL,
                rows INTEGER NOT NULL,
                PRIMARY KEY (exercise, side)
            ) WITHOUT ROWID""",
            """CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions BEGIN
                UPDATE routine_totals
                    SET sessions = sessions - 1, duration_s = duration_s - OLD.duration_s
                    WHERE routine = OLD.routine;
                DELETE FROM routine_totals WHERE routine = OLD.routine AND sessions <= 0;
            END""",
            """CREATE TRIGGER session_sides_deleted AFTER DELETE ON session_sides
                WHEN OLD.side IS NOT NULL BEGIN
                UPDATE side_totals
                    SET held_s = held_s - OLD.held_s, holds = holds - OLD.holds, rows = rows - 1
                    WHERE exercise = OLD.exercise AND side = OLD.side;
                DELETE FROM side_totals
                    WHERE exercise = OLD.exercise AND side = OLD.side AND rows <= 0;
            END""",
        ),
    ),
)


def schema_version() -> int:
    """The schema version this code writes (the last registered migration)."""
    return _MIGRATIONS[-1].version


# --- opening ---


def _inspect(path: Path) -> Literal["missing", "empty", "ours"]:
    """What is at ``path``, from its bytes only (nothing is opened for writing).

    Raises ``HistoryError`` for anything that is not a stretchcli database.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise HistoryError(f"history database {path} is a folder; move it away") from None
    except NotADirectoryError:
        raise HistoryError(
            f"history database {path}: a part of that path is a file, not a folder; "
            "check STRETCH_HOME"
        ) from None
    except OSError as exc:
        raise HistoryError(
            f"history database {path}: cannot read ({exc.strerror or exc}); check its permissions"
        ) from None
    if not header:
        # Created but never written (or being created by another process right now).
        return "empty"
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise _foreign(path, "is not a SQLite database (damaged, or another file)")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise _foreign(path, "is another program's SQLite database")
    return "ours"


def _foreign(path: Path, what: str) -> HistoryError:
    return HistoryError(
        f"history database {path} {what}; it was left untouched: move it away (or set "
        "STRETCH_HOME to another folder) and run stretch again to start a new history"
    )


def _check_read_only(path: Path, busy_timeout: float) -> None:
    """Look inside one of our databases without any chance of writing to it.

    A read-only connection to a WAL database may create empty ``-wal``/``-shm`` files; when
    the database is refused, the ones this check created are removed again.
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {p for p in sidecars if p.exists()}
    try:
        _check_version(path, busy_timeout)
    except HistoryError:
        wal = sidecars[0]
        if wal not in existed and (not wal.exists() or wal.stat().st_size == 0):
            for created in set(sidecars) - existed:
                # A read-only folder refuses even the unlink of a file that is not there.
                with suppress(OSError):
                    created.unlink(missing_ok=True)
        raise


def _check_version(path: Path, busy_timeout: float) -> None:
    uri = f"{path.absolute().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise HistoryError(f"history database {path}: cannot open ({exc})") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_READONLY_ROLLBACK:
            raise _HotJournal from None
        # Not damage: locked, or a WAL database in a read-only folder (where a reader
        # cannot make the -shm file it needs).
        raise HistoryError(
            f"history database {path}: cannot open ({exc}); is its folder read-only or its "
            "disk full, or is another program holding it?"
        ) from None
    except sqlite3.DatabaseError as exc:
        raise _foreign(path, f"is damaged ({exc})") from None
    finally:
        conn.close()
    if version > schema_version():
        raise HistoryError(
            f"history database {path} was written by a newer stretchcli (schema {version}, "
            f"this one knows {schema_version()}); it was left untouched: upgrade stretchcli"
        )
    if version >= 1 and "sessions" not in tables:
        raise _foreign(path, "is damaged (no sessions table)")


class _HotJournal(Exception):
    """Our database has a hot journal: a write was cut off (killed, power lost) before its
    rollback-journal transaction ended, and a read-only connection cannot roll it back."""


def _roll_back_interrupted_write(path: Path, busy_timeout: float) -> None:
    """Let SQLite's own crash recovery undo the interrupted write: the first read on a
    read-write connection rolls the hot journal back, to the last committed state."""
    try:
        conn = _connect(path, busy_timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise HistoryError(
            f"history database {path}: cannot recover an interrupted write ({exc}); is its "
            "folder read-only or its disk full?"
        ) from None


def _connect(path: Path | str, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), foreign keys on."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Run every migration newer than the database, each in its own transaction."""
    for migration in _MIGRATIONS:
        if conn.execute("PRAGMA user_version").fetchone()[0] >= migration.version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current < migration.version:
                if current == 0 and _has_tables(conn):
                    raise _foreign(path, "is another program's SQLite database")
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


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


# --- the store ---


@dataclass(frozen=True)
class ImportResult:
    """What ``import`` did: sessions read from the file, added, already present."""

    read: int
    added: int

    @property
    def skipped(self) -> int:
        """Sessions already in the history (same id), left as they were."""
        return self.read - self.added


class HistoryStore:
    """The SQLite history. Open with ``HistoryStore.open(path)``; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 5.0, create: bool = True) -> Self:
        """Open (or create, with its folders) the history database at ``path``.

        With ``create=False`` a missing database opens as an empty in-memory history, so
        read-only commands do not create files (unless a session's journal waits to be
        added: see journal.py; every open adds those). A file that is not ours, is damaged or was
        written by a newer version raises ``HistoryError`` and is left byte-for-byte as it was.
        """
        from stretchcli import journal

        path = Path(path)
        state = _inspect(path)
        if state == "missing" and not create and not journal.pending(path):
            conn = _connect(":memory:", busy_timeout)
            _migrate(conn, path)
            return cls(conn, path)
        if state == "ours":
            try:
                _check_read_only(path, busy_timeout)
            except _HotJournal:
                _roll_back_interrupted_write(path, busy_timeout)
                _check_read_only(path, busy_timeout)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(
                    f"history database {path}: cannot create its folder ({exc.strerror or exc})"
                ) from None
        try:
            conn = _connect(path, busy_timeout)
        except sqlite3.Error as exc:
            raise HistoryError(f"history database {path}: cannot open ({exc})") from None
        try:
            with _sql_errors(path, "prepare"):
                _migrate(conn, path)
                _use_wal(conn, busy_timeout)
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path)
        # Sessions that only their journal kept (killed, power cut) join the history now.
        journal.recover(store)
        return store

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by the last one to close)."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def user_version(self) -> int:
        """The schema version of the open database."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; rolled back on any error."""
        conn = self._conn
        with _sql_errors(self.path, action):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- writing ---

    def record(self, session: SessionRecord) -> bool:
        """Store one session; False when a session with its id is already there."""
        added: int = self.record_many([session])
        return added == 1

    def record_many(self, sessions: Iterable[SessionRecord], *, trusted: bool = False) -> int:
        """Store sessions in one transaction, skipping ids already present; returns how many
        were added. Records are validated first unless ``trusted`` (already parsed)."""
        records = list(sessions) if trusted else [checked(s) for s in sessions]
        unique = {r.id: r for r in reversed(records)}  # the first record of an id wins
        with self._write("save sessions") as conn:
            present = self._existing_ids(unique.keys())
            # In id order, so the id index fills in order: much faster for a big import.
            new = [unique[i] for i in sorted(unique.keys() - present)]
            if len(new) > _BULK:
                conn.execute(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
            first: int = conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM sessions").fetchone()[0]
            conn.executemany(
                f"INSERT INTO sessions (pk, {_SESSION_COLUMNS}) VALUES ({_marks(13)})",
                ((first + n, *_session_row(r)) for n, r in enumerate(new)),
            )
            conn.executemany(
                f"INSERT INTO session_sides ({_SIDE_COLUMNS}) VALUES ({_marks(7)})",
                (
                    (first + n, seq, s.exercise_index, s.exercise, s.side, s.held_s, s.holds)
                    for n, r in enumerate(new)
                    for seq, s in enumerate(r.sides)
                ),
            )
            conn.executemany(
                f"INSERT INTO session_pain ({_PAIN_COLUMNS}) VALUES ({_marks(6)})",
                (
                    (first + n, seq, p.exercise_index, p.exercise, p.answer, p.side)
                    for n, r in enumerate(new)
                    for seq, p in enumerate(r.pain)
                ),
            )
            _add_totals(conn, new)
        return len(new)

    def _existing_ids(self, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` are stored already (one index probe each, or one scan for many)."""
        if len(ids) > _BULK:
            return {row[0] for row in self._conn.execute("SELECT id FROM sessions")} & set(ids)
        found: set[str] = set()
        for chunk in _chunks(list(ids)):
            rows = self._conn.execute(
                f"SELECT id FROM sessions WHERE id IN ({_marks(len(chunk))})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def import_file(self, path: Path) -> ImportResult:
        """Import an export or fallback file: all records validated, then one transaction."""
        records = read_export(path)
        return ImportResult(read=len(records), added=self.record_many(records, trusted=True))

    # --- reading ---

    def sessions(
        self,
        *,
        limit: int | None = None,
        routine: str | None = None,
        since: datetime | None = None,
    ) -> list[SessionRecord]:
        """Sessions newest first, optionally of one routine, started at or after ``since``."""
        where, params = _filters(routine, since)
        sql = f"{_SELECT_SESSIONS} {where} ORDER BY started_ts DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with _sql_errors(self.path, "read sessions"):
            return self._build(self._conn.execute(sql, params).fetchall())

    def count(self, *, routine: str | None = None, since: datetime | None = None) -> int:
        """How many sessions match the same filters as ``sessions``."""
        where, params = _filters(routine, since)
        with _sql_errors(self.path, "count sessions"):
            return int(
                self._conn.execute(f"SELECT count(*) FROM sessions {where}", params).fetchone()[0]
            )

    def get(self, session_id: str) -> SessionRecord | None:
        """One session by id, or None."""
        with _sql_errors(self.path, "read a session"):
            found = self._build(self._rows(f"{_SELECT_SESSIONS} WHERE id = ?", [session_id]))
        return found[0] if found else None

    def all_sessions(self) -> list[SessionRecord]:
        """Every session, oldest first (for export)."""
        with _sql_errors(self.path, "read sessions"), gc_paused():
            rows = self._rows(f"{_SELECT_SESSIONS} ORDER BY started_ts, id")
            sides = _group(self._rows(f"SELECT {_SIDE_COLUMNS} FROM session_sides ORDER BY 1, 2"))
            pain = _group(self._rows(f"SELECT {_PAIN_COLUMNS} FROM session_pain ORDER BY 1, 2"))
            return [
                _record_from_row(row, sides.get(row[0], ()), pain.get(row[0], ())) for row in rows
            ]

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def _build(self, rows: list[tuple[Any, ...]]) -> list[SessionRecord]:
        """Records for session rows, with their sides and pain answers."""
        if len(rows) > _BULK:
            with gc_paused():
                return self._build_records(rows)
        return self._build_records(rows)

    def _build_records(self, rows: list[tuple[Any, ...]]) -> list[SessionRecord]:
        sides: dict[int, list[tuple[Any, ...]]] = {}
        pain: dict[int, list[tuple[Any, ...]]] = {}
        for chunk in _chunks([row[0] for row in rows]):
            where = f"WHERE session_pk IN ({_marks(len(chunk))}) ORDER BY 1, 2"
            sides.update(
                _group(self._rows(f"SELECT {_SIDE_COLUMNS} FROM session_sides {where}", chunk))
            )
            pain.update(
                _group(self._rows(f"SELECT {_PAIN_COLUMNS} FROM session_pain {where}", chunk))
            )
        return [_record_from_row(row, sides.get(row[0], ()), pain.get(row[0], ())) for row in rows]

    # --- export ---

    def export_json(self, out: IO[str]) -> int:
        """Write every session in the export format (oldest first); returns the count."""
        records = self.all_sessions()
        out.write(f'{{"format": "{EXPORT_FORMAT}", "version": {EXPORT_VERSION}, "sessions": [')
        for number, record in enumerate(records):
            out.write(",\n  " if number else "\n  ")
            out.write(json.dumps(record.to_json_dict(), ensure_ascii=False))
        out.write("\n]}\n" if records else "]}\n")
        return len(records)

    def export_csv(self, out: IO[str]) -> int:
        """Write one CSV row per session; ``sides`` and ``pain`` hold JSON lists."""
        import csv

        records = self.all_sessions()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_RECORD_FIELDS)
        for record in records:
            data = record.to_json_dict()
            data["sides"] = json.dumps(data["sides"], ensure_ascii=False)
            data["pain"] = json.dumps(data["pain"], ensure_ascii=False)
            writer.writerow(["" if data[k] is None else data[k] for k in _RECORD_FIELDS])
        return len(records)

    # --- statistics ---

    def aggregate(self, *, tz: tzinfo, today: date) -> StatsRows:
        """The rows ``compute_stats`` needs, grouped by local day in SQL (see ``StatsRows``)."""
        with _sql_errors(self.path, "compute statistics"):
            return _aggregate(self._conn, tz=tz, today=today)

    def stats(self, *, today: date, tz: tzinfo) -> Stats:
        """Statistics as of ``today`` in zone ``tz`` (aggregated in SQL)."""
        return compute_stats(self.aggregate(tz=tz, today=today), today=today, tz=tz)


def _aggregate(conn: sqlite3.Connection, *, tz: tzinfo, today: date) -> StatsRows:
    """All-time days and per-routine/side sums; day details for the chart windows only."""
    low = conn.execute("SELECT min(started_ts) FROM sessions").fetchone()[0]
    if low is None:
        return StatsRows()
    high = conn.execute("SELECT max(started_ts) FROM sessions").fetchone()[0]
    day = _day_sql(_offset_segments(tz, low, high))
    active = conn.execute(f"SELECT DISTINCT {day} FROM sessions").fetchall()
    start, pain_start = window_start(today), pain_window_start(today)
    days = {}
    for when, *totals in _by_day(
        conn,
        f"""SELECT {day} AS d, count(*), total(duration_s), sum(status = 'stopped'),
            coalesce(sum(pain_before), 0), count(pain_before),
            coalesce(sum(pain_after), 0), count(pain_after)
            FROM sessions WHERE started_ts >= ? GROUP BY d""",
        start,
        tz,
    ):
        days[when] = DayTotals(*totals)
    answers: dict[date, dict[PainAnswer, int]] = defaultdict(dict)
    for when, answer, n in _by_day(
        conn,
        f"""SELECT {day} AS d, p.answer, count(*) FROM sessions
            JOIN session_pain AS p ON p.session_pk = sessions.pk
            WHERE started_ts >= ? GROUP BY d, p.answer""",
        pain_start,
        tz,
    ):
        answers[when][answer] = n
    routines = _routine_sums(conn)
    return StatsRows(
        total_sessions=sum(n for n, _ in routines.values()),
        total_duration_s=sum(seconds for _, seconds in routines.values()),
        active_days=frozenset(_from_day_number(n) for (n,) in active),
        days=days,
        answers=dict(answers),
        routines=routines,
        sides=_side_sums(conn),
        side_answers=_side_answers(conn),
    )


def _by_day(
    conn: sqlite3.Connection, sql: str, start: date, tz: tzinfo
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (local day number first, a start timestamp as its parameter) for the
    local days from ``start`` on, with the day number turned into a date."""
    # The timestamp leaves a margin for any UTC offset; rows are then kept by local day.
    cutoff = _local_midnight_ts(start, tz) - 2 * 86400
    for number, *rest in conn.execute(sql, (cutoff,)):
        if (when := _from_day_number(number)) >= start:
            yield (when, *rest)


def _add_totals(conn: sqlite3.Connection, records: Sequence[SessionRecord]) -> None:
    """Add new sessions to the running totals per routine and per exercise side."""
    routines: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    sides: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0, 0])
    for record in records:
        routines[record.routine][0] += 1
        routines[record.routine][1] += record.duration_s
        for side in record.sides:
            if side.side is not None:
                totals = sides[(side.exercise, side.side)]
                totals[0] += side.held_s
                totals[1] += side.holds
                totals[2] += 1
    conn.executemany(
        """INSERT INTO routine_totals VALUES (?, ?, ?) ON CONFLICT (routine) DO UPDATE
           SET sessions = sessions + excluded.sessions,
               duration_s = duration_s + excluded.duration_s""",
        ((name, int(n), seconds) for name, (n, seconds) in routines.items()),
    )
    conn.executemany(
        """INSERT INTO side_totals VALUES (?, ?, ?, ?, ?) ON CONFLICT (exercise, side) DO UPDATE
           SET held_s = held_s + excluded.held_s, holds = holds + excluded.holds,
               rows = rows + excluded.rows""",
        (
            (exercise, side, held, int(holds), int(rows))
            for (exercise, side), (held, holds, rows) in sides.items()
        ),
    )


def _routine_sums(conn: sqlite3.Connection) -> dict[str, tuple[int, float]]:
    sql = "SELECT routine, sessions, duration_s FROM routine_totals WHERE sessions > 0"
    return {name: (n, seconds) for name, n, seconds in conn.execute(sql)}


def _side_sums(conn: sqlite3.Connection) -> dict[tuple[str, str], SideTotals]:
    sql = "SELECT exercise, side, held_s, holds FROM side_totals"
    return {
        (exercise, side): SideTotals(held, holds)
        for exercise, side, held, holds in conn.execute(sql)
    }


def _side_answers(conn: sqlite3.Connection) -> dict[str, dict[PainAnswer, int]]:
    sql = """SELECT side, answer, count(*) FROM session_pain
             WHERE side IS NOT NULL GROUP BY side, answer"""
    found: dict[str, dict[PainAnswer, int]] = defaultdict(dict)
    for side, answer, n in conn.execute(sql):
        found[side][answer] = n
    return dict(found)


@contextmanager
def _sql_errors(path: Path, action: str) -> Iterator[None]:
    """Turn SQLite errors into one-line ``HistoryError``s naming the database."""
    try:
        yield
    except sqlite3.Error as exc:
        raise HistoryError(f"history database {path}: cannot {action} ({exc})") from exc


def _filters(routine: str | None, since: datetime | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if routine is not None:
        clauses.append("routine = ?")
        params.append(routine)
    if since is not None:
        clauses.append("started_ts >= ?")
        params.append(since.timestamp())
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


_SESSION_COLUMNS = (
    "id, routine, title, started_at, started_ts, ended_at, duration_s, status, source, "
    "pain_before, pain_after, note"
)
_SELECT_SESSIONS = f"SELECT pk, {_SESSION_COLUMNS} FROM sessions"
_SIDE_COLUMNS = "session_pk, seq, exercise_index, exercise, side, held_s, holds"
_PAIN_COLUMNS = "session_pk, seq, exercise_index, exercise, answer, side"


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _group(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Child rows by their session's ``pk`` (the first column)."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _session_row(r: SessionRecord) -> tuple[Any, ...]:
    return (
        r.id,
        r.routine,
        r.title,
        r.started_at.isoformat(),
        r.started_at.timestamp(),
        r.ended_at.isoformat(),
        r.duration_s,
        r.status,
        r.source,
        r.pain_before,
        r.pain_after,
        r.note,
    )


def _record_from_row(
    row: tuple[Any, ...], sides: Iterable[tuple[Any, ...]], pain: Iterable[tuple[Any, ...]]
) -> SessionRecord:
    (
        _pk,
        id_,
        routine,
        title,
        started,
        _ts,
        ended,
        duration,
        status,
        source,
        before,
        after,
        note,
    ) = row
    return SessionRecord(
        id=id_,
        routine=routine,
        title=title,
        started_at=datetime.fromisoformat(started),
        ended_at=datetime.fromisoformat(ended),
        duration_s=duration,
        status=status,
        source=source,
        pain_before=before,
        pain_after=after,
        sides=tuple(SideRecord(s[2], s[3], s[4], s[5], s[6]) for s in sides),
        pain=tuple(PainRecord(p[2], p[3], p[4], p[5]) for p in pain),
        note=note,
    )


# --- saving a finished session, whatever happens ---


@dataclass(frozen=True)
class SaveResult:
    """Where a finished session went: the database, or a JSON file to import later."""

    path: Path
    in_database: bool
    problem: str | None = None


def save_session(
    record: SessionRecord,
    db_path: Path,
    *,
    busy_timeout: float = 5.0,
    home: Path | None = None,
) -> SaveResult:
    """Record a finished session; if the database cannot take it, write it to a JSON file
    beside the database (or in ``home``, default the user's home folder).

    Raises ``HistoryError`` only when no file could be written anywhere; its message then
    holds the record itself as one line of JSON, so it is still not lost.
    """
    try:
        with HistoryStore.open(db_path, busy_timeout=busy_timeout) as store:
            store.record(record)
        return SaveResult(path=db_path, in_database=True)
    except (HistoryError, sqlite3.Error, OSError) as exc:
        problem = str(exc)
    document = json.dumps(export_document([record]), indent=2, ensure_ascii=False) + "\n"
    folders = [db_path.parent, home if home is not None else Path.home()]
    for folder in folders:
        try:
            path = _write_fallback(folder, record, document)
        except OSError:
            continue
        return SaveResult(path=path, in_database=False, problem=problem)
    raise HistoryError(
        f"could not save the session ({problem}) nor write it to a file; save this line to a "
        f"file and run `stretch import FILE` later: {json.dumps(export_document([record]))}"
    )


def _write_fallback(folder: Path, record: SessionRecord, document: str) -> Path:
    """Write ``document`` to a new file in ``folder`` (never overwriting one), synced."""
    stamp = record.started_at.strftime("%Y%m%d-%H%M%S")
    path = folder / f"stretch-session-{stamp}-{record.id[:12]}.json"
    folder.mkdir(parents=True, exist_ok=True)
    handle = path.open("x", encoding="utf-8")
    try:
        with handle:
            handle.write(document)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        # A full disk lets the file be made but not filled: remove the empty husk (which
        # `stretch import` would refuse) before the next folder is tried.
        with suppress(OSError):
            path.unlink()
        raise
    return path


# --- time zones and local days ---


class SystemTimezone(tzinfo):
    """The local zone as the C library sees it (``TZ``, /etc/localtime), with its DST rules.

    ``datetime.now().astimezone()`` gives only today's fixed offset; this gives the offset
    that applied at each moment, so old sessions land on the right local day.
    """

    def fromutc(self, dt: datetime) -> datetime:
        """Local wall time for a UTC time (``dt`` carries this zone as tzinfo)."""
        seconds = (dt.replace(tzinfo=None) - _EPOCH_NAIVE) / timedelta(seconds=1)
        offset = time.localtime(math.floor(seconds)).tm_gmtoff
        return dt + timedelta(seconds=offset)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """Offset of a local wall time (ambiguous times resolve as the C library does)."""
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        """DST adjustment in effect."""
        local = self._local(dt)
        return (
            timedelta(seconds=local.tm_gmtoff + time.timezone)
            if local.tm_isdst > 0
            else (timedelta(0))
        )

    def tzname(self, dt: datetime | None) -> str:
        """Zone abbreviation, e.g. CET."""
        return self._local(dt).tm_zone

    def __repr__(self) -> str:
        return "SystemTimezone()"

    @staticmethod
    def _local(dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        stamp = time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1))
        return time.localtime(stamp)


_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_timezone() -> tzinfo:
    """The system's local time zone, DST rules included."""
    return SystemTimezone()


def utc_offset_at(tz: tzinfo, ts: float) -> int:
    """Seconds east of UTC in zone ``tz`` at the instant ``ts``."""
    if isinstance(tz, SystemTimezone):
        return time.localtime(math.floor(ts)).tm_gmtoff
    offset = datetime.fromtimestamp(ts, tz).utcoffset()
    return round(offset.total_seconds()) if offset is not None else 0


def local_day(ts: float, tz: tzinfo) -> date:
    """The local calendar day of the instant ``ts`` in ``tz``."""
    return _from_day_number((math.floor(ts) + utc_offset_at(tz, ts)) // 86400)


def _offset_segments(tz: tzinfo, low: float, high: float) -> list[tuple[int, int]]:
    """``(from_ts, offset)`` pieces over ``[low, high]``: the zone's offset changes only at
    each ``from_ts``. Found by sampling daily and bisecting each change to the second."""
    step = 86400
    start = math.floor(low)
    segments = [(start, utc_offset_at(tz, start))]
    at = start
    while at < high:
        nxt = min(at + step, math.floor(high) + 1)
        offset = utc_offset_at(tz, nxt)
        if offset != segments[-1][1]:
            lo, hi = at, nxt  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if utc_offset_at(tz, mid) == segments[-1][1]:
                    lo = mid
                else:
                    hi = mid
            segments.append((hi, offset))
        at = nxt
    return segments


def _day_sql(segments: list[tuple[int, int]]) -> str:
    """SQL for the local day number (days since 1970-01-01) of ``started_ts``."""
    if len(segments) == 1:
        offset = str(segments[0][1])
    else:
        cases = " ".join(
            f"WHEN started_ts < {start} THEN {prev}"
            for (start, _), (_, prev) in zip(segments[1:], segments, strict=False)
        )
        offset = f"(CASE {cases} ELSE {segments[-1][1]} END)"
    return f"((CAST(started_ts AS INTEGER) + {offset}) / 86400)"


def _from_day_number(number: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + number)


def _local_midnight_ts(day: date, tz: tzinfo) -> float:
    """The instant local ``day`` begins in ``tz`` (approximately, within an hour at DST)."""
    naive = datetime(day.year, day.month, day.day)
    if isinstance(tz, SystemTimezone):
        return naive.astimezone().timestamp()
    return naive.replace(tzinfo=tz).timestamp()


# --- statistics ---

WEEKS_SHOWN = 8
PAIN_WEEKS_SHOWN = 12
HEATMAP_WEEKS = 26


@dataclass(frozen=True)
class DayTotals:
    """Sessions started on one local day, summed."""

    sessions: int = 0
    duration_s: float = 0.0
    stopped: int = 0
    before_sum: int = 0
    before_n: int = 0
    after_sum: int = 0
    after_n: int = 0


@dataclass(frozen=True)
class SideTotals:
    """Time held and holds completed on one side of one exercise."""

    held_s: float = 0.0
    holds: int = 0


@dataclass(frozen=True)
class StatsRows:
    """The grouped rows statistics are computed from (from SQL or from records).

    Totals, the days with a session, routines and sides cover all time; ``days`` (by local
    day) start at ``window_start(today)``, ``answers`` at ``pain_window_start(today)``.
    """

    total_sessions: int = 0
    total_duration_s: float = 0.0
    active_days: frozenset[date] = frozenset()
    days: Mapping[date, DayTotals] = field(default_factory=dict)
    answers: Mapping[date, Mapping[PainAnswer, int]] = field(default_factory=dict)
    routines: Mapping[str, tuple[int, float]] = field(default_factory=dict)
    sides: Mapping[tuple[str, str], SideTotals] = field(default_factory=dict)
    side_answers: Mapping[str, Mapping[PainAnswer, int]] = field(default_factory=dict)


def aggregate_sessions(sessions: Iterable[SessionRecord], *, tz: tzinfo, today: date) -> StatsRows:
    """The same rows as ``HistoryStore.aggregate``, computed in Python from records."""
    start, pain_start = window_start(today), pain_window_start(today)
    days: dict[date, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0, 0])
    answers: dict[date, Counter[PainAnswer]] = defaultdict(Counter)
    routines: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    sides: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    side_answers: dict[str, Counter[PainAnswer]] = defaultdict(Counter)
    for s in sessions:
        day = s.started_at.astimezone(tz).date()
        totals = days[day]
        totals[0] += 1
        totals[1] += s.duration_s
        totals[2] += s.status == "stopped"
        if s.pain_before is not None:
            totals[3] += s.pain_before
            totals[4] += 1
        if s.pain_after is not None:
            totals[5] += s.pain_after
            totals[6] += 1
        routines[s.routine][0] += 1
        routines[s.routine][1] += s.duration_s
        for side in s.sides:
            if side.side is not None:
                sides[(side.exercise, side.side)][0] += side.held_s
                sides[(side.exercise, side.side)][1] += side.holds
        for answer in s.pain:
            if day >= pain_start:
                answers[day][answer.answer] += 1
            if answer.side is not None:
                side_answers[answer.side][answer.answer] += 1
    return StatsRows(
        total_sessions=int(sum(t[0] for t in days.values())),
        total_duration_s=sum(t[1] for t in days.values()),
        active_days=frozenset(days),
        days={
            d: DayTotals(int(t[0]), t[1], int(t[2]), int(t[3]), int(t[4]), int(t[5]), int(t[6]))
            for d, t in days.items()
            if d >= start
        },
        answers={d: dict(c) for d, c in answers.items()},
        routines={name: (int(v[0]), v[1]) for name, v in routines.items()},
        sides={key: SideTotals(v[0], int(v[1])) for key, v in sides.items()},
        side_answers={side: dict(c) for side, c in side_answers.items()},
    )


@dataclass(frozen=True)
class WeekCount:
    """Sessions in one week (Monday to Sunday, local days)."""

    start: date
    sessions: int
    duration_s: float


@dataclass(frozen=True)
class PainWeek:
    """Pain over one week: stops, pain-check answers, mean 0-10 ratings before and after."""

    start: date
    sessions: int
    stopped: int
    answers: Mapping[PainAnswer, int]
    before_mean: float | None
    after_mean: float | None

    @property
    def sore(self) -> int:
        """How many pain checks were answered "sore but OK"."""
        return self.answers.get("sore", 0)


@dataclass(frozen=True)
class RoutineCount:
    """Sessions and time per routine."""

    routine: str
    sessions: int
    duration_s: float


@dataclass(frozen=True)
class SideReport:
    """One side over all sided exercises: time held, holds, pain answers given on it."""

    side: str
    held_s: float
    holds: int
    answers: Mapping[PainAnswer, int]


@dataclass(frozen=True)
class ExerciseSides:
    """Time held per side for one sided exercise (to spot a side that gets less)."""

    exercise: str
    held_s: Mapping[str, float]


@dataclass(frozen=True)
class Stats:
    """Everything ``stretch stats`` shows; dates are local calendar days."""

    today: date
    total_sessions: int
    total_duration_s: float
    current_streak: int
    longest_streak: int
    last_day: date | None
    weeks: tuple[WeekCount, ...]
    heatmap_start: date
    heatmap: Mapping[date, int]
    routines: tuple[RoutineCount, ...]
    pain_weeks: tuple[PainWeek, ...]
    sides: tuple[SideReport, ...]
    side_exercises: tuple[ExerciseSides, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """``stretch stats --json``."""
        return {
            "today": self.today.isoformat(),
            "total_sessions": self.total_sessions,
            "total_duration_s": self.total_duration_s,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "weeks": [
                {"start": w.start.isoformat(), "sessions": w.sessions, "duration_s": w.duration_s}
                for w in self.weeks
            ],
            "heatmap": {
                "start": self.heatmap_start.isoformat(),
                "days": {d.isoformat(): n for d, n in sorted(self.heatmap.items())},
            },
            "routines": [
                {"routine": r.routine, "sessions": r.sessions, "duration_s": r.duration_s}
                for r in self.routines
            ],
            "pain_weeks": [
                {
                    "start": w.start.isoformat(),
                    "sessions": w.sessions,
                    "stopped": w.stopped,
                    "sore": w.sore,
                    "answers": dict(w.answers),
                    "pain_before_mean": w.before_mean,
                    "pain_after_mean": w.after_mean,
                }
                for w in self.pain_weeks
            ],
            "sides": [
                {"side": s.side, "held_s": s.held_s, "holds": s.holds, "answers": dict(s.answers)}
                for s in self.sides
            ],
            "side_exercises": [
                {"exercise": e.exercise, "held_s": dict(e.held_s)} for e in self.side_exercises
            ],
        }


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def pain_window_start(today: date) -> date:
    """First day of the pain chart: a Monday 11 weeks back."""
    return week_start(today) - timedelta(weeks=PAIN_WEEKS_SHOWN - 1)


def window_start(today: date) -> date:
    """First day of the heatmap (and of every per-week chart): a Monday 25 weeks back."""
    return week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1)


def compute_stats(data: StatsRows | Iterable[SessionRecord], *, today: date, tz: tzinfo) -> Stats:
    """Statistics as of local day ``today``: a pure function of the sessions (or of the rows
    ``HistoryStore.aggregate`` made from them in zone ``tz``)."""
    start = window_start(today)
    rows = data if isinstance(data, StatsRows) else aggregate_sessions(data, tz=tz, today=today)
    days = rows.days
    current, longest, last = _streaks(sorted(d for d in rows.active_days if d <= today), today)
    return Stats(
        today=today,
        total_sessions=rows.total_sessions,
        total_duration_s=rows.total_duration_s,
        current_streak=current,
        longest_streak=longest,
        last_day=last,
        weeks=_weeks(days, today, WEEKS_SHOWN),
        heatmap_start=start,
        heatmap={d: t.sessions for d, t in days.items() if start <= d <= today},
        routines=tuple(
            RoutineCount(name, n, seconds)
            for name, (n, seconds) in sorted(rows.routines.items(), key=lambda i: (-i[1][0], i[0]))
        ),
        pain_weeks=_pain_weeks(rows, today, PAIN_WEEKS_SHOWN),
        sides=_side_reports(rows),
        side_exercises=_exercise_sides(rows),
    )


def _streaks(days: list[date], today: date) -> tuple[int, int, date | None]:
    """(current, longest, last day): runs of consecutive local days with a session."""
    if not days:
        return 0, 0, None
    longest = run = 1
    for before, after in itertools.pairwise(days):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    current = run if (today - days[-1]).days <= 1 else 0
    return current, longest, days[-1]


def _week_starts(today: date, count: int) -> list[date]:
    first = week_start(today)
    return [first - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def _weeks(days: Mapping[date, DayTotals], today: date, count: int) -> tuple[WeekCount, ...]:
    totals = {start: [0, 0.0] for start in _week_starts(today, count)}
    for day, t in days.items():
        bucket = totals.get(week_start(day))
        if bucket is not None and day <= today:
            bucket[0] += t.sessions
            bucket[1] += t.duration_s
    return tuple(WeekCount(start, int(v[0]), v[1]) for start, v in totals.items())


def _pain_weeks(rows: StatsRows, today: date, count: int) -> tuple[PainWeek, ...]:
    result = []
    for start in _week_starts(today, count):
        week = [start + timedelta(days=i) for i in range(7)]
        totals = [rows.days[d] for d in week if d in rows.days and d <= today]
        answers: Counter[PainAnswer] = Counter()
        for d in week:
            if d <= today:
                answers.update(rows.answers.get(d, {}))
        before_n = sum(t.before_n for t in totals)
        after_n = sum(t.after_n for t in totals)
        result.append(
            PainWeek(
                start=start,
                sessions=sum(t.sessions for t in totals),
                stopped=sum(t.stopped for t in totals),
                answers={a: answers[a] for a in PAIN_ANSWERS if answers[a]},
                before_mean=sum(t.before_sum for t in totals) / before_n if before_n else None,
                after_mean=sum(t.after_sum for t in totals) / after_n if after_n else None,
            )
        )
    return tuple(result)


def _side_reports(rows: StatsRows) -> tuple[SideReport, ...]:
    held: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for (_exercise, side), t in rows.sides.items():
        held[side][0] += t.held_s
        held[side][1] += t.holds
    names = sorted(set(held) | set(rows.side_answers), key=_side_order)
    return tuple(
        SideReport(
            side=name,
            held_s=held[name][0],
            holds=int(held[name][1]),
            answers={
                a: n for a in PAIN_ANSWERS if (n := rows.side_answers.get(name, {}).get(a, 0))
            },
        )
        for name in names
    )


def _exercise_sides(rows: StatsRows) -> tuple[ExerciseSides, ...]:
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for (exercise, side), t in rows.sides.items():
        per[exercise][side] = t.held_s
    return tuple(
        ExerciseSides(name, dict(sorted(sides.items(), key=lambda i: _side_order(i[0]))))
        for name, sides in sorted(per.items())
    )


def _side_order(side: str) -> tuple[int, str]:
    """left before right, then anything else alphabetically."""
    return ({"left": 0, "right": 1}.get(side, 2), side)


# --- dates typed on the command line ---


def now_local() -> datetime:
    """The current time with the local offset (the CLI's clock; tests replace it)."""
    return datetime.now(UTC).astimezone()


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in ``tz`` as an aware datetime (DST rules of that date applied)."""
    if isinstance(tz, SystemTimezone):
        return naive.astimezone()
    return naive.replace(tzinfo=tz)


_RELATIVE = re.compile(r"(\d{1,4})\s*([dw])")


def parse_since(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """``--since``: a date (local midnight), a date-time, ``today``, ``yesterday``, or ``7d`` /
    ``2w`` (the last 7 days / 2 weeks, today included). Raises ValueError."""
    value = text.strip().lower()
    today = now.astimezone(tz).date()
    day: date | None = None
    if value == "today":
        day = today
    elif value == "yesterday":
        day = today - timedelta(days=1)
    elif match := _RELATIVE.fullmatch(value):
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        day = today - timedelta(days=max(days, 1) - 1)
    if day is not None:
        return localize(datetime(day.year, day.month, day.day), tz)
    return _parse_datetime(text, tz=tz, hour=0)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """``--at``: ``now``, ``HH:MM`` (today), a date-time, or a date (taken as noon).

    Naive times are local; a time in the future is refused. Raises ValueError.
    """
    value = text.strip()
    if value.lower() == "now":
        return now
    if match := re.fullmatch(r"(\d{1,2}):(\d{2})", value):
        today = now.astimezone(tz).date()
        try:
            naive = datetime(today.year, today.month, today.day, int(match[1]), int(match[2]))
        except ValueError:
            raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None
        result = localize(naive, tz)
    else:
        result = _parse_datetime(text, tz=tz, hour=12)
    if result > now + timedelta(minutes=1):
        raise ValueError(f"{text!r} is in the future")
    return result


def _parse_datetime(text: str, *, tz: tzinfo, hour: int) -> datetime:
    """An ISO date (at ``hour`` local time) or date-time (naive: local)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            naive = datetime(day.year, day.month, day.day, hour)
        else:
            naive = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (2024-05-06) or date-time (2024-05-06T08:30)"
        ) from None
    return naive if naive.tzinfo is not None else localize(naive, tz)
