"""Schedule arithmetic as tables: what is due, done, skipped and missed; plan weeks;
adherence; the dose by the progression rule; suspension by a pain stop and resumption;
local days across midnight and DST in a non-UTC zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from stretchcli.history.record import PainRecord, SessionRecord
from stretchcli.plan.model import Plan
from stretchcli.plan.schedule import (
    Sessions,
    adherence,
    dose,
    is_due_day,
    item_day,
    next_reminder,
    plan_week,
)
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
FINE = (PainRecord(0, "Prone on elbows", "fine"),)


def plan(**item: Any) -> Plan:
    fields: dict[str, Any] = {"routine": "lower-back", **item}
    return Plan.model_validate({"starts": "2026-11-30", "weeks": 4, "items": [fields]})


def session(day: str, hour: int = 8, **fields: Any) -> SessionRecord:
    when = datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=BERLIN)
    fields.setdefault("pain", FINE)
    fields.setdefault("pain_before", 3)
    fields.setdefault("pain_after", 2)
    return make_record(when, **fields)


def on(p: Plan, day: str, *records: SessionRecord) -> tuple[int, int, int, int, bool]:
    one = item_day(p, p.items[0], date.fromisoformat(day), Sessions(records, BERLIN))
    return one.due, one.done, one.skipped, one.left, one.suspended


@pytest.mark.parametrize(
    ("days", "due_on"),
    [
        ("daily", ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-27"]),
        (["mon", "thu"], ["2026-11-30", "2026-12-03", "2026-12-07", "2026-12-24"]),
        ("every 2 days", ["2026-11-30", "2026-12-02", "2026-12-04", "2026-12-26"]),
        ("every 3 days", ["2026-11-30", "2026-12-03", "2026-12-06", "2026-12-27"]),
    ],
)
def test_due_days(days: Any, due_on: list[str]) -> None:
    p = plan(days=days)
    first_four = [
        day.isoformat()
        for offset in range(40)
        if is_due_day(p, p.items[0], day := date(2026, 11, 29) + timedelta(days=offset))
    ]
    assert first_four[:3] == due_on[:3]
    assert first_four[-1] == due_on[-1]  # the last due day is in week 4; none after it


@pytest.mark.parametrize(
    ("day", "week"),
    [
        ("2026-11-29", None),
        ("2026-11-30", 1),
        ("2026-12-06", 1),
        ("2026-12-07", 2),
        ("2026-12-27", 4),
        ("2026-12-28", None),
    ],
)
def test_plan_weeks(day: str, week: int | None) -> None:
    assert plan_week(plan(), date.fromisoformat(day)) == week


def test_an_open_ended_plan_has_no_last_week() -> None:
    p = Plan.model_validate({"starts": "2026-11-30", "items": [{"routine": "lower-back"}]})
    assert plan_week(p, date(2027, 11, 30)) == 53


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], (2, 0, 0, 2, False)),
        ([session("2026-12-01")], (2, 1, 0, 1, False)),
        ([session("2026-12-01"), session("2026-12-01", 19)], (2, 2, 0, 0, False)),
        ([session("2026-12-01", status="quit")], (2, 0, 0, 2, False)),
        ([session("2026-12-01", status="skipped", reason="no time")], (2, 0, 1, 1, False)),
        ([session("2026-11-30", 23)], (2, 0, 0, 2, False)),  # the day before, local time
        ([session("2026-12-02", 0)], (2, 0, 0, 2, False)),  # just after midnight: next day
    ],
)
def test_done_skipped_and_left_on_a_day(
    records: list[SessionRecord], expected: tuple[int, int, int, int, bool]
) -> None:
    assert on(plan(times=2), "2026-12-01", *records) == expected


def test_a_session_and_its_resumption_count_once() -> None:
    first = session("2026-12-01", 8, status="quit")
    second = session("2026-12-01", 9, note="resumed")
    assert on(plan(times=2), "2026-12-01", first, second) == (2, 1, 0, 1, False)


def test_a_pain_stop_suspends_until_resumed() -> None:
    stop = session("2026-12-02", 8, status="stopped")
    p = plan(times=2)
    assert on(p, "2026-12-01", stop) == (2, 0, 0, 2, False)
    assert on(p, "2026-12-02", stop) == (1, 0, 0, 0, True)  # the stopped session was due
    assert on(p, "2026-12-03", stop) == (0, 0, 0, 0, True)
    resumed = plan(times=2, resumed="2026-12-04T10:00:00+01:00")
    assert on(resumed, "2026-12-03", stop) == (0, 0, 0, 0, True)
    assert on(resumed, "2026-12-04", stop) == (2, 0, 0, 2, False)
    # A stop after the resumption suspends again.
    again = session("2026-12-05", 8, status="stopped")
    assert on(resumed, "2026-12-06", stop, again) == (0, 0, 0, 0, True)


def test_days_follow_the_local_zone_across_the_dst_change() -> None:
    """Berlin leaves summer time on 2026-10-25: 23:30 local that night is 22:30 UTC, and
    00:30 local on the 26th is 23:30 UTC on the 25th."""
    p = Plan.model_validate({"starts": "2026-10-19", "items": [{"routine": "lower-back"}]})
    late = make_record(datetime(2026, 10, 25, 22, 30, tzinfo=UTC), pain=FINE)
    after = make_record(datetime(2026, 10, 25, 23, 30, tzinfo=UTC), pain=FINE)
    sessions = Sessions([late, after], BERLIN)
    assert item_day(p, p.items[0], date(2026, 10, 25), sessions).done == 1
    assert item_day(p, p.items[0], date(2026, 10, 26), sessions).done == 1


def test_weekly_adherence_with_skips_and_reasons() -> None:
    p = plan(times=1)
    records = [session(f"2026-12-0{d}") for d in (1, 2, 3)]
    records.append(session("2026-12-04", status="skipped", reason="travelling"))
    weeks = adherence(p, Sessions(records, BERLIN), date(2026, 12, 8))
    assert [(w.week, w.start, w.due, w.done, w.skipped, w.missed, w.reasons) for w in weeks] == [
        (1, date(2026, 11, 30), 7, 3, 1, 3, ("travelling",)),
        (2, date(2026, 12, 7), 2, 0, 0, 2, ()),
    ]
    assert weeks[0].share == pytest.approx(3 / 7)


def week_of(start: str, *, times: int = 1, **fields: Any) -> list[SessionRecord]:
    first = date.fromisoformat(start)
    return [
        session((first + timedelta(days=d)).isoformat(), 8 + 2 * t, **fields)
        for d in range(7)
        for t in range(times)
    ]


GROWS = {"progress": {"hold_step": "5s", "hold_max": "45s"}}


@pytest.mark.parametrize(
    ("weeks", "good", "extra"),
    [
        ([], 0, 0),
        ([week_of("2026-11-30")], 1, 5),
        ([week_of("2026-11-30"), week_of("2026-12-07")], 2, 10),
        # A sore answer keeps the dose for that week.
        ([week_of("2026-11-30", pain=(PainRecord(0, "x", "sore"),)), week_of("2026-12-07")], 1, 5),
        # Pain after above pain before: not a good week.
        ([week_of("2026-11-30", pain_before=2, pain_after=4)], 0, 0),
        # A missed day: not done as planned.
        ([week_of("2026-11-30")[1:]], 0, 0),
    ],
)
def test_the_dose_grows_only_after_good_weeks(
    weeks: list[list[SessionRecord]], good: int, extra: int
) -> None:
    p = plan(**GROWS)
    records = [record for week in weeks for record in week]
    got = dose(p, p.items[0], Sessions(records, BERLIN), date(2026, 12, 15))
    assert (got.week, got.good_weeks, got.extra_hold) == (3, good, extra)


def test_the_hold_never_grows_past_hold_max_nor_shrinks_a_longer_hold() -> None:
    p = plan(**GROWS)
    records = [r for start in ("2026-11-30", "2026-12-07", "2026-12-14") for r in week_of(start)]
    got = dose(p, p.items[0], Sessions(records, BERLIN), date(2026, 12, 21))
    assert got.extra_hold == 15
    assert (got.hold(30), got.hold(40), got.hold(120)) == (45, 45, 120)


def test_without_progress_the_dose_stays() -> None:
    p = plan()
    got = dose(p, p.items[0], Sessions(week_of("2026-11-30"), BERLIN), date(2026, 12, 8))
    assert (got.extra_hold, got.hold(30)) == (0, 30)


def test_the_next_reminder_is_the_next_time_with_something_left() -> None:
    p = plan(times=2, at=["08:00", "19:00"])
    now = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    assert next_reminder(p, Sessions([], BERLIN), now) == datetime(
        2026, 12, 1, 19, 0, tzinfo=BERLIN
    )
    done = [session("2026-12-01", 8), session("2026-12-01", 9)]
    assert next_reminder(p, Sessions(done, BERLIN), now) is None
