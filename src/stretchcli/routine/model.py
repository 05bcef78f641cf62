"""Pydantic models of a routine file (see PRODUCT.md, "Routine file format")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from stretchcli.routine.bounds import HOLD_MAX, HOLD_MIN, PAUSE_MAX, REPS_MAX, REPS_MIN
from stretchcli.routine.durations import DURATION_FORMS, format_duration, parse_duration

MOVES_MIN, MOVES_MAX = 1, 100
TEMPO_MIN, TEMPO_MAX = 1, 60

SIDE_NAMES = ("left", "right")
# prep or switch = "ready": the step waits for space or Enter instead of counting down.
READY = "ready"


def _within(value: object, low: int, high: int) -> int:
    seconds = parse_duration(value)
    if not low <= seconds <= high:
        raise ValueError(f"must be between {format_duration(low)} and {format_duration(high)}")
    return seconds


def _bounded(low: int, high: int) -> BeforeValidator:
    return BeforeValidator(lambda value: _within(value, low, high))


def _bounded_or_ready(low: int, high: int) -> BeforeValidator:
    def check(value: object) -> int | str:
        if isinstance(value, str) and value.strip().lower() == READY:
            return READY
        try:
            return _within(value, low, high)
        except ValueError as error:
            if str(error).startswith("must be between"):
                raise
            raise ValueError(f'must be {DURATION_FORMS}, or "{READY}"') from None

    return BeforeValidator(check)


_DURATION_PATTERN = r"^\s*(\d+|(?=\d)(\d+h)?(\d+m)?(\d+s)?)\s*$"


def _duration_schema(low: int, high: int, what: str, *, ready: bool = False) -> WithJsonSchema:
    forms: list[dict[str, object]] = [
        {"type": "integer", "minimum": low, "maximum": high},
        {"type": "string", "pattern": _DURATION_PATTERN},
    ]
    if ready:
        forms.append({"const": READY})
    wait = f'; or "{READY}": wait for space or Enter' if ready else ""
    return WithJsonSchema(
        {
            "anyOf": forms,
            "description": f"{what}: whole seconds (30) or a string like '45s', '2m', '1m30s'; "
            f"{format_duration(low)} to {format_duration(high)}{wait}",
        }
    )


HoldSeconds = Annotated[
    int, _bounded(HOLD_MIN, HOLD_MAX), _duration_schema(HOLD_MIN, HOLD_MAX, "hold time")
]
PauseSeconds = Annotated[int, _bounded(0, PAUSE_MAX), _duration_schema(0, PAUSE_MAX, "a pause")]
# Whole seconds, or READY: a prep or switch that waits for the person.
Wait = int | Literal["ready"]
WaitSeconds = Annotated[
    Wait,
    _bounded_or_ready(0, PAUSE_MAX),
    _duration_schema(0, PAUSE_MAX, "seconds", ready=True),
]
Reps = Annotated[int, Field(ge=REPS_MIN, le=REPS_MAX, strict=True)]
Moves = Annotated[int, Field(ge=MOVES_MIN, le=MOVES_MAX, strict=True)]
TempoSeconds = Annotated[
    int,
    _bounded(TEMPO_MIN, TEMPO_MAX),
    _duration_schema(TEMPO_MIN, TEMPO_MAX, "seconds per repetition"),
]
Side = Literal["left", "right"]
SideOrder = Literal["alternate", "block"]
# Control characters (escape sequences above all) would reach the terminal as they are;
# tabs and newlines are ordinary text in a TOML string.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters such as escape codes")
    return value


Printable = AfterValidator(_printable)
Text = Annotated[str, Field(min_length=1, max_length=500), Printable]
Name = Annotated[str, Field(min_length=1, max_length=80), Printable]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Dosing(_Frozen):
    """Timing for an exercise; every field is optional so it can override the defaults."""

    hold: HoldSeconds | None = None
    reps: Reps | None = None
    rest: PauseSeconds | None = None
    prep: WaitSeconds | None = None
    switch: WaitSeconds | None = None


class Defaults(_Frozen):
    """The [defaults] table: the dosing every exercise starts from."""

    hold: HoldSeconds = 30
    reps: Reps = 3
    rest: PauseSeconds = 10
    prep: WaitSeconds = 5
    switch: WaitSeconds = 5


class Exercise(Dosing):
    """One exercise: a [[exercises]] table."""

    # In the JSON Schema too: moves and tempo come together, and never with hold or reps.
    model_config = ConfigDict(
        json_schema_extra={
            "dependentRequired": {"moves": ["tempo"], "tempo": ["moves"]},
            "not": {"anyOf": [{"required": ["moves", "hold"]}, {"required": ["moves", "reps"]}]},
        }
    )

    name: Name
    cues: list[Text] = Field(default_factory=list, max_length=20)
    sides: list[Side] | None = Field(
        default=None, min_length=1, max_length=2, json_schema_extra={"uniqueItems": True}
    )
    side_order: SideOrder = "alternate"
    harder: Text | None = None
    easier: Text | None = None
    # A moving exercise: ``moves`` repetitions, ``tempo`` seconds each, instead of holds.
    moves: Moves | None = None
    tempo: TempoSeconds | None = Field(default=None, validate_default=True)

    @field_validator("moves")
    @classmethod
    def _moves_or_holds(cls, moves: int | None, info: ValidationInfo) -> int | None:
        """Either hold (with reps) or moves (with tempo), never both."""
        both = [key for key in ("hold", "reps") if info.data.get(key) is not None]
        if moves is not None and both:
            raise ValueError(
                f"cannot go with {' and '.join(both)}: an exercise either holds "
                "(hold, reps) or moves (moves, tempo)"
            )
        return moves

    @field_validator("tempo")
    @classmethod
    def _tempo_with_moves(cls, tempo: int | None, info: ValidationInfo) -> int | None:
        """moves and tempo come together (a moves that failed is reported by itself)."""
        if "moves" not in info.data:
            return tempo
        if tempo is None and info.data["moves"] is not None:
            raise ValueError('is needed with moves: the seconds of one repetition, e.g. "4s"')
        if tempo is not None and info.data["moves"] is None:
            raise ValueError("needs moves too: how many repetitions (1 to 100)")
        return tempo

    @field_validator("sides")
    @classmethod
    def _sides_once(cls, sides: list[Side] | None) -> list[Side] | None:
        """Sides are named once each."""
        if sides is not None and len(set(sides)) != len(sides):
            raise ValueError("must name each side once")
        return sides


class Routine(_Frozen):
    """A stretchcli routine: its file name (without .toml) is its id."""

    title: Annotated[str, Field(min_length=1, max_length=120), Printable]
    summary: Annotated[str, Field(max_length=200), Printable] = ""
    tags: list[Annotated[str, Field(min_length=1, max_length=40), Printable]] = Field(
        default_factory=list
    )
    cautions: list[Text] = Field(default_factory=list)
    defaults: Defaults = Field(default_factory=Defaults)
    exercises: list[Exercise] = Field(min_length=1, max_length=100)


class Dose(_Frozen):
    """The dosing that applies to one exercise after defaults and overrides are merged
    (a moving exercise has ``moves`` and ``tempo``; its hold and reps are not used)."""

    hold: int
    reps: int
    rest: int
    prep: Wait
    switch: Wait
    moves: int | None = None
    tempo: int | None = None

    @property
    def moving(self) -> bool:
        """Repetitions at a tempo rather than holds."""
        return self.moves is not None


def dose_for(
    exercise: Exercise,
    defaults: Defaults,
    overrides: Dosing | None = None,
    *,
    grow: Callable[[int], int] | None = None,
) -> Dose:
    """Merge the routine's dosing (the exercise's own, else the defaults), the plan's
    growth of the hold (``grow``: the routine's hold -> the hold in use), and the
    command-line overrides, in that order."""
    merged = {}
    for key in ("hold", "reps", "rest", "prep", "switch"):
        value = getattr(exercise, key)
        if value is None:
            value = getattr(defaults, key)
        if key == "hold" and grow is not None:
            value = grow(value)
        override = getattr(overrides, key) if overrides is not None else None
        merged[key] = value if override is None else override
    if exercise.moves is not None:
        merged["moves"], merged["tempo"] = exercise.moves, exercise.tempo
    return Dose(**merged)


# What each key is for, in plain words, for an editor to show beside it.
FIELD_HELP = {
    "title": "The routine's name, shown at the top of a session.",
    "moves": "A moving exercise: how many repetitions (1 to 100), counted out loud and on "
    "screen; give tempo with it, and no hold or reps.",
    "tempo": 'The seconds of one repetition of a moving exercise: 1s to 1m, e.g. "4s".',
    "summary": "One line that stretch list shows under the title.",
    "tags": "Words to group routines by, such as low-back or seated.",
    "cautions": "Safety notes shown with the routine, one a line.",
    "defaults": "The dosing every exercise starts from; an exercise may change any of it.",
    "exercises": "The exercises, in the order they are done.",
    "name": "The exercise's name, shown in large letters during the session.",
    "cues": "Short instructions, one a line, shown while the exercise runs.",
    "sides": 'The sides to work, e.g. ["left", "right"]; leave it out when both work together.',
    "side_order": "alternate: left, right, left...; block: every rep on one side, then the other.",
    "harder": "A way to make the exercise harder, shown as a tip.",
    "easier": "A way to make the exercise easier, shown as a tip.",
    "hold": "How long each hold lasts.",
    "reps": "Holds per side (1 to 50).",
    "rest": "The pause between two holds on the same side.",
    "prep": "Time to get into position before the first hold.",
    "switch": "Time to change sides.",
}


def routine_json_schema() -> dict[str, object]:
    """The JSON Schema of a routine file, with the draft, a title and a plain description
    of every key for editor plugins."""
    schema = Routine.model_json_schema()
    tables: list[dict[str, object]] = [schema, *schema.get("$defs", {}).values()]
    for table in tables:
        for key, field in dict(table.get("properties", {})).items():  # type: ignore[call-overload]
            if key in FIELD_HELP:
                field["description"] = FIELD_HELP[key]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://stretchcli.invalid/routine.schema.json"
    schema["title"] = "stretchcli routine"
    return schema
