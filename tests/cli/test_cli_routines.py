"""`stretch list / show / validate / schema / new`: exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from jsonschema import Draft202012Validator

from conftest import Result
from stretchcli import __version__
from stretchcli.cli.app import app
from stretchcli.paths import builtin_routines_dir
from stretchcli.routine.durations import about_text, clock_text
from stretchcli.routine.timeline import Step
from stretchcli.view.routines import step_label
from support import BUILTIN_IDS

Stretch = Callable[..., Result]

MINIMAL = 'title = "{title}"\n[[exercises]]\nname = "A"\nhold = 10\nreps = 1\nprep = 0\n'


def write_routine(folder: Path, routine_id: str, title: str = "Mine") -> Path:
    """A valid one-exercise routine (10 s) named ``routine_id`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{routine_id}.toml"
    path.write_text(MINIMAL.format(title=title), encoding="utf-8")
    return path


def listed(result: Result) -> dict[str, dict[str, Any]]:
    """`stretch list --json` output by id."""
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)}


@pytest.fixture
def user_dir(home: Path) -> Path:
    """The user routines folder ($STRETCH_HOME/routines)."""
    return home / "routines"


@pytest.fixture
def extra_dir(home: Path) -> Path:
    """The STRETCH_ROUTINES folder the ``home`` fixture set up."""
    return Path(os.environ["STRETCH_ROUTINES"])


def table_rows(text: str) -> list[list[str]]:
    """The cells of a rich table's one-line rows (header included)."""
    return [
        [cell.strip() for cell in line.strip()[1:-1].split(line.strip()[0])]
        for line in text.splitlines()
        if line.strip()[:1] in {"│", "┃"}
    ]


# --- help and version ---


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand of the app, as argument tuples."""
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*prefix, name))


ALL_COMMANDS = list(command_paths(typer.main.get_command(app)))


def test_the_routine_commands_are_registered() -> None:
    assert {("list",), ("show",), ("validate",), ("schema",), ("new",)} <= set(ALL_COMMANDS)


@pytest.mark.parametrize("args", ALL_COMMANDS, ids=lambda a: " ".join(a) or "stretch")
def test_every_command_has_help(stretch: Stretch, args: tuple[str, ...]) -> None:
    result = stretch(*args, "--help")
    assert result.code == 0, result.err
    usage = next(line for line in result.out.splitlines() if "Usage: " in line)
    assert " ".join(("stretch", *args)) in usage
    assert result.err == ""


@pytest.mark.parametrize("name", ["list", "show", "validate", "schema", "new"])
def test_routine_command_help_ends_with_an_example(stretch: Stretch, name: str) -> None:
    assert f"Example: stretch {name}" in stretch(name, "--help").out


def test_version(stretch: Stretch) -> None:
    assert stretch("--version") == Result(0, f"stretch {__version__}\n", "")


@pytest.mark.parametrize(
    "args",
    [("show",), ("validate",), ("new",), ("list", "extra"), ("schema", "x"), ("nonsense",)],
)
def test_wrong_usage_exits_2(stretch: Stretch, args: tuple[str, ...]) -> None:
    result = stretch(*args)
    assert result.code == 2
    assert "Traceback" not in result.err


# --- list ---


def test_list_shows_the_six_builtins(stretch: Stretch) -> None:
    result = stretch("list")
    assert result.code == 0
    assert result.err == ""
    assert result.out.splitlines()[0].strip() == "Routines"
    rows = table_rows(result.out)
    assert rows[0] == ["id", "routine", "exercises", "time", "source"]
    firsts = [row for row in rows[1:] if row[0]]
    assert [row[0] for row in firsts] == BUILTIN_IDS
    assert {row[4] for row in firsts} == {"built-in"}
    lower_back = rows.index(firsts[BUILTIN_IDS.index("lower-back")])
    # The title, then the summary below it, in the routine column (120 columns: no wrap).
    assert [row[1] for row in rows[lower_back : lower_back + 2]] == [
        "Lower back: extension and rotation",
        "Gentle back-bending and rotation stretches for a sore low back.",
    ]
    assert rows[lower_back][2:] == ["5", "12 min", "built-in"]


def test_list_wraps_summaries_at_80_columns_and_cuts_nothing(
    stretch: Stretch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = stretch("list")
    assert result.code == 0
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert "…" not in result.out
    words = " ".join(row[1] for row in table_rows(result.out)[1:]).split()
    for item in json.loads(stretch("list", "--json").out):
        assert " ".join(item["summary"].split()) in " ".join(words)


def test_list_json(stretch: Stretch) -> None:
    rows = json.loads(stretch("list", "--json").out)
    assert [row["id"] for row in rows] == BUILTIN_IDS
    lower_back = next(row for row in rows if row["id"] == "lower-back")
    assert lower_back == {
        "id": "lower-back",
        "title": "Lower back: extension and rotation",
        "summary": "Gentle back-bending and rotation stretches for a sore low back.",
        "tags": ["low-back", "extension", "rotation", "floor"],
        "exercises": 5,
        "seconds": 705,
        "source": "built-in",
        "path": str(builtin_routines_dir() / "lower-back.toml"),
    }
    assert {row["source"] for row in rows} == {"built-in"}


def test_user_routine_overrides_a_builtin(stretch: Stretch, user_dir: Path) -> None:
    path = write_routine(user_dir, "lower-back", "My own lower back")
    write_routine(user_dir, "zz-mine")
    rows = listed(stretch("list", "--json"))
    assert list(rows) == [*BUILTIN_IDS, "zz-mine"]
    assert rows["lower-back"]["source"] == "user"
    assert rows["lower-back"]["title"] == "My own lower back"
    assert rows["lower-back"]["path"] == str(path)
    assert rows["lower-back"]["seconds"] == 10 + 0  # one 10 s hold, a pain check
    table = table_rows(stretch("list").out)
    assert ["lower-back", "My own lower back", "1", "10 s", "user"] in table
    assert ["zz-mine", "Mine", "1", "10 s", "user"] in table
    shown = json.loads(stretch("show", "lower-back", "--json").out)
    assert (shown["source"], shown["title"], shown["path"]) == (
        "user",
        "My own lower back",
        str(path),
    )


def test_search_order_extra_folders_then_user_then_builtin(
    stretch: Stretch, home: Path, user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("STRETCH_ROUTINES", os.pathsep.join([str(first), "", str(second)]))
    paths = [
        write_routine(first, "mid-back", "first"),
        write_routine(second, "mid-back", "second"),
        write_routine(user_dir, "mid-back", "user"),
    ]
    for path, title in zip(paths, ["first", "second", "user"], strict=True):
        shown = json.loads(stretch("show", "mid-back", "--json").out)
        assert (shown["title"], shown["path"], shown["source"]) == (title, str(path), "user")
        assert listed(stretch("list", "--json"))["mid-back"]["title"] == title
        path.unlink()
    shown = json.loads(stretch("show", "mid-back", "--json").out)
    assert (shown["source"], shown["path"]) == (
        "built-in",
        str(builtin_routines_dir() / "mid-back.toml"),
    )


def test_list_skips_a_bad_file_with_a_one_line_warning(
    stretch: Stretch, user_dir: Path, extra_dir: Path
) -> None:
    write_routine(user_dir, "good")
    bad = user_dir / "bad.toml"
    bad.write_text('title = "Bad"\n[[exercises]]\nname = "A"\nhold = 0\n', encoding="utf-8")
    worse = extra_dir / "worse.toml"
    worse.write_text('title = 1\n[[exercises]]\nname = "A"\nreps = 0\n', encoding="utf-8")
    result = stretch("list", "--json")
    assert result.code == 0
    assert list(listed(result)) == sorted([*BUILTIN_IDS, "good"])
    assert result.err == (
        f"stretch: skipped {bad}: exercises[0].hold: must be between 1s and 1h (got 0)\n"
        f"stretch: skipped {worse}: title: must be a string in quotes (got 1) (+1 more)\n"
    )
    table = stretch("list")
    assert table.code == 0
    assert [row[0] for row in table_rows(table.out)[1:] if row[0]] == sorted([*BUILTIN_IDS, "good"])
    assert "bad" not in table.out
    assert table.err == result.err


def test_list_ignores_files_whose_name_is_not_an_id(stretch: Stretch, user_dir: Path) -> None:
    write_routine(user_dir, "a..b")
    write_routine(user_dir, ".hidden")
    (user_dir / "notes.txt").write_text("not a routine", encoding="utf-8")
    assert list(listed(stretch("list", "--json"))) == BUILTIN_IDS


def test_list_renders_brackets_in_titles_as_text(stretch: Stretch, user_dir: Path) -> None:
    write_routine(user_dir, "brackets", "Knees [L/R] [/] [bold]x")
    result = stretch("list")
    assert result.code == 0, result.err
    assert ["brackets", "Knees [L/R] [/] [bold]x", "1", "10 s", "user"] in table_rows(result.out)


# --- show ---


def test_show_lower_back(stretch: Stretch) -> None:
    result = stretch("show", "lower-back")
    assert result.code == 0
    assert result.err == ""
    out = result.out
    assert out.startswith("Lower back: extension and rotation   (lower-back, built-in)\n")
    assert "5 exercises, about 12 min (11:45)\n" in out
    assert "│ 10 moves × 4 s, prep 5 s " in out
    assert out.count("hold 30 s × 3 each side (alternate: left then right)") == 2
    assert "│ hold 120 s × 1, prep 5 s " in out
    assert "│ hold 30 s × 3, rest 10 s, prep 5 s " in out
    for number, name in enumerate(
        [
            "Prone on elbows",
            "Knee rocking",
            "Hooklying trunk rotation",
            "Lower-body rotation, top leg over",
            "Standing back extension",
        ],
        1,
    ):
        assert f"╭─ {number}. {name} ─" in out
    assert "Harder: Press up onto your hands while your hips stay on the floor." in out
    assert "! Sharp pain: stop at once and talk to a doctor or physiotherapist." in out
    last = out.rstrip("\n").splitlines()[-1]
    assert [cell.strip() for cell in last.split("│")] == ["", "", "total", "11:45"]
    assert "move 10 × 4 s" in out


def test_show_json_lower_back(stretch: Stretch) -> None:
    result = stretch("show", "lower-back", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert (data["id"], data["source"], data["total_seconds"]) == ("lower-back", "built-in", 705)
    dosing = [
        (e["name"], e["dose"].get("hold"), e["dose"].get("reps"), e["sides"], e["side_order"])
        for e in data["exercises"]
    ]
    both = ["left", "right"]
    assert dosing == [
        ("Prone on elbows", 120, 1, None, "alternate"),
        ("Knee rocking", None, None, None, "alternate"),
        ("Hooklying trunk rotation", 30, 3, both, "alternate"),
        ("Lower-body rotation, top leg over", 30, 3, both, "alternate"),
        ("Standing back extension", 30, 3, None, "alternate"),
    ]
    assert data["exercises"][0]["dose"] == {
        "hold": 120,
        "reps": 1,
        "rest": 10,
        "prep": 5,
        "switch": 5,
    }
    assert data["defaults"] == {"hold": 30, "reps": 3, "rest": 10, "prep": 5, "switch": 5}
    assert data["exercises"][1]["dose"] == {
        "rest": 10,
        "prep": 5,
        "switch": 5,
        "moves": 10,
        "tempo": 4,
    }
    assert sum(step["seconds"] for step in data["timeline"]) == 705
    (move,) = [step for step in data["timeline"] if step["kind"] == "move"]
    assert (move["moves"], move["tempo"], move["seconds"]) == (10, 4, 40)
    assert data["timeline"][:3] == [
        {
            "kind": "prep",
            "seconds": 5,
            "exercise_index": 0,
            "exercise": "Prone on elbows",
            "side": None,
            "rep": 0,
            "reps": 1,
        },
        {
            "kind": "hold",
            "seconds": 120,
            "exercise_index": 0,
            "exercise": "Prone on elbows",
            "side": None,
            "rep": 1,
            "reps": 1,
        },
        {
            "kind": "check",
            "seconds": 0,
            "exercise_index": 0,
            "exercise": "Prone on elbows",
            "side": None,
            "rep": 0,
            "reps": 1,
        },
    ]
    assert [s["kind"] for s in data["timeline"]].count("check") == 5


@pytest.mark.parametrize("routine_id", BUILTIN_IDS)
def test_every_builtin_shows_as_text_and_json(stretch: Stretch, routine_id: str) -> None:
    text = stretch("show", routine_id)
    assert (text.code, text.err) == (0, "")
    assert "total" in text.out
    data = json.loads(stretch("show", routine_id, "--json").out)
    assert data["id"] == routine_id
    assert data["total_seconds"] == sum(step["seconds"] for step in data["timeline"])


def test_desk_break_takes_about_five_minutes(stretch: Stretch) -> None:
    seconds = listed(stretch("list", "--json"))["desk-break"]["seconds"]
    assert 4 * 60 <= seconds <= 6 * 60


def test_show_a_path_to_a_toml_file(stretch: Stretch, tmp_path: Path) -> None:
    path = write_routine(tmp_path / "anywhere", "lower-back", "From a path")
    data = json.loads(stretch("show", path, "--json").out)
    assert (data["id"], data["source"], data["title"], data["path"]) == (
        "lower-back",
        "path",
        "From a path",
        str(path),
    )
    text = stretch("show", path)
    assert text.out.startswith("From a path   (lower-back, path)\n1 exercise, about 10 s (0:10)\n")


def test_show_a_missing_toml_file(stretch: Stretch, tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert stretch("show", path) == Result(1, "", f"{path}: no such routine file\n")


def test_show_unknown_id_suggests_close_matches(stretch: Stretch) -> None:
    assert stretch("show", "lower-bak") == Result(
        1,
        "",
        "no routine 'lower-bak'; did you mean: lower-back, sore-back, desk-break? "
        "(see `stretch list`)\n",
    )


def test_show_unknown_id_without_close_matches_lists_all(stretch: Stretch) -> None:
    assert stretch("show", "zzz") == Result(
        1, "", f"no routine 'zzz'; known routines: {', '.join(BUILTIN_IDS)}\n"
    )


def test_show_renders_brackets_as_text(stretch: Stretch, tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text(
        'title = "T [/]"\n[[exercises]]\nname = "Knee [L/R] [/]"\ncues = ["a [red]b"]\n',
        encoding="utf-8",
    )
    result = stretch("show", path)
    assert result.code == 0, result.err
    assert result.out.startswith("T [/]   (b, path)\n")
    assert "╭─ 1. Knee [L/R] [/] ─" in result.out
    assert "• a [red]b" in result.out


# --- new ---


def test_new_writes_a_starter_that_validates(stretch: Stretch, user_dir: Path) -> None:
    path = user_dir / "my-morning.toml"
    result = stretch("new", "my-morning")
    assert result == Result(
        0,
        f"wrote {path}\nchange it with: stretch edit my-morning; then: stretch show my-morning\n",
        "",
    )
    assert stretch("validate", path) == Result(0, f"{path}: ok\n", "")
    # The README's tour: the id works as well as the path.
    assert stretch("validate", "my-morning") == Result(0, f"my-morning: ok ({path})\n", "")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A stretchcli routine.")
    assert 'title = "My morning"\n' in text
    row = listed(stretch("list", "--json"))["my-morning"]
    assert (row["source"], row["path"], row["exercises"]) == ("user", str(path), 2)


def test_new_refuses_to_overwrite(stretch: Stretch, user_dir: Path) -> None:
    path = write_routine(user_dir, "mine", "Keep me")
    result = stretch("new", "mine")
    assert result == Result(1, "", f"{path}: already exists; pick another name or edit that file\n")
    assert path.read_text(encoding="utf-8") == MINIMAL.format(title="Keep me")


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "", "-x", "a b", "é"])
def test_new_refuses_bad_names(stretch: Stretch, user_dir: Path, name: str) -> None:
    result = stretch("new", "--", name)
    assert result == Result(
        1,
        "",
        f"routine id {name!r} is not allowed: an id is a file name without folders "
        "(letters, digits, '-', '_', '.'); give a path ending in .toml to use another file\n",
    )
    assert not user_dir.exists() or list(user_dir.iterdir()) == []


def test_new_refuses_a_name_ending_in_toml(stretch: Stretch, user_dir: Path) -> None:
    result = stretch("new", "x.toml")
    assert result == Result(
        1, "", "routine name 'x.toml' ends in .toml; give the id alone: stretch new x\n"
    )
    assert not user_dir.exists()


# --- schema ---


@pytest.fixture
def validator(stretch: Stretch) -> Draft202012Validator:
    result = stretch("schema")
    assert (result.code, result.err) == (0, "")
    schema = json.loads(result.out)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return Draft202012Validator(schema)


def test_schema_accepts_every_builtin(validator: Draft202012Validator) -> None:
    files = sorted(builtin_routines_dir().glob("*.toml"))
    assert [f.stem for f in files] == BUILTIN_IDS
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path


def test_schema_accepts_the_starter(
    validator: Draft202012Validator, stretch: Stretch, user_dir: Path
) -> None:
    stretch("new", "starter")
    data = tomllib.loads((user_dir / "starter.toml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []


GOOD: dict[str, Any] = {"title": "T", "exercises": [{"name": "A", "hold": "1m30s"}]}


@pytest.mark.parametrize(
    "change",
    [
        {"colour": 1},
        {"defaults": {"holds": 30}},
        {"exercises": [{"name": "A", "hods": 30}]},
        {"exercises": [{"name": "A", "sides": ["up"]}]},
        {"exercises": [{"name": "A", "sides": ["left", "left"]}]},
        {"exercises": [{"name": "A", "sides": []}]},
        {"exercises": [{"name": "A", "side_order": "random"}]},
        {"exercises": [{"name": "A", "hold": 0}]},
        {"exercises": [{"name": "A", "hold": "abc"}]},
        {"exercises": [{"name": "A", "hold": True}]},
        {"exercises": [{"name": "A", "reps": 51}]},
        {"exercises": [{"name": "A", "reps": "3"}]},
        {"exercises": [{"hold": 30}]},
        {"exercises": []},
        {"title": 5},
        {"exercises": [{"name": "A", "moves": 10}]},
        {"exercises": [{"name": "A", "tempo": 4}]},
        {"exercises": [{"name": "A", "moves": 10, "tempo": 4, "hold": 30}]},
        {"exercises": [{"name": "A", "moves": 10, "tempo": 4, "reps": 2}]},
        {"exercises": [{"name": "A", "moves": 0, "tempo": 4}]},
        {"exercises": [{"name": "A", "moves": 101, "tempo": 4}]},
        {"exercises": [{"name": "A", "moves": 10, "tempo": 61}]},
        {"exercises": [{"name": "A", "prep": "soon"}]},
        {"defaults": {"switch": "later"}},
    ],
    ids=repr,
)
def test_schema_rejects_bad_routines(
    validator: Draft202012Validator, change: dict[str, Any]
) -> None:
    assert list(validator.iter_errors(GOOD)) == []
    assert list(validator.iter_errors({**GOOD, **change})) != []


@pytest.mark.parametrize(
    "change",
    [
        {"exercises": [{"name": "A", "moves": 10, "tempo": "4s", "sides": ["left", "right"]}]},
        {"exercises": [{"name": "A", "moves": 100, "tempo": 60}]},
        {"exercises": [{"name": "A", "prep": "ready", "switch": "ready"}]},
        {"defaults": {"prep": "ready", "switch": "ready"}},
    ],
    ids=repr,
)
def test_schema_accepts_moves_and_ready(
    validator: Draft202012Validator, change: dict[str, Any]
) -> None:
    assert list(validator.iter_errors({**GOOD, **change})) == []


def test_schema_rejects_a_missing_title(validator: Draft202012Validator) -> None:
    assert list(validator.iter_errors({"exercises": GOOD["exercises"]})) != []


# --- the real entry points ---


def run_real(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The installed ``stretch`` script's code path: ``python -m stretchcli``."""
    return subprocess.run(
        [sys.executable, "-m", "stretchcli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_python_m_stretchcli(home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "STRETCH_HOME": str(home)}
    listing = run_real("list", "--json", env=env)
    assert listing.returncode == 0, listing.stderr
    assert [row["id"] for row in json.loads(listing.stdout)] == BUILTIN_IDS
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "T"\n[[exercises]]\nname = "A"\nhold = 0\n', encoding="utf-8")
    for args in (("show", "../x"), ("validate", str(bad)), ("show", str(bad))):
        result = run_real(*args, env=env)
        assert result.returncode == 1
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr


# --- text helpers of the output layer ---


@pytest.mark.parametrize(
    ("seconds", "clock", "about"),
    [
        (0, "0:00", "0 s"),
        (45, "0:45", "45 s"),
        (90, "1:30", "2 min"),
        (660, "11:00", "11 min"),
        (3600, "1:00:00", "1 h 0 min"),
        (3661, "1:01:01", "1 h 1 min"),
    ],
)
def test_clock_and_about_text(seconds: int, clock: str, about: str) -> None:
    assert (clock_text(seconds), about_text(seconds)) == (clock, about)


@pytest.mark.parametrize(
    ("step", "label"),
    [
        (Step("prep", 5, 0, "A", "left", 0, 3), "get ready, left first"),
        (Step("prep", 5, 0, "A", None, 0, 3), "get into position"),
        (Step("hold", 30, 0, "A", "right", 2, 3), "hold right 2/3"),
        (Step("hold", 30, 0, "A", None, 1, 1), "hold 1/1"),
        (Step("rest", 10, 0, "A", None, 2, 3), "rest, then hold 2/3"),
        (Step("switch", 5, 0, "A", "right", 0, 3), "switch to right"),
        (Step("check", 0, 0, "A", None, 0, 3), "pain check"),
    ],
)
def test_step_labels(step: Step, label: str) -> None:
    assert step_label(step) == label
