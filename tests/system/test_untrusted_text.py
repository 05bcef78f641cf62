"""Text from outside is shown literally: rich markup is never read in it, and no character a
terminal acts on (escape sequences, bells, bidirectional overrides, lone surrogates) reaches
the terminal from a routine file, a record, a file name or the command line. Output that
cannot encode what stretchcli prints degrades to ASCII; bytes that are not UTF-8 are stored
as U+FFFD, so a session is never lost to them."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import Result
from stretchcli.history.record import PainRecord, SideRecord
from stretchcli.play.player import Snapshot
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Timeline, build_timeline
from stretchcli.safe import visible
from stretchcli.view.live import SessionView
from stretchcli.view.plain import plain_line
from support import make_record

Run = Callable[..., Result]
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What may never reach the terminal unescaped: controls other than newline (and the tab
# rich expands), DEL, C1, line separators, bidirectional overrides, lone surrogates.
UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
MARKUP = "[bold]x[/bold] [/left] [link=https://example.invalid]click[/link] :smile:"
NASTY = "\x1b[2J\x1b]0;title\x07\x9b31m\u202eevil\udcff"
text = st.text(min_size=1, max_size=40)


def safe(output: str) -> None:
    found = UNSAFE.findall(output)
    assert found == [], f"unsafe characters reached the output: {found!r}"


def import_one(stretch: Run, tmp_path: Path, **fields: Any) -> Result:
    record = make_record(**fields).to_json_dict()
    path = tmp_path / "one.json"
    document = {"format": "stretchcli-history", "version": 1, "sessions": [record]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return stretch("import", path)


@PROPERTY
@given(routine=text, title=text, exercise=text, side=text, note=text)
@example(routine=MARKUP, title=MARKUP, exercise=MARKUP, side=MARKUP, note=MARKUP)
@example(routine=NASTY, title=NASTY, exercise=NASTY, side=NASTY, note=NASTY)
def test_any_text_in_a_record_is_shown_literally_by_every_command(
    stretch: Run,
    home: Path,
    tmp_path: Path,
    routine: str,
    title: str,
    exercise: str,
    side: str,
    note: str,
) -> None:
    for leftover in home.iterdir():  # a fresh history for each example
        leftover.unlink()
    sides = (SideRecord(0, exercise, side, 30.0, 1),)
    pain = (PainRecord(0, exercise, "sore", side),)
    imported = import_one(
        stretch, tmp_path, routine=routine, title=title, note=note, sides=sides, pain=pain
    )
    if imported.code != 0:  # refused: one line, nothing stored
        assert (imported.code, len(imported.err.splitlines())) == (1, 1)
        safe(imported.err)
        return
    for args in (["log"], ["log", "--json"], ["stats"], ["stats", "--json"], ["export"]):
        result = stretch(*args)
        assert (result.code, result.err) == (0, ""), args
        safe(result.out)
        if args[-1] in ("--json", "export"):
            json.loads(result.out)  # still JSON, and it gives back the text as stored
    shown = stretch("log", "--json").out
    assert json.loads(shown)[0]["routine"] == routine


def test_markup_in_a_record_is_printed_as_written(stretch: Run, home: Path, tmp_path: Path) -> None:
    sides = (SideRecord(0, "Knee [/left]", "left", 30.0, 1),)
    assert import_one(stretch, tmp_path, routine="x[red]y", sides=sides).code == 0
    assert "x[red]y" in stretch("log").out
    stats = stretch("stats")
    assert stats.code == 0 and "x[red]y" in stats.out and "Knee [/left]" in stats.out


def test_json_output_escapes_what_json_itself_does_not(
    stretch: Run, home: Path, tmp_path: Path
) -> None:
    assert import_one(stretch, tmp_path, title="a\u202eb\u2066c\u2028d").code == 0
    out = stretch("log", "--json").out
    assert "\\u202e" in out and "\\u2066" in out and "\\u2028" in out
    assert json.loads(out)[0]["title"] == "a\u202eb\u2066c\u2028d"


def routine_text(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's, but for surrogates)."""
    return json.dumps(value)


@PROPERTY
@given(title=text, name=text, cue=text)
@example(title=MARKUP, name=MARKUP, cue=MARKUP)
def test_any_text_in_a_routine_file_is_shown_literally(
    stretch: Run, home: Path, tmp_path: Path, title: str, name: str, cue: str
) -> None:
    path = tmp_path / "any.toml"
    path.write_text(
        f"title = {routine_text(title)}\n[[exercises]]\nname = {routine_text(name)}\n"
        f"cues = [{routine_text(cue)}]\n",
        encoding="utf-8",
    )
    for args in (["show", path], ["show", path, "--json"], ["validate", path]):
        result = stretch(*args)
        assert result.code in (0, 1), args
        assert "Traceback" not in result.err
        safe(result.out + result.err)
    shown = stretch("show", path)
    if shown.code == 0:
        assert Routine.model_validate({"title": title, "exercises": [{"name": name}]})
        flat = " ".join(shown.out.split())
        assert " ".join(visible(name.strip()).split()) in flat


@PROPERTY
@given(title=text, exercise=text, cue=text)
@example(title=MARKUP, exercise=MARKUP, cue=NASTY)
def test_the_live_view_and_plain_lines_show_any_text_literally(
    title: str, exercise: str, cue: str
) -> None:
    routine = Routine.model_validate({"title": "t", "exercises": [{"name": "n", "reps": 1}]})
    timeline = build_timeline(routine)
    steps = tuple(replace(step, exercise=exercise) for step in timeline.steps)
    timeline = Timeline(title, steps, timeline.exercise_count)
    view = SessionView(title=title, timeline=timeline, cues=[[cue]])
    for index, step in enumerate(timeline.steps):
        snapshot = Snapshot("step", index, step, step.seconds, timeline.total_seconds)
        console = Console(file=io.StringIO(), width=80, height=24, record=True)
        console.print(view.render(snapshot))
        drawn = console.export_text()
        safe(drawn)
        if index == 0:
            assert visible(title)[:20] in drawn.replace("\n", "")
        line = plain_line(snapshot, timeline)
        assert line is None or UNSAFE.search(visible(line)) is None


def run_cli(args: list[str | bytes], home: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "STRETCH_HOME": str(home), "COLUMNS": "100", **env}
    return subprocess.run(
        [sys.executable, "-m", "stretchcli", *args],
        capture_output=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_output_that_cannot_encode_our_characters_degrades_to_ascii(
    encoding: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert run_cli(["log", "add", "lower-back"], home).returncode == 0
    for args in (["show", "lower-back"], ["list"], ["log"], ["stats"]):
        result = run_cli(args, home, PYTHONIOENCODING=encoding)  # type: ignore[arg-type]
        assert (result.returncode, result.stderr) == (0, b""), args
        result.stdout.decode(encoding)  # it is that encoding
    shown = run_cli(["show", "lower-back"], home, PYTHONIOENCODING="ascii").stdout.decode()
    assert "* Lie face down" in shown and "hold 120 s x 1" in shown


def test_a_routine_file_name_that_is_not_utf8_is_played_and_logged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    name = os.fsencode(tmp_path) + b"/caf\xe9-\x1b[2J.toml"
    Path(os.fsdecode(name)).write_text(
        'title = "Odd name"\n[defaults]\nprep = 0\n[[exercises]]\nname = "One"\nhold = 2\n'
        "reps = 1\n",
        encoding="utf-8",
    )
    played = subprocess.run(
        [sys.executable, "-m", "stretchcli", "start", name, "--plain"],
        input=b"1\n",
        capture_output=True,
        env={**os.environ, "STRETCH_HOME": str(home), "STRETCH_SPEED": "100"},
        check=False,
        timeout=60,
    )
    assert played.returncode == 0, played.stderr
    assert b"\x1b" not in played.stdout
    logged = json.loads(run_cli(["log", "--json"], home).stdout)
    assert [(r["routine"], r["status"]) for r in logged] == [("caf\ufffd-\\u001b[2J", "completed")]
    listed = run_cli(["log"], home).stdout
    assert b"\x1b" not in listed and b"caf\xef\xbf\xbd-\\u001b[2J" in listed


def test_a_note_that_is_not_utf8_is_stored_with_a_replacement_character(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = run_cli(["log", "add", "hold", "--duration", "30", "--note", b"sore \xff ok"], home)
    assert added.returncode == 0, added.stderr
    (record,) = json.loads(run_cli(["log", "--json"], home).stdout)
    assert record["note"] == "sore \ufffd ok"
    refused = run_cli(["log", "add", "hold", "--duration", "30", "--note", b"x\x1b[2J"], home)
    assert refused.returncode == 2 and b"\x1b" not in refused.stderr


def test_file_names_in_messages_are_shown_literally(stretch: Run, tmp_path: Path) -> None:
    result = stretch("validate", tmp_path / "x\x1b[2J\u202e.toml")
    assert result.code == 1
    assert (
        result.err
        == f"{tmp_path}/x\\u001b[2J\\u202e.toml: cannot read file (No such file or directory)\n"
    )
