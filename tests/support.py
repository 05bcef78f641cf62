"""Test data that several test modules share (imported as ``from support import ...``;
the tests folder is on ``sys.path`` as the rootdir of ``conftest.py``)."""

from __future__ import annotations

# The built-in routines, in the order `stretch list` shows them.
BUILTIN_IDS = [
    "back-in-bed",
    "desk-break",
    "lower-back",
    "mid-back",
    "sore-back",
    "stenosis-seated",
]

# A routine of two one-second exercises, the second two-sided: two pain checks.
_TINY_START = """
title = "Tiny"
[defaults]
prep = 1
hold = 1
reps = 1
switch = 1
[[exercises]]
name = "One"
"""
_TINY_END = """[[exercises]]
name = "Two"
sides = ["left", "right"]
"""
TINY = _TINY_START + _TINY_END
# The same with a cue on the first exercise (more text to fit on a tiny terminal).
TINY_WITH_CUE = _TINY_START + 'cues = ["Breathe out."]\n' + _TINY_END
