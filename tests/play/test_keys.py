"""Text from files and keys that must never reach the terminal as control codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.play.keys import split_keys


@pytest.mark.parametrize(
    ("where", "toml", "expected"),
    [
        (
            "title",
            'title = "bad \\u001b[31mred"\n[[exercises]]\nname = "x"\n',
            "title: must not contain control characters such as escape codes "
            '(got "bad \\u001b[31mred")',
        ),
        (
            "name",
            'title = "t"\n[[exercises]]\nname = "x\\u0007"\n',
            "exercises[0].name: must not contain control characters such as escape codes "
            '(got "x\\u0007")',
        ),
        (
            "cue",
            'title = "t"\n[[exercises]]\nname = "x"\ncues = ["ok", "\\u009b2J"]\n',
            "exercises[0].cues[1]: must not contain control characters such as escape codes "
            '(got "\\u009b2J")',
        ),
    ],
)
def test_control_characters_in_routine_text_are_refused(
    stretch: Callable[..., Result], tmp_path: Path, where: str, toml: str, expected: str
) -> None:
    path = tmp_path / f"{where}.toml"
    path.write_text(toml, encoding="utf-8")
    result = stretch("validate", path)
    assert result.code == 1
    assert result.err.splitlines() == [f"{path}: {expected}"]


def test_tabs_and_newlines_in_cautions_are_ordinary_text(
    stretch: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(
        'title = "t"\ncautions = ["""two\nlines\twith a tab"""]\n[[exercises]]\nname = "x"\n',
        encoding="utf-8",
    )
    assert stretch("validate", path).code == 0


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("\x1bq", ["escape"]),  # Alt+q is not q
        ("\x1b!", ["escape"]),  # nor Alt+! a pain stop
        ("\x1b[Cq", ["right", "q"]),
        ("\x1bOC", ["right"]),
        ("\x1b\x1b[C", ["escape", "right"]),
        ("\x1b", ["escape"]),
        (" n\r", ["space", "n", "enter"]),
        ("\x1b[1;5D", ["escape"]),  # Ctrl+left: some other key
    ],
)
def test_split_keys_reads_escape_sequences_whole(typed: str, keys: list[str]) -> None:
    assert split_keys(typed) == keys
