"""The date grammar of `--since` and `--at` (history/dates.py) as a table, with a fixed
"now" in a zone that is not UTC, across the days the clocks change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from stretchcli.history.dates import NOT_READ, parse_since, parse_when
from stretchcli.history.validate import EARLIEST, LATEST

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Monday 2026-03-30, 09:15 in Berlin: the day after the clocks went forward (2026-03-29,
# 02:00 -> 03:00), so "yesterday 2:30" is an hour that did not happen.
NOW = datetime(2026, 3, 30, 9, 15, tzinfo=BERLIN)


def berlin(text: str) -> str:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).isoformat()


@pytest.mark.parametrize(
    ("text", "since", "at", "note"),
    [
        # dates
        ("2026-03-20", "2026-03-20T00:00:00+01:00", "2026-03-20T12:00:00+01:00", "no time given: 12:00 used"),
        ("today", "2026-03-30T00:00:00+02:00", "2026-03-30T09:15:00+02:00", "no time given: now used"),
        ("Today", "2026-03-30T00:00:00+02:00", "2026-03-30T09:15:00+02:00", "no time given: now used"),
        ("yesterday", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", "no time given: 12:00 used"),
        ("monday", "2026-03-30T00:00:00+02:00", "2026-03-30T09:15:00+02:00", "no time given: now used"),
        ("sun", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", "no time given: 12:00 used"),
        ("Tuesday", "2026-03-24T00:00:00+01:00", "2026-03-24T12:00:00+01:00", "no time given: 12:00 used"),
        ("3 days ago", "2026-03-27T00:00:00+01:00", "2026-03-27T12:00:00+01:00", "no time given: 12:00 used"),
        ("1 day ago", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", "no time given: 12:00 used"),
        ("2 weeks ago", "2026-03-16T00:00:00+01:00", "2026-03-16T12:00:00+01:00", "no time given: 12:00 used"),
        ("3d", "2026-03-27T00:00:00+01:00", "2026-03-27T12:00:00+01:00", "no time given: 12:00 used"),
        ("2w", "2026-03-16T00:00:00+01:00", "2026-03-16T12:00:00+01:00", "no time given: 12:00 used"),
        ("0d", "2026-03-30T00:00:00+02:00", "2026-03-30T09:15:00+02:00", "no time given: now used"),
        # times (today)
        ("08:30", "2026-03-30T08:30:00+02:00", "2026-03-30T08:30:00+02:00", ""),
        ("8:05", "2026-03-30T08:05:00+02:00", "2026-03-30T08:05:00+02:00", ""),
        ("8am", "2026-03-30T08:00:00+02:00", "2026-03-30T08:00:00+02:00", ""),
        ("8 AM", "2026-03-30T08:00:00+02:00", "2026-03-30T08:00:00+02:00", ""),
        ("12am", "2026-03-30T00:00:00+02:00", "2026-03-30T00:00:00+02:00", ""),
        ("now", "2026-03-30T09:15:00+02:00", "2026-03-30T09:15:00+02:00", ""),
        # a day and a time, in either order
        ("yesterday 8am", "2026-03-29T08:00:00+02:00", "2026-03-29T08:00:00+02:00", ""),
        ("yesterday at 7:30pm", "2026-03-29T19:30:00+02:00", "2026-03-29T19:30:00+02:00", ""),
        ("7:30 pm yesterday", "2026-03-29T19:30:00+02:00", "2026-03-29T19:30:00+02:00", ""),
        ("12pm sunday", "2026-03-29T12:00:00+02:00", "2026-03-29T12:00:00+02:00", ""),
        ("3 days ago 21:00", "2026-03-27T21:00:00+01:00", "2026-03-27T21:00:00+01:00", ""),
        ("2026-03-20 8am", "2026-03-20T08:00:00+01:00", "2026-03-20T08:00:00+01:00", ""),
        # ISO date-times: local without an offset, as given with one
        ("2026-03-20T07:30", "2026-03-20T07:30:00+01:00", "2026-03-20T07:30:00+01:00", ""),
        ("2026-03-20 07:30:15", "2026-03-20T07:30:15+01:00", "2026-03-20T07:30:15+01:00", ""),
        ("2026-03-20T07:30Z", "2026-03-20T07:30:00+00:00", "2026-03-20T07:30:00+00:00", ""),
        ("2026-03-20T07:30-04:00", "2026-03-20T07:30:00-04:00", "2026-03-20T07:30:00-04:00", ""),
        # the hour the clocks skipped: the same instant, which the clock reads an hour later
        (
            "yesterday 2:30",
            "2026-03-29T03:30:00+02:00",
            "2026-03-29T03:30:00+02:00",
            "02:30 did not happen on 2026-03-29 (the clocks went forward): 03:30 used",
        ),
        (
            "2026-03-29T02:30",
            "2026-03-29T03:30:00+02:00",
            "2026-03-29T03:30:00+02:00",
            "02:30 did not happen on 2026-03-29 (the clocks went forward): 03:30 used",
        ),
    ],
)  # fmt: skip
def test_the_grammar(text: str, since: str, at: str, note: str) -> None:
    assert parse_since(text, now=NOW, tz=BERLIN).isoformat() == since
    moment = parse_when(text, now=NOW, tz=BERLIN)
    assert (moment.at.isoformat(), moment.note) == (at, note)


def test_the_hour_that_happens_twice_is_its_first_time() -> None:
    """2026-10-25 in Berlin: 02:30 happens in summer time, then again in winter time."""
    now = datetime(2026, 10, 26, 9, 0, tzinfo=BERLIN)
    moment = parse_when("yesterday 2:30", now=now, tz=BERLIN)
    assert (moment.at.isoformat(), moment.note) == ("2026-10-25T02:30:00+02:00", "")
    assert parse_since("yesterday", now=now, tz=BERLIN).isoformat() == "2026-10-25T00:00:00+02:00"


def test_days_are_the_local_days_of_the_zone() -> None:
    """00:30 on Tuesday in Berlin is still Monday evening in New York: "yesterday" and the
    weekdays count from each zone's own today."""
    now = datetime(2026, 6, 2, 0, 30, tzinfo=BERLIN)
    assert parse_since("yesterday", now=now, tz=NEW_YORK).isoformat() == "2026-05-31T00:00:00-04:00"
    assert parse_since("yesterday", now=now, tz=BERLIN).isoformat() == "2026-06-01T00:00:00+02:00"
    assert parse_since("tue", now=now, tz=NEW_YORK).isoformat() == "2026-05-26T00:00:00-04:00"
    at = parse_when("9am", now=now, tz=NEW_YORK).at  # 18:30 on Monday there
    assert at.astimezone(UTC).isoformat() == "2026-06-01T13:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("soon", NOT_READ),
        ("", NOT_READ),
        ("-3d", NOT_READ),
        ("last week", NOT_READ),
        ("yesterday yesterday", NOT_READ),
        ("8am 9am", NOT_READ),
        ("mo", NOT_READ),  # too short to be sure of a weekday
        ("25:00", "25:00 is not a time of day (00:00 to 23:59)"),
        ("yesterday 12:60", "12:60 is not a time of day (00:00 to 23:59)"),
        ("13pm", "13pm is not a time of day (12am to 11:59pm)"),
        ("2026-02-30", "2026-02-30 is not a day of the calendar"),
        ("2026-02-30 8am", "2026-02-30 is not a day of the calendar"),
    ],
)
def test_what_is_not_read_says_the_forms(text: str, problem: str) -> None:
    for parse in (parse_since, parse_when):
        with pytest.raises(ValueError) as caught:
            parse(text, now=NOW, tz=BERLIN)
        assert str(caught.value) == problem


def test_at_refuses_the_future_and_since_clamps_to_the_range() -> None:
    with pytest.raises(ValueError) as caught:
        parse_when("10am", now=NOW, tz=BERLIN)
    assert str(caught.value) == "in the future: it is 2026-03-30 09:15 now"
    assert parse_when("9:16", now=NOW, tz=BERLIN).at.minute == 16  # within a minute: now
    for text in ("1999-12-31", "0001-01-01T00:00+05:00", "99999w"):
        with pytest.raises(ValueError, match="out of range"):
            parse_when(text, now=NOW, tz=BERLIN)
        assert parse_since(text, now=NOW, tz=BERLIN) == EARLIEST
    assert parse_since("2100-01-01", now=NOW, tz=BERLIN) == LATEST


def test_stretch_today_is_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's "now" is ``days.now_local``: STRETCH_TODAY when set, in the local zone."""
    import time

    from stretchcli.cli import params

    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("STRETCH_TODAY", "2026-03-30T09:15")
    time.tzset()
    try:
        assert params.since()("yesterday").isoformat() == "2026-03-29T00:00:00+01:00"
        assert params.moment()("8am").at.isoformat() == "2026-03-30T08:00:00+02:00"
        assert params.moment()("yesterday 2:30").note.startswith("02:30 did not happen")
    finally:
        monkeypatch.undo()
        time.tzset()
