"""Reading the CSV that `stretch export --format csv` writes (``export.write_csv``), back into
the records' JSON data, so that `stretch import` takes it like a JSON export: losslessly.

The writer puts one session a row under a header of the record's fields; an empty cell is
a null (or an empty note); lists (``sides``, ``pain``) are JSON; numbers are written as
Python writes them, which JSON reads back to the same value; true/false as ``True`` and
``False``. Text fields are taken as they are, whatever they look like.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from stretchcli.errors import HistoryError

# Fields whose cells are text, never read as JSON (a note "12" stays a note).
TEXT_FIELDS = frozenset(
    ("id", "routine", "title", "started_at", "ended_at", "status", "source", "note", "reason")
) | {"resumes"}  # `reason` and `resumes`: fields of the second version's records
# Fields every record has: an empty cell is an empty text, not a missing field.
REQUIRED = frozenset(("id", "routine", "title", "started_at", "ended_at", "duration_s", "status"))
_BOOLEANS = {"True": True, "true": True, "False": False, "false": False}


def looks_like_csv(text: str) -> bool:
    """Whether ``text`` starts with the header of an export's CSV (its first field: id)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first == "id" or first.startswith(("id,", '"id",'))


def parse_csv(text: str, name: str) -> list[dict[str, Any]]:
    """The records of an export's CSV as JSON data (checked by ``validate`` afterwards).
    A row of the wrong length, or a CSV error, is one ``HistoryError`` line naming the
    line of the file."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader)
        rows = []
        for row in reader:
            if not row:
                continue  # a blank line, such as one at the end of the file
            if len(row) != len(header):
                raise HistoryError(
                    f"{name}:{reader.line_num}: expected {len(header)} columns as in the "
                    f"header, got {len(row)}"
                )
            rows.append(dict(_field(key, cell) for key, cell in zip(header, row, strict=True)))
    except csv.Error as exc:
        raise HistoryError(f"{name}:{reader.line_num}: not valid CSV ({exc})") from None
    except StopIteration:
        return []
    return [{key: value for key, value in row.items() if value is not _ABSENT} for row in rows]


_ABSENT = object()  # an empty optional cell: the field is left out, its default applies


def _field(key: str, cell: str) -> tuple[str, Any]:
    if key in TEXT_FIELDS:
        return key, cell if cell or key in REQUIRED else _ABSENT
    if not cell:
        return key, None if key in REQUIRED else _ABSENT
    if cell in _BOOLEANS:
        return key, _BOOLEANS[cell]
    try:
        return key, json.loads(cell)
    except (ValueError, RecursionError):
        return key, cell  # validation says what is wrong with it, naming the field
