"""Time zones and local calendar days: the system zone with its DST rules, the UTC offset
at any instant, the local day of an instant, and the current local time.

Stdlib only and no sqlite3: the CLI loads this for any command that reads a date.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, date, datetime, timedelta, tzinfo


class SystemTimezone(tzinfo):
    """The local zone as the C library sees it (``TZ``, /etc/localtime), with its DST rules.

    ``datetime.now().astimezone()`` gives only today's fixed offset; this gives the offset
    that applied at each moment, so old sessions land on the right local day.
    """

    def fromutc(self, dt: datetime) -> datetime:
        """Local wall time for a UTC time (``dt`` carries this zone as tzinfo)."""
        seconds = (dt.replace(tzinfo=None) - _EPOCH_NAIVE) / timedelta(seconds=1)
        offset = time.localtime(math.floor(seconds)).tm_gmtoff
        return dt + timedelta(seconds=offset)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """Offset of a local wall time (ambiguous times resolve as the C library does)."""
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        """DST adjustment in effect."""
        local = self._local(dt)
        return (
            timedelta(seconds=local.tm_gmtoff + time.timezone)
            if local.tm_isdst > 0
            else (timedelta(0))
        )

    def tzname(self, dt: datetime | None) -> str:
        """Zone abbreviation, e.g. CET."""
        return self._local(dt).tm_zone

    def __repr__(self) -> str:
        return "SystemTimezone()"

    @staticmethod
    def _local(dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        stamp = time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1))
        return time.localtime(stamp)


_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_timezone() -> tzinfo:
    """The system's local time zone, DST rules included."""
    return SystemTimezone()


def now_local() -> datetime:
    """The current time with the local offset: ``STRETCH_TODAY`` when set (a date-time, or
    a date meaning 12:00 that day, local time; for tests and demos), else the clock."""
    import os

    fixed = os.environ.get("STRETCH_TODAY", "").strip()
    if not fixed:
        return datetime.now(UTC).astimezone()
    return fixed_now(fixed, local_timezone())


def fixed_now(text: str, tz: tzinfo) -> datetime:
    """``STRETCH_TODAY`` as an aware datetime; a bad value is one line naming the forms."""
    from stretchcli.errors import StretchError

    try:
        moment = datetime.fromisoformat(text)
        if len(text) == 10:  # a bare date: noon, so that "today" is that day in any zone
            moment = moment.replace(hour=12)
        if not 2000 <= moment.year <= 2200:
            raise ValueError(text)
    except ValueError:
        raise StretchError(
            f"STRETCH_TODAY={text!r} is not allowed: give a date (2026-12-02) or a date-time "
            "(2026-12-02T08:00)"
        ) from None
    return moment.astimezone(tz) if moment.tzinfo else localize(moment, tz)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in ``tz`` as an aware datetime (DST rules of that date applied)."""
    if isinstance(tz, SystemTimezone):
        return naive.astimezone()
    return naive.replace(tzinfo=tz)


def utc_offset_at(tz: tzinfo, ts: float) -> int:
    """Seconds east of UTC in zone ``tz`` at the instant ``ts``."""
    if isinstance(tz, SystemTimezone):
        return time.localtime(math.floor(ts)).tm_gmtoff
    offset = datetime.fromtimestamp(ts, tz).utcoffset()
    return round(offset.total_seconds()) if offset is not None else 0


def local_day(ts: float, tz: tzinfo) -> date:
    """The local calendar day of the instant ``ts`` in ``tz``."""
    return from_day_number((math.floor(ts) + utc_offset_at(tz, ts)) // 86400)


def from_day_number(number: int) -> date:
    """The date ``number`` days after 1970-01-01."""
    return date.fromordinal(_EPOCH_ORDINAL + number)


def local_midnight_ts(day: date, tz: tzinfo) -> float:
    """The instant local ``day`` begins in ``tz`` (approximately, within an hour at DST)."""
    naive = datetime(day.year, day.month, day.day)
    if isinstance(tz, SystemTimezone):
        return naive.astimezone().timestamp()
    return naive.replace(tzinfo=tz).timestamp()


def offset_segments(tz: tzinfo, low: float, high: float) -> list[tuple[int, int]]:
    """``(from_ts, offset)`` pieces over ``[low, high]``: the zone's offset changes only at
    each ``from_ts``. Found by sampling daily and bisecting each change to the second."""
    step = 86400
    start = math.floor(low)
    segments = [(start, utc_offset_at(tz, start))]
    at = start
    while at < high:
        nxt = min(at + step, math.floor(high) + 1)
        offset = utc_offset_at(tz, nxt)
        if offset != segments[-1][1]:
            lo, hi = at, nxt  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if utc_offset_at(tz, mid) == segments[-1][1]:
                    lo = mid
                else:
                    hi = mid
            segments.append((hi, offset))
        at = nxt
    return segments
