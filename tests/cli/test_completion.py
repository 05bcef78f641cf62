"""Shell completion through typer's own mechanism: the script `--show-completion` prints,
and the answers the shell gets back through the completion environment variables
(``_STRETCH_COMPLETE``, ``COMP_WORDS``/``COMP_CWORD`` for bash, ``_TYPER_COMPLETE_ARGS``
for zsh): routine ids for ROUTINE arguments, the plan's routines for `plan remove`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import BUILTIN_IDS

# The console script beside the interpreter: the shell runs `stretch`, whose name is in the
# variables (a `python -c` would be "-c", and ask for _C_COMPLETE).
STRETCH = str(Path(sys.executable).with_name("stretch"))
MINIMAL = 'title = "Mine"\n[[exercises]]\nname = "A"\nhold = 10\n'


def run(args: list[str], home: Path, extra: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `stretch` entry point in a new interpreter, as the shell runs it."""
    return subprocess.run(
        [STRETCH, *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "STRETCH_HOME": str(home),
            "STRETCH_ROUTINES": str(extra),
            "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
            **env,
        },
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A STRETCH_HOME with a user routine and a STRETCH_ROUTINES folder with another."""
    home, extra = tmp_path / "home", tmp_path / "extra"
    (home / "routines").mkdir(parents=True)
    extra.mkdir()
    (home / "routines" / "lower-back-slow.toml").write_text(MINIMAL, encoding="utf-8")
    (extra / "mid-back.toml").write_text(MINIMAL, encoding="utf-8")  # overrides the built-in
    (extra / "notes.txt").write_text("not a routine", encoding="utf-8")
    (extra / "..hidden.toml").write_text(MINIMAL, encoding="utf-8")  # not an id
    return home, extra


def bash(words: str, folders: tuple[Path, Path]) -> list[str]:
    """What bash gets for the last word of ``words``."""
    parts = words.split(" ")
    done = run(
        [],
        *folders,
        _STRETCH_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(parts) - 1),
    )
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout.split()


def test_show_completion_prints_the_script_that_calls_stretch_back(
    folders: tuple[Path, Path],
) -> None:
    done = run(["--show-completion", "bash"], *folders)
    assert done.returncode == 0, done.stderr
    assert "_STRETCH_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _stretch_completion stretch" in done.stdout
    zsh = run(["--show-completion", "zsh"], *folders)
    assert "#compdef stretch" in zsh.stdout


def test_install_completion_is_an_option_now(folders: tuple[Path, Path]) -> None:
    done = run(["--help"], *folders, COLUMNS="100")
    assert "--install-completion" in done.stdout
    assert "--show-completion" in done.stdout


def test_routine_ids_complete_from_every_folder(folders: tuple[Path, Path]) -> None:
    assert bash("stretch show lo", folders) == ["lower-back", "lower-back-slow"]
    assert bash("stretch start ", folders) == sorted([*BUILTIN_IDS, "lower-back-slow"])
    assert bash("stretch validate lower-back m", folders) == ["mid-back"]
    assert bash("stretch edit sten", folders) == ["stenosis-seated"]
    assert bash("stretch show nothing-like-it", folders) == []


def test_log_add_completes_hold_too(folders: tuple[Path, Path]) -> None:
    assert bash("stretch log add h", folders) == ["hold"]
    assert bash("stretch log --routine de", folders) == ["desk-break"]


def test_zsh_gets_each_id_with_where_it_comes_from(folders: tuple[Path, Path]) -> None:
    done = run(
        [], *folders, _STRETCH_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="stretch show mi"
    )
    assert done.returncode == 0, done.stderr
    assert '"mid-back":"user"' in done.stdout  # STRETCH_ROUTINES comes first
    assert "built-in" not in done.stdout


def test_plan_remove_completes_the_routines_of_the_plan(folders: tuple[Path, Path]) -> None:
    home, _ = folders
    assert bash("stretch plan remove ", folders) == []  # no plan yet
    (home / "plan.toml").write_text(
        'starts = 2026-12-01\n[[items]]\nroutine = "lower-back"\n'
        "[[items]]\nroutine = 'desk-break'\n",
        encoding="utf-8",
    )
    assert bash("stretch plan remove ", folders) == ["lower-back", "desk-break"]
    assert bash("stretch plan resume d", folders) == ["desk-break"]
    assert bash("stretch plan add desk", folders) == ["desk-break"]
    (home / "plan.toml").write_text("starts = [", encoding="utf-8")
    assert bash("stretch plan remove ", folders) == []  # a broken plan completes nothing


PROBE = """
import json, os, sys
sys.argv[0] = "stretch"
from stretchcli.cli.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def test_completion_reads_no_routine_file(folders: tuple[Path, Path]) -> None:
    """The shell asks at every Tab: file names only, no TOML, no pydantic, no history."""
    home, extra = folders
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "STRETCH_HOME": str(home),
            "STRETCH_ROUTINES": str(extra),
            "_STRETCH_COMPLETE": "complete_bash",
            "COMP_WORDS": "stretch show lo",
            "COMP_CWORD": "2",
        },
        check=True,
    )
    assert done.stdout.split() == ["lower-back", "lower-back-slow"]
    modules = set(json.loads(done.stderr))
    heavy = {"pydantic", "sqlite3", "rich.live", "stretchcli.routine.model"}
    assert sorted(heavy & modules) == []
