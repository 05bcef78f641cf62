"""Dates and times typed on the command line: ``--since`` and ``--at``, within the dates
a session may have (``validate.EARLIEST`` to ``validate.LATEST``)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

from stretchcli.history.days import localize
from stretchcli.history.validate import EARLIEST, LATEST

_RELATIVE = re.compile(r"(\d{1,4})\s*([dw])")


def parse_since(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """``--since``: a date (local midnight), a date-time, ``today``, ``yesterday``, or ``7d`` /
    ``2w`` (the last 7 days / 2 weeks, today included). Raises ValueError."""
    value = text.strip().lower()
    today = now.astimezone(tz).date()
    day: date | None = None
    if value == "today":
        day = today
    elif value == "yesterday":
        day = today - timedelta(days=1)
    elif match := _RELATIVE.fullmatch(value):
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        day = today - timedelta(days=max(days, 1) - 1)
    if day is not None:
        since = localize(datetime(day.year, day.month, day.day), tz)
    else:
        since = _parse_datetime(text, tz=tz, hour=0)
    # Only a filter: before the first possible session is from the first one on.
    return min(max(since, EARLIEST), LATEST)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """``--at``: ``now``, ``HH:MM`` (today), a date-time, or a date (taken as noon).

    Naive times are local; a time in the future is refused. Raises ValueError.
    """
    value = text.strip()
    if value.lower() == "now":
        return now
    if match := re.fullmatch(r"(\d{1,2}):(\d{2})", value):
        today = now.astimezone(tz).date()
        try:
            naive = datetime(today.year, today.month, today.day, int(match[1]), int(match[2]))
        except ValueError:
            raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None
        result = localize(naive, tz)
    else:
        result = _parse_datetime(text, tz=tz, hour=12)
    if result > now + timedelta(minutes=1):
        raise ValueError(f"{text!r} is in the future")
    if not EARLIEST <= result < LATEST:
        raise ValueError(f"{text!r} is out of range: a session is from 2000-01-01 to 2099-12-31")
    return result


def _parse_datetime(text: str, *, tz: tzinfo, hour: int) -> datetime:
    """An ISO date (at ``hour`` local time) or date-time (naive: local). A year before 2000
    or after 2099 gives ``EARLIEST`` or ``LATEST`` (no local offset is applied to it, which
    could take year 1 or 9999 out of the calendar)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            naive = datetime(day.year, day.month, day.day, hour)
        else:
            naive = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (2024-05-06) or date-time (2024-05-06T08:30)"
        ) from None
    if naive.tzinfo is not None:
        return naive
    if naive.year < EARLIEST.year:
        return EARLIEST - timedelta(microseconds=1)
    if naive.year >= LATEST.year:
        return LATEST
    return localize(naive, tz)
