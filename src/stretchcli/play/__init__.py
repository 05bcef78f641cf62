"""Playing a session: timeline + clock + keys -> snapshots -> outcome -> record.

No rich and no typer here: the session loop talks to a ``Screen`` (see ``screen``).
"""
