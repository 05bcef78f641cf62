"""`--help` as a person reads it at 80 columns: every command has help that ends with an
example, values are shown by readable metavars, never by Python types, the commands are
grouped in panels with `start` first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer.main

from conftest import Result
from stretchcli.cli.app import app

Stretch = Callable[..., Result]


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*prefix, name))


ALL_COMMANDS = list(command_paths(typer.main.get_command(app)))
# What typer shows of a Python type, and of a lowercase argument name in braces.
TYPE_NAMES = re.compile(r"<bool>|<str>|<int|<path>|<float>|<datetime>|list\[|\{[a-z_]+\}")
METAVARS = {"ROUTINE", "SECONDS", "DURATION", "DATE", "FILE", "N", "ID", "TEXT", "NAME"}


def help_at_80(stretch: Stretch, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    result = stretch(*args, "--help")
    assert (result.code, result.err) == (0, ""), args
    return result.out


@pytest.mark.parametrize("args", ALL_COMMANDS, ids=lambda a: " ".join(a) or "stretch")
def test_help_at_80_columns_shows_no_python_types(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    text = help_at_80(stretch, monkeypatch, *args)
    assert TYPE_NAMES.findall(text) == []
    assert max(len(line) for line in text.splitlines()) <= 80
    # A paragraph is rewrapped, not broken where the docstring's source line ended.
    lines = [line.strip(" │") for line in text.splitlines()]
    assert not any(len(line) < 20 and line.endswith(",") for line in lines), text


@pytest.mark.parametrize("args", [a for a in ALL_COMMANDS if a], ids=" ".join)
def test_every_command_has_help_ending_with_an_example(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    text = help_at_80(stretch, monkeypatch, *args)
    lines = [line.strip() for line in text.splitlines()]
    after_usage = lines[next(i for i, line in enumerate(lines) if "Usage:" in line) + 1 :]
    description = next(line for line in after_usage if line)
    assert not description.startswith("╭"), f"stretch {' '.join(args)} has no help"
    assert re.search(rf"Example: (\S+=\S+ )?stretch {args[0]}\b", " ".join(text.split()))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("start",), ["[ROUTINE]", "--hold DURATION", "--reps N", "--rest DURATION"]),
        (("hold",), ["SECONDS", "--reps N", "--rest DURATION"]),
        (("validate",), ["ROUTINE..."]),
        (("import",), ["FILE"]),
        (("export",), ["--format -f FORMAT", "--output -o FILE"]),
        (("log",), ["--limit -n N", "--routine ROUTINE", "--since DATE"]),
        (("log", "add"), ["ROUTINE", "--at DATE", "--duration DURATION", "--pain-before N"]),
        (("log", "rm"), ["ID..."]),
        (("stats",), ["--since DATE"]),
    ],
)
def test_values_are_shown_by_their_metavar(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], expected: list[str]
) -> None:
    text = " ".join(help_at_80(stretch, monkeypatch, *args).replace("│", " ").split())
    for shown in expected:
        assert shown in text, (shown, text)


def test_commands_are_grouped_with_start_first(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_at_80(stretch, monkeypatch)
    panels = re.findall(r"╭─ (\w+) ─", text)
    assert panels == ["Options", "Session", "Routines", "History", "Plan", "Reminders", "Reports"]
    commands = re.findall(r"^│ ([a-z]+) ", text, flags=re.MULTILINE)
    assert commands[:2] == ["start", "hold"]
    assert commands.index("log") < commands.index("stats") < commands.index("import")
    assert commands[-1] == "report"


def test_flags_have_one_name_and_no_type(stretch: Stretch, monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_at_80(stretch, monkeypatch, "start")
    assert "--no-plain" not in text and "--no-quiet" not in text
    line = next(line for line in text.splitlines() if "--confirm-switch" in line)
    # The help text starts close to the names: ~40 columns left for it, not ~23.
    assert line.index("At each side switch") < 40
