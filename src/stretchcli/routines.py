"""Find routine files and load them; every TOML or validation problem becomes one clear line."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stretchcli import paths
from stretchcli.errors import RoutineError

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from stretchcli.models import Routine

Origin = Literal["built-in", "user", "path"]

# A routine file larger than this is refused before it is read: a real one is a few KiB.
MAX_FILE_BYTES = 1024 * 1024
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


@dataclass(frozen=True)
class RoutineSource:
    """Where a routine id was found."""

    id: str
    path: Path
    origin: Origin


@dataclass(frozen=True)
class LoadedRoutine:
    """A routine file that passed validation."""

    source: RoutineSource
    routine: Routine


def search_dirs() -> list[tuple[Path, Origin]]:
    """Folders searched for ids, first match wins: STRETCH_ROUTINES, user, built-in."""
    dirs: list[tuple[Path, Origin]] = [(d, "user") for d in paths.extra_routine_dirs()]
    dirs.append((paths.user_routines_dir(), "user"))
    dirs.append((paths.builtin_routines_dir(), "built-in"))
    return dirs


def is_path_ref(ref: str) -> bool:
    """A ROUTINE argument names a file when it ends in ``.toml``; otherwise it is an id."""
    return ref.lower().endswith(".toml")


def is_valid_id(routine_id: str) -> bool:
    """A plain file stem: no folders, no ``..``, so no id can leave the routine folders."""
    return _ID.fullmatch(routine_id) is not None and ".." not in routine_id


def check_id(routine_id: str) -> None:
    """Refuse ids that are not plain file stems (so no id can leave the routine folders)."""
    if not is_valid_id(routine_id):
        raise RoutineError(
            f"routine id {routine_id!r} is not allowed: an id is a file name without folders "
            "(letters, digits, '-', '_', '.'); give a path ending in .toml to use another file"
        )


def find_routine(ref: str) -> RoutineSource:
    """Resolve a ROUTINE argument (id or path to a .toml file) to a file."""
    if is_path_ref(ref):
        path = Path(ref).expanduser()
        if not path.is_file():
            raise RoutineError(f"{ref}: no such routine file")
        return RoutineSource(id=path.stem, path=path, origin="path")
    check_id(ref)
    for folder, origin in search_dirs():
        candidate = folder / f"{ref}.toml"
        try:
            if candidate.is_file():
                return RoutineSource(id=ref, path=candidate, origin=origin)
        except OSError:
            continue
    known = sorted({s.id for s in _scan()[0]})
    raise RoutineError(unknown_id_message(ref, known))


def unknown_id_message(ref: str, known: list[str]) -> str:
    """One line for an unknown id, with the close matches (or all ids when none is close)."""
    import difflib

    close = difflib.get_close_matches(ref, known, n=3, cutoff=0.5)
    if close:
        return f"no routine {ref!r}; did you mean: {', '.join(close)}? (see `stretch list`)"
    return f"no routine {ref!r}; known routines: {', '.join(known) or 'none'}"


def _scan() -> tuple[list[RoutineSource], list[str]]:
    """Every routine file in the search folders, first id wins; plus unreadable folders."""
    found: dict[str, RoutineSource] = {}
    warnings: list[str] = []
    for folder, origin in search_dirs():
        try:
            if not folder.is_dir():
                if folder.is_symlink() or folder.exists():  # a file, or a link to nowhere
                    warnings.append(f"{folder}: not a folder; no routines read from it")
                continue
            # Not glob(): it skips a folder it may not list without a word.
            files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
        except OSError as exc:
            warnings.append(f"{folder}: cannot read folder ({exc.strerror or exc})")
            continue
        for path in files:
            if is_valid_id(path.stem) and path.stem not in found:
                found[path.stem] = RoutineSource(id=path.stem, path=path, origin=origin)
    return sorted(found.values(), key=lambda source: source.id), warnings


def list_routines() -> tuple[list[LoadedRoutine], list[str]]:
    """All routines found, loaded; bad files and folders come back as warning lines."""
    sources, warnings = _scan()
    loaded: list[LoadedRoutine] = []
    for source in sources:
        try:
            loaded.append(LoadedRoutine(source=source, routine=load_file(source.path)))
        except RoutineError as exc:
            warnings.append(
                f"skipped {exc.problems[0]}"
                + (f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else "")
            )
    return loaded, warnings


def load_routine(ref: str) -> LoadedRoutine:
    """Find and load a routine by id or path."""
    source = find_routine(ref)
    return LoadedRoutine(source=source, routine=load_file(source.path))


def read_text(path: Path) -> str:
    """The file's text: refused when missing, unreadable, too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RoutineError(
                f"{path}: file is {size / 1024 / 1024:.1f} MiB; a routine file may be at most "
                f"{MAX_FILE_BYTES // 1024} KiB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RoutineError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")  # a BOM (Windows editors) is not an error
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RoutineError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def parse_toml(text: str, path: Path) -> dict[str, object]:
    """TOML text to a dict; syntax errors become ``file:line:col: message``."""
    if not text.strip():
        raise RoutineError(
            f"{path}: file is empty; a routine needs a title and at least one [[exercises]] table"
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError(f"{path}:{_toml_position(exc, text)}") from None
    except RecursionError:
        raise RoutineError(f"{path}: TOML: arrays or tables are nested too deeply") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise RoutineError(f"{path}: TOML: a number has too many digits") from None


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> str:
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
        key = _visible(source.split("=", 1)[0].strip())
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


def load_file(path: Path) -> Routine:
    """Read, parse and validate one routine file."""
    from pydantic import ValidationError

    from stretchcli.models import Routine

    data = parse_toml(read_text(path), path)
    try:
        return Routine.model_validate(data)
    except ValidationError as exc:
        raise RoutineError(validation_problems(exc, path)) from None


def validation_problems(exc: ValidationError, path: Path) -> list[str]:
    """One line per pydantic error: ``file: field.path: what is wrong (got ...)``."""
    problems = []
    for error in exc.errors(include_url=False):
        where = _location(error["loc"], keep_last=error["type"] == "extra_forbidden")
        problems.append(f"{path}: {where}: {error_message(error)}")
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


def error_message(error: ErrorDetails) -> str:
    """What is wrong and what is allowed, in words a routine author knows."""
    from stretchcli.models import REPS_MAX, REPS_MIN, SIDE_NAMES

    kind = error["type"]
    loc = error["loc"]
    field = next((item for item in reversed(loc) if isinstance(item, str)), "")
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(str(loc[-1]), loc)
    if kind == "missing":
        return "required key is missing"
    reps = f"a whole number from {REPS_MIN} to {REPS_MAX}"
    if field == "reps" and kind in {"int_type", "int_parsing", "int_from_float"}:
        unquote = ", without quotes" if isinstance(given, str) else ""
        return f"must be {reps}{unquote} (got {show_value(given)})"
    if field == "reps" and kind in {"greater_than_equal", "less_than_equal"}:
        return f"must be {reps} (got {show_value(given)})"
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
    return f"{_lower_first(message)} (got {show_value(given)})"


def _unknown_key(key: str, loc: tuple[int | str, ...]) -> str:
    """An unknown key, with the likely intended one and the keys allowed where it stands."""
    import difflib

    from pydantic import BaseModel

    from stretchcli.models import Defaults, Exercise, Routine

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


# Characters a terminal acts on or breaks a line at: shown as \uXXXX in a message.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    """``text`` with control characters and line separators written as ``\\uXXXX``."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _quoted(text: str) -> str:
    """``text`` in double quotes, escaped so that it stays on one visible line."""
    return _visible(json.dumps(text, ensure_ascii=False))


STARTER = """\
# A stretchcli routine. The file name (without .toml) is the routine id.
# Check it with: stretch validate {path}
# Durations are whole seconds (30) or strings like "45s", "2m", "1m30s".
# Not medical advice: use the stretches and doses your doctor or physiotherapist gave you.

title = "{title}"
summary = "One line shown by `stretch list`."
tags = ["custom"]
cautions = [
    "Stretches should feel like a gentle pull, never sharp pain.",
    "Stop at once on sharp pain or spreading numbness, and talk to your doctor or physiotherapist.",
]

# Optional: dosing every exercise starts from; each exercise may override any of these.
[defaults]
hold = 30     # seconds per hold
reps = 3      # holds per side
rest = 10     # seconds between holds
prep = 5      # seconds to get into position
switch = 5    # seconds to change sides

[[exercises]]
name = "Knee to chest"
cues = ["Lie on your back, knees bent.", "Pull one knee gently toward your chest."]
sides = ["left", "right"]      # omit when both sides work together
side_order = "alternate"       # or "block": all reps on one side, then the other
easier = "Hold behind the thigh instead of over the knee."

[[exercises]]
name = "Standing back extension"
cues = ["Stand with your hands on your hips.", "Lean back gently from the low back."]
hold = "20s"
reps = 2
"""


def write_starter(name: str) -> Path:
    """Write a commented starter routine into the user routines folder; never overwrite."""
    if is_path_ref(name):  # "x.toml" would become x.toml.toml, which no id can reach
        raise RoutineError(
            f"routine name {name!r} ends in .toml; give the id alone: stretch new {name[:-5]}"
        )
    check_id(name)
    folder = paths.user_routines_dir()
    path = folder / f"{name}.toml"
    title = name.replace("-", " ").replace("_", " ").strip().capitalize() or name
    text = STARTER.format(path=path, title=title.replace('"', "'"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise RoutineError(f"{path}: already exists; pick another name or edit that file") from None
    except OSError as exc:
        raise RoutineError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path
