"""The session history, one job per module (nothing is imported here, so that importing
one of them loads only what it needs: ``days`` and ``record`` load no sqlite3).

- ``record``: the record types of a session (plain data, stdlib only).
- ``validate``: strict validation of a record from JSON data.
- ``export``: the export document (also the journal's and the fallback file's format).
- ``schema``: the database schema and its migrations.
- ``guard``: refusing a file at the database path that is not one of our databases.
- ``database``: a ready connection to the database file (guarded, migrated, WAL).
- ``rows``: a record as table rows and back.
- ``store``: ``HistoryStore``, the SQLite history: writes, queries, export, statistics.
- ``aggregate``: the statistics rows grouped in SQL, and the running totals they read.
- ``stats``: statistics as a pure function of the sessions.
- ``days``: time zones and local calendar days.
- ``dates``: dates and times typed on the command line.
- ``journal``: a running session's record on disk, recovered after a kill.
- ``save``: saving a finished session, whatever happens.
- ``backup``: exporting the whole history to a file, importing one.

No typer and no rich here. The CLI opens a ``HistoryStore``, calls one method and renders
the plain data it gets back (see ``view/log.py`` and ``view/stats.py``).
"""
