"""The HTML report of the fixture history, read back through a DOM: one self-contained,
script-free page; every section there, in order, labelled by its heading; the figures in
its tables and charts; untrusted text shown as text; the removed session nowhere."""

from __future__ import annotations

import re

import pytest

from report_dom import Node, parse, rows, section
from report_support import HOSTILE, REMOVED_NOTE, RESUMED_NOTE, fixture_report
from stretchcli.view.report_html import render_html

SECTIONS = [
    "Summary",
    "Pain before and after",
    "Plan and adherence",
    "Pain checks per exercise",
    "Pain stops",
    "Pain by week",
    "Sessions",
    "Time held per side",
    "Notes",
]


@pytest.fixture(scope="module")
def page() -> tuple[str, Node]:
    html = render_html(fixture_report(), "9.9")
    doctype, doc = parse(html)
    assert doctype == "DOCTYPE html"
    return html, doc


def test_one_self_contained_page_without_script(page: tuple[str, Node]) -> None:
    html, doc = page
    assert doc.one("html").attrs["lang"] == "en"
    assert doc.one("meta", charset="utf-8")
    policy = doc.one("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert policy == "default-src 'none'; style-src 'unsafe-inline'"  # nothing fetched, no script
    assert [
        n.tag for n in doc.iter() if n.tag in {"script", "link", "img", "iframe", "object"}
    ] == []
    assert not [n for n in doc.iter() if {"src", "href"} & n.attrs.keys()]
    assert not [n for n in doc.iter() if any(k.startswith("on") for k in n.attrs)]
    assert re.search(r"url\(|@import", html) is None
    assert doc.one("head").one("title").text() == (
        "Stretching report: Thu 22 Oct to Wed 2 Dec 2026 (6 weeks)"
    )


def test_printed_on_a4_with_rows_kept_whole(page: tuple[str, Node]) -> None:
    style = page[1].one("style").text()
    assert "@page { size: A4;" in style
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in style
    assert "thead { display: table-header-group; }" in style
    assert "html { background: #fff; color: #111;" in style  # dark text on white


def test_every_section_in_order_labelled_by_its_heading(page: tuple[str, Node]) -> None:
    doc = page[1]
    assert [h.text() for h in doc.all("h1")] == ["Stretching report"]
    assert [h.text() for h in doc.all("h2")] == SECTIONS
    for name in SECTIONS:
        section(doc, name)
    for table in doc.all("table"):
        assert table.one("caption").text()
        assert all(th.attrs["scope"] == "col" for th in table.one("thead").all("th"))
        assert all(row.all("th")[0].attrs["scope"] == "row" for row in table.one("tbody").all("tr"))


def test_the_key_figures(page: tuple[str, Node]) -> None:
    figures = {
        div.one("dt").text(): div.one("dd").text()
        for div in section(page[1], "Summary").one("dl").all("div")
    }
    assert figures == {
        "Sessions": "30 (6 h 0 min)",
        "Days with a session": "30 of 42",
        "Plan kept": "24 of 36 due (67 %)",
        "Current streak": "2 days",
        "Longest streak": "3 days",
        "Pain stops": "1",
        "Mean pain before, first → last week": "6.0 → 1.0",
        "Mean pain after, first → last week": "4.0 → 0.0",
    }


def test_plan_and_adherence_with_the_reasons_for_skipping(page: tuple[str, Node]) -> None:
    part = section(page[1], "Plan and adherence")
    assert part.all("p")[0].text() == "Plan from Mon 26 Oct 2026, 6 weeks; now in week 6."
    assert [li.text() for li in part.all("li")] == [
        "lower-back: daily, 1 session a day; resumed on Tue 10 Nov 09:00 after a pain stop."
    ]
    table = part.one("table")
    assert rows(table, "thead") == [
        ["Week", "Due", "Done", "Skipped", "Missed", "Reasons for skipping"]
    ]
    assert rows(table) == [
        ["1: 26 Oct", "7", "5", "1", "1", "travelling"],
        ["2: 2 Nov", "6", "3", "0", "3", "–"],
        ["3: 9 Nov", "6", "3", "1", "2", "a cold <b>"],
        ["4: 16 Nov", "7", "5", "0", "2", "–"],
        ["5: 23 Nov", "7", "6", "0", "1", "–"],
        ["6: 30 Nov", "3", "2", "0", "1", "–"],
    ]
    assert rows(table, "tfoot") == [["All", "36", "24", "2", "10", ""]]


def test_the_pain_chart_and_its_words(page: tuple[str, Node]) -> None:
    part = section(page[1], "Pain before and after")
    chart = part.one("svg", role="img")
    title_id, desc_id = chart.attrs["aria-labelledby"].split()
    assert chart.one("title", id=title_id).text().startswith("Pain before and after each session")
    assert chart.one("desc", id=desc_id).text() == (
        "Pain from 0 (none) to 10 (worst), rated before and after each session, Thu 22 Oct to "
        "Wed 2 Dec: 30 ratings before and 29 after. Weekly mean before: 6.0 in the week of "
        "Mon 19 Oct, 1.0 in the week of Mon 30 Nov. Weekly mean after: 4.0 in the week of "
        "Mon 19 Oct, 0.0 in the week of Mon 30 Nov. Pain stops: 1, marked at the top."
    )
    # One mark per session (the resumed pair once), one line per week and kind, one stop.
    assert len(chart.all("circle", class_="before")) == 30
    assert len(chart.all("rect", class_="after")) == 29
    assert len(chart.all("line", class_="mean-before")) == 7
    assert len(chart.all("line", class_="mean-after")) == 7
    (stop,) = chart.all("path", class_="stop")
    assert stop.one("title").text() == "Sat 7 Nov 08:12: stopped for pain"
    week = section(page[1], "Pain by week").one("table")
    assert rows(week) == [
        ["19 Oct", "4", "0", "3", "6.0", "4.0"],
        ["26 Oct", "5", "0", "5", "5.6", "3.6"],
        ["2 Nov", "5", "1", "4", "4.4", "2.5"],
        ["9 Nov", "4", "0", "4", "3.2", "1.2"],
        ["16 Nov", "5", "0", "5", "2.4", "0.4"],
        ["23 Nov", "6", "0", "6", "1.5", "0.0"],
        ["30 Nov", "2", "0", "2", "1.0", "0.0"],
    ]


def test_answers_stops_and_sides(page: tuple[str, Node]) -> None:
    doc = page[1]
    assert rows(section(doc, "Pain checks per exercise").one("table")) == [
        ["Hooklying trunk rotation", "0", "29", "1", "0", "0", "30"],
        ["Prone on elbows", "30", "0", "0", "0", "0", "30"],
    ]
    assert rows(section(doc, "Pain stops").one("table")) == [
        ["Sat 7 Nov 08:12", "lower-back", "Hooklying trunk rotation", "sharp pain", "left"]
    ]
    sides = section(doc, "Time held per side").one("svg", role="img")
    assert sides.one("desc").text() == (
        "Time held on each side, left bars to the left: Hooklying trunk rotation: "
        "left 45 min, right 42 min (right 7 % less)."
    )
    left = float(sides.one("rect", class_="bar-left").attrs["width"])
    right = float(sides.one("rect", class_="bar-right").attrs["width"])
    assert right / left == pytest.approx((28 * 88.0 + 45) / (29 * 90.5 + 60), abs=0.001)


def test_the_sessions_by_day_count_the_resumed_pair_once(page: tuple[str, Node]) -> None:
    table = section(page[1], "Sessions").one("table")
    assert rows(table) == [
        ["19 Oct", "", "", "", "✓", "✓", "✓", "·"],
        ["26 Oct", "✓", "✓", "✓", "·", "✓", "✓", "s"],
        ["2 Nov", "·", "✓", "✓", "✓", "·", "✗", "✓"],
        ["9 Nov", "✓", "·", "s", "✓", "✓", "·", "✓"],  # Sun 15 Nov: the pair, once
        ["16 Nov", "✓", "✓", "·", "✓", "✓", "✓", "·"],
        ["23 Nov", "✓", "✓", "✓", "·", "✓", "✓", "✓"],
        ["30 Nov", "·", "✓", "✓", "", "", "", ""],
    ]


def test_notes_are_text_and_the_removed_session_is_nowhere(page: tuple[str, Node]) -> None:
    html, doc = page
    notes = rows(section(doc, "Notes").one("table"))
    assert notes == [
        ["Thu 22 Oct 08:00", "lower-back", "completed", "6 → 4", "first day, stiff"],
        [
            "Thu 5 Nov 08:00",
            "lower-back",
            "completed",
            "4 → 2",
            HOSTILE.replace("\u202e", "\\u202e"),
        ],
        ["Sun 15 Nov 08:00", "lower-back", "completed (resumed)", "3 → 1", RESUMED_NOTE],
        ["Fri 27 Nov 08:00", "lower-back", "completed", "1 → 0", "much easier now"],
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; |" in html
    assert "\u202e" not in html  # a bidirectional override is shown, not obeyed
    assert REMOVED_NOTE not in html and ": before 9" not in html


def test_without_a_plan_its_sections_say_so_in_one_line() -> None:
    _, doc = parse(render_html(fixture_report(plan=False), "9.9"))
    part = section(doc, "Plan and adherence")
    assert part.text() == (
        "Plan and adherence No plan, so nothing was due: adherence needs one "
        "(stretch plan add ROUTINE)."
    )
    assert [h.text() for h in doc.all("h2")] == SECTIONS
