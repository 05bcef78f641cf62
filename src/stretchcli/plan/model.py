"""Pydantic models of the plan file (PRODUCT.md, "Plan file format")."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from stretchcli.routine.model import HoldSeconds, PauseSeconds

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TIMES_MAX = 6
WEEKS_MAX = 104
EVERY_MAX = 14
_EVERY = re.compile(r"every\s+(\d{1,2})\s+days?", re.IGNORECASE)
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_ROUTINE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def _days(value: object) -> object:
    """``"daily"``, ``"every N days"`` or a list of weekday names, in a normal form:
    ``"daily"``, ``"every N days"`` or the weekdays in week order."""
    if isinstance(value, str):
        text = " ".join(value.split()).lower()
        if text == "daily":
            return "daily"
        if (match := _EVERY.fullmatch(text)) is not None:
            every = int(match[1])
            if not 2 <= every <= EVERY_MAX:
                raise ValueError(f"must be every 2 to {EVERY_MAX} days")
            return f"every {every} days"
        raise ValueError(
            'must be "daily", "every N days" or a list of weekdays such as ["mon", "thu"]'
        )
    if isinstance(value, list):
        names = [item.strip().lower()[:3] if isinstance(item, str) else item for item in value]
        wrong = [item for item in names if item not in WEEKDAYS]
        if wrong or not names:
            raise ValueError(
                f"weekdays are {', '.join(WEEKDAYS)}" if wrong else "name at least one weekday"
            )
        if len(set(names)) != len(names):
            raise ValueError("must name each weekday once")
        return sorted(names, key=WEEKDAYS.index)
    raise ValueError('must be "daily", "every N days" or a list of weekdays')


def _clock(value: object) -> object:
    if isinstance(value, str) and _CLOCK.fullmatch(value.strip()):
        return value.strip()
    raise ValueError('must be a time of day as "HH:MM", 00:00 to 23:59')


def _routine_id(value: object) -> object:
    if isinstance(value, str) and _ROUTINE_ID.fullmatch(value) and ".." not in value:
        return value
    raise ValueError("must be a routine id (letters, digits, '-', '_', '.'; see `stretch list`)")


Days = Annotated[str | list[Weekday], BeforeValidator(_days)]
ClockTime = Annotated[str, BeforeValidator(_clock)]
RoutineId = Annotated[str, BeforeValidator(_routine_id)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Progress(_Frozen):
    """The [items.progress] table: a hold that grows while it does not hurt."""

    hold_step: PauseSeconds
    hold_max: HoldSeconds

    @model_validator(mode="after")
    def _step(self) -> Progress:
        if self.hold_step < 1:
            raise ValueError("hold_step must be at least 1s")
        return self


class Item(_Frozen):
    """One [[items]] table: a routine, when it is due, how often that day."""

    routine: RoutineId
    days: Days = "daily"
    times: Annotated[int, Field(ge=1, le=TIMES_MAX, strict=True)] = 1
    at: list[ClockTime] = Field(default_factory=list, max_length=TIMES_MAX)
    progress: Progress | None = None
    # Set by `stretch plan resume` after a pain stop suspended the item.
    resumed: datetime | None = None

    @model_validator(mode="after")
    def _reminders(self) -> Item:
        if len(self.at) > self.times:
            raise ValueError(
                f"at: at most one reminder per session: {self.times} a day, "
                f"{len(self.at)} times given"
            )
        if len(set(self.at)) != len(self.at):
            raise ValueError("at: each time may be given once")
        return self

    @property
    def weekdays(self) -> frozenset[int] | None:
        """The weekdays (Monday 0) of a weekday list, else None."""
        if isinstance(self.days, list):
            return frozenset(WEEKDAYS.index(day) for day in self.days)
        return None

    @property
    def every(self) -> int:
        """Due every this many days (1 for daily and for weekday lists)."""
        if isinstance(self.days, str) and self.days.startswith("every "):
            return int(self.days.split()[1])
        return 1


class Plan(_Frozen):
    """The whole plan file."""

    starts: date
    weeks: Annotated[int, Field(ge=1, le=WEEKS_MAX, strict=True)] | None = None
    items: list[Item] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _once(self) -> Plan:
        seen: set[str] = set()
        for item in self.items:
            if item.routine in seen:
                raise ValueError(f"routine {item.routine} is in the plan twice; keep one item")
            seen.add(item.routine)
        return self

    def item(self, routine: str) -> Item | None:
        """The item of ``routine``, if the plan has one."""
        return next((item for item in self.items if item.routine == routine), None)


def plan_json_schema() -> dict[str, object]:
    """The JSON Schema of a plan file, for editor plugins."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://stretchcli.invalid/plan.schema.json"
    schema["title"] = "stretchcli plan"
    return schema
