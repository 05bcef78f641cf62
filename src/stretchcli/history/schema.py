"""The database schema: the migrations, in order, and the version this code writes.

Each migration runs in its own transaction and then sets ``PRAGMA user_version`` to its
version (``database.migrate`` runs them); a new schema is a new migration at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

# "STRC": marks a SQLite file as ours (PRAGMA application_id, bytes 68-71 of the header).
APPLICATION_ID = 0x53545243


@dataclass(frozen=True)
class Migration:
    """One schema step: run in its own transaction, then ``user_version`` = ``version``."""

    version: int
    summary: str
    statements: tuple[str, ...]
    # Rebuilds a table the others refer to: run with foreign keys off (SQLite's documented
    # way to change a table's definition), checked with foreign_key_check before commit.
    rebuilds: bool = False


MIGRATIONS: tuple[Migration, ...] = (
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
    Migration(
        2,
        "skipped sessions with a reason, resumed sessions, the step reached, the plan's dose, "
        "removed sessions, moves per side",
        (
            """CREATE TABLE sessions_v2 (
                pk INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                routine TEXT NOT NULL,
                title TEXT NOT NULL,
                started_at TEXT NOT NULL,
                started_ts REAL NOT NULL,
                ended_at TEXT NOT NULL,
                duration_s REAL NOT NULL CHECK (duration_s >= 0),
                status TEXT NOT NULL
                    CHECK (status IN ('completed', 'stopped', 'quit', 'skipped')),
                source TEXT NOT NULL CHECK (source IN ('guided', 'manual', 'import')),
                pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
                pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
                note TEXT NOT NULL DEFAULT '',
                reason TEXT,
                resumes TEXT,
                step INTEGER,
                extra_hold_s INTEGER NOT NULL DEFAULT 0,
                removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
            )""",
            """INSERT INTO sessions_v2 (pk, id, routine, title, started_at, started_ts,
                ended_at, duration_s, status, source, pain_before, pain_after, note)
                SELECT pk, id, routine, title, started_at, started_ts, ended_at, duration_s,
                status, source, pain_before, pain_after, note FROM sessions""",
            "DROP TABLE sessions",
            "ALTER TABLE sessions_v2 RENAME TO sessions",
            # As in version 1, with `removed`: `log`, `stats` and their counts read the index
            # alone, never the table (fast, and a damaged table page does not stop them).
            """CREATE INDEX sessions_by_start ON sessions
                (started_ts, status, duration_s, pain_before, pain_after, removed, resumes)""",
            "CREATE INDEX sessions_by_routine ON sessions (routine, started_ts)",
            # A skipped or removed session is in no running total: its deletion takes
            # nothing off.
            """CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
                WHEN OLD.removed = 0 AND OLD.status != 'skipped' BEGIN
                UPDATE routine_totals
                    SET sessions = sessions - (OLD.resumes IS NULL),
                        duration_s = duration_s - OLD.duration_s
                    WHERE routine = OLD.routine;
                DELETE FROM routine_totals WHERE routine = OLD.routine AND sessions <= 0;
            END""",
            "ALTER TABLE session_sides ADD COLUMN moves INTEGER NOT NULL DEFAULT 0",
        ),
        rebuilds=True,
    ),
)


def schema_version() -> int:
    """The schema version this code writes (the last registered migration)."""
    return MIGRATIONS[-1].version
