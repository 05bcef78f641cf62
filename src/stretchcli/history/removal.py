"""Hiding sessions logged by mistake (`stretch log rm`) and bringing them back (`stretch log
restore`). A removed session stays in the database (``sessions.removed = 1``) and in
exports, and is left out of everything else: log, stats, streaks, the plan's adherence,
the report. Nothing is deleted for good.

Sessions are named by their id or by any start of it that only one session has; `stretch
log` shows each id as the shortest such start (at least ``SHORT_ID`` characters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from stretchcli.errors import HistoryError
from stretchcli.history.validate import shown

if TYPE_CHECKING:
    import sqlite3

SHORT_ID = 6
KEPT = "removed = 0"  # SQL: a session not removed


def _after(prefix: str) -> str:
    """The first text after every text that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def matching(conn: sqlite3.Connection, prefix: str, limit: int = 2) -> list[str]:
    """Up to ``limit`` ids starting with ``prefix`` (an index range, not a scan)."""
    rows = conn.execute(
        "SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
        (prefix, _after(prefix), limit),
    )
    return [row[0] for row in rows]


def short_ids(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """For each id, its shortest start (``SHORT_ID`` characters at least) that no other
    session's id has, all of one length so that they line up."""
    wanted = list(dict.fromkeys(ids))
    length = SHORT_ID
    for session_id in wanted:
        while length < len(session_id) and len(matching(conn, session_id[:length])) > 1:
            length += 1
    return {session_id: session_id[:length] for session_id in wanted}


def resolve(conn: sqlite3.Connection, refs: Sequence[str]) -> list[str]:
    """The full ids of ``refs`` (ids or starts of ids), in order, each once. An unknown or
    ambiguous one is a ``HistoryError`` naming it; nothing is resolved then."""
    found: list[str] = []
    for ref in refs:
        if not ref.strip():
            raise HistoryError("no session id given (stretch log shows them)")
        exact = conn.execute("SELECT id FROM sessions WHERE id = ?", (ref,)).fetchone()
        candidates = [exact[0]] if exact else matching(conn, ref, 3)
        if not candidates:
            raise HistoryError(f"no session {shown(ref)} (stretch log shows the ids)")
        if len(candidates) > 1:
            raise HistoryError(
                f"{shown(ref)} is the start of more than one session id "
                f"({', '.join(candidates[:2])}, ...): give more of it"
            )
        if candidates[0] not in found:
            found.append(candidates[0])
    return found


def set_removed(conn: sqlite3.Connection, ids: Sequence[str], *, removed: bool) -> list[str]:
    """Mark the sessions ``ids`` removed (or not), inside the caller's transaction, and
    take them off (or put them back into) the running totals of ``stats``, as the delete
    triggers of the schema do. Returns the ids that changed (the others already were so)."""
    sign = -1 if removed else 1
    changed: list[str] = []
    for session_id in ids:
        row = conn.execute(
            "SELECT pk, status FROM sessions WHERE id = ? AND removed = ?",
            (session_id, int(not removed)),
        ).fetchone()
        if row is None:
            continue
        changed.append(session_id)
        conn.execute("UPDATE sessions SET removed = ? WHERE pk = ?", (int(removed), row[0]))
        if row[1] != "skipped":  # a skip is in no total (``record.counted``)
            conn.execute(_ROUTINE_TOTALS, (sign, sign, row[0]))
            conn.execute(_SIDE_TOTALS, (sign, sign, sign, row[0]))
    conn.execute("DELETE FROM routine_totals WHERE sessions <= 0")
    conn.execute("DELETE FROM side_totals WHERE rows <= 0")
    return changed


# One session's share of the running totals, added (sign 1) or taken off (sign -1).
_ROUTINE_TOTALS = """INSERT INTO routine_totals
    SELECT routine, ? * (resumes IS NULL), ? * duration_s FROM sessions WHERE pk = ?
    ON CONFLICT (routine) DO UPDATE SET sessions = sessions + excluded.sessions,
        duration_s = duration_s + excluded.duration_s"""
_SIDE_TOTALS = """INSERT INTO side_totals
    SELECT exercise, side, ? * held_s, ? * holds, ? FROM session_sides
    WHERE session_pk = ? AND side IS NOT NULL
    ON CONFLICT (exercise, side) DO UPDATE SET held_s = held_s + excluded.held_s,
        holds = holds + excluded.holds, rows = rows + excluded.rows"""
