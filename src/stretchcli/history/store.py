"""``HistoryStore``: the SQLite history of sessions. Open it, then record sessions, query
them, export them or get their statistics; every SQLite error becomes a one-line
``HistoryError`` naming the database."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Self

from stretchcli.history import database, export, guard, journal, removal
from stretchcli.history.aggregate import add_totals, stats_rows
from stretchcli.history.database import sql_errors
from stretchcli.history.export import gc_paused
from stretchcli.history.rows import (
    COUNTED,
    PAIN_COLUMNS,
    SELECT_SESSIONS,
    SESSION_COLUMNS,
    SESSION_COUNT,
    SIDE_COLUMNS,
    chunks,
    group,
    marks,
    record_from_row,
    session_row,
)
from stretchcli.history.stats import Stats, StatsRows, compute_stats
from stretchcli.history.validate import checked, shown, stored_problem

if TYPE_CHECKING:
    import sqlite3

    from stretchcli.history.record import SessionRecord

_BULK = 2000  # a batch this big is an import: bigger page cache, one scan for known ids
_BULK_CACHE_KIB = -128 * 1024  # negative: KiB (SQLite's convention)

Warn = Callable[[str], None]


def warn_on_stderr(message: str) -> None:
    """Where the history's warnings go unless the caller says otherwise (a journal set
    aside, sessions out of range left out): one line on stderr, as every warning of
    stretch, whichever command opened the history."""
    sys.stderr.write(f"stretch: {message}\n")


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

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, warn: Warn = warn_on_stderr
    ) -> None:
        self._conn = conn
        self.path = path
        self._warn = warn
        # SQL that keeps the sessions not removed (``log rm``); "1" (all of them) in a
        # database from before the ``removed`` column.
        with sql_errors(path, "read the history"):
            self._kept = removal.KEPT
        # Checked for damage before the first write of this connection (``_write``).
        self._intact = False

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        create: bool = True,
        warn: Warn = warn_on_stderr,
    ) -> Self:
        """Open (or create, with its folders) the history database at ``path``.

        With ``create=False`` a missing database opens as an empty in-memory history, so
        read-only commands do not create files (unless a session's journal waits to be
        added: see journal.py; every open adds those). A file that is not ours, is damaged or was
        written by a newer version raises ``HistoryError`` and is left byte-for-byte as it was;
        one damaged inside is refused at its first write (``_write``). Warnings (a journal
        set aside, stored sessions out of range) go to ``warn``.
        """
        path = Path(path)
        state = guard.inspect_file(path)
        if state == "missing" and not create and not journal.pending(path):
            memory = cls(database.open_memory(path, busy_timeout), path, warn=warn)
            memory._intact = True
            return memory
        store = cls(database.open_file(path, state, busy_timeout), path, warn=warn)
        store._intact = state != "ours"  # a new database has nothing to be damaged yet
        # Sessions that only their journal kept (killed, power cut) join the history now.
        journal.recover(path, lambda records: store.record_many(records, trusted=True), warn)
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
        """One ``BEGIN IMMEDIATE`` transaction; rolled back on any error. The first one of
        a connection first checks the database for damage (``database.check_intact``)
        under the write lock: a damaged database is refused, nothing written to it."""
        conn = self._conn
        with sql_errors(self.path, action):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._intact:
                    database.check_intact(conn, self.path)
                    self._intact = True
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
                f"INSERT INTO sessions (pk, {SESSION_COLUMNS}) VALUES ({marks(SESSION_COUNT + 1)})",
                ((first + n, *session_row(r)) for n, r in enumerate(new)),
            )
            conn.executemany(
                f"INSERT INTO session_sides ({SIDE_COLUMNS}) VALUES ({marks(8)})",
                (
                    (
                        first + n,
                        seq,
                        s.exercise_index,
                        s.exercise,
                        s.side,
                        s.held_s,
                        s.holds,
                        s.moves,
                    )
                    for n, r in enumerate(new)
                    for seq, s in enumerate(r.sides)
                ),
            )
            conn.executemany(
                f"INSERT INTO session_pain ({PAIN_COLUMNS}) VALUES ({marks(6)})",
                (
                    (first + n, seq, p.exercise_index, p.exercise, p.answer, p.side)
                    for n, r in enumerate(new)
                    for seq, p in enumerate(r.pain)
                ),
            )
            add_totals(conn, new)
        return len(new)

    def _existing_ids(self, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` are stored already (one index probe each, or one scan for many)."""
        if len(ids) > _BULK:
            return {row[0] for row in self._conn.execute("SELECT id FROM sessions")} & set(ids)
        found: set[str] = set()
        for chunk in chunks(list(ids)):
            rows = self._conn.execute(
                f"SELECT id FROM sessions WHERE id IN ({marks(len(chunk))})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def remove(self, refs: Sequence[str]) -> tuple[list[str], list[str]]:
        """Hide sessions logged by mistake (ids or starts of ids, see ``removal``): they stay
        in the database and in exports, out of everything else. Returns the ids removed and
        those that already were."""
        return self._set_removed(refs, removed=True)

    def restore(self, refs: Sequence[str]) -> tuple[list[str], list[str]]:
        """Bring removed sessions back. Returns the ids restored and those not removed."""
        return self._set_removed(refs, removed=False)

    def _set_removed(self, refs: Sequence[str], *, removed: bool) -> tuple[list[str], list[str]]:
        action = "remove sessions" if removed else "restore sessions"
        with self._write(action) as conn:
            ids = removal.resolve(conn, refs)
            changed = removal.set_removed(conn, ids, removed=removed)
        return changed, [i for i in ids if i not in changed]

    def short_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """The shortest unique start of each id, as `log` shows it (``removal.short_ids``)."""
        with sql_errors(self.path, "read session ids"):
            return removal.short_ids(self._conn, ids)

    def import_file(self, path: Path) -> ImportResult:
        """Import an export or fallback file: all records validated, then one transaction."""
        records = export.read_export(path)
        return ImportResult(read=len(records), added=self.record_many(records, trusted=True))

    # --- reading ---

    def sessions(
        self,
        *,
        limit: int | None = None,
        routine: str | None = None,
        since: datetime | None = None,
        removed: bool = False,
    ) -> list[SessionRecord]:
        """Sessions newest first, optionally of one routine, started at or after ``since``:
        those not removed, or (``removed``) only those removed."""
        where, params = self._filters(routine, since, removed)
        sql = f"{SELECT_SESSIONS} {where} ORDER BY started_ts DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with sql_errors(self.path, "read sessions"):
            return self._build(self._conn.execute(sql, params).fetchall())

    def count(
        self, *, routine: str | None = None, since: datetime | None = None, removed: bool = False
    ) -> int:
        """How many sessions match the same filters as ``sessions``."""
        where, params = self._filters(routine, since, removed)
        with sql_errors(self.path, "count sessions"):
            return int(
                self._conn.execute(f"SELECT count(*) FROM sessions {where}", params).fetchone()[0]
            )

    def get(self, session_id: str) -> SessionRecord | None:
        """One session by id, or None."""
        with sql_errors(self.path, "read a session"):
            found = self._build(self._rows(f"{SELECT_SESSIONS} WHERE id = ?", [session_id]))
        return found[0] if found else None

    def all_sessions(self) -> list[SessionRecord]:
        """Every session, oldest first, the removed ones too (for export)."""
        with sql_errors(self.path, "read sessions"), gc_paused():
            rows = self._rows(f"{SELECT_SESSIONS} ORDER BY started_ts, id")
            sides = group(self._rows(f"SELECT {SIDE_COLUMNS} FROM session_sides ORDER BY 1, 2"))
            pain = group(self._rows(f"SELECT {PAIN_COLUMNS} FROM session_pain ORDER BY 1, 2"))
            return self._records(rows, sides, pain)

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
        for chunk in chunks([row[0] for row in rows]):
            where = f"WHERE session_pk IN ({marks(len(chunk))}) ORDER BY 1, 2"
            sides.update(
                group(self._rows(f"SELECT {SIDE_COLUMNS} FROM session_sides {where}", chunk))
            )
            pain.update(
                group(self._rows(f"SELECT {PAIN_COLUMNS} FROM session_pain {where}", chunk))
            )
        return self._records(rows, sides, pain)

    def _records(
        self,
        rows: list[tuple[Any, ...]],
        sides: dict[int, list[tuple[Any, ...]]],
        pain: dict[int, list[tuple[Any, ...]]],
    ) -> list[SessionRecord]:
        """The records of session rows with their child rows. A session an older stretchcli
        (or another program) stored out of the bounds an import keeps is left out, with one
        warning for all of them, so that what is shown and exported can be imported again
        and nothing breaks on it; it stays in the database."""
        records: list[SessionRecord] = []
        left_out: list[str] = []
        for row in rows:
            try:
                record = record_from_row(row, sides.get(row[0], ()), pain.get(row[0], ()))
            except (ValueError, TypeError, OverflowError):
                left_out.append(f"{shown(row[1])}: a stored value cannot be read")
                continue
            if problem := stored_problem(record):
                left_out.append(f"{shown(record.id)}: {problem}")
            else:
                records.append(record)
        if left_out:
            more = f"; and {len(left_out) - 1} more" if len(left_out) > 1 else ""
            self._warn(
                f"{len(left_out)} stored session{'s' * (len(left_out) != 1)} out of range "
                f"left out (still in the database): {left_out[0]}{more}"
            )
        return records

    # --- export ---

    def export_json(self, out: IO[str]) -> int:
        """Write every session in the export format (oldest first); returns the count."""
        return export.write_json(self.all_sessions(), out)

    def export_csv(self, out: IO[str]) -> int:
        """Write one CSV row per session; ``sides`` and ``pain`` hold JSON lists."""
        return export.write_csv(self.all_sessions(), out)

    # --- statistics ---

    def aggregate(self, *, tz: tzinfo, today: date, since: date | None = None) -> StatsRows:
        """The rows ``compute_stats`` needs, grouped by local day in SQL (see ``StatsRows``),
        of the sessions not removed (from local day ``since`` on)."""
        with sql_errors(self.path, "compute statistics"):
            return stats_rows(self._conn, tz=tz, today=today, since=since, kept=COUNTED)

    def stats(self, *, today: date, tz: tzinfo, since: date | None = None) -> Stats:
        """Statistics as of ``today`` in zone ``tz`` (aggregated in SQL), from ``since``."""
        rows = self.aggregate(tz=tz, today=today, since=since)
        return compute_stats(rows, today=today, tz=tz, since=since)

    def _filters(
        self, routine: str | None, since: datetime | None, removed: bool
    ) -> tuple[str, list[Any]]:
        clauses = [f"NOT ({self._kept})" if removed else self._kept]
        if clauses == ["1"]:
            clauses = []  # no `removed` column: a count(*) without WHERE reads the least
        params: list[Any] = []
        if routine is not None:
            clauses.append("routine = ?")
            params.append(routine)
        if since is not None:
            clauses.append("started_ts >= ?")
            params.append(since.timestamp())
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
