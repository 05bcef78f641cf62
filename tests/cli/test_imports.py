"""`stretch --version` and `stretch --help` stay light: no pydantic, rich.live or sqlite3.

Each case runs the entry point in a fresh interpreter and lists the modules it imported;
which modules are loaded is deterministic, unlike a timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stretchcli import __version__

# Costly to import, and needed only by the commands that load routines, play a session
# or open the history.
HEAVY = ("pydantic", "pydantic_core", "rich.live", "sqlite3", "_sqlite3")
# Only `stretch report` renders a template: no other command loads the engine.
REPORT_ONLY = ("jinja2", "markupsafe", "stretchcli.view.report_html", "stretchcli.report.data")

PROBE = """
import contextlib, io, json, sys
sys.argv = ["stretch", *json.loads(sys.argv[1])]
from stretchcli.cli.entry import main
out = io.StringIO()
code = 0
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def imported(
    args: list[str], home: Path, env: dict[str, str] | None = None
) -> tuple[int, str, set[str]]:
    """Exit code, output and the modules loaded by ``stretch ARGS`` in a new interpreter."""
    env = {**os.environ, "STRETCH_HOME": str(home), "COLUMNS": "100", **(env or {})}
    env.pop("PYTHONSTARTUP", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    data = json.loads(result.stdout.splitlines()[-1])
    return data["code"], data["out"], set(data["modules"])


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["-h"]])
def test_version_and_help_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    code, out, modules = imported(args, tmp_path)
    assert code == 0, out
    assert out.strip(), "the command printed nothing"
    assert [name for name in HEAVY if name in modules] == []


def test_version_imports_no_rich_and_no_typer(tmp_path: Path) -> None:
    """--version prints one line: the entry point answers it before typer (or rich) is
    imported; given with anything else, typer's option says the same."""
    code, out, modules = imported(["--version"], tmp_path)
    assert (code, out) == (0, f"stretch {__version__}\n")
    light = ("rich", "typer", "click", "stretchcli.cli.app")
    assert sorted(name for name in modules if name.split(".")[0] in light or name in light) == []
    code, out, modules = imported(["--version", "--help"], tmp_path)
    assert (code, out, "typer" in modules) == (0, f"stretch {__version__}\n", True)


def test_only_the_commands_that_need_them_import_them(tmp_path: Path) -> None:
    """The check above means something: `stretch list` does load pydantic, the first time
    (its summaries are cached after that: see the next test)."""
    code, _, modules = imported(["list", "--json"], tmp_path)
    assert code == 0
    assert "pydantic" in modules
    assert "stretchcli.routine.model" in modules


def test_a_list_of_unchanged_routines_loads_no_model(tmp_path: Path) -> None:
    """The second `stretch list` reads the summaries from its cache: no pydantic, no TOML,
    and the same output; a routine file changed since is loaded again, and only it."""
    routines = tmp_path / "routines"
    routines.mkdir()
    mine = routines / "mine.toml"
    mine.write_text('title = "Mine"\n[[exercises]]\nname = "A"\n', encoding="utf-8")
    long_ago = 1_700_000_000 * 10**9  # a file modified in the last seconds is not cached
    os.utime(mine, ns=(long_ago, long_ago))
    env = {"STRETCH_ROUTINES": str(routines)}
    code, first, modules = imported(["list", "--json"], tmp_path, env=env)
    assert (code, "pydantic" in modules) == (0, True)

    code, again, modules = imported(["list", "--json"], tmp_path, env=env)
    assert code == 0
    assert again == first
    assert [name for name in (*HEAVY, "tomllib") if name in modules] == []

    mine.write_text('title = "Mine, longer"\n[[exercises]]\nname = "A"\n', encoding="utf-8")
    os.utime(mine, ns=(long_ago, long_ago))
    code, changed, modules = imported(["list", "--json"], tmp_path, env=env)
    assert (code, "pydantic" in modules) == (0, True)
    titles = {row["id"]: row["title"] for row in json.loads(changed)}
    assert titles["mine"] == "Mine, longer"
    assert {row["id"]: row for row in json.loads(changed)}.keys() == {
        row["id"] for row in json.loads(first)
    }


def test_a_quick_hold_loads_no_routine_machinery(tmp_path: Path) -> None:
    """`stretch hold` needs no routine files: no TOML parser, no routine loader."""
    env = {"STRETCH_SPEED": "1000"}
    code, out, modules = imported(["hold", "1", "--plain"], tmp_path, env=env)
    assert code == 0, out
    assert "stretchcli.play.run" in modules
    assert sorted({"tomllib", "stretchcli.routine.library"} & modules) == []


@pytest.mark.parametrize("module", ["days", "dates", "record"])
def test_the_light_history_modules_load_no_store(module: str) -> None:
    """The history package imports nothing itself, so its clock and date modules (the CLI's
    date options) and its record types (the player's) come without the store."""
    probe = f"import json, sys, stretchcli.history.{module}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    modules = set(json.loads(result.stdout))
    assert [name for name in HEAVY if name in modules] == []
    assert "stretchcli.history.store" not in modules


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["list"], ["report", "--help"]])
def test_only_the_report_loads_the_template_engine(args: list[str], tmp_path: Path) -> None:
    code, out, modules = imported(args, tmp_path)
    assert code == 0, out
    assert [name for name in REPORT_ONLY if name in modules] == []


def test_the_report_does_load_it(tmp_path: Path) -> None:
    """The check above means something: `stretch report` imports jinja2."""
    code, out, modules = imported(["report", "-o", "-", "--format", "html"], tmp_path)
    assert code == 0, out
    assert out.startswith("<!DOCTYPE html>")
    assert {"jinja2", "stretchcli.view.report_html"} <= modules


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--limit", "3"],  # a value one of our parsers converts
        ["log", "--since", "1w"],
        ["stats", "--since", "2w"],  # and no plan: its model is not needed
        ["show", "--json", "lower-back"],  # plain text (it loads the routine model itself)
    ],
)
def test_values_given_build_no_pydantic_adapter(args: list[str], tmp_path: Path) -> None:
    """typer 0.29 builds a pydantic adapter for each value given; a value that one of our
    parsers converts, or plain text, gets the same result without one."""
    code, out, modules = imported(args, tmp_path)
    assert code == 0, out
    assert "typer._adapters" not in modules
    if args[0] != "show":
        assert "pydantic" not in modules


def test_stats_with_a_plan_does_load_it(tmp_path: Path) -> None:
    """The check above means something: with a plan, `stats` loads the plan's model."""
    (tmp_path / "plan.toml").write_text(
        'starts = 2026-11-01\n[[items]]\nroutine = "lower-back"\n', encoding="utf-8"
    )
    code, out, modules = imported(["stats", "--json"], tmp_path)
    assert code == 0, out
    assert '"plan": {' in out or '"plan": [' in out
    assert {"pydantic", "stretchcli.plan.model"} <= modules
