"""Durations: parsing the routine format's ``30`` / ``"45s"`` / ``"2m"`` / ``"1m30s"``, and
every way stretchcli writes a length of time (routine format, clock, rounded, in words,
countdown digits). Stdlib only: cheap to import from any layer."""

from __future__ import annotations

import re

_DURATION = re.compile(r"\d+|(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?", re.ASCII)


def format_duration(seconds: int) -> str:
    """Seconds as the routine format writes them: ``45s``, ``2m``, ``1m30s``, ``1h5m``."""
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return "".join(parts)


DURATION_FORMS = 'whole seconds (30) or a string like "45s", "2m", "1m30s"'
# Digit runs longer than this are out of every bound; never hand them to int() (which
# refuses more than 4300 digits with a message about sys.set_int_max_str_digits).
_MAX_DIGITS = 9


def _number(digits: str | None) -> int:
    digits = (digits or "0").lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def parse_duration(value: object) -> int:
    """Whole seconds from ``30``, ``"30"``, ``"45s"``, ``"2m"`` or ``"1m30s"``.

    Raises ValueError with the accepted forms; bounds are checked by the field.
    """
    if isinstance(value, bool):
        raise ValueError(f"must be {DURATION_FORMS}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
            return -_number(text[1:])  # a negative number: the bounds say what is allowed
        match = _DURATION.fullmatch(text)
        if text and match:
            if match["h"] is None and match["m"] is None and match["s"] is None:
                return _number(text)  # plain digits: whole seconds
            h, m, s = (_number(match[k]) for k in ("h", "m", "s"))
            return h * 3600 + m * 60 + s
    raise ValueError(f"must be {DURATION_FORMS}")


def clock_text(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a duration in seconds."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def total_text(seconds: float) -> str:
    """Time spent, for totals: ``m:ss`` under an hour (``1:30``, ``1:05``: 90 s and 65 s
    differ), ``h:mm h`` from an hour on (``3:25 h``)."""
    whole = max(0, round(seconds))
    if whole < 3600:
        return clock_text(whole)
    hours, minutes = divmod(whole // 60, 60)
    return f"{hours}:{minutes:02d} h"


def about_text(seconds: float) -> str:
    """A rounded duration for tables: ``45 s``, ``11 min``, ``1 h 5 min``."""
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def seconds_text(seconds: int) -> str:
    """A step's length in words: ``30 s``, ``2 min``, ``1 min 30 s``."""
    minutes, secs = divmod(seconds, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def countdown_text(seconds: int) -> str:
    """What the big digits show: ``45`` under a minute, ``2:05`` above."""
    if seconds < 60:
        return str(seconds)
    return clock_text(seconds)
