"""The Markdown report, checked exactly: the fixture history's six weeks as text tables,
the pain chart in text, every cell escaped (a hostile note formats nothing), the removed
session nowhere, the resumed pair once; and the one line that stands in for the plan's
sections when there is no plan."""

from __future__ import annotations

from dataclasses import replace

from report_support import REMOVED_NOTE, fixture_report
from stretchcli.view.report_md import md, render_markdown
from stretchcli.view.report_text import plan_lines

EXPECTED = """\
# Stretching report

Thu 22 Oct to Wed 2 Dec 2026 (6 weeks). Made 2026-12-02 18:00 with stretchcli 9.9.

The person's own records from a stretch timer: sessions, pain rated 0-10 before and after, and the pain check after each exercise. A log to talk about, not a diagnosis.

## Summary

| Figure | Value |
|---|---|
| Sessions | 30 (6 h 0 min) |
| Days with a session | 30 of 42 |
| Plan kept | 24 of 36 due (67 %) |
| Current streak | 2 days |
| Longest streak | 3 days |
| Pain stops | 1 |
| Mean pain before, first → last week | 6.0 → 1.0 |
| Mean pain after, first → last week | 4.0 → 0.0 |

## Plan and adherence

Plan from Mon 26 Oct 2026, 6 weeks; now in week 6.

- lower-back: daily, 1 session a day; resumed on Tue 10 Nov 09:00 after a pain stop.

*Plan weeks (number: first day): sessions due, done, skipped and why, missed*

| Week | Due | Done | Skipped | Missed | Reasons for skipping |
|---|--:|--:|--:|--:|---|
| 1: 26 Oct | 7 | 5 | 1 | 1 | travelling |
| 2: 2 Nov | 6 | 3 | 0 | 3 | – |
| 3: 9 Nov | 6 | 3 | 1 | 2 | a cold \\<b\\> |
| 4: 16 Nov | 7 | 5 | 0 | 2 | – |
| 5: 23 Nov | 7 | 6 | 0 | 1 | – |
| 6: 30 Nov | 3 | 2 | 0 | 1 | – |
| All | 36 | 24 | 2 | 10 |  |

## Pain before and after

```text
10 |
 9 |
 8 |
 7 |
 6 |bbb bbb
 5 |        bb  bb
 4 |aaa aaa       b bbb
 3 |        aa  aa       bb bbb
 2 |              a  aa         bbb bbb
 1 |                     aa aaa         bbb bb
 0 |                            aaa aaa aaa aa
   +----+------+------+------+------+------+--
                    x  (x: pain stop)
    22/10      2/11   9/11   16/11  23/11  30/11
```

b: pain before a session, a: after, \\*: both on that day; one column per day, dates under the Mondays (day/month)

*Monday to Sunday; mean pain 0-10 before and after sessions*

| Week of | Sessions | Pain stops | Sore answers | Before | After |
|---|--:|--:|--:|--:|--:|
| 19 Oct | 4 | 0 | 3 | 6.0 | 4.0 |
| 26 Oct | 5 | 0 | 5 | 5.6 | 3.6 |
| 2 Nov | 5 | 1 | 4 | 4.4 | 2.5 |
| 9 Nov | 4 | 0 | 4 | 3.2 | 1.2 |
| 16 Nov | 5 | 0 | 5 | 2.4 | 0.4 |
| 23 Nov | 6 | 0 | 6 | 1.5 | 0.0 |
| 30 Nov | 2 | 0 | 2 | 1.0 | 0.0 |

## Pain checks per exercise

*Answers at the pain check after each exercise*

| Exercise | Fine | Sore | Sharp | Numbness | Stop key | All |
|---|--:|--:|--:|--:|--:|--:|
| Hooklying trunk rotation | 0 | 29 | 1 | 0 | 0 | 30 |
| Prone on elbows | 30 | 0 | 0 | 0 | 0 | 30 |

## Pain stops

*Sessions stopped for pain*

| When | Routine | Exercise | Answer | Side |
|---|---|---|---|---|
| Sat 7 Nov 08:12 | lower-back | Hooklying trunk rotation | sharp pain | left |

## Time held per side

*Time held per side*

| Exercise | Left | Right | Difference |
|---|--:|--:|---|
| Hooklying trunk rotation | 45 min | 42 min | right 7 % less |

```text
Hooklying trunk rotation  left ████████████|███████████  right
```

## Sessions

*One mark per session: ✓ done · ✗ pain stop · – ended early · s skipped · · none*

| Week of | Mon | Tue | Wed | Thu | Fri | Sat | Sun |
|---|---|---|---|---|---|---|---|
| 19 Oct |  |  |  | ✓ | ✓ | ✓ | · |
| 26 Oct | ✓ | ✓ | ✓ | · | ✓ | ✓ | s |
| 2 Nov | · | ✓ | ✓ | ✓ | · | ✗ | ✓ |
| 9 Nov | ✓ | · | s | ✓ | ✓ | · | ✓ |
| 16 Nov | ✓ | ✓ | · | ✓ | ✓ | ✓ | · |
| 23 Nov | ✓ | ✓ | ✓ | · | ✓ | ✓ | ✓ |
| 30 Nov | · | ✓ | ✓ |  |  |  |  |

## Notes

*Sessions with a note; pain 0-10 before → after*

| When | Routine | Ended | Pain | Note |
|---|---|---|---|---|
| Thu 22 Oct 08:00 | lower-back | completed | 6 → 4 | first day, stiff |
| Thu 5 Nov 08:00 | lower-back | completed | 4 → 2 | \\<script\\>alert(1)\\</script\\> \\& \\| \\*stars\\* \\[link\\](http://x) \\\\u202eevil |
| Sun 15 Nov 08:00 | lower-back | completed (resumed) | 3 → 1 | resumed after the phone rang |
| Fri 27 Nov 08:00 | lower-back | completed | 1 → 0 | much easier now |
"""


def test_the_markdown_report_is_exactly_this() -> None:
    assert render_markdown(fixture_report(), "9.9") == EXPECTED
    assert REMOVED_NOTE not in EXPECTED and "9 → 9" not in EXPECTED


def test_without_a_plan_one_line_says_adherence_needs_one() -> None:
    text = render_markdown(fixture_report(plan=False), "9.9")
    plan_part = text.split("## Plan and adherence\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert plan_part == (
        "No plan, so nothing was due: adherence needs one (stretch plan add ROUTINE)."
    )
    assert "Plan kept" not in text
    assert text.replace(
        "No plan, so nothing was due: adherence needs one (stretch plan add ROUTINE).", ""
    ).count("## ") == EXPECTED.count("## ")


def test_markdown_escaping_leaves_nothing_active() -> None:
    assert md("<b>*x*</b> [a](b) `c` | d & e_f ~g~ # h\nnext") == (
        "\\<b\\>\\*x\\*\\</b\\> \\[a\\](b) \\`c\\` \\| d \\& e\\_f \\~g\\~ \\# h next"
    )


def test_a_plan_with_nothing_due_in_the_period_says_so() -> None:
    report = replace(fixture_report(), adherence=())  # a plan that starts later, or ended
    assert plan_lines(report)[0] == (
        "Plan from Mon 26 Oct 2026, 6 weeks; now in week 6; nothing was due in this period."
    )
    assert "Plan kept" not in render_markdown(report, "9.9")
