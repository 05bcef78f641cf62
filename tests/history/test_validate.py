"""A record's JSON form (record.py) and its strict validation (validate.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from stretchcli.errors import HistoryError
from stretchcli.history.validate import parse_record
from support import make_record

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- JSON form ---


def test_json_form_of_a_record() -> None:
    record = make_record(id="abc123", started_at=datetime(2024, 5, 6, 8, 0, 1, 500, tzinfo=BERLIN))
    data = record.to_json_dict()
    assert data == {
        "id": "abc123",
        "routine": "lower-back",
        "title": "Lower back: extension and rotation",
        "started_at": "2024-05-06T08:00:01.000500+02:00",
        "ended_at": "2024-05-06T08:12:30+02:00",
        "duration_s": 725.25,
        "status": "completed",
        "source": "guided",
        "pain_before": 5,
        "pain_after": 3,
        "sides": [
            {
                "exercise_index": 0,
                "exercise": "Prone on elbows",
                "side": None,
                "held_s": 120.0,
                "holds": 1,
            },
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "side": "left",
                "held_s": 90.5,
                "holds": 3,
            },
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "side": "right",
                "held_s": 88.0,
                "holds": 3,
            },
        ],
        "pain": [
            {"exercise_index": 0, "exercise": "Prone on elbows", "answer": "fine", "side": None},
            {
                "exercise_index": 1,
                "exercise": "Hooklying trunk rotation",
                "answer": "sore",
                "side": None,
            },
        ],
        "note": "felt good",
        "resumes": None,
        "step": None,
    }
    assert parse_record(json.loads(json.dumps(data))) == record


def test_from_json_dict_defaults_source_to_import() -> None:
    data = make_record().to_json_dict()
    for optional in ("source", "pain_before", "pain_after", "sides", "pain", "note"):
        del data[optional]
    record = parse_record(data)
    assert (record.source, record.pain_before, record.sides, record.pain, record.note) == (
        "import",
        None,
        (),
        (),
        "",
    )


BAD_RECORDS = [
    ({"id": None}, "record: id: expected a string, got null"),
    ({"id": "a b"}, "record: id: expected 1-64 letters, digits, '.', '_' or '-', got 'a b'"),
    ({"routine": " "}, "record: routine: must not be empty"),
    (
        {"started_at": "2024-05-06T08:00:00"},
        "record: started_at: expected an ISO 8601 date-time with a UTC offset, "
        "got '2024-05-06T08:00:00'",
    ),
    (
        {"ended_at": "yesterday"},
        "record: ended_at: expected an ISO 8601 date-time with a UTC offset, got 'yesterday'",
    ),
    (
        {"ended_at": "2024-05-06T07:00:00+02:00"},
        "record: ended_at: is before started_at ('2024-05-06T07:00:00+02:00')",
    ),
    ({"duration_s": "60"}, "record: duration_s: expected a number of seconds, got a string"),
    (
        {"duration_s": -1},
        "record: duration_s: expected a number of seconds from 0 to 86400 (24 h), got -1",
    ),
    ({"duration_s": True}, "record: duration_s: expected a number of seconds, got true/false"),
    (
        {"status": "done"},
        "record: status: expected one of completed, stopped, quit, got 'done'",
    ),
    (
        {"source": "timer"},
        "record: source: expected one of guided, manual, import, got 'timer'",
    ),
    ({"pain_before": 11}, "record: pain_before: expected a whole number 0-10 or null, got 11"),
    ({"pain_after": 2.5}, "record: pain_after: expected a whole number 0-10 or null, got 2.5"),
    ({"sides": {}}, "record: sides: expected a list, got an object"),
    (
        {"sides": [{"exercise_index": 0, "exercise": "x", "side": "left", "held_s": -3}]},
        "record: sides[0].holds: missing",
    ),
    (
        {
            "sides": [
                {"exercise_index": 0, "exercise": "x", "side": "left", "held_s": -3, "holds": 1}
            ]
        },
        "record: sides[0].held_s: expected a number of seconds from 0 to 86400 (24 h), got -3",
    ),
    (
        {"pain": [{"exercise_index": 0, "exercise": "x", "answer": "ouch"}]},
        "record: pain[0].answer: expected one of fine, sore, sharp, numbness, stop, got 'ouch'",
    ),
    ({"note": 3}, "record: note: expected a string, got a int"),
    (
        {"mood": "great"},
        "record: (record): unknown field 'mood' (allowed: duration_s, ended_at, id, note, pain, "
        "pain_after, pain_before, resumes, routine, sides, source, started_at, status, step, "
        "title)",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_RECORDS)
def test_bad_records_are_refused_naming_the_field(change: dict[str, Any], message: str) -> None:
    data = make_record(started_at=datetime(2024, 5, 6, 8, 0, tzinfo=BERLIN)).to_json_dict()
    data.update(change)
    with pytest.raises(HistoryError) as caught:
        parse_record(data)
    assert str(caught.value) == message


def test_a_record_without_a_required_field_is_refused() -> None:
    data = make_record().to_json_dict()
    del data["started_at"]
    with pytest.raises(HistoryError, match=r"^record: started_at: missing$"):
        parse_record(data)
