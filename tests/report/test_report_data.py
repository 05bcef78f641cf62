"""The report's data: the period, the rule that a resumed session is one session, pain
stops and answers per exercise, and the whole fixture's figures, which come from the same
functions as `stretch stats` and `stretch plan`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from report_support import NOW, REMOVED_NOTE, RESUMED_NOTE, START, fixture_report, report_records
from stretchcli.history.record import PainRecord, SessionRecord, SideRecord
from stretchcli.history.stats import compute_stats
from stretchcli.report.data import (
    answers_by_exercise,
    merge_resumed,
    pain_stops,
    period_start,
)
from support import BERLIN, make_record

T0 = datetime(2026, 11, 15, 8, 0, tzinfo=BERLIN)


def part(minutes: int, **fields: Any) -> SessionRecord:
    return make_record(T0 + timedelta(minutes=minutes), **fields)


def test_a_session_and_its_resumption_are_one_session() -> None:
    first = part(0, id="a", status="quit", pain_before=4, pain_after=None, duration_s=100.0)
    second = part(20, id="b", resumes="a", pain_before=None, pain_after=2, duration_s=300.0)
    (one,) = merge_resumed([second, first])
    assert one.parts == 2
    record = one.record
    assert (record.id, record.status, record.started_at) == ("a", "completed", first.started_at)
    assert (record.ended_at, record.duration_s) == (second.ended_at, 400.0)
    assert (record.pain_before, record.pain_after) == (4, 2)
    assert record.sides == first.sides + second.sides
    assert record.pain == first.pain + second.pain
    assert record.resumes is None


def test_a_resumption_of_a_resumption_joins_the_first_and_notes_are_kept() -> None:
    a = part(0, id="a", status="quit", note="phone")
    b = part(10, id="b", status="quit", resumes="a", note="door")
    c = part(20, id="c", resumes="b", note="door")
    other = part(60, id="d")
    merged = merge_resumed([c, other, b, a])
    assert [(s.record.id, s.parts) for s in merged] == [("a", 3), ("d", 1)]
    assert merged[0].record.note == "phone\ndoor"
    assert merged[0].record.duration_s == 3 * a.duration_s


def test_a_pain_stop_in_any_part_is_a_pain_stop_of_the_session() -> None:
    a = part(0, id="a", status="stopped")
    b = part(10, id="b", resumes="a", status="completed")
    (one,) = merge_resumed([a, b])
    assert one.status == "stopped"


def test_a_resumption_of_a_removed_or_missing_session_stands_alone() -> None:
    gone = part(0, id="a", status="quit", removed=True)
    alone = part(10, id="b", resumes="a")
    orphan = part(30, id="c", resumes="not-there")
    skip = part(40, id="d", status="skipped")
    merged = merge_resumed([gone, alone, orphan, skip])
    assert [(s.record.id, s.parts) for s in merged] == [("b", 1), ("c", 1)]


def test_pain_stops_name_the_answer_that_stopped_the_session() -> None:
    stopped = part(
        0,
        status="stopped",
        pain=(
            PainRecord(0, "Prone on elbows", "sore"),
            PainRecord(1, "Hooklying trunk rotation", "numbness", "right"),
        ),
    )
    unknown = part(60, status="stopped", pain=(), source="import")
    removed = part(120, status="stopped", removed=True)
    done = part(180)
    stops = pain_stops([done, removed, unknown, stopped])
    assert [(s.exercise, s.answer, s.side, s.at) for s in stops] == [
        ("Hooklying trunk rotation", "numbness", "right", stopped.ended_at),
        (None, None, None, unknown.ended_at),
    ]


def test_answers_are_counted_per_exercise_for_counted_sessions_only() -> None:
    one = part(0, pain=(PainRecord(0, "B", "fine"), PainRecord(1, "A", "sore")))
    two = part(60, pain=(PainRecord(0, "B", "stop"),))
    removed = part(120, pain=(PainRecord(0, "B", "sharp"),), removed=True)
    rows = answers_by_exercise([one, two, removed])
    assert [(r.exercise, dict(r.counts), r.total) for r in rows] == [
        ("A", {"fine": 0, "sore": 1, "sharp": 0, "numbness": 0, "stop": 0}, 1),
        ("B", {"fine": 1, "sore": 0, "sharp": 0, "numbness": 0, "stop": 1}, 2),
    ]


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime(2026, 10, 22, tzinfo=BERLIN), (date(2026, 10, 22), False)),
        (datetime(2026, 12, 2, 17, tzinfo=BERLIN), (date(2026, 12, 2), False)),
        # 12 weeks from a Monday at most: stats' pain weeks.
        (datetime(2026, 9, 1, tzinfo=BERLIN), (date(2026, 9, 14), True)),
    ],
)
def test_the_period_starts_on_the_day_asked_within_twelve_weeks(
    since: datetime, expected: tuple[date, bool]
) -> None:
    assert period_start(since, now=NOW, tz=BERLIN) == expected


def test_a_period_cannot_start_after_today() -> None:
    with pytest.raises(ValueError, match="2026-12-03 is after today"):
        period_start(datetime(2026, 12, 3, tzinfo=BERLIN), now=NOW, tz=BERLIN)


def test_the_fixture_report() -> None:
    report = fixture_report()
    assert (report.start, report.end, report.days) == (START, date(2026, 12, 2), 42)
    # 42 days, 10 missed, 2 skipped: 30 sessions, the interrupted pair among them as one.
    assert (report.total_sessions, report.active_days) == (30, 30)
    assert len(report.sessions) == 30
    assert sum(s.parts for s in report.sessions) == 31
    (pair,) = [s for s in report.sessions if s.parts == 2]
    assert (pair.record.id, pair.record.note, pair.record.pain_before, pair.record.pain_after) == (
        "pair1",
        RESUMED_NOTE,
        3,
        1,
    )
    assert all(s.record.note != REMOVED_NOTE for s in report.sessions)
    assert [(s.routine, s.reason) for s in report.skips] == [
        ("lower-back", "travelling"),
        ("lower-back", "a cold <b>"),
    ]
    (stop,) = report.stops
    assert (stop.at.date(), stop.exercise, stop.answer, stop.side) == (
        date(2026, 11, 7),
        "Hooklying trunk rotation",
        "sharp",
        "left",
    )
    assert (report.current_streak, report.longest_streak) == (2, 3)
    assert [(w.start, w.sessions) for w in report.weeks][:3] == [
        (date(2026, 10, 19), 4),  # the whole first week, the session before the period too
        (date(2026, 10, 26), 5),
        (date(2026, 11, 2), 5),
    ]
    assert [(w.week, w.due, w.done, w.skipped, w.reasons) for w in report.adherence] == [
        (1, 7, 5, 1, ("travelling",)),
        (2, 6, 3, 0, ()),  # the pain stop on Sat 7 Nov suspended the item
        (3, 6, 3, 1, ("a cold <b>",)),  # ... until it was resumed on Tue 10 Nov
        (4, 7, 5, 0, ()),
        (5, 7, 6, 0, ()),
        (6, 3, 2, 0, ()),
    ]
    (sides,) = report.sides
    assert sides.exercise == "Hooklying trunk rotation"
    assert sides.held_s == {"left": 29 * 90.5 + 60.0, "right": 28 * 88.0 + 45.0}


def test_the_weekly_figures_are_stats_own_with_the_pair_counted_once() -> None:
    """Week by week the report's numbers are compute_stats' on the same sessions: both
    count the two parts of the resumed pair (week of 9 Nov) as one session."""
    report = fixture_report()
    records = report_records()
    stats = compute_stats(records, today=NOW.date(), tz=BERLIN)
    by_start = {w.start: w for w in stats.pain_weeks}
    assert by_start[date(2026, 11, 9)].sessions == 4
    for week in report.weeks:
        assert week == by_start[week.start]


def test_without_a_plan_there_is_no_adherence() -> None:
    report = fixture_report(plan=False)
    assert (report.plan, report.adherence) == (None, ())
    assert report.total_sessions == 30


def test_sessions_after_today_and_before_the_period_are_left_out() -> None:
    later = make_record(NOW + timedelta(days=1), id="later")
    before = make_record(datetime(2026, 10, 21, 8, tzinfo=BERLIN), id="before")
    records = [*report_records(), later, before]
    from stretchcli.report.data import build_report

    stats = compute_stats(records, today=NOW.date(), tz=BERLIN)
    report = build_report(records, stats, None, start=START, now=NOW, tz=BERLIN)
    assert report.total_sessions == 30
    assert {s.record.id for s in report.sessions}.isdisjoint({"later", "before"})
    assert report.weeks[0].sessions == 5  # Wed 21 Oct is in the first week shown


def test_sides_records_with_moves_only_count_time_held() -> None:
    moving = make_record(
        T0, sides=(SideRecord(2, "Knee rocking", "left", 40.0, 0, moves=10),), pain=()
    )
    from stretchcli.report.data import build_report

    stats = compute_stats([moving], today=NOW.date(), tz=BERLIN)
    report = build_report([moving], stats, None, start=START, now=NOW, tz=BERLIN)
    assert [(s.exercise, dict(s.held_s)) for s in report.sides] == [
        ("Knee rocking", {"left": 40.0})
    ]
