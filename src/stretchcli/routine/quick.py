"""Routines made from the command line rather than a file: the quick hold of
`stretch hold`, and the dosing options (`--hold`, `--reps`, ...) checked like a file's."""

from __future__ import annotations

from stretchcli.errors import UsageError
from stretchcli.routine.durations import format_duration
from stretchcli.routine.model import Dosing, Routine


def dosing_options(**values: int | str | None) -> Dosing:
    """Command-line dosing (already read by the CLI's option parsers) as a validated
    ``Dosing``; a value the model refuses is a ``UsageError`` (exit 2) of one line naming
    the option."""
    from pydantic import ValidationError

    given = {key: value for key, value in values.items() if value is not None}
    try:
        return Dosing.model_validate(given)
    except ValidationError as exc:
        # Imported only here: `stretch hold` needs no routine loading (TOML, ~10 ms).
        from stretchcli.routine.problems import error_message

        error = exc.errors(include_url=False)[0]
        field = str(error["loc"][0]) if error["loc"] else "option"
        raise UsageError(f"--{field}: {error_message(error)}") from None


def hold_routine(dose: Dosing, *, sides: bool) -> Routine:
    """One exercise, "Hold", at ``dose``; with ``sides`` left then right, with a switch as
    long as the rest (at least 3 s, time to turn over)."""
    assert dose.hold is not None and dose.rest is not None
    return Routine.model_validate(
        {
            "title": f"Hold {format_duration(dose.hold)}",
            "defaults": {"switch": max(dose.rest, 3) if sides else 5},
            "exercises": [
                {
                    "name": "Hold",
                    "sides": ["left", "right"] if sides else None,
                    **dose.model_dump(exclude={"switch"}),
                }
            ],
        }
    )
