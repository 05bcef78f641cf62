"""Property-based tests of the history's boundary: whatever records an import file holds,
`stretch import` either adds them, after which log, log --json, stats, stats --json and
export all work (and print standard JSON), or refuses the file in one line with exit 1 and
touches nothing; whatever a session journal holds, opening the history adds it or sets it
aside with one warning, and never fails."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from stretchcli.history.journal import folder_for
from stretchcli.history.store import HistoryStore
from stretchcli.paths import DB_NAME
from support import make_record

Run = Callable[..., Any]
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = make_record().to_json_dict()

# Values at the edges of every type a record field can hold.
EDGE_NUMBERS = st.sampled_from(
    [
        0,
        -1,
        86400,
        86401,
        999,
        1000,
        10_000,
        10_001,
        2**63,
        -(2**63) - 1,
        10**20,
        10**400,
        1e20,
        1e308,
        -1e308,
        5e-324,
        float("inf"),
        float("-inf"),
        float("nan"),
        0.5,
        -0.0,
    ]
)
EDGE_DATES = st.sampled_from(
    [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00-05:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59+05:00",
        "1969-12-31T23:59:59+00:00",
        "1999-12-31T23:59:59.999999+00:00",
        "2000-01-01T00:00:00+00:00",
        "2000-01-01T00:00:00+14:00",
        "2099-12-31T23:59:59.999999+00:00",
        "2099-12-31T23:59:59-12:00",
        "2100-01-01T00:00:00+00:00",
        "2024-05-06T08:00:00",
        "2024-05-06",
        "2024-02-30T08:00:00+00:00",
    ]
)
ANY_DATES = st.builds(
    lambda when, minutes: when.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat(),
    st.datetimes(),
    st.integers(-1439, 1439),
)
EDGE_TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=20),  # surrogates, controls
    st.sampled_from(["", " ", "left", "right", "\ud800", "\x1b[2J", "\u2028", "x" * 10_001]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), EDGE_NUMBERS, EDGE_TEXTS)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def items(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """A ``sides`` or ``pain`` item: the base one with some fields changed or dropped."""
    item = dict(base)
    for key in draw(st.lists(st.sampled_from(sorted(base)), max_size=3, unique=True)):
        if draw(st.booleans()):
            item[key] = draw(st.one_of(EDGE_NUMBERS, EDGE_TEXTS, ANY_JSON))
        else:
            del item[key]
    return item


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record: a valid one with some fields set to values at the edges of their types."""
    record = dict(BASE, id=draw(st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)))
    choices = {
        "started_at": st.one_of(EDGE_DATES, ANY_DATES),
        "ended_at": st.one_of(EDGE_DATES, ANY_DATES),
        "duration_s": EDGE_NUMBERS,
        "pain_before": st.one_of(EDGE_NUMBERS, st.integers(-1, 11)),
        "pain_after": st.one_of(EDGE_NUMBERS, st.integers(-1, 11)),
        "title": EDGE_TEXTS,
        "routine": EDGE_TEXTS,
        "note": EDGE_TEXTS,
        "status": st.sampled_from(["completed", "stopped", "quit", "skipped", ""]),
        "sides": st.lists(items(BASE["sides"][1]), max_size=3),
        "pain": st.lists(items(BASE["pain"][1]), max_size=3),
        "id": st.one_of(EDGE_TEXTS, EDGE_NUMBERS),
    }
    for key in draw(st.lists(st.sampled_from(sorted(choices)), max_size=4, unique=True)):
        record[key] = draw(st.one_of(choices[key], ANY_JSON))
    return record


def strict_json(text: str) -> Any:
    def refuse(word: str) -> None:
        raise AssertionError(f"{word} in JSON output")

    return json.loads(text, parse_constant=refuse)


@PROPERTY
@given(st.lists(records(), min_size=1, max_size=3))
@example([dict(BASE, started_at="9999-12-31T23:59:59-05:00")])
@example([dict(BASE, duration_s=1e308), dict(BASE, id="x2", duration_s=1e308)])
@example([dict(BASE, note="\ud800")])
@example([dict(BASE, sides=[dict(BASE["sides"][1], exercise_index=10**20)])])
def test_any_records_import_and_then_every_command_works_or_are_refused_in_one_line(
    stretch: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sessions: list[dict[str, Any]],
) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp_path))
    monkeypatch.setenv("STRETCH_HOME", str(home))
    path = home / "import.json"
    # json.dumps writes NaN and Infinity as Python reads them: the import must refuse those.
    path.write_text(json.dumps(sessions), encoding="utf-8", errors="surrogatepass")
    result = stretch("import", path)
    assert result.code in (0, 1), result
    event("imported" if result.code == 0 else "refused")
    if result.code == 1:
        assert result.out == ""
        assert result.err.startswith(f"{path}") and result.err.count("\n") == 1, result.err
        assert "Traceback" not in result.err and len(result.err) < 500
        assert not (home / DB_NAME).exists()
        return
    assert result.err == ""
    logged = strict_json(stretch("log", "--json").out)
    assert len(logged) == len({s["id"] for s in sessions})
    for args in (("log",), ("log", "--limit", "0"), ("stats",), ("export", "--format", "csv")):
        run = stretch(*args)
        assert (run.code, run.err) == (0, ""), (args, run)
    stats = strict_json(stretch("stats", "--json").out)
    assert stats["total_sessions"] == len(logged)
    exported = stretch("export")
    assert exported.code == 0
    assert strict_json(exported.out)["sessions"] == sorted(
        logged, key=lambda r: (datetime.fromisoformat(r["started_at"]).timestamp(), r["id"])
    )


@PROPERTY
@given(st.one_of(ANY_JSON, st.builds(lambda r: [r], records())))
def test_any_journal_is_added_or_set_aside_with_one_warning(
    tmp_path_factory: pytest.TempPathFactory, content: Any
) -> None:
    db = tmp_path_factory.mktemp("journal") / "data" / DB_NAME
    folder = folder_for(db)
    folder.mkdir(parents=True)
    journal = folder / "0123abcd.json"
    journal.write_text(json.dumps(content), encoding="utf-8", errors="surrogatepass")
    warnings: list[str] = []
    with HistoryStore.open(db, warn=warnings.append) as store:
        added = store.count()
        shown = strict_json(json.dumps([r.to_json_dict() for r in store.sessions()]))
    assert len(shown) == added
    event("set aside" if warnings else "added")
    if not warnings:  # added (an empty list adds nothing), and the journal removed
        assert not folder.exists()
    else:
        assert added == 0
        assert len(warnings) == 1 and "\n" not in warnings[0]
        assert warnings[0].startswith(f"set aside a damaged session journal {journal} (")
        assert sorted(p.name for p in folder.iterdir()) == ["bad"]
        assert (folder / "bad" / journal.name).exists()
