"""Texts a person reads: the JSON Schema's descriptions in plain words, the built-in
routines explaining their terms once, `stretch show` at 80 columns."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable

import pytest

from conftest import Result
from stretchcli.paths import builtin_routines_dir
from support import BUILTIN_IDS

Stretch = Callable[..., Result]


@pytest.mark.parametrize("args", [("schema",), ("schema", "--plan")])
def test_schema_descriptions_are_plain_words(stretch: Stretch, args: tuple[str, ...]) -> None:
    result = stretch(*args)
    assert result.code == 0
    descriptions = re.findall(r'"description": "([^"]*)"', result.out)
    assert descriptions
    assert [d for d in descriptions if "`" in d or "::" in d] == []


def test_every_key_of_a_routine_file_is_described(stretch: Stretch) -> None:
    schema = json.loads(stretch("schema").out)
    tables = [schema, *schema["$defs"].values()]
    undescribed = [
        (table.get("title"), key)
        for table in tables
        for key, field in table.get("properties", {}).items()
        if not field.get("description")
    ]
    assert undescribed == []


# A term a built-in routine uses, and the plain words its cues explain it with.
TERMS = {
    "lower-back": {"prone": "face down", "hooklying": "on your back, knees bent, feet flat"},
    "mid-back": {"thoracic": "mid and upper back", "cat-cow": "(the cat)"},
    "sore-back": {"supine": "on your back", "hamstring": "back of the thigh"},
    "stenosis-seated": {"figure-4": "shape of a 4", "pelvic tilt": "pelvis tilts"},
    "back-in-bed": {"pelvic tilt": "pelvis tilts"},
}


@pytest.mark.parametrize("routine", sorted(TERMS))
def test_builtin_cues_explain_their_terms_the_first_time(routine: str) -> None:
    data = tomllib.loads((builtin_routines_dir() / f"{routine}.toml").read_text(encoding="utf-8"))
    for term, words in TERMS[routine].items():
        first = next(
            e for e in data["exercises"] if term in (e["name"] + " ".join(e["cues"])).lower()
        )
        assert any(words in cue.lower() for cue in first["cues"]), (routine, term)


@pytest.mark.parametrize("routine", BUILTIN_IDS)
def test_show_at_80_columns_wraps_no_timeline_row(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch, routine: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = stretch("show", routine).out.splitlines()
    timeline = lines[lines.index(next(line for line in lines if line.startswith("Timeline"))) :]
    rows = [line for line in timeline[3:] if "│" in line]
    assert rows
    # Every row starts at a time ("0:05"), but the total's; none is a wrapped continuation.
    assert [r for r in rows if not re.match(r"\s*\d+:\d\d │", r) and "total" not in r] == []
    assert max(len(line) for line in lines) <= 80


def test_show_indents_what_wraps_under_its_mark(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = stretch("show", "lower-back").out.splitlines()
    start = lines.index(next(line for line in lines if "─ Cautions ─" in line))
    cautions = [line[2:-1].rstrip() for line in lines[start + 1 :] if line.startswith("│")]
    assert cautions[3:5] == [
        "! Numbness or tingling that spreads: stop at once and talk to a doctor or",
        "  physiotherapist.",
    ]
