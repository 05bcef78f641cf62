"""The history the report tests share: six weeks of a daily lower-back plan with pain
ratings, a pain stop (and the plan resumed after it), sides, two skips with reasons,
notes (one of them hostile), a session removed by `log rm` that must not appear, an
interrupted session and its resumption (one session), and a session logged by hand just
before the period (in the first calendar week, outside the period)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from support import BERLIN, make_record

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=BERLIN)  # a Wednesday
TODAY = "2026-12-02T18:00"  # STRETCH_TODAY for the same moment
START = date(2026, 10, 22)  # 6 weeks back, today included: a Thursday
FIRST = datetime(2026, 10, 22, 8, 0, tzinfo=BERLIN)
HOSTILE = "<script>alert(1)</script> & | *stars* [link](http://x) \u202eevil"
REMOVED_NOTE = "logged by mistake, removed"
RESUMED_NOTE = "resumed after the phone rang"
PLAN = """\
starts = 2026-10-26
weeks = 6

[[items]]
routine = "lower-back"
days = "daily"
resumed = 2026-11-10T09:00:00+01:00
"""


def _day(offset: int, hour: int = 8, minute: int = 0) -> datetime:
    return FIRST + timedelta(days=offset, hours=hour - 8, minutes=minute)


def report_records() -> list[SessionRecord]:
    """The fixture history (ids fixed, so every run is the same)."""
    from stretchcli.history.record import PainRecord, SideRecord, manual_record, skip_record

    records: list[SessionRecord] = []
    notes = {0: "first day, stiff", 14: HOSTILE, 36: "much easier now"}
    for offset in range(42):
        if offset % 4 == 3 or offset == 24:
            continue  # missed days (and day 24: the interrupted pair below)
        if offset in (10, 20):
            reason = "travelling" if offset == 10 else "a cold <b>"
            skip = skip_record("lower-back", "Lower back", at=_day(offset), reason=reason)
            records.append(replace(skip, id=f"skip{offset:02d}"))
            continue
        before = 6 - offset // 7
        record = make_record(
            _day(offset),
            id=f"s{offset:02d}",
            pain_before=before,
            pain_after=max(0, before - 2),
            note=notes.get(offset, ""),
        )
        if offset == 16:  # Sat 7 Nov: sharp pain on the left, stopped
            record = replace(
                record,
                status="stopped",
                pain_after=None,
                pain=(
                    PainRecord(0, "Prone on elbows", "fine"),
                    PainRecord(1, "Hooklying trunk rotation", "sharp", "left"),
                ),
                sides=record.sides[:2],
            )
        records.append(record)
    # Day 24 (Sun 15 Nov): quit after the first exercise, resumed 20 minutes later.
    first = make_record(
        _day(24),
        id="pair1",
        status="quit",
        pain_before=3,
        pain_after=None,
        duration_s=150.0,
        ended_at=_day(24, minute=3),
        sides=(SideRecord(0, "Prone on elbows", None, 120.0, 1),),
        pain=(PainRecord(0, "Prone on elbows", "fine"),),
        note="",
    )
    second = make_record(
        _day(24, minute=20),
        id="pair2",
        resumes="pair1",
        pain_before=None,
        pain_after=1,
        duration_s=400.0,
        ended_at=_day(24, minute=28),
        sides=(
            SideRecord(1, "Hooklying trunk rotation", "left", 60.0, 2),
            SideRecord(1, "Hooklying trunk rotation", "right", 45.0, 2),
        ),
        pain=(PainRecord(1, "Hooklying trunk rotation", "sore"),),
        note=RESUMED_NOTE,
    )
    removed = make_record(
        _day(30, hour=19), id="gone", pain_before=9, pain_after=9, note=REMOVED_NOTE, removed=True
    )
    # Tue 20 Oct: logged by hand, two days before the period (its week is the first shown).
    early = replace(
        manual_record(
            "lower-back",
            "Lower back",
            started_at=datetime(2026, 10, 20, 7, tzinfo=BERLIN),
            seconds=600,
        ),
        id="early",
    )
    return [*records, first, second, removed, early]


def seed_home(home: Path) -> None:
    """Write the fixture history and the plan into ``home`` (a STRETCH_HOME)."""
    from stretchcli.history.store import HistoryStore
    from stretchcli.paths import DB_NAME, PLAN_NAME

    with HistoryStore.open(home / DB_NAME) as store:
        store.record_many(report_records())
    (home / PLAN_NAME).write_text(PLAN, encoding="utf-8")


def fixture_report(*, plan: bool = True):  # type: ignore[no-untyped-def]
    """The fixture's ``Report`` as of ``NOW``, built in memory (no files)."""
    from stretchcli.history.stats import compute_stats
    from stretchcli.plan.files import parse_plan
    from stretchcli.report.data import build_report

    records = report_records()
    stats = compute_stats(records, today=NOW.date(), tz=BERLIN)
    parsed = parse_plan(PLAN, Path("plan.toml")) if plan else None
    return build_report(records, stats, parsed, start=START, now=NOW, tz=BERLIN)
