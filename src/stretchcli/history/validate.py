"""Strict validation of session records from JSON data (an import, a journal, a fallback
file), with messages that name the record and the field, and the bounds every stored value
keeps, so that nothing stored can break a later command (``stored_problem`` checks a record
read back from a database an older stretchcli wrote).

The bounds (docs/history.md): dates from 2000-01-01 to 2099-12-31 (UTC); durations and
times held 0 to 24 h; up to 1,000 side and pain items with exercise indexes up to 999 and up
to 10,000 holds; texts of bounded length, without control characters (a note may hold tabs
and line breaks) or unpaired surrogates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
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

# Sessions are dated from 2000 (before any stretchcli, and after the 1970 of a computer
# whose clock was never set) to the end of 2099 (a clock years ahead is kept, not lost;
# every local time of these stays far from the year 9999 where Python's dates end).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # the first moment no longer accepted
MAX_SECONDS = 86_400  # duration_s and held_s: a day (a routine plays for hours at most)
MAX_INDEX = 999  # exercise_index (a routine has at most 100 exercises)
MAX_HOLDS = 10_000  # holds on one side of one exercise (at most 50 reps)
MAX_ITEMS = 1_000  # sides and pain items of one session
MAX_ROUTINE = 255  # a routine id: a file name's stem
MAX_NAME = 500  # title, exercise (a routine file allows 120 and 80)
MAX_SIDE = 40
MAX_NOTE = 10_000
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Control characters (an escape sequence would reach the terminal as it is) and unpaired
# surrogates (SQLite cannot store them: UTF-8 has no such characters).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ALLOWED = frozenset(RECORD_FIELDS)
_REQUIRED = frozenset(("id", "routine", "title", "started_at", "ended_at", "duration_s", "status"))
_SIDE_ORDER = ("exercise_index", "exercise", "side", "held_s", "holds")
_SIDE_FIELDS = frozenset(_SIDE_ORDER)
_SIDE_ALLOWED = _SIDE_FIELDS | {"moves"}  # moves: only for moving exercises
MAX_MOVES = 100_000  # repetitions on one side of one exercise
MAX_STEP = 100_000  # a timeline step index
MAX_EXTRA_HOLD = 3_600  # seconds the plan's progression adds to a hold
MAX_REASON = 500
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
    return parse_record(record.to_json_dict(), where=f"session {shown(record.id)}")


def stored_problem(record: SessionRecord) -> str | None:
    """Why a record read back from a database is outside the bounds an import keeps (an
    older stretchcli, or another program, stored it), e.g. ``duration_s: ...``; None when
    it is within them."""
    if _stored_fast(record):
        return None
    try:
        _record_from(record.to_json_dict())  # the checks of an import, for the message
    except _Invalid as exc:
        return str(exc)
    return None


def _stored_fast(r: SessionRecord) -> bool:
    """The quick test of ``stored_problem`` (an export reads 100,000 records): True when
    everything is within bounds; False sends the record through the checks that say why."""
    started, ended, seconds, note = r.started_at, r.ended_at, r.duration_s, r.note
    return (
        type(started) is datetime
        and type(ended) is datetime
        and started.tzinfo is not None
        and ended.tzinfo is not None
        and EARLIEST <= started <= ended < LATEST
        and type(seconds) in (float, int)
        and 0 <= seconds <= MAX_SECONDS
        and type(r.id) is str
        and _ID_PATTERN.fullmatch(r.id) is not None
        and _plain(r.routine, MAX_ROUTINE)
        and bool(r.routine.strip())
        and _plain(r.title, MAX_NAME)
        and type(note) is str
        and len(note) <= MAX_NOTE
        and not _CONTROL_IN_NOTE.search(note)
        and r.status in STATUSES
        and r.source in SOURCES
        and (r.pain_before is None or (type(r.pain_before) is int and 0 <= r.pain_before <= 10))
        and (r.pain_after is None or (type(r.pain_after) is int and 0 <= r.pain_after <= 10))
        and r.reason is None  # a skip, a resumption, a plan's dose: the full checks
        and r.resumes is None
        and r.step is None
        and r.extra_hold_s == 0
        and r.removed in (False, True)
        and len(r.sides) <= MAX_ITEMS
        and len(r.pain) <= MAX_ITEMS
        and all(
            _side_ok(s.exercise_index, s.exercise, s.side, s.held_s, s.holds) and s.moves == 0
            for s in r.sides
        )
        and all(_pain_ok(p.exercise_index, p.exercise, p.answer, p.side) for p in r.pain)
    )


def _side_ok(index: object, name: object, side: object, held: object, holds: object) -> bool:
    """The quick test of a ``sides`` item's values (from JSON or from the database)."""
    return (
        type(index) is int
        and 0 <= index <= MAX_INDEX
        and _plain(name, MAX_NAME)
        and _side_name_ok(side)
        and (type(held) is float or type(held) is int)
        and 0 <= held <= MAX_SECONDS
        and type(holds) is int
        and 0 <= holds <= MAX_HOLDS
    )


def _pain_ok(index: object, name: object, answer: object, side: object) -> bool:
    """The quick test of a ``pain`` item's values (from JSON or from the database)."""
    return (
        type(index) is int
        and 0 <= index <= MAX_INDEX
        and _plain(name, MAX_NAME)
        and answer in PAIN_ANSWERS
        and _side_name_ok(side)
    )


def _side_name_ok(side: object) -> bool:
    return side is None or (_plain(side, MAX_SIDE) and bool(cast(str, side).strip()))


def note_problem(text: str) -> str | None:
    """Why ``text`` cannot be a session's note (too long, a control character), or None."""
    try:
        _text(text, "note", MAX_NOTE, control=_CONTROL_IN_NOTE)
    except _Invalid as exc:
        return str(exc).removeprefix("note: ")
    return None


def shown(value: object) -> str:
    """A value as a message shows it: short (a long text is cut, a list or an object is
    named, not printed) and on one line with no control character (``repr`` escapes)."""
    if isinstance(value, str):
        if len(value) <= 40:
            return repr(value)
        cut = repr(value[:40])
        return f"{cut[:-1]}...{cut[-1]}"
    if isinstance(value, bool | float) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() <= 128:  # up to 38 digits
            return repr(value)
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    return _kind(value)


def _record_from(data: object) -> SessionRecord:
    obj = _object(data, "(record)", _ALLOWED, _REQUIRED)
    started = _datetime(obj["started_at"], "started_at")
    ended = _datetime(obj["ended_at"], "ended_at")
    if ended < started:
        raise _Invalid("ended_at", f"is before started_at ({shown(obj['ended_at'])})")
    return SessionRecord(
        id=_session_id(obj["id"]),
        routine=_text(obj["routine"], "routine", MAX_ROUTINE, empty=False),
        title=_text(obj["title"], "title", MAX_NAME),
        started_at=started,
        ended_at=ended,
        duration_s=_seconds(obj["duration_s"], "duration_s"),
        status=cast(Status, _choice(obj["status"], "status", STATUSES)),
        source=cast(Source, _choice(obj.get("source", "import"), "source", SOURCES)),
        pain_before=_rating(obj.get("pain_before"), "pain_before"),
        pain_after=_rating(obj.get("pain_after"), "pain_after"),
        sides=tuple(_side_from(item, i) for i, item in enumerate(_list(obj, "sides"))),
        pain=tuple(_pain_from(item, i) for i, item in enumerate(_list(obj, "pain"))),
        note=_text(obj.get("note", ""), "note", MAX_NOTE, control=_CONTROL_IN_NOTE),
        reason=_optional_text(obj.get("reason"), "reason", MAX_REASON),
        resumes=None if obj.get("resumes") is None else _session_id(obj["resumes"], "resumes"),
        step=None if obj.get("step") is None else _count(obj["step"], "step", MAX_STEP),
        extra_hold_s=_count(obj.get("extra_hold_s", 0), "extra_hold_s", MAX_EXTRA_HOLD),
        removed=_flag(obj.get("removed", False), "removed"),
    )


def _flag(value: object, name: str) -> bool:
    if type(value) is not bool:
        raise _Invalid(name, f"expected true or false, got {shown(value)}")
    return value


def _side_from(data: object, number: int) -> SideRecord:
    """One ``sides`` item. A quick test passes valid items (an import has hundreds of
    thousands); anything else goes through the field-by-field checks for the message."""
    if type(data) is dict and data.keys() == _SIDE_FIELDS:
        index, name, side, held, holds = _side_items(data)
        if _side_ok(index, name, side, held, holds):
            return SideRecord(index, name, side, float(held), holds)
    where = f"sides[{number}]"
    obj = _object(data, where, _SIDE_ALLOWED, _SIDE_FIELDS)
    return SideRecord(
        exercise_index=_count(obj["exercise_index"], f"{where}.exercise_index", MAX_INDEX),
        exercise=_text(obj["exercise"], f"{where}.exercise", MAX_NAME),
        side=_optional_text(obj["side"], f"{where}.side", MAX_SIDE),
        held_s=_seconds(obj["held_s"], f"{where}.held_s"),
        holds=_count(obj["holds"], f"{where}.holds", MAX_HOLDS),
        moves=_count(obj.get("moves", 0), f"{where}.moves", MAX_MOVES),
    )


def _pain_from(data: object, number: int) -> PainRecord:
    """One ``pain`` item: a quick test first, as for sides."""
    if type(data) is dict and _PAIN_REQUIRED <= data.keys() <= _PAIN_FIELDS:
        index, name, answer = _pain_items(data)
        side = data.get("side")
        if _pain_ok(index, name, answer, side):
            return PainRecord(index, name, answer, side)
    where = f"pain[{number}]"
    obj = _object(data, where, _PAIN_FIELDS, _PAIN_REQUIRED)
    return PainRecord(
        exercise_index=_count(obj["exercise_index"], f"{where}.exercise_index", MAX_INDEX),
        exercise=_text(obj["exercise"], f"{where}.exercise", MAX_NAME),
        answer=cast(PainAnswer, _choice(obj["answer"], f"{where}.answer", PAIN_ANSWERS)),
        side=_optional_text(obj.get("side"), f"{where}.side", MAX_SIDE),
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
            raise _Invalid(
                where, f"unknown field {shown(key)} (allowed: {', '.join(sorted(allowed))})"
            )
    missing = sorted(required - data.keys())[0]
    raise _Invalid(missing if where == "(record)" else f"{where}.{missing}", "missing")


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), f"a {type(value).__name__}")


def _plain(value: object, limit: int) -> bool:
    """The quick test of a one-line text field."""
    return type(value) is str and len(value) <= limit and not _CONTROL.search(value)


def _text(
    value: object, name: str, limit: int, *, empty: bool = True, control: re.Pattern[str] = _CONTROL
) -> str:
    if not isinstance(value, str):
        raise _Invalid(name, f"expected a string, got {_kind(value)}")
    if len(value) > limit:
        raise _Invalid(name, f"is {len(value)} characters long; at most {limit}")
    if found := control.search(value):
        what = (
            "an unpaired surrogate" if "\ud800" <= found[0] <= "\udfff" else "a control character"
        )
        raise _Invalid(name, f"contains {what} (U+{ord(found[0]):04X}) at {found.start()}")
    if not empty and not value.strip():
        raise _Invalid(name, "must not be empty")
    return value


def _optional_text(value: object, name: str, limit: int) -> str | None:
    return None if value is None else _text(value, name, limit, empty=False)


def _session_id(value: object, name: str = "id") -> str:
    text = _text(value, name, 64)
    if not _ID_PATTERN.fullmatch(text):
        raise _Invalid(name, f"expected 1-64 letters, digits, '.', '_' or '-', got {shown(text)}")
    return text


def _datetime(value: object, name: str) -> datetime:
    problem = f"expected an ISO 8601 date-time with a UTC offset, got {shown(value)}"
    if not isinstance(value, str):
        raise _Invalid(name, problem)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(name, problem) from None
    if parsed.utcoffset() is None:
        raise _Invalid(name, problem)
    return _in_range(parsed, name)


def _in_range(when: datetime, name: str) -> datetime:
    # Aware datetimes compare by their UTC instants, without overflowing at year 1 or 9999.
    if not EARLIEST <= when < LATEST:
        raise _Invalid(
            name, f"must be from 2000-01-01 to 2099-12-31 (UTC), got {shown(when.isoformat())}"
        )
    return when


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(name, f"expected a number of seconds, got {_kind(value)}")
    # Compared before float(): an int too big for a float would overflow it.
    if not 0 <= value <= MAX_SECONDS:  # also false for NaN
        raise _Invalid(
            name, f"expected a number of seconds from 0 to {MAX_SECONDS} (24 h), got {shown(value)}"
        )
    return float(value)


def _count(value: object, name: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise _Invalid(name, f"expected a whole number from 0 to {limit}, got {shown(value)}")
    return value


def _rating(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _Invalid(name, f"expected a whole number 0-10 or null, got {shown(value)}")
    return value


def _choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _Invalid(name, f"expected one of {', '.join(choices)}, got {shown(value)}")
    return value


def _list(obj: Mapping[str, Any], name: str) -> list[object]:
    value = obj.get(name, [])
    if not isinstance(value, list):
        raise _Invalid(name, f"expected a list, got {_kind(value)}")
    if len(value) > MAX_ITEMS:
        raise _Invalid(name, f"has {len(value)} items; at most {MAX_ITEMS}")
    return value
