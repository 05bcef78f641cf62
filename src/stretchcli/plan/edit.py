"""Changing the plan file without hand-editing TOML: add, remove and resume items, with
tomlkit so the person's comments, order and layout are kept. Every change is validated
before the file is replaced (atomically), so a bad change never lands."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from stretchcli.errors import PlanError
from stretchcli.files import write_atomic
from stretchcli.plan.files import parse_plan
from stretchcli.plan.model import Plan

HEADER = """\
# Your stretch plan: what to do on which days, for how many weeks.
# `stretch plan add ROUTINE` and `stretch plan remove ROUTINE` change it (comments are kept);
# `stretch plan edit` opens it; `stretch schema --plan` prints its JSON Schema.
# Follow what your doctor or physiotherapist prescribed.
"""


def _document(path: Path) -> Any:
    """The plan file as a tomlkit document (a new one, with a header, when missing)."""
    import tomlkit

    from stretchcli.routine.library import read_text

    if not path.exists():
        return None
    try:
        return tomlkit.parse(read_text(path))
    except PlanError:
        raise
    except Exception as exc:  # tomlkit's own parse errors: the file is checked first below
        parse_plan(read_text(path), path)  # raises the one-line problem
        raise PlanError(f"{path}: cannot be edited ({exc})") from None


def _save(path: Path, document: Any) -> Plan:
    import tomlkit

    text = tomlkit.dumps(document)
    plan = parse_plan(text, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, lambda out: out.write(text))
    except OSError as exc:
        raise PlanError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return plan


def add_item(
    path: Path,
    routine: str,
    *,
    today: date,
    days: str | list[str] | None = None,
    times: int | None = None,
    at: list[str] | None = None,
    hold_step: int | None = None,
    hold_max: int | None = None,
    weeks: int | None = None,
) -> tuple[Plan, bool]:
    """Add ``routine`` to the plan, or change its item (only what is given); a new plan
    starts ``today``. Returns the plan and whether the item is new."""
    import tomlkit

    document = _document(path)
    if document is None:
        document = tomlkit.document()
        for line in HEADER.splitlines():
            document.add(tomlkit.comment(line.removeprefix("# ")))
        document.add(tomlkit.nl())
        document["starts"] = today
    if weeks is not None:
        document["weeks"] = weeks
    items = document.get("items")
    if items is None:
        items = tomlkit.aot()
        document["items"] = items
    item = next((entry for entry in items if entry.get("routine") == routine), None)
    new = item is None
    if item is None:
        item = tomlkit.table()
        item["routine"] = routine
        item["days"] = "daily"
        item["times"] = 1
        items.append(item)
    if days is not None:
        item["days"] = days
    if times is not None:
        item["times"] = times
    if at is not None:
        item["at"] = at
    if hold_step is not None or hold_max is not None:
        progress = item.get("progress") or tomlkit.table()
        if hold_step is not None:
            progress["hold_step"] = f"{hold_step}s"
        if hold_max is not None:
            progress["hold_max"] = f"{hold_max}s"
        item["progress"] = progress
    return _save(path, document), new


def remove_item(path: Path, routine: str) -> Plan:
    """Take ``routine`` out of the plan (its history stays)."""
    document = _document(path)
    items = document.get("items") if document is not None else None
    index = next(
        (i for i, entry in enumerate(items or []) if entry.get("routine") == routine), None
    )
    if items is None or index is None:
        raise PlanError(f"{routine} is not in the plan ({path}); see `stretch plan`")
    del items[index]
    return _save(path, document)


def resume_item(path: Path, routine: str, *, now: datetime) -> Plan:
    """Mark ``routine`` as resumed at ``now``: due again after a pain stop suspended it."""
    document = _document(path)
    items = document.get("items") if document is not None else None
    item = next((entry for entry in items or [] if entry.get("routine") == routine), None)
    if item is None:
        raise PlanError(f"{routine} is not in the plan ({path}); see `stretch plan`")
    item["resumed"] = now.replace(microsecond=0)
    return _save(path, document)
