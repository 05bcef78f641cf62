"""Statistics (stats.py), from SQL (aggregate.py) and from records; local days and streaks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchcli.history.record import PainRecord, SideRecord
from stretchcli.history.store import HistoryStore
from support import make_record, stats_both_ways

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- local days, streaks, statistics ---


def at(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def test_local_days_and_streak_across_the_spring_dst_change() -> None:
    records = [
        make_record(at(BERLIN, 2024, 3, 29, 23, 30)),  # CET, 22:30 UTC
        make_record(at(BERLIN, 2024, 3, 30, 23, 45)),  # CET; with today's +2 it would be the 31st
        make_record(at(BERLIN, 2024, 3, 31, 0, 15)),  # CET, 23:15 UTC on the 30th
        make_record(at(BERLIN, 2024, 4, 1, 0, 30)),  # CEST, 22:30 UTC on the 31st
    ]
    stats = stats_both_ways(records, date(2024, 4, 2), BERLIN)
    assert {d.isoformat(): n for d, n in stats.heatmap.items()} == {
        "2024-03-29": 1,
        "2024-03-30": 1,
        "2024-03-31": 1,
        "2024-04-01": 1,
    }
    assert (stats.current_streak, stats.longest_streak) == (4, 4)


def test_streak_across_the_autumn_dst_change() -> None:
    records = [
        make_record(at(BERLIN, 2024, 10, 26, 23, 30)),  # CEST
        make_record(at(BERLIN, 2024, 10, 27, 2, 30)),  # the hour that happens twice
        make_record(at(BERLIN, 2024, 10, 27, 23, 30)),  # CET
        make_record(at(BERLIN, 2024, 10, 28, 0, 10)),  # CET, 23:10 UTC on the 27th
    ]
    stats = stats_both_ways(records, date(2024, 10, 28), BERLIN)
    assert {d.isoformat(): n for d, n in stats.heatmap.items()} == {
        "2024-10-26": 1,
        "2024-10-27": 2,
        "2024-10-28": 1,
    }
    assert (stats.current_streak, stats.longest_streak) == (3, 3)


def test_streak_across_midnight_in_new_york() -> None:
    records = [
        make_record(at(NEW_YORK, 2024, 1, 10, 23, 50)),  # 04:50 UTC on the 11th
        make_record(at(NEW_YORK, 2024, 1, 11, 0, 10)),  # 05:10 UTC on the 11th: same UTC day
    ]
    assert stats_both_ways(records, date(2024, 1, 11), NEW_YORK).current_streak == 2
    yesterday = stats_both_ways(records, date(2024, 1, 12), NEW_YORK)
    assert (yesterday.current_streak, yesterday.longest_streak) == (2, 2)
    gone = stats_both_ways(records, date(2024, 1, 13), NEW_YORK)
    assert (gone.current_streak, gone.longest_streak, gone.last_day) == (0, 2, date(2024, 1, 11))
    in_utc = stats_both_ways(records, date(2024, 1, 11), ZoneInfo("UTC"))
    assert (in_utc.current_streak, in_utc.heatmap) == (1, {date(2024, 1, 11): 2})


def test_longest_streak_is_the_longest_run_anywhere() -> None:
    days = [1, 2, 3, 4, 6, 7, 10]
    records = [make_record(at(BERLIN, 2024, 6, d, 9, 0)) for d in days]
    stats = stats_both_ways(records, date(2024, 6, 11), BERLIN)
    assert (stats.current_streak, stats.longest_streak) == (1, 4)


def test_no_sessions_means_empty_stats() -> None:
    stats = stats_both_ways([], date(2024, 6, 11), BERLIN)
    assert (stats.total_sessions, stats.current_streak, stats.longest_streak) == (0, 0, 0)
    assert stats.heatmap == {}
    assert (stats.weeks, stats.pain_weeks, stats.first_day) == ((), (), None)
    assert stats.sides == ()


def test_stats_totals_weeks_routines_pain_and_sides() -> None:
    today = date(2024, 6, 12)  # a Wednesday
    records = [
        make_record(at(BERLIN, 2024, 6, 10, 8, 0)),
        make_record(
            at(BERLIN, 2024, 6, 11, 8, 0),
            status="stopped",
            pain_before=7,
            pain_after=None,
            pain=(
                PainRecord(0, "Prone on elbows", "sore"),
                PainRecord(1, "Hooklying trunk rotation", "stop", "left"),
            ),
            sides=(SideRecord(1, "Hooklying trunk rotation", "left", 10.0, 0),),
        ),
        make_record(
            at(BERLIN, 2024, 6, 5, 8, 0), routine="hold", sides=(), pain=(), duration_s=60.0
        ),
        make_record(at(BERLIN, 2023, 1, 2, 8, 0)),  # long ago: totals and routines only
    ]
    stats = stats_both_ways(records, today, BERLIN)
    assert stats.total_sessions == 4
    assert stats.total_duration_s == pytest.approx(725.25 * 3 + 60)
    assert [(w.start.isoformat(), w.sessions) for w in stats.weeks[-2:]] == [
        ("2024-06-03", 1),
        ("2024-06-10", 2),
    ]
    assert stats.first_day == date(2023, 1, 2)
    assert stats.weeks[0].start == date(2024, 3, 25)  # 12 weeks: the first session is older
    assert stats.heatmap_start == date(2023, 12, 18)
    assert date(2023, 1, 2) not in stats.heatmap
    assert [(r.routine, r.sessions) for r in stats.routines] == [("lower-back", 3), ("hold", 1)]
    this_week = stats.pain_weeks[-1]
    assert (this_week.sessions, this_week.stopped, this_week.sore) == (2, 1, 2)
    assert this_week.answers == {"fine": 1, "sore": 2, "stop": 1}
    assert (this_week.before_mean, this_week.after_mean) == (6.0, 3.0)
    assert stats.pain_weeks[-2].before_mean == 5.0
    assert stats.pain_weeks[0].before_mean is None
    sides = {s.side: s for s in stats.sides}
    assert list(sides) == ["left", "right"]
    assert (sides["left"].held_s, sides["left"].holds) == (90.5 * 2 + 10.0, 6)
    assert sides["left"].answers == {"stop": 1}
    assert (sides["right"].held_s, sides["right"].answers) == (88.0 * 2, {})
    assert [(e.exercise, dict(e.held_s)) for e in stats.side_exercises] == [
        ("Hooklying trunk rotation", {"left": 191.0, "right": 176.0})
    ]
    data = stats.to_json_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["current_streak"] == 2
    assert data["pain_weeks"][-1]["sore"] == 2


def test_running_totals_follow_inserts_and_deletes(store: HistoryStore) -> None:
    records = [make_record(routine="hold"), make_record(), make_record(sides=()), make_record()]
    store.record_many(records[:2])
    store.record_many(records[2:])
    conn = store._conn

    def totals() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return (
            conn.execute(
                "SELECT routine, sessions, duration_s FROM routine_totals ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT exercise, side, held_s, holds FROM side_totals ORDER BY 1, 2"
            ).fetchall(),
        )

    def recomputed() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return (
            conn.execute(
                "SELECT routine, count(*), total(duration_s) FROM sessions GROUP BY 1 ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT exercise, side, total(held_s), sum(holds) FROM session_sides "
                "WHERE side IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall(),
        )

    assert totals() == recomputed()
    assert totals()[0] == [("hold", 1, 725.25), ("lower-back", 3, 725.25 * 3)]
    conn.execute("DELETE FROM sessions WHERE routine = 'hold'")
    conn.execute("DELETE FROM sessions WHERE id = ?", (records[1].id,))
    assert totals() == recomputed()
    conn.execute("DELETE FROM sessions")
    assert totals() == ([], [])


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from(ZONES),
    stamps=st.lists(
        st.integers(min_value=1_600_000_000, max_value=1_760_000_000), min_size=1, max_size=40
    ),
    today_offset=st.integers(min_value=-3, max_value=200),
)
def test_sql_and_python_statistics_agree(zone: str, stamps: list[int], today_offset: int) -> None:
    tz = ZoneInfo(zone)
    records = [
        make_record(datetime.fromtimestamp(ts, UTC).astimezone(tz), duration_s=float(ts % 900))
        for ts in stamps
    ]
    today = datetime.fromtimestamp(max(stamps), tz).date() + timedelta(days=today_offset)
    stats = stats_both_ways(records, today, tz)
    local_days = [r.started_at.astimezone(tz).date() for r in records]
    shown = [d for d in local_days if stats.heatmap_start <= d <= today]
    assert sum(stats.heatmap.values()) == len(shown)
    assert (stats.longest_streak >= 1) == any(d <= today for d in local_days)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from(ZONES),
    stamps=st.lists(
        st.integers(min_value=1_700_000_000, max_value=1_760_000_000), min_size=1, max_size=30
    ),
    since_back=st.integers(min_value=0, max_value=400),
)
def test_sql_and_python_statistics_agree_from_a_day_on(
    zone: str, stamps: list[int], since_back: int
) -> None:
    """`stats --since`: both ways count the same sessions, none before that local day."""
    tz = ZoneInfo(zone)
    records = [
        make_record(datetime.fromtimestamp(ts, UTC).astimezone(tz), duration_s=float(ts % 900))
        for ts in stamps
    ]
    today = datetime.fromtimestamp(max(stamps), tz).date()
    since = today - timedelta(days=since_back)
    stats = stats_both_ways(records, today, tz, since)
    local_days = [r.started_at.astimezone(tz).date() for r in records]
    assert stats.total_sessions == sum(since <= d for d in local_days)
    if stats.first_day is not None:
        assert stats.first_day == min(d for d in local_days if d >= since)
        assert all(d >= since for d in stats.heatmap)
