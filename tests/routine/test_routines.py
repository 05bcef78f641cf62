"""Routine files: loading, durations, and a table of bad files with their exact error lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from stretchcli.errors import RoutineError
from stretchcli.routine.durations import parse_duration
from stretchcli.routine.library import MAX_FILE_BYTES, load_file, load_routine, scan_routines
from stretchcli.routine.model import Routine
from stretchcli.routine.problems import _location

Stretch = Callable[..., Result]

# The smallest valid routine; bad cases below change one thing in it.
HEAD = 'title = "T"\n'
EXERCISE = '[[exercises]]\nname = "A"\n'
DURATION_FORMS = 'whole seconds (30) or a string like "45s", "2m", "1m30s"'
TOP_KEYS = "title, summary, tags, cautions, defaults, exercises"
DOSING_KEYS = "hold, reps, rest, prep, switch"
EXERCISE_KEYS = f"name, cues, sides, side_order, harder, easier, moves, tempo, {DOSING_KEYS}"
REPS = "must be a whole number from 1 to 50"


def exercise(line: str) -> str:
    """A valid file whose one exercise has ``line`` added."""
    return HEAD + EXERCISE + line + "\n"


# (id, file content, expected stderr lines with {path} for the file's path)
BAD_FILES: list[tuple[str, str | bytes, list[str]]] = [
    # TOML syntax
    (
        "missing-equals",
        'title "T"\n',
        ["{path}:1:7: TOML syntax: expected '=' after a key in a key/value pair"],
    ),
    (
        "unclosed-string",
        'title = "T\n' + EXERCISE,
        ["{path}:1:11: TOML syntax: string not closed: the line ends before the closing quote"],
    ),
    (
        "duplicate-key",
        HEAD + 'title = "U"\n' + EXERCISE,
        ["{path}:2:12: TOML syntax: title is set twice (each key may be set once per table)"],
    ),
    (
        "unclosed-table-header",
        HEAD + "[defaults\nhold = 3\n",
        ["{path}:2:10: TOML syntax: expected ']' at the end of a table declaration"],
    ),
    (
        "table-declared-twice",
        HEAD + "[defaults]\nhold = 3\n[defaults]\nreps = 2\n",
        ["{path}:4:10: TOML syntax: table [defaults] is declared twice"],
    ),
    (
        "unclosed-array",
        HEAD + 'cautions = ["a" "b"]\n' + EXERCISE,
        ["{path}:2:17: TOML syntax: unclosed array: a ',' or the closing ']' is missing"],
    ),
    (
        "file-ends-in-an-array",
        HEAD + 'cautions = ["a",\n',
        ["{path}:3:1: TOML syntax: invalid value (at end of file)"],
    ),
    (
        "two-keys-on-a-line",
        HEAD + "summary = 1 tags = 2\n",
        [
            "{path}:2:13: TOML syntax: expected the end of the line after a value "
            "(one key = value per line)"
        ],
    ),
    # wrong types
    (
        "title-int",
        "title = 5\n" + EXERCISE,
        ["{path}: title: must be a string in quotes (got 5)"],
    ),
    (
        "title-date",
        "title = 2024-05-01\n" + EXERCISE,
        ["{path}: title: must be a string in quotes (got 2024-05-01)"],
    ),
    (
        "cues-string",
        exercise('cues = "Lie down."'),
        ['{path}: exercises[0].cues: must be a list of strings, e.g. ["..."] (got "Lie down.")'],
    ),
    (
        "cue-int",
        exercise("cues = [1]"),
        ["{path}: exercises[0].cues[0]: must be a string in quotes (got 1)"],
    ),
    (
        "reps-string",
        exercise('reps = "3"'),
        [f'{{path}}: exercises[0].reps: {REPS}, without quotes (got "3")'],
    ),
    ("reps-float", exercise("reps = 2.5"), [f"{{path}}: exercises[0].reps: {REPS} (got 2.5)"]),
    ("reps-bool", exercise("reps = true"), [f"{{path}}: exercises[0].reps: {REPS} (got true)"]),
    (
        "sides-string",
        exercise('sides = "left"'),
        ['{path}: exercises[0].sides: must be ["left", "right"] or ["left"] (got "left")'],
    ),
    (
        "defaults-not-a-table",
        HEAD + "defaults = 3\n" + EXERCISE,
        ["{path}: defaults: must be a table like [defaults] (got 3)"],
    ),
    (
        "exercises-not-an-array",
        HEAD + '[exercises]\nname = "A"\n',
        ['{path}: exercises: must be [[exercises]] tables (got {{name = "A"}})'],
    ),
    # unknown keys
    (
        "unknown-top-level-key",
        HEAD + "colour = 1\n" + EXERCISE,
        [f"{{path}}: colour: unknown key; allowed here: {TOP_KEYS}"],
    ),
    (
        "dosing-at-top-level",
        HEAD + "hold = 30\n" + EXERCISE,
        [
            "{path}: hold: unknown key; put hold under [defaults] or in an exercise; "
            f"allowed here: {TOP_KEYS}"
        ],
    ),
    (
        "unknown-key-in-defaults",
        HEAD + "[defaults]\nholds = 30\n" + EXERCISE,
        [f"{{path}}: defaults.holds: unknown key; did you mean hold? allowed here: {DOSING_KEYS}"],
    ),
    (
        "unknown-key-in-exercise",
        exercise("hods = 30"),
        [
            "{path}: exercises[0].hods: unknown key; did you mean hold? "
            f"allowed here: {EXERCISE_KEYS}"
        ],
    ),
    (
        "top-level-key-after-exercises",
        exercise('cautions = ["Stop on sharp pain."]'),
        [
            "{path}: exercises[0].cautions: unknown key; cautions belongs at the top of the "
            f"file, before the first [table]; allowed here: {EXERCISE_KEYS}"
        ],
    ),
    (
        "unknown-quoted-key",
        exercise('"my key" = 1'),
        [f'{{path}}: exercises[0]."my key": unknown key; allowed here: {EXERCISE_KEYS}'],
    ),
    (
        "unknown-key-named-like-a-type",
        HEAD + "int = 1\n" + EXERCISE,
        [f"{{path}}: int: unknown key; allowed here: {TOP_KEYS}"],
    ),
    # durations
    (
        "hold-zero",
        exercise("hold = 0"),
        ["{path}: exercises[0].hold: must be between 1s and 1h (got 0)"],
    ),
    (
        "hold-negative",
        exercise("hold = -5"),
        ["{path}: exercises[0].hold: must be between 1s and 1h (got -5)"],
    ),
    (
        "hold-5h",
        exercise('hold = "5h"'),
        ['{path}: exercises[0].hold: must be between 1s and 1h (got "5h")'],
    ),
    (
        "hold-huge",
        exercise("hold = 99999999999999999999"),
        ["{path}: exercises[0].hold: must be between 1s and 1h (got 99999999999999999999)"],
    ),
    (
        "rest-11m",
        exercise('rest = "11m"'),
        ['{path}: exercises[0].rest: must be between 0s and 10m (got "11m")'],
    ),
    (
        "prep-in-defaults-negative",
        HEAD + "[defaults]\nprep = -1\n" + EXERCISE,
        ["{path}: defaults.prep: must be between 0s and 10m (got -1)"],
    ),
    (
        "hold-abc",
        exercise('hold = "abc"'),
        [f'{{path}}: exercises[0].hold: must be {DURATION_FORMS} (got "abc")'],
    ),
    (
        "hold-empty-string",
        exercise('hold = ""'),
        [f'{{path}}: exercises[0].hold: must be {DURATION_FORMS} (got "")'],
    ),
    (
        "hold-true",
        exercise("hold = true"),
        [f"{{path}}: exercises[0].hold: must be {DURATION_FORMS} (got true)"],
    ),
    (
        "hold-fraction",
        exercise("hold = 2.5"),
        [f"{{path}}: exercises[0].hold: must be {DURATION_FORMS} (got 2.5)"],
    ),
    (
        "hold-unicode-digit",
        exercise('hold = "²"'),
        [f'{{path}}: exercises[0].hold: must be {DURATION_FORMS} (got "²")'],
    ),
    (
        "hold-5000-digits",
        exercise(f'hold = "{"9" * 5000}"'),
        [f'{{path}}: exercises[0].hold: must be between 1s and 1h (got "{"9" * 56}...)'],
    ),
    # reps and sides
    ("reps-zero", exercise("reps = 0"), [f"{{path}}: exercises[0].reps: {REPS} (got 0)"]),
    ("reps-51", exercise("reps = 51"), [f"{{path}}: exercises[0].reps: {REPS} (got 51)"]),
    (
        "side-up",
        exercise('sides = ["up"]'),
        ['{path}: exercises[0].sides[0]: must be "left" or "right" (got "up")'],
    ),
    (
        "side-twice",
        exercise('sides = ["left", "left"]'),
        ['{path}: exercises[0].sides: must name each side once (got ["left", "left"])'],
    ),
    (
        "sides-empty",
        exercise("sides = []"),
        ["{path}: exercises[0].sides: name at least one side, or leave sides out (got [])"],
    ),
    (
        "bad-side-order",
        exercise('side_order = "random"'),
        ['{path}: exercises[0].side_order: must be "alternate" or "block" (got "random")'],
    ),
    # missing and empty
    (
        "no-exercises",
        HEAD + "exercises = []\n",
        ["{path}: exercises: a routine needs at least one exercise (got [])"],
    ),
    ("exercises-missing", HEAD, ["{path}: exercises: required key is missing"]),
    ("title-missing", EXERCISE, ["{path}: title: required key is missing"]),
    (
        "title-blank",
        'title = "   "\n' + EXERCISE,
        ['{path}: title: must not be empty (got "   ")'],
    ),
    (
        "exercise-name-missing",
        HEAD + "[[exercises]]\nhold = 30\n",
        ["{path}: exercises[0].name: required key is missing"],
    ),
    (
        "tip-too-long",
        exercise(f'harder = "{"x" * 501}"'),
        ["{path}: exercises[0].harder: is too long: at most 500 characters (got 501)"],
    ),
    (
        "empty-file",
        "",
        ["{path}: file is empty; a routine needs a title and at least one [[exercises]] table"],
    ),
    (
        "blank-file",
        "\n  \n",
        ["{path}: file is empty; a routine needs a title and at least one [[exercises]] table"],
    ),
    # bytes and sizes
    (
        "not-utf8",
        HEAD.encode() + b'summary = "caf\xe9"\n',
        ["{path}:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"],
    ),
    (
        "over-the-size-limit",
        b"#" * (2 * 1024 * 1024),
        ["{path}: file is 2.0 MiB; a routine file may be at most 1024 KiB"],
    ),
    (
        "number-with-5000-digits",
        HEAD + f"summary = {'9' * 5000}\n",
        ["{path}: TOML: a number has too many digits"],
    ),
    (
        "nested-too-deeply",
        HEAD + "summary = " + "[" * 50_000 + "]" * 50_000 + "\n",
        ["{path}: TOML: arrays or tables are nested too deeply"],
    ),
    # (v2) moving exercises: moves x tempo, never with hold or reps; prep/switch "ready"
    (
        "moves-without-tempo",
        exercise("moves = 10"),
        [
            "{path}: exercises[0].tempo: is needed with moves: the seconds of one repetition, "
            'e.g. "4s"'
        ],
    ),
    (
        "tempo-without-moves",
        exercise('tempo = "4s"'),
        ['{path}: exercises[0].tempo: needs moves too: how many repetitions (1 to 100) (got "4s")'],
    ),
    (
        "moves-with-hold-and-reps",
        exercise("moves = 10\ntempo = 4\nhold = 30\nreps = 2"),
        [
            "{path}: exercises[0].moves: cannot go with hold and reps: an exercise either "
            "holds (hold, reps) or moves (moves, tempo) (got 10)"
        ],
    ),
    (
        "moves-out-of-range",
        exercise("moves = 101\ntempo = 4"),
        ["{path}: exercises[0].moves: must be a whole number from 1 to 100 (got 101)"],
    ),
    (
        "tempo-out-of-range",
        exercise('moves = 10\ntempo = "90s"'),
        ['{path}: exercises[0].tempo: must be between 1s and 1m (got "90s")'],
    ),
    (
        "prep-neither-time-nor-ready",
        exercise('prep = "when ready"'),
        [f'{{path}}: exercises[0].prep: must be {DURATION_FORMS}, or "ready" (got "when ready")'],
    ),
    # several problems: every one, one line each, in file order (unknown keys last)
    (
        "several-problems",
        "title = 1\nfoo = 2\n" + EXERCISE + 'hold = 0\nreps = 51\nsides = ["up", "left"]\n',
        [
            "{path}: title: must be a string in quotes (got 1)",
            "{path}: exercises[0].hold: must be between 1s and 1h (got 0)",
            f"{{path}}: exercises[0].reps: {REPS} (got 51)",
            '{path}: exercises[0].sides[0]: must be "left" or "right" (got "up")',
            f"{{path}}: foo: unknown key; allowed here: {TOP_KEYS}",
        ],
    ),
    (
        "problems-in-two-exercises",
        HEAD
        + EXERCISE
        + "hold = 0\n"
        + EXERCISE
        + EXERCISE.replace('"A"', '""')
        + 'sides = ["right", "up"]\n',
        [
            "{path}: exercises[0].hold: must be between 1s and 1h (got 0)",
            '{path}: exercises[2].name: must not be empty (got "")',
            '{path}: exercises[2].sides[1]: must be "left" or "right" (got "up")',
        ],
    ),
]


def write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8) to ``path``."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def expected_err(lines: list[str], path: Path) -> str:
    """The stderr text: each line with the path filled in, one per line."""
    return "".join(line.format(path=path) + "\n" for line in lines)


def test_the_table_is_large_and_ids_are_unique() -> None:
    ids = [case[0] for case in BAD_FILES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("content", "lines"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
@pytest.mark.parametrize("command", ["validate", "show"])
def test_bad_file_gives_one_precise_line_per_problem(
    stretch: Stretch, tmp_path: Path, command: str, content: str | bytes, lines: list[str]
) -> None:
    path = write(tmp_path / "bad.toml", content)
    result = stretch(command, path)
    assert result.code == 1
    assert result.err == expected_err(lines, path)
    assert result.out == ""
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("content", "lines"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_load_file_raises_the_same_problems(
    tmp_path: Path, content: str | bytes, lines: list[str]
) -> None:
    path = write(tmp_path / "bad.toml", content)
    with pytest.raises(RoutineError) as caught:
        load_file(path)
    assert caught.value.problems == [line.format(path=path) for line in lines]


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    text = HEAD + EXERCISE
    at_limit = write(tmp_path / "at.toml", text + "#" * (MAX_FILE_BYTES - len(text)))
    assert at_limit.stat().st_size == MAX_FILE_BYTES
    assert load_file(at_limit).title == "T"
    over = write(tmp_path / "over.toml", b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(RoutineError, match="a routine file may be at most 1024 KiB"):
        load_file(over)


def test_validate_lists_every_bad_file_and_says_ok_for_good_ones(
    stretch: Stretch, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.toml", HEAD + EXERCISE)
    bad = write(tmp_path / "bad.toml", exercise("hold = 0"))
    worse = write(tmp_path / "worse.toml", 'title "T"\n')
    result = stretch("validate", bad, good, worse)
    assert result.code == 1
    assert result.out == f"{good}: ok\n"
    assert result.err == (
        f"{bad}: exercises[0].hold: must be between 1s and 1h (got 0)\n"
        f"{worse}:1:7: TOML syntax: expected '=' after a key in a key/value pair\n"
    )


def test_validate_all_good_exits_0(stretch: Stretch, tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", HEAD + EXERCISE)
    result = stretch("validate", good, good)
    assert (result.code, result.out, result.err) == (0, f"{good}: ok\n{good}: ok\n", "")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p, "No such file or directory"),
        (lambda p: p.mkdir() or p, "Is a directory"),
    ],
    ids=["missing", "directory"],
)
def test_validate_unreadable_path(
    stretch: Stretch, tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path / "nothing.toml")
    result = stretch("validate", path)
    assert result.code == 1
    assert result.err == f"{path}: cannot read file ({reason})\n"


@pytest.mark.parametrize(
    "ref",
    ["../x", "a/b", "..", "../../etc/passwd", "/etc/passwd", "a\\b", ".hidden", "a..b", "~x", ""],
)
def test_ids_that_would_leave_the_routine_folders_are_refused(
    stretch: Stretch, home: Path, ref: str
) -> None:
    # A file the id would reach if it were joined to the folder as given.
    (home / "routines").mkdir()
    write(home / "x.toml", HEAD + EXERCISE)
    result = stretch("show", ref)
    assert result.code == 1
    assert result.err == (
        f"routine id {ref!r} is not allowed: an id is a file name without folders "
        "(letters, digits, '-', '_', '.'); give a path ending in .toml to use another file\n"
    )
    assert result.out == ""


# --- valid files and durations ---


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (30, 30),
        ("30", 30),
        (" 30 ", 30),
        ("45s", 45),
        ("2m", 120),
        ("1m30s", 90),
        ("1m 30s", 90),
        ("1M30S", 90),
        ("1h", 3600),
        ("1h1m1s", 3661),
        ("007", 7),
        ("-5", -5),  # parsed as written; the field's bounds then refuse it
        (60.0, 60),
    ],
)
def test_parse_duration(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value",
    ["", "abc", "1.5m", "30sec", "m", "1s1m", "--5", "-5s", "²", True, False, 2.5, None, [30]],
)
def test_parse_duration_refuses(value: object) -> None:
    with pytest.raises(ValueError, match=r"^must be whole seconds \(30\) or a string like"):
        parse_duration(value)


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("hold", 1, True),
        ("hold", "1h", True),
        ("hold", "60m1s", False),
        ("rest", 0, True),
        ("rest", "10m", True),
        ("rest", "10m1s", False),
        ("prep", 0, True),
        ("switch", 600, True),
        ("switch", 601, False),
        ("reps", 1, True),
        ("reps", 50, True),
    ],
)
def test_bounds(field: str, value: object, ok: bool) -> None:
    data = {"title": "T", "exercises": [{"name": "A", field: value}]}
    if ok:
        Routine.model_validate(data)
    else:
        with pytest.raises(ValueError, match=r"must be between (1s and 1h|0s and 10m)"):
            Routine.model_validate(data)


def test_full_example_from_the_spec_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path / "spec.toml",
        """\
title = "Lower back: extension and rotation"
summary = "One line for `stretch list`."
tags = ["low-back", "extension"]
cautions = ["Stop on sharp pain and ask your therapist."]

[defaults]          # optional; each exercise may override any of these
hold = 30           # seconds per hold
reps = 3            # holds per side
rest = 10           # seconds between holds
prep = 5            # seconds to get into position
switch = 5          # seconds to change sides

[[exercises]]
name = "Prone on elbows"
cues = ["Lie face down.", "Prop yourself on your elbows, hips on the floor."]
hold = "2m"
reps = 1
harder = "Push up onto your hands, hips still down."   # optional tips
easier = "Lie flat with a pillow under your chest."

[[exercises]]
name = "Hooklying trunk rotation"
cues = ["On your back, knees bent, feet flat."]
sides = ["left", "right"]      # omit when both sides work together
side_order = "alternate"       # or "block": all reps on one side, then the other
""",
    )
    routine = load_file(path)
    assert routine.title == "Lower back: extension and rotation"
    assert routine.tags == ["low-back", "extension"]
    first, second = routine.exercises
    assert (first.hold, first.reps, first.rest, first.sides) == (120, 1, None, None)
    assert first.harder == "Push up onto your hands, hips still down."
    assert (second.hold, second.sides, second.side_order) == (None, ["left", "right"], "alternate")
    assert (routine.defaults.hold, routine.defaults.switch) == (30, 5)


def test_minimal_file_gets_the_default_dosing(tmp_path: Path) -> None:
    routine = load_file(write(tmp_path / "m.toml", HEAD + EXERCISE))
    assert routine.defaults.model_dump() == {
        "hold": 30,
        "reps": 3,
        "rest": 10,
        "prep": 5,
        "switch": 5,
    }
    assert routine.exercises[0].side_order == "alternate"
    assert routine.summary == "" and routine.cautions == [] and routine.tags == []


def test_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.toml", b"\xef\xbb\xbf" + (HEAD + EXERCISE).encode())
    assert load_file(path).title == "T"


@pytest.mark.usefixtures("home")
def test_every_builtin_routine_is_valid_and_has_cues_and_cautions() -> None:
    sources, warnings = scan_routines()
    assert warnings == []
    builtins = {s.id: load_file(s.path) for s in sources if s.origin == "built-in"}
    assert set(builtins) >= {
        "lower-back",
        "mid-back",
        "back-in-bed",
        "stenosis-seated",
        "sore-back",
        "desk-break",
    }
    for routine_id, routine in builtins.items():
        assert routine.cautions, routine_id
        assert all(exercise.cues for exercise in routine.exercises), routine_id


@pytest.mark.usefixtures("home")
def test_stenosis_caution_warns_about_bending_backward() -> None:
    stenosis = load_routine("stenosis-seated").routine
    assert any("backward" in caution.lower() for caution in stenosis.cautions)


VALID_FILES: list[tuple[str, str, dict[str, object]]] = [
    ("minimal", HEAD + EXERCISE, {"hold": None, "sides": None}),
    ("hold-string-seconds", exercise('hold = "30"'), {"hold": 30}),
    ("hold-45s", exercise('hold = "45s"'), {"hold": 45}),
    ("hold-1m30s", exercise('hold = "1m30s"'), {"hold": 90}),
    ("hold-1h", exercise('hold = "1h"'), {"hold": 3600}),
    ("hold-float-whole", exercise("hold = 20.0"), {"hold": 20}),
    ("rest-0", exercise("rest = 0"), {"rest": 0}),
    ("one-side", exercise('sides = ["right"]'), {"sides": ["right"]}),
    (
        "block",
        exercise('sides = ["right", "left"]\nside_order = "block"'),
        {"sides": ["right", "left"], "side_order": "block"},
    ),
    ("reps-50", exercise("reps = 50"), {"reps": 50}),
    ("inline-array", HEAD + 'exercises = [{ name = "A", reps = 2 }]\n', {"reps": 2}),
    (
        "unicode-and-comments",
        "# a comment\n" + HEAD + EXERCISE + 'cues = ["Knie zur Brust – sanft 🙂"]  # ok\n',
        {"cues": ["Knie zur Brust – sanft 🙂"]},
    ),
    ("whitespace-trimmed", HEAD + '[[exercises]]\nname = "  A  "\n', {"name": "A"}),
]


@pytest.mark.parametrize(
    ("content", "fields"), [c[1:] for c in VALID_FILES], ids=[c[0] for c in VALID_FILES]
)
def test_valid_files(
    stretch: Stretch, tmp_path: Path, content: str, fields: dict[str, object]
) -> None:
    path = write(tmp_path / "good.toml", content)
    first = load_file(path).exercises[0]
    assert {key: getattr(first, key) for key in fields} == fields
    assert stretch("validate", path) == Result(0, f"{path}: ok\n", "")


@pytest.mark.parametrize(
    ("loc", "keep_last", "text"),
    [
        (("exercises", 0, "hold", "function-before[check(), int]"), False, "exercises[0].hold"),
        (("exercises", 1, "sides", 0, "literal['left','right']"), False, "exercises[1].sides[0]"),
        (("defaults", "reps", "int"), False, "defaults.reps"),
        (("int",), True, "int"),
        (("exercises", 0, "str"), True, "exercises[0].str"),
        (("exercises", 0, "a.b"), True, 'exercises[0]."a.b"'),
        (("my key",), True, '"my key"'),
        ((), False, "(top level)"),
    ],
)
def test_error_locations_read_like_the_file(
    loc: tuple[int | str, ...], keep_last: bool, text: str
) -> None:
    assert _location(loc, keep_last=keep_last) == text
