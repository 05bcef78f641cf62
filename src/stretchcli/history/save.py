"""Saving a finished session, whatever happens: into the history, or else into a JSON file
to import later (``save_session`` never loses a finished session)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from stretchcli.errors import HistoryError
from stretchcli.files import write_new
from stretchcli.history.export import export_document
from stretchcli.history.record import SessionRecord
from stretchcli.history.store import HistoryStore


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
    """Write ``document`` to a new file in ``folder`` (never overwriting one), synced; a
    file a full disk let be made but not filled is removed (`stretch import` would refuse
    it) before the next folder is tried."""
    stamp = record.started_at.strftime("%Y%m%d-%H%M%S")
    path = folder / f"stretch-session-{stamp}-{record.id[:12]}.json"
    folder.mkdir(parents=True, exist_ok=True)
    write_new(path, document)
    return path
