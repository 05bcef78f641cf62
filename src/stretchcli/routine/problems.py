"""One clear line per problem: TOML syntax errors and pydantic validation errors reworded
as ``file: field.path: what is wrong (got ...)`` with what is allowed."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stretchcli.safe import visible

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def toml_position(exc: tomllib.TOMLDecodeError, text: str) -> str:
    message = str(exc)
    if (match := _TOML_POSITION.match(message)) is not None:
        line, col = int(match["line"]), int(match["col"])
        lines = text.split("\n")  # as tomllib counts lines (not at U+2028 and the like)
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        return f"{line}:{col}: TOML syntax: {_toml_message(match['msg'], source)}"
    if (match := _TOML_END.match(message)) is not None:
        line = text.count("\n") + 1
        return f"{line}:1: TOML syntax: {_toml_message(match['msg'], '')} (at end of file)"
    return f"1:1: TOML syntax: {_toml_message(message, '')}"


_TOML_KEY_TUPLE = re.compile(r"\((?:'[^'\\]*'(?:, )?)+,?\)")


_TOML_HINTS = {
    "Unclosed array": "unclosed array: a ',' or the closing ']' is missing",
    "Unclosed inline table": "unclosed inline table: a ',' or the closing '}' is missing",
    "Expected newline or end of document after a statement": (
        "expected the end of the line after a value (one key = value per line)"
    ),
}


def _toml_message(message: str, source: str) -> str:
    """tomllib's message, reworded where it is cryptic (a newline in a string, key tuples)."""
    if message == "Illegal character '\\n'":
        return "string not closed: the line ends before the closing quote"
    if message == "Cannot overwrite a value" and "=" in source:
        key = visible(source.split("=", 1)[0].strip())
        return f"{key} is set twice (each key may be set once per table)"
    if message in _TOML_HINTS:
        return _TOML_HINTS[message]
    message = _TOML_KEY_TUPLE.sub(
        lambda m: ".".join(re.findall(r"'([^'\\]*)'", m.group())), message
    )
    if (twice := re.fullmatch(r"Cannot declare (.+) twice", message)) is not None:
        return f"table [{twice[1]}] is declared twice"
    return _lower_first(message)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


UnknownKey = Callable[[str, tuple[int | str, ...]], str]


def validation_problems(
    exc: ValidationError, path: Path, *, unknown: UnknownKey | None = None
) -> list[str]:
    """One line per pydantic error: ``file: field.path: what is wrong (got ...)``.
    ``unknown`` words an unknown key (default: the keys of a routine file)."""
    problems = []
    for error in exc.errors(include_url=False):
        where = _location(error["loc"], keep_last=error["type"] == "extra_forbidden")
        problems.append(f"{path}: {where}: {error_message(error, unknown=unknown)}")
    return problems


# Names pydantic adds to a location for the validator that failed; they mean nothing to
# a user. An unknown key's own name is never dropped, even if it happens to look like one.
_INNER_NAMES = re.compile(r"int|str|bool|float|list\[.*\]|literal\[.*\]|function-\w+\[.*\]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _location(loc: tuple[int | str, ...], *, keep_last: bool = False) -> str:
    parts: list[str] = []
    for position, item in enumerate(loc):
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        last = position == len(loc) - 1
        if _INNER_NAMES.fullmatch(item) and not (keep_last and last):
            continue
        key = item if _BARE_KEY.fullmatch(item) else _quoted(item)
        parts.append(f".{key}" if parts else key)
    return "".join(parts) or "(top level)"


def error_message(error: ErrorDetails, *, unknown: UnknownKey | None = None) -> str:
    """What is wrong and what is allowed, in words a routine author knows."""
    from stretchcli.routine.bounds import REPS_MAX, REPS_MIN
    from stretchcli.routine.model import MOVES_MAX, MOVES_MIN, SIDE_NAMES

    kind = error["type"]
    loc = error["loc"]
    field = next((item for item in reversed(loc) if isinstance(item, str)), "")
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return (unknown or _unknown_key)(str(loc[-1]), loc)
    if kind == "missing":
        return "required key is missing"
    counts = {"reps": (REPS_MIN, REPS_MAX), "moves": (MOVES_MIN, MOVES_MAX)}
    if field in counts:
        low, high = counts[field]
        whole = f"a whole number from {low} to {high}"
        if kind in {"int_type", "int_parsing", "int_from_float"}:
            unquote = ", without quotes" if isinstance(given, str) else ""
            return f"must be {whole}{unquote} (got {show_value(given)})"
        if kind in {"greater_than_equal", "less_than_equal"}:
            return f"must be {whole} (got {show_value(given)})"
    if kind == "string_type":
        return f"must be a string in quotes (got {show_value(given)})"
    if kind == "list_type":
        if field == "sides":
            example = '["left", "right"] or ["left"]'
        elif field == "exercises":
            example = "[[exercises]] tables"
        else:
            example = 'a list of strings, e.g. ["..."]'
        return f"must be {example} (got {show_value(given)})"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        table = "[defaults]" if field == "defaults" else "[[exercises]]"
        return f"must be a table like {table} (got {show_value(given)})"
    if kind == "literal_error":
        allowed = SIDE_NAMES if field == "sides" else ("alternate", "block")
        words = " or ".join(f'"{name}"' for name in allowed)
        return f"must be {words} (got {show_value(given)})"
    if kind == "string_too_short":
        return f"must not be empty (got {show_value(given)})"
    if kind == "string_too_long":
        length = len(given) if isinstance(given, str) else "?"
        return f"is too long: at most {ctx.get('max_length')} characters (got {length})"
    if kind == "too_short":
        if field == "exercises":
            return "a routine needs at least one exercise (got [])"
        if field == "sides":
            return "name at least one side, or leave sides out (got [])"
        return f"needs at least {ctx.get('min_length')} item(s) (got {show_value(given)})"
    if kind == "too_long":
        count = len(given) if isinstance(given, list) else "?"
        return f"may have at most {ctx.get('max_length')} items (got {count})"
    message = str(error["msg"]).removeprefix("Value error, ")
    message = re.sub(r"^(Input|String|List) should", "must", message)
    if given is None:  # a key that is missing where another needs it: nothing was given
        return _lower_first(message)
    return f"{_lower_first(message)} (got {show_value(given)})"


def _unknown_key(key: str, loc: tuple[int | str, ...]) -> str:
    """An unknown key, with the likely intended one and the keys allowed where it stands."""
    import difflib

    from pydantic import BaseModel

    from stretchcli.routine.model import Defaults, Exercise, Routine

    routine_model: type[BaseModel] = Routine
    defaults_model: type[BaseModel] = Defaults
    exercise_model: type[BaseModel] = Exercise
    owner = routine_model
    if len(loc) > 1 and loc[0] == "defaults":
        owner = defaults_model
    elif len(loc) > 1 and loc[0] == "exercises":
        owner = exercise_model
    allowed = list(owner.model_fields)
    if owner is exercise_model:  # the exercise's own keys first, then its dosing
        allowed = [k for k in allowed if k not in defaults_model.model_fields] + [
            k for k in allowed if k in defaults_model.model_fields
        ]
    hint = ""
    if owner is routine_model and key in defaults_model.model_fields:
        hint = f"put {key} under [defaults] or in an exercise; "
    elif owner is not routine_model and key in routine_model.model_fields:
        hint = f"{key} belongs at the top of the file, before the first [table]; "
    elif close := difflib.get_close_matches(key, allowed, n=1, cutoff=0.6):
        hint = f"did you mean {close[0]}? "
    return f"unknown key; {hint}allowed here: {', '.join(allowed)}"


def show_value(value: object) -> str:
    """A value as it would be written in TOML, cut short when long."""
    text = _toml_value(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Deeper than this, a shown value is cut to "...": tomllib accepts nesting deep enough
# that writing it all back out would exceed Python's recursion limit.
_SHOW_DEPTH = 8


def _toml_value(value: object, depth: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list | tuple | dict) and depth >= _SHOW_DEPTH:
        return "..."
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_toml_key(key)} = {_toml_value(item, depth + 1)}" for key, item in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return repr(value)


def _toml_key(key: object) -> str:
    """A key as TOML writes it: bare when it can be, else quoted (so never a raw newline)."""
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else _quoted(text)


def _quoted(text: str) -> str:
    """``text`` in double quotes, escaped so that it stays on one visible line."""
    return visible(json.dumps(text, ensure_ascii=False))
