"""Reading the plan file: bounded, UTF-8, TOML, validated, every routine it names found;
every problem one line (file, field, what is wrong, what is allowed)."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from stretchcli.errors import PlanError, RoutineError
from stretchcli.plan.model import Plan

_KEYS: dict[str, tuple[str, ...]] = {
    "plan": ("starts", "weeks", "items"),
    "items": ("routine", "days", "times", "at", "progress", "resumed"),
    "progress": ("hold_step", "hold_max"),
}


def _unknown_key(key: str, loc: tuple[int | str, ...]) -> str:
    """An unknown key, with the likely intended one and the keys allowed where it stands."""
    names = [part for part in loc[:-1] if isinstance(part, str)]
    table = names[-1] if names and names[-1] in _KEYS else "plan"
    allowed = _KEYS[table]
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown key; {hint}allowed here: {', '.join(allowed)}"


def parse_plan(text: str, path: Path) -> Plan:
    """Plan TOML text to a ``Plan``; problems raise ``PlanError``."""
    from pydantic import ValidationError

    from stretchcli.routine.problems import toml_position, validation_problems

    if not text.strip():
        raise PlanError(f"{path}: file is empty; a plan needs starts = YYYY-MM-DD and [[items]]")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path}:{toml_position(exc, text)}") from None
    except (RecursionError, ValueError):
        raise PlanError(f"{path}: TOML: nested too deeply or a number too long") from None
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(validation_problems(exc, path, unknown=_unknown_key)) from None


def load_plan(path: Path, *, check_routines: bool = True) -> Plan | None:
    """The plan at ``path`` (None when there is no file), with every routine it names
    found (``check_routines``)."""
    from stretchcli.routine.library import read_text

    if not path.exists() and not path.is_symlink():
        return None
    try:
        text = read_text(path)
    except RoutineError as exc:
        raise PlanError(exc.problems) from None
    plan = parse_plan(text, path)
    if check_routines:
        problems = routine_problems(plan, path)
        if problems:
            raise PlanError(problems)
    return plan


def routine_problems(plan: Plan, path: Path) -> list[str]:
    """One line per item whose routine cannot be found (with the close matches)."""
    from stretchcli.routine.library import find_routine

    problems = []
    for index, item in enumerate(plan.items):
        try:
            find_routine(item.routine)
        except RoutineError as exc:
            problems.append(f"{path}: items[{index}].routine: {exc.problems[0]}")
    return problems
