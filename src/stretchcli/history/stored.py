"""Checks of a record read back from a database: within the bounds an import keeps (an
older stretchcli, or another program, may have stored anything), with a fast path for the
common case (an export reads 100,000 records)."""

from __future__ import annotations

from datetime import datetime

from stretchcli.history.record import PAIN_ANSWERS, SOURCES, STATUSES, SessionRecord
from stretchcli.history.validate import (  # the field checks an import makes
    _CONTROL_IN_NOTE,
    _ID_PATTERN,
    EARLIEST,
    LATEST,
    MAX_EXTRA_HOLD,
    MAX_HOLDS,
    MAX_INDEX,
    MAX_ITEMS,
    MAX_MOVES,
    MAX_NAME,
    MAX_NOTE,
    MAX_REASON,
    MAX_ROUTINE,
    MAX_SECONDS,
    MAX_SIDE,
    MAX_STEP,
    _choice,
    _count,
    _in_range,
    _Invalid,
    _optional_text,
    _plain,
    _rating,
    _seconds,
    _session_id,
    _text,
)


def stored_problem(record: SessionRecord) -> str | None:
    """Why a record read back from a database is outside the bounds an import keeps (an
    older stretchcli, or another program, stored it), e.g. ``duration_s: ...``; None when
    it is within them."""
    if _stored_fast(record):
        return None
    try:
        _check_stored(record)
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
        and r.reason is None
        and r.resumes is None
        and r.step is None
        and r.extra_hold_s == 0
        and len(r.sides) <= MAX_ITEMS
        and len(r.pain) <= MAX_ITEMS
        and all(
            type(s.exercise_index) is int
            and 0 <= s.exercise_index <= MAX_INDEX
            and _plain(s.exercise, MAX_NAME)
            and (s.side is None or (_plain(s.side, MAX_SIDE) and bool(s.side.strip())))
            and type(s.held_s) in (float, int)
            and 0 <= s.held_s <= MAX_SECONDS
            and type(s.holds) is int
            and 0 <= s.holds <= MAX_HOLDS
            and s.moves == 0
            for s in r.sides
        )
        and all(
            type(p.exercise_index) is int
            and 0 <= p.exercise_index <= MAX_INDEX
            and _plain(p.exercise, MAX_NAME)
            and p.answer in PAIN_ANSWERS
            and (p.side is None or (_plain(p.side, MAX_SIDE) and bool(p.side.strip())))
            for p in r.pain
        )
    )


def _check_stored(r: SessionRecord) -> None:
    """The checks of an import, on a record built from database rows."""
    _session_id(r.id)
    _text(r.routine, "routine", MAX_ROUTINE, empty=False)
    _text(r.title, "title", MAX_NAME)
    for name, when in (("started_at", r.started_at), ("ended_at", r.ended_at)):
        if not isinstance(when, datetime) or when.utcoffset() is None:
            raise _Invalid(name, "expected a date-time with a UTC offset")
        _in_range(when, name)
    if r.ended_at < r.started_at:
        raise _Invalid("ended_at", "is before started_at")
    _seconds(r.duration_s, "duration_s")
    _choice(r.status, "status", STATUSES)
    _choice(r.source, "source", SOURCES)
    _rating(r.pain_before, "pain_before")
    _rating(r.pain_after, "pain_after")
    _text(r.note, "note", MAX_NOTE, control=_CONTROL_IN_NOTE)
    _optional_text(r.reason, "reason", MAX_REASON)
    if r.resumes is not None:
        _session_id(r.resumes, "resumes")
    if r.step is not None:
        _count(r.step, "step", MAX_STEP)
    _count(r.extra_hold_s, "extra_hold_s", MAX_EXTRA_HOLD)
    for items, name in ((r.sides, "sides"), (r.pain, "pain")):
        if len(items) > MAX_ITEMS:
            raise _Invalid(name, f"has {len(items)} items; at most {MAX_ITEMS}")
    for number, side in enumerate(r.sides):
        where = f"sides[{number}]"
        _count(side.exercise_index, f"{where}.exercise_index", MAX_INDEX)
        _text(side.exercise, f"{where}.exercise", MAX_NAME)
        _optional_text(side.side, f"{where}.side", MAX_SIDE)
        _seconds(side.held_s, f"{where}.held_s")
        _count(side.holds, f"{where}.holds", MAX_HOLDS)
        _count(side.moves, f"{where}.moves", MAX_MOVES)
    for number, answer in enumerate(r.pain):
        where = f"pain[{number}]"
        _count(answer.exercise_index, f"{where}.exercise_index", MAX_INDEX)
        _text(answer.exercise, f"{where}.exercise", MAX_NAME)
        _choice(answer.answer, f"{where}.answer", PAIN_ANSWERS)
        _optional_text(answer.side, f"{where}.side", MAX_SIDE)
