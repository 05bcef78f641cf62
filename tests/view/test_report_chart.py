"""The geometry of the report's charts: the scales, the weekly means clipped to the period,
the Monday ticks, bars from a centre line, and the text chart of the Markdown."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from report_support import START, fixture_report
from stretchcli.view.report_chart import (
    BOTTOM,
    LEFT,
    RIGHT,
    SIDES_LABEL,
    SIDES_WIDTH,
    TOP,
    TimeAxis,
    pain_chart,
    pain_grid,
    pain_y,
    sides_chart,
)
from stretchcli.view.report_text import imbalance_text
from support import BERLIN, make_record


def test_ratings_go_from_the_bottom_up() -> None:
    assert (pain_y(0), pain_y(10), pain_y(5)) == (BOTTOM, TOP, (BOTTOM + TOP) / 2)


def test_the_time_axis_spans_whole_local_days() -> None:
    axis = TimeAxis(date(2026, 11, 2), date(2026, 11, 3), BERLIN)  # two days
    assert axis.x(datetime(2026, 11, 2, tzinfo=BERLIN)) == LEFT
    assert axis.x(datetime(2026, 11, 3, tzinfo=BERLIN)) == (LEFT + RIGHT) / 2
    assert axis.x(datetime(2026, 11, 4, tzinfo=BERLIN)) == RIGHT
    # Outside the period: at the edge, never out of the plot.
    assert axis.x(datetime(2026, 10, 1, tzinfo=BERLIN)) == LEFT
    assert axis.x(datetime(2027, 1, 1, tzinfo=BERLIN)) == RIGHT


def test_the_time_axis_across_a_daylight_saving_change() -> None:
    # Sun 25 Oct 2026 has 25 hours in Berlin: the axis is in real time, evenly.
    axis = TimeAxis(date(2026, 10, 25), date(2026, 10, 25), BERLIN)
    assert axis.x(datetime(2026, 10, 25, 12, 30, tzinfo=BERLIN)) == pytest.approx(
        LEFT + (13.5 / 25) * (RIGHT - LEFT), abs=0.1
    )


def test_the_weekly_means_are_clipped_to_the_period_and_ticks_sit_on_mondays() -> None:
    chart = pain_chart(fixture_report())
    first, *_, last = chart.before_mean
    assert (first.x1, first.y) == (LEFT, pain_y(6.0))  # the week of 19 Oct starts before
    assert last.x2 == RIGHT  # the week of 30 Nov ends after today
    assert [s.x2 for s in chart.before_mean[:-1]] == [s.x1 for s in chart.before_mean[1:]]
    assert [t.label for t in chart.x_ticks] == [
        "Thu 22 Oct",
        "Mon 26 Oct",
        "Mon 2 Nov",
        "Mon 9 Nov",
        "Mon 16 Nov",
        "Mon 23 Nov",
        "Mon 30 Nov",
    ]
    assert chart.x_ticks[1].at - chart.x_ticks[0].at >= 60
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert all(LEFT <= m.x <= RIGHT and TOP <= m.y <= BOTTOM for m in chart.before + chart.after)


def test_a_monday_label_too_close_to_the_first_is_left_out() -> None:
    report = replace(fixture_report(), start=date(2026, 11, 1))  # a Sunday
    labels = [t.label for t in pain_chart(report).x_ticks]
    assert labels[:2] == ["Sun 1 Nov", "Mon 9 Nov"]


def test_side_bars_grow_from_the_centre_to_scale() -> None:
    chart = sides_chart(fixture_report())
    assert chart is not None
    (bar,) = chart.bars
    assert chart.centre == SIDES_WIDTH / 2
    assert bar.left == SIDES_WIDTH / 2 - SIDES_LABEL  # the longest side fills its half
    assert bar.right == pytest.approx(bar.left * (28 * 88.0 + 45) / (29 * 90.5 + 60), abs=0.1)
    assert (bar.difference, bar.left_text, bar.right_text) == ("right 7 % less", "45 min", "42 min")


def test_no_sided_exercise_no_chart() -> None:
    assert sides_chart(replace(fixture_report(), sides=())) is None


@pytest.mark.parametrize(
    ("left", "right", "text"),
    [(100, 100, "even"), (100, 88, "right 12 % less"), (50, 100, "left 50 % less"), (0, 9, "–")],
)
def test_imbalance_in_words(left: float, right: float, text: str) -> None:
    assert imbalance_text(left, right) == text


def test_the_text_chart_marks_both_ratings_of_a_day_and_the_stops() -> None:
    base = fixture_report()
    day = datetime.combine(START, datetime.min.time(), BERLIN) + timedelta(hours=8)
    same = make_record(day, pain_before=7, pain_after=7)
    report = replace(base, sessions=(replace(base.sessions[0], record=same),), stops=())
    lines = pain_grid(report)
    assert lines[3] == " 7 |*"
    assert lines[11].startswith("   +----+")  # Thu, Fri, Sat, Sun, then Monday 26 Oct
    assert not any("pain stop" in line for line in lines)
    assert lines[-1].startswith("    22/10      2/11")  # 26/10 would touch 22/10
