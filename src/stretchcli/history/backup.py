"""Backup and restore of a whole history: `stretch export` (to a file, atomically, or to
stdout) and `stretch import` (every record checked before the database is touched)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from stretchcli.errors import HistoryError
from stretchcli.files import write_atomic
from stretchcli.history.export import read_export
from stretchcli.history.store import HistoryStore, ImportResult


def export_history(db_path: Path, fmt: Literal["json", "csv"], output: Path | None) -> int:
    """Write the history at ``db_path`` as JSON or CSV to ``output`` (stdout when None);
    returns how many sessions were written. A file is written through a temporary file, so
    a failed export never leaves half a file in place of an older backup."""
    with HistoryStore.open(db_path, create=False) as store:
        write = store.export_json if fmt == "json" else store.export_csv
        if output is None:
            return write(sys.stdout)
        try:
            return write_atomic(output, write)
        except OSError as exc:
            raise HistoryError(f"{output}: cannot write ({exc.strerror or exc})") from None


def import_history(db_path: Path, path: Path) -> ImportResult:
    """Add the sessions of an export (or a fallback file) at ``path`` to the history at
    ``db_path``. The file is read and every record checked first, so a bad file changes
    nothing and creates no database."""
    records = read_export(path)
    with HistoryStore.open(db_path) as store:
        return ImportResult(read=len(records), added=store.record_many(records, trusted=True))
