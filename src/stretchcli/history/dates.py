"""Dates and times typed on the command line (``--since``, ``--at``): one small grammar,
within the dates a session may have (``validate.EARLIEST`` to ``validate.LATEST``).

A value is a moment (``now``, an ISO date-time such as ``2026-12-01T08:30``), or a day, a
time of day, or both in either order (``yesterday 8am``, ``8am yesterday``, ``monday at
19:30``). Days: an ISO date, ``today``, ``yesterday``, a weekday (``monday``, ``mon``: the
last one, today included), ``3 days ago``, ``2 weeks ago``, ``3d``, ``2w``. Times: ``08:30``,
``8am``, ``7:30pm``. "Now" is the caller's (``days.now_local``: ``STRETCH_TODAY`` when set).

Stdlib only (measured against dateparser and dateutil: see docs/history.md, "Dates").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from stretchcli.history.days import localize
from stretchcli.history.validate import EARLIEST, LATEST

# What the error message offers, one of each form.
FORMS = (
    "2026-12-01, 2026-12-01T08:30, today, yesterday, monday, 08:30, 8am, 7:30pm, "
    "3 days ago, 3d, 2w, or a day and a time such as yesterday 8am"
)
NOT_READ = f"not a date or time; use {FORMS}"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_AGO = re.compile(r"(\d{1,5}) ?(d|days?|w|weeks?)(?: ago)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_HOUR12 = re.compile(r"(\d{1,2})(?::(\d{2}))? ?([ap])\.?m\.?")


@dataclass(frozen=True)
class Moment:
    """A moment read from the command line, and what was assumed to get it (a time of
    day that was not given, or one the clocks skipped), for the person to see."""

    at: datetime
    note: str = ""


def parse_since(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """``--since``: the first moment shown. A day alone starts at local midnight. Out of
    the range a session may have, it is clamped (it is only a filter). Raises ValueError."""
    moment = _read(text, now=now, tz=tz, midnight=True)
    return min(max(moment.at, EARLIEST), LATEST)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> Moment:
    """``--at``: when a session started. A day alone is taken at 12:00 (or now, today
    before noon), and the note says so; a time in the future is refused. Raises
    ValueError."""
    moment = _read(text, now=now, tz=tz, midnight=False)
    if moment.at > now + timedelta(minutes=1):
        raise ValueError(f"in the future: it is {now.astimezone(tz):%Y-%m-%d %H:%M} now")
    if not EARLIEST <= moment.at < LATEST:
        raise ValueError("out of range: a session is from 2000-01-01 to 2099-12-31")
    return moment


def _read(text: str, *, now: datetime, tz: tzinfo, midnight: bool) -> Moment:
    value = " ".join(text.strip().lower().split())
    if value == "now":
        return Moment(now)
    if len(value) > 10 and _ISO_DAY.match(value) and (moment := _iso(text.strip(), tz)):
        return moment
    today = now.astimezone(tz).date()
    words = [word for word in value.split(" ") if word != "at"]
    for cut in range(len(words) + 1):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        for day_text, time_text in ((first, second), (second, first)):
            day = _day(day_text, today) if day_text else today
            clock = _clock(time_text) if time_text else None
            if day is None or (time_text and clock is None) or not (day_text or time_text):
                continue
            if clock is not None:
                return _wall(day, clock, tz)
            if midnight:
                return _wall(day, (0, 0), tz)
            return _noon(day, now, tz)
    raise ValueError(NOT_READ)


def _day(text: str, today: date) -> date | None:
    """The day ``text`` names, or None."""
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if len(text) >= 3:
        for number, name in enumerate(_WEEKDAYS):
            if name.startswith(text):
                return today - timedelta(days=(today.weekday() - number) % 7)
    if match := _AGO.fullmatch(text):
        count = int(match[1])
        return today - timedelta(days=count * 7 if match[2][0] == "w" else count)
    if _ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a day of the calendar") from None
    return None


def _clock(text: str) -> tuple[int, int] | None:
    """Hours and minutes of a time of day (``08:30``, ``8am``, ``7:30 pm``), or None."""
    if match := _CLOCK.fullmatch(text):
        hours, minutes = int(match[1]), int(match[2])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{text} is not a time of day (00:00 to 23:59)")
        return hours, minutes
    if match := _HOUR12.fullmatch(text):
        hours, minutes = int(match[1]), int(match[2] or 0)
        if not 1 <= hours <= 12 or minutes > 59:
            raise ValueError(f"{text} is not a time of day (12am to 11:59pm)")
        return hours % 12 + (12 if match[3] == "p" else 0), minutes
    return None


def _wall(day: date, clock: tuple[int, int], tz: tzinfo) -> Moment:
    """The local time ``clock`` on ``day``. A time the clocks skip (the hour lost to
    summer time) does not exist: the same instant is taken, which the clock reads one
    hour later, and the note says so."""
    if not EARLIEST.year <= day.year < LATEST.year:
        return Moment(_outside(day))
    wanted = datetime(day.year, day.month, day.day, *clock)
    at = localize(wanted, tz).astimezone(UTC).astimezone(tz)
    if at.replace(tzinfo=None) != wanted:
        return Moment(
            at,
            f"{wanted:%H:%M} did not happen on {day} (the clocks went forward): {at:%H:%M} used",
        )
    return Moment(at)


def _noon(day: date, now: datetime, tz: tzinfo) -> Moment:
    """A day without a time: 12:00, or now when that is still to come today."""
    if day == now.astimezone(tz).date() and now.astimezone(tz).hour < 12:
        return Moment(now, "no time given: now used")
    moment = _wall(day, (12, 0), tz)
    return Moment(moment.at, moment.note or "no time given: 12:00 used")


def _iso(text: str, tz: tzinfo) -> Moment | None:
    """An ISO date-time (with ``T`` or a space; a naive one is local time), or None."""
    try:
        naive = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return Moment(naive)
    if not EARLIEST.year <= naive.year < LATEST.year:
        return Moment(_outside(naive.date()))
    moment = _wall(naive.date(), (naive.hour, naive.minute), tz)
    at = moment.at.replace(second=naive.second, microsecond=naive.microsecond)
    return Moment(at, moment.note)


def _outside(day: date) -> datetime:
    """A day before 2000 or from 2100 on, as the first or last moment of the range (no
    local offset is applied to it, which could take year 1 or 9999 out of the calendar)."""
    return EARLIEST - timedelta(microseconds=1) if day.year < EARLIEST.year else LATEST
