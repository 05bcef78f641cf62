"""The commented starter routine that `stretch new` writes into the user routines folder."""

from __future__ import annotations

from pathlib import Path

from stretchcli import paths
from stretchcli.errors import RoutineError
from stretchcli.routine.library import check_id, is_path_ref

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
