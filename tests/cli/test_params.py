"""Every bad value on the command line, through the one parameter layer (cli/params.py):
exit 2, one line on stderr naming the option, what it must be and what was given; nothing
written. And the values at their bounds are taken."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.cli import params
from stretchcli.errors import UsageError
from stretchcli.history.dates import NOT_READ
from stretchcli.paths import DB_NAME

Stretch = Callable[..., Result]

DURATION = 'must be whole seconds (30) or a string like "45s", "2m", "1m30s"'


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("start", "lower-back", "--hold", "0"), '--hold: must be between 1s and 1h (got "0")'),
        (("start", "lower-back", "--reps", "x"), '--reps: must be a whole number from 1 to 50 (got "x")'),
        (("hold", "1m", "--rest", "soon"), f'--rest: {DURATION} (got "soon")'),
        (("hold", "1m", "--prep", "11m"), '--prep: must be between 0s and 10m (got "11m")'),
        (("export", "-f", "xml"), '--format: must be json or csv (got "xml")'),
        (("export", "--format", ""), '--format: must be json or csv (got "")'),
        (("log", "--limit", "ten"), '--limit: must be a whole number from 0 (all) to 1000000000 (got "ten")'),
        (("log", "--since", "the other day"), f'--since: {NOT_READ} (got "the other day")'),
        (("stats", "--since", "2024-02-30"), '--since: 2024-02-30 is not a day of the calendar (got "2024-02-30")'),
        (("log", "add", "lower-back", "--at", "tomorrow"), f'--at: {NOT_READ} (got "tomorrow")'),
        (("log", "add", "lower-back", "--duration", "1d"), f'--duration: {DURATION} (got "1d")'),
        (("log", "add", "lower-back", "--pain-after", "10.5"), '--pain-after: must be a whole number from 0 to 10 (got "10.5")'),
        (("plan", "add", "lower-back", "--times", "7"), '--times: must be a whole number from 1 to 6 (got "7")'),
        (("plan", "add", "lower-back", "--weeks", "0"), '--weeks: must be a whole number from 1 to 104 (got "0")'),
        (("plan", "add", "lower-back", "--hold-step", "1x"), f'--hold-step: {DURATION} (got "1x")'),
        (("plan", "add", "lower-back", "--hold-max", "2h"), '--hold-max: must be between 1s and 1h (got "2h")'),
        (("log", "--since", "\x1b[31mred"), f'--since: {NOT_READ} (got "\\u001b[31mred")'),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_line_naming_the_option_and_exit_2(
    stretch: Stretch, home: Path, args: tuple[str, ...], line: str
) -> None:
    result = stretch(*args)
    assert (result.code, result.out, result.err) == (2, "", line + "\n")
    assert sorted(p.name for p in home.iterdir()) == []  # no history, no plan


def test_a_long_value_is_cut_in_the_message(stretch: Stretch) -> None:
    result = stretch("export", "-f", "x" * 500)
    assert result.code == 2
    assert result.err == '--format: must be json or csv (got "' + "x" * 55 + '...")\n'


@pytest.mark.parametrize(
    ("parse", "value", "expected"),
    [
        (params.duration("--hold", 1, 3600), "1h", 3600),
        (params.duration("--hold", 1, 3600), " 1m30s ", 90),
        (params.duration("--rest", 0, 600), "0", 0),
        (params.count("--limit", 0, 10, zero="all"), "0", 0),
        (params.count("--reps", 1, 50), "050", 50),
        (params.count("--reps", 1, 50), 3, 3),  # a default of the signature, already an int
        (params.choice("--format", ("json", "csv")), "CSV", "csv"),
    ],
)
def test_values_at_their_bounds_are_taken(
    parse: Callable[[object], object], value: object, expected: object
) -> None:
    assert parse(value) == expected


@pytest.mark.parametrize(
    ("parse", "value"),
    [
        (params.duration("--hold", 1, 3600), "1h1s"),
        (params.count("--reps", 1, 50), "51"),
        (params.count("--reps", 1, 50), "-1"),
        (params.count("--reps", 1, 50), "٣"),  # a digit, but not an ASCII one
        (params.count("--limit", 0, 1_000_000_000), "9" * 5000),
    ],
)
def test_values_just_out_of_bounds_are_usage_errors(
    parse: Callable[[object], object], value: object
) -> None:
    with pytest.raises(UsageError) as caught:
        parse(value)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_nothing_is_written_by_a_bad_value_after_a_good_one(stretch: Stretch, home: Path) -> None:
    result = stretch("log", "add", "lower-back", "--duration", "10m", "--pain-before", "11")
    assert result.code == 2
    assert not (home / DB_NAME).exists()
