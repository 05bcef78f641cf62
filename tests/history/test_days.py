"""Time zones and local days (days.py)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from stretchcli.history.days import local_timezone, offset_segments
from support import make_record, stats_both_ways

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_offset_segments_find_each_change_to_the_second() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    end = datetime(2024, 12, 31, tzinfo=UTC).timestamp()
    segments = offset_segments(BERLIN, start, end)
    assert segments == [
        (int(start), 3600),
        (int(datetime(2024, 3, 31, 1, 0, tzinfo=UTC).timestamp()), 7200),
        (int(datetime(2024, 10, 27, 1, 0, tzinfo=UTC).timestamp()), 3600),
    ]


def test_system_timezone_follows_tz_with_its_dst_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        tz = local_timezone()
        winter = datetime(2024, 1, 10, 23, 30, tzinfo=UTC)
        summer = datetime(2024, 4, 10, 22, 30, tzinfo=UTC)
        assert winter.astimezone(tz).isoformat() == "2024-01-11T00:30:00+01:00"
        assert summer.astimezone(tz).isoformat() == "2024-04-11T00:30:00+02:00"
        records = [make_record(winter), make_record(summer)]
        assert set(stats_both_ways(records, date(2024, 4, 11), tz).heatmap) == {
            date(2024, 1, 11),
            date(2024, 4, 11),
        }
    finally:
        monkeypatch.undo()
        time.tzset()
