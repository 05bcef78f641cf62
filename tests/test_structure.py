"""The shape of the code (docs/architecture.md), checked from the source itself: module
sizes, no import cycles, imports only down the data path, typer only in ``cli``, rich only
in ``view``. Every import counts, lazy ones inside functions and type-only ones too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "stretchcli"
MAX_LINES = 400
# What each layer may import from stretchcli (besides itself and the shared base modules):
# file -> model -> timeline -> session -> screen; session -> history.
ALLOWED = {
    "routine": set(),
    "history": set(),
    "play": {"routine", "history"},
    "plan": {"routine", "history"},
    "report": {"routine", "history", "plan"},
    "view": {"routine", "history", "play", "plan", "report"},
    "cli": {"routine", "history", "play", "plan", "report", "view"},
}
BASE = {
    "stretchcli",
    "stretchcli.errors",
    "stretchcli.paths",
    "stretchcli.files",
    "stretchcli.safe",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, resolved to a module of ours where it is one."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else node.module


def ours(path: Path) -> set[str]:
    return {name for name in imported(path) if name in MODULES}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_the_modules_are_found() -> None:
    assert {"stretchcli.cli.app", "stretchcli.play.run", "stretchcli.view.live"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_no_import_cycles() -> None:
    graph = {name: ours(path) - {name} for name, path in MODULES.items()}
    # A package's __init__ is imported on the way to each of its modules: not an edge back.
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = [*trail[trail.index(name) :], name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n)))
def test_imports_go_down_the_data_path(name: str) -> None:
    own = layer(name)
    assert own is not None
    wrong = sorted(
        target
        for target in ours(MODULES[name])
        if target not in BASE and layer(target) not in {own, *ALLOWED[own]}
    )
    assert wrong == [], f"{name} ({own}) may not import {wrong}"


@pytest.mark.parametrize(("library", "home"), [("typer", "cli"), ("rich", "view")])
def test_only_one_package_imports_each_library(library: str, home: str) -> None:
    users = sorted(
        name
        for name, path in MODULES.items()
        if any(i == library or i.startswith(f"{library}.") for i in imported(path))
    )
    assert users, f"nothing imports {library}: the check would mean nothing"
    assert [name for name in users if layer(name) != home] == []
