"""Backup and restore of a whole history: `stretch export` (to a file, atomically, through
a pipe or a terminal, or to stdout; never over the history's own files) and `stretch
import` (read within a bound, every record checked before the database is touched)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from stretchcli.files import write_output
from stretchcli.history.export import read_export
from stretchcli.history.journal import folder_for
from stretchcli.history.store import HistoryStore, ImportResult

# The files SQLite keeps beside a database, which are as much the history as the file is.
SIDECARS = ("-wal", "-shm", "-journal")


def own_files(db_path: Path) -> tuple[Path, ...]:
    """The files (and the journal folder) of the history at ``db_path``: what no command
    that writes a file the user names may write over (``files.write_output``)."""
    sidecars = tuple(db_path.with_name(db_path.name + suffix) for suffix in SIDECARS)
    return (db_path, *sidecars, folder_for(db_path))


def export_history(db_path: Path, fmt: Literal["json", "csv"], output: Path | None) -> int:
    """Write the history at ``db_path`` as JSON or CSV to ``output`` (stdout when None);
    returns how many sessions were written. A file is written through a temporary file, so
    a failed export never leaves half a file in place of an older backup; the history's own
    files are refused (``files.write_output``)."""
    with HistoryStore.open(db_path, create=False) as store:
        write = store.export_json if fmt == "json" else store.export_csv
        if output is None:
            # A full disk or a closed pipe on stdout: one line (cli.entry.main), as for any
            # command's output.
            return write(sys.stdout)
        return write_output(output, write, protected=own_files(db_path))


def import_history(db_path: Path, path: Path) -> ImportResult:
    """Add the sessions of an export (or a fallback file) at ``path`` to the history at
    ``db_path``. The file is read (within ``export.MAX_EXPORT_BYTES``) and every record
    checked first, so a bad file changes nothing and creates no database."""
    records = read_export(path)
    with HistoryStore.open(db_path) as store:
        return ImportResult(read=len(records), added=store.record_many(records, trusted=True))
