"""Strict validation of session records from JSON data (an import, a journal, a fallback
file), with messages that name the record and the field."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, cast

from stretchcli.errors import HistoryError
from stretchcli.history.record import (
    PAIN_ANSWERS,
    RECORD_FIELDS,
    SOURCES,
    STATUSES,
    PainAnswer,
    PainRecord,
    SessionRecord,
    SideRecord,
    Source,
    Status,
)

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ALLOWED = frozenset(RECORD_FIELDS)
_REQUIRED = frozenset(("id", "routine", "title", "started_at", "ended_at", "duration_s", "status"))
_SIDE_ORDER = ("exercise_index", "exercise", "side", "held_s", "holds")
_SIDE_FIELDS = frozenset(_SIDE_ORDER)
_PAIN_ORDER = ("exercise_index", "exercise", "answer", "side")
_PAIN_FIELDS = frozenset(_PAIN_ORDER)
_PAIN_REQUIRED = _PAIN_FIELDS - {"side"}
_side_items = itemgetter(*_SIDE_ORDER)
_pain_items = itemgetter("exercise_index", "exercise", "answer")


class _Invalid(Exception):
    """Internal: one field of a record is wrong (``field``, ``problem``)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")


def parse_record(data: object, *, where: str = "record") -> SessionRecord:
    """Validate JSON data strictly and build a record.

    Raises ``HistoryError`` naming ``where`` and the field, e.g.
    ``record 3: started_at: expected an ISO 8601 date-time with a UTC offset``.
    A record without ``source`` gets ``"import"``.
    """
    try:
        return _record_from(data)
    except _Invalid as exc:
        raise HistoryError(f"{where}: {exc}") from None


def checked(record: SessionRecord) -> SessionRecord:
    """The record after the same validation an import gets (aware datetimes, ranges...)."""
    return parse_record(record.to_json_dict(), where=f"session {record.id!r}")


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
