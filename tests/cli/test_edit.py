"""`stretch edit ROUTINE` with a fake $EDITOR (a shell script that writes the file), and
`stretch validate` with ids as well as paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.paths import builtin_routines_dir

Stretch = Callable[..., Result]

GOOD = 'title = "Mine"\n[[exercises]]\nname = "A"\nhold = 45\n'
BAD = 'title = "Mine"\n[[exercises]]\nname = "A"\nhods = 45\n'


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *saves: str) -> Path:
    """$EDITOR: a script that writes ``saves[n]`` on its n-th run (the last one for every
    run after), and counts its runs in the file it returns."""
    count = tmp_path / "runs"
    lines = [
        "#!/bin/sh",
        f'n=$(cat "{count}" 2>/dev/null || echo 0)',
        f'echo $((n + 1)) > "{count}"',
    ]
    for number, text in enumerate(saves):
        saved = tmp_path / f"save-{number}.toml"
        saved.write_text(text, encoding="utf-8")
        test = f'[ "$n" = {number} ]' if number < len(saves) - 1 else "true"
        lines.append(f'if {test}; then cat "{saved}" > "$1"; exit 0; fi')
    script = tmp_path / "editor.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return count


def answer(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    """A person at the keyboard answering the reopen question with ``lines``."""
    answers = iter(lines)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdin.readline", lambda limit=-1: next(answers, ""))


def test_edit_copies_a_builtin_and_the_copy_overrides_it(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The therapist said 45 s: the built-in is copied, changed, and used from then on."""
    original = (builtin_routines_dir() / "lower-back.toml").read_text(encoding="utf-8")
    changed = original.replace("hold = 30\nreps = 3\nrest", "hold = 45\nreps = 3\nrest", 1)
    assert changed != original
    runs = fake_editor(tmp_path, monkeypatch, changed)
    copy = home / "routines" / "lower-back.toml"
    result = stretch("edit", "lower-back")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        f"copied the built-in lower-back to {copy}; your copy now overrides it",
        f"{copy}: ok",
    ]
    assert runs.read_text() == "1\n"
    assert copy.read_text(encoding="utf-8") == changed
    assert (builtin_routines_dir() / "lower-back.toml").read_text(encoding="utf-8") == original
    shown = stretch("show", "lower-back", "--json").out
    assert '"source": "user"' in shown
    assert '"hold": 45' in shown
    # Again: the copy is edited in place, nothing copied over it.
    again = stretch("edit", "lower-back")
    assert again.out.splitlines() == [f"{copy}: ok"]


def test_a_copied_builtin_starts_with_a_note_saying_so(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")  # opens nothing, changes nothing
    assert stretch("edit", "desk-break").code == 0
    text = (home / "routines" / "desk-break.toml").read_text(encoding="utf-8")
    assert text.startswith("# Your copy of the built-in routine desk-break: it overrides")
    assert text.endswith((builtin_routines_dir() / "desk-break.toml").read_text(encoding="utf-8"))


def test_a_bad_save_is_shown_and_reopened_until_it_is_good(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stretch("new", "mine").code == 0
    path = home / "routines" / "mine.toml"
    runs = fake_editor(tmp_path, monkeypatch, BAD, GOOD)
    answer(monkeypatch, "\n")  # Enter: yes, open it again
    result = stretch("edit", "mine")
    assert result.code == 0, result.err
    assert runs.read_text() == "2\n"
    assert result.err == (
        f"{path}: exercises[0].hods: unknown key; did you mean hold? allowed here: name, cues, "
        "sides, side_order, harder, easier, moves, tempo, hold, reps, rest, prep, switch\n"
    )
    assert result.out == f"Open the file again to fix it? [Y/n] {path}: ok\n"
    assert path.read_text(encoding="utf-8") == GOOD


def test_a_bad_save_not_reopened_is_kept_and_says_how_to_go_back(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, BAD)
    answer(monkeypatch, "n\n")
    copy = home / "routines" / "sore-back.toml"
    result = stretch("edit", "sore-back")
    assert result.code == 1
    assert result.err.splitlines()[-1] == (
        f"{copy} is kept as it is; stretch edit sore-back to fix it, or delete it to use "
        "the built-in sore-back again"
    )
    assert copy.read_text(encoding="utf-8") == BAD


def test_without_a_terminal_a_bad_save_is_exit_1_without_a_question(
    stretch: Stretch, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = fake_editor(tmp_path, monkeypatch, BAD)
    result = stretch("edit", "mid-back")
    assert (result.code, result.out) == (1, "copied the built-in mid-back to "
                                         f"{home / 'routines' / 'mid-back.toml'}; your copy now "
                                         "overrides it\n")  # fmt: skip
    assert runs.read_text() == "1\n"


def test_edit_of_an_unknown_id_copies_nothing(stretch: Stretch, home: Path) -> None:
    result = stretch("edit", "lowr-back")
    assert result.code == 1
    assert result.err.startswith("no routine 'lowr-back'; did you mean: lower-back")
    assert not (home / "routines").exists()


def test_edit_a_file_by_its_path_in_place(
    stretch: Stretch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(BAD, encoding="utf-8")
    fake_editor(tmp_path, monkeypatch, GOOD)
    result = stretch("edit", path)
    assert (result.code, result.out) == (0, f"{path}: ok\n")
    assert path.read_text(encoding="utf-8") == GOOD


# --- validate with ids ---


def test_validate_takes_ids_and_paths_together(
    stretch: Stretch, home: Path, tmp_path: Path
) -> None:
    mine = home / "routines" / "mine.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD, encoding="utf-8")
    builtin = builtin_routines_dir() / "lower-back.toml"
    result = stretch("validate", "lower-back", "mine", bad, "xyz")
    assert result.code == 1
    assert result.out.splitlines() == [f"lower-back: ok ({builtin})", f"mine: ok ({mine})"]
    assert result.err.splitlines() == [
        f"{bad}: exercises[0].hods: unknown key; did you mean hold? allowed here: name, cues, "
        "sides, side_order, harder, easier, moves, tempo, hold, reps, rest, prep, switch",
        "no routine 'xyz'; known routines: back-in-bed, desk-break, lower-back, mid-back, "
        "mine, sore-back, stenosis-seated",
    ]


def test_validate_of_every_builtin_by_id(stretch: Stretch) -> None:
    from support import BUILTIN_IDS

    result = stretch("validate", *BUILTIN_IDS)
    assert (result.code, result.err) == (0, "")
    assert [line.split(":")[0] for line in result.out.splitlines()] == BUILTIN_IDS
