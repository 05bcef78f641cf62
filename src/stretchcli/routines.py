"""Find routine files and load them; every TOML or validation problem becomes one clear line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stretchcli import paths
from stretchcli.errors import RoutineError

if TYPE_CHECKING:
    from pydantic import ValidationError

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


def check_id(routine_id: str) -> None:
    """Refuse ids that are not plain file stems (so no id can leave the routine folders)."""
    if not _ID.fullmatch(routine_id) or ".." in routine_id:
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
                continue
            files = sorted(folder.glob("*.toml"))
        except OSError as exc:
            warnings.append(f"{folder}: cannot read folder ({exc.strerror or exc})")
            continue
        for path in files:
            if _ID.fullmatch(path.stem) and path.stem not in found:
                found[path.stem] = RoutineSource(id=path.stem, path=path, origin=origin)
    return list(found.values()), warnings


def list_routines() -> tuple[list[LoadedRoutine], list[str]]:
    """All routines found, loaded; bad files and folders come back as warning lines."""
    sources, warnings = _scan()
    loaded: list[LoadedRoutine] = []
    for source in sources:
        try:
            loaded.append(LoadedRoutine(source=source, routine=load_file(source.path)))
        except RoutineError as exc:
            warnings.append(f"skipped {exc.problems[0]}" + (
                f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            ))
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
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RoutineError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def parse_toml(text: str, path: Path) -> dict[str, object]:
    """TOML text to a dict; syntax errors become ``file:line:col: message``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError(f"{path}:{_toml_position(exc, text)}") from None


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> str:
    message = str(exc)
    if (match := _TOML_POSITION.match(message)) is not None:
        return f"{match['line']}:{match['col']}: TOML syntax: {_lower_first(match['msg'])}"
    if (match := _TOML_END.match(message)) is not None:
        line = text.count("\n") + 1
        return f"{line}:1: TOML syntax: {_lower_first(match['msg'])} (at end of file)"
    return f"1:1: TOML syntax: {_lower_first(message)}"


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
        where = _location(error["loc"])
        problems.append(f"{path}: {where}: {_message(error)}")
    return problems


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in {"function-before[check(), int]", "int", "literal['left','right']"}:
            continue  # pydantic's inner validator names mean nothing to a user
        else:
            parts.append(f".{item}" if parts else str(item))
    return "".join(parts) or "(top level)"


def _message(error: object) -> str:
    from stretchcli.models import Defaults, Exercise, Routine

    assert isinstance(error, dict)
    kind = error["type"]
    loc = error["loc"]
    given = error.get("input")
    if kind == "extra_forbidden":
        owner: type[Routine | Defaults | Exercise] = Routine
        if len(loc) > 1 and loc[0] == "defaults":
            owner = Defaults
        elif len(loc) > 1 and loc[0] == "exercises":
            owner = Exercise
        allowed = ", ".join(owner.model_fields)
        return f"unknown key (allowed: {allowed})"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    message = _lower_first(message)
    if kind == "too_short" and loc and loc[-1] == "exercises":
        message = "a routine needs at least one exercise"
    return f"{message} (got {_show(given)})"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


STARTER = '''\
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
'''


def write_starter(name: str) -> Path:
    """Write a commented starter routine into the user routines folder; never overwrite."""
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
