"""Property-based tests: whatever a routine file holds, the loader answers with a routine or
with one-line problems; valid routines compile to timelines whose length adds up and play
to the end on time; whatever arrives on a terminal, the key reader turns it into keys.

Generated TOML documents are written by a small serialiser here (checked against tomllib
on every example), so they exercise the loader's validation and not just the TOML parser;
random bytes and random mutations of the shipped routines exercise the parser and decoder.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stretchcli import paths
from stretchcli.errors import RoutineError
from stretchcli.play.keys import Key, Suspended, split_keys
from stretchcli.play.player import Player
from stretchcli.play.terminal import Terminal
from stretchcli.play.testing import FakeClock
from stretchcli.routine.library import load_file
from stretchcli.routine.model import HOLD_MAX, HOLD_MIN, PAUSE_MAX, REPS_MAX, REPS_MIN, Routine
from stretchcli.routine.timeline import build_timeline

BUILT_INS = sorted(paths.builtin_routines_dir().glob("*.toml"))
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# C0 controls other than tab and line breaks, DEL, C1 controls and Unicode line separators:
# none may reach a message unescaped (a terminal acts on them, or breaks the line there).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture(scope="module")
def routine_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file that every example overwrites."""
    return tmp_path_factory.mktemp("properties") / "fuzz.toml"


def load_or_problems(path: Path) -> Routine | list[str]:
    """The routine, or the problems; any other exception fails the test (it propagates)."""
    try:
        return load_file(path)
    except RoutineError as error:
        return error.problems


def assert_clear_problems(problems: list[str], path: Path) -> None:
    """At least one problem; each one line naming the file, no traceback, no raw controls."""
    assert problems
    for problem in problems:
        assert "\n" not in problem and "\r" not in problem, repr(problem)
        assert "Traceback" not in problem
        assert not _CONTROL.search(problem), repr(problem)
        assert problem.startswith(str(path)), problem
        assert len(problem) < 2000, f"a problem line of {len(problem)} characters"


# --- a tiny TOML writer ---


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A value as TOML (inline tables for nested dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(type(value))


def is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(document: dict[str, Any]) -> str:
    """A whole document: plain keys first, then ``[table]`` and ``[[array]]`` sections."""
    lines = [
        f"{toml_string(k)} = {toml_value(v)}"
        for k, v in document.items()
        if not isinstance(v, dict) and not is_table_array(v)
    ]
    for key, value in document.items():
        if isinstance(value, dict):
            lines.append(f"[{toml_string(key)}]")
            lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items())
        elif is_table_array(value):
            for table in value:
                lines.append(f"[[{toml_string(key)}]]")
                lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN (to check the writer round-trips)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) and a == b)


# --- strategies: arbitrary TOML ---


def nested(depth: int, leaf: Any) -> Any:
    """``leaf`` inside ``depth`` arrays."""
    for _ in range(depth):
        leaf = [leaf]
    return leaf


ROUTINE_KEYS = [
    "title",
    "summary",
    "tags",
    "cautions",
    "defaults",
    "exercises",
    "name",
    "cues",
    "sides",
    "side_order",
    "harder",
    "easier",
    "hold",
    "reps",
    "rest",
    "prep",
    "switch",
]
keys = st.one_of(st.sampled_from(ROUTINE_KEYS), st.text(max_size=10))
offsets = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
scalars = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["left", "right", "alternate", "block", "30s", "2m", "1m30s", "1h", "0"]),
    st.integers(),
    st.integers(min_value=-5, max_value=4000),
    st.floats(),
    st.booleans(),
    st.datetimes(min_value=datetime(1, 1, 1), timezones=offsets),
    st.dates(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)
exercise_tables = st.dictionaries(keys, values, max_size=8)
documents = st.dictionaries(
    keys,
    st.one_of(
        values, st.dictionaries(keys, values, max_size=6), st.lists(exercise_tables, max_size=3)
    ),
    max_size=8,
)


@PROPERTY
@given(document=documents)
@example(document={"title": nested(30, "deep"), "exercises": [{"cues": nested(60, 1)}]})
@example(document={"title": {"a\nb": 1, "\x1b[2J": "\u2028"}, "exercises": [{"name": "\x85"}]})
def test_any_toml_document_loads_or_gives_one_line_problems(
    document: dict[str, Any], routine_file: Path
) -> None:
    import tomllib

    text = to_toml(document)
    assert same(tomllib.loads(text), document), "the test's TOML writer is wrong"
    routine_file.write_text(text, encoding="utf-8")
    result = load_or_problems(routine_file)
    if isinstance(result, list):
        assert_clear_problems(result, routine_file)
    else:
        assert result.exercises


DEEP = {
    "title": "title = {open}1{close}\n",
    "exercises": 'title = "t"\nexercises = {open}1{close}\n',
    "cues": 'title = "t"\n[[exercises]]\nname = "n"\ncues = {open}"x"{close}\n',
    "defaults": 'title = "t"\n[defaults]\nhold = {open}1{close}\n',
}


@pytest.mark.parametrize("depth", [10, 100, 400, 800, 3000])
@pytest.mark.parametrize("brackets", ["array", "inline table"])
@pytest.mark.parametrize("where", list(DEEP))
def test_deeply_nested_values_give_one_line_problems(
    stretch: Any, tmp_path: Path, where: str, brackets: str, depth: int
) -> None:
    """Found by the property above: a value nested a few hundred deep was shown back in
    the error by a recursive writer, which ran out of stack (a traceback)."""
    opening, closing = ("[", "]") if brackets == "array" else ("{a = ", "}")
    path = tmp_path / "deep.toml"
    path.write_text(DEEP[where].format(open=opening * depth, close=closing * depth))
    result = stretch("validate", path)
    assert result.code == 1
    assert result.out == ""
    assert_clear_problems(result.err.splitlines(), path)
    assert "Traceback" not in result.err


@PROPERTY
@given(data=st.binary(max_size=3000))
@example(data=b"\xef\xbb\xbf")  # a BOM alone
@example(data=b'title = "\xff"')
@example(data=b"title = " + b"[" * 5000)
@example(data=b"\x00" * 64)
def test_any_bytes_load_or_give_one_line_problems(data: bytes, routine_file: Path) -> None:
    routine_file.write_bytes(data)
    result = load_or_problems(routine_file)
    if isinstance(result, list):
        assert_clear_problems(result, routine_file)


TOKENS = [
    b"[",
    b"]",
    b"[[exercises]]",
    b"[defaults]",
    b"=",
    b'"',
    b"'''",
    b'"""',
    b"\\u",
    b"\n",
    b"#",
    b",",
    b"{",
    b"}",
    b"hold = ",
    b"reps = ",
    b"sides = ",
    b"inf",
    b"nan",
    b"1e999",
    b"-0",
    b"0x",
    b"99999999999999999999",
    b"2m",
    b"\xff",
    b"\x00",
    b"\xe2\x80\xa8",
    b"1979-05-27T07:32:00Z",
]


@st.composite
def mutated_built_ins(draw: st.DrawFn) -> bytes:
    """A shipped routine with a few random cuts, insertions, byte flips and line moves."""
    data = bytearray(draw(st.sampled_from(BUILT_INS)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "insert", "flip", "line", "truncate"]))
        if op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            chunk = draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)))
            data[at:at] = chunk
        elif op == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "line":
            lines = bytes(data).split(b"\n")
            line = lines.pop(draw(st.integers(0, len(lines) - 1)))
            lines.insert(draw(st.integers(0, len(lines))), line)
            data = bytearray(b"\n".join(lines))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


@PROPERTY
@given(data=mutated_built_ins())
def test_mutated_built_in_routines_load_or_give_one_line_problems(
    data: bytes, routine_file: Path
) -> None:
    routine_file.write_bytes(data)
    result = load_or_problems(routine_file)
    if isinstance(result, list):
        assert_clear_problems(result, routine_file)


def test_the_built_in_routines_are_all_there() -> None:
    """The mutation test above starts from these; none may be missing."""
    assert len(BUILT_INS) >= 6


# --- strategies: valid routines ---

TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u3000\xa0"
    ),
    min_size=1,
    max_size=40,
).map(lambda s: s.strip() or "x")


@st.composite
def durations(draw: st.DrawFn, low: int, high: int) -> tuple[Any, int]:
    """(what the file says, whole seconds) in any of the accepted forms."""
    seconds = draw(st.integers(low, high))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    forms: list[Any] = [seconds, str(seconds), f"{seconds}s", float(seconds)]
    if seconds >= 60:
        forms.append(f"{seconds // 60}m{seconds % 60}s")
        forms.append(f" {seconds // 60}M {seconds % 60}S ")
    if seconds and not seconds % 60:
        forms.append(f"{seconds // 60}m")
    if hours:
        forms.append(f"{hours}h{minutes}m{secs}s")
    return draw(st.sampled_from(forms)), seconds


DOSING = {
    "hold": (HOLD_MIN, HOLD_MAX),
    "rest": (0, PAUSE_MAX),
    "prep": (0, PAUSE_MAX),
    "switch": (0, PAUSE_MAX),
}


@st.composite
def dosing(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, int]]:
    """Some of hold/reps/rest/prep/switch: (as written, as seconds)."""
    written: dict[str, Any] = {}
    seconds: dict[str, int] = {}
    for key, (low, high) in DOSING.items():
        if draw(st.booleans()):
            written[key], seconds[key] = draw(durations(low, high))
    if draw(st.booleans()):
        written["reps"] = seconds["reps"] = draw(st.integers(REPS_MIN, REPS_MAX))
    return written, seconds


@st.composite
def valid_routines(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A valid routine document, and per exercise its dose (seconds) and sides."""
    document: dict[str, Any] = {"title": draw(TEXT)}
    if draw(st.booleans()):
        document["summary"] = draw(TEXT)
    if draw(st.booleans()):
        document["tags"] = draw(st.lists(TEXT, max_size=3))
    if draw(st.booleans()):
        document["cautions"] = draw(st.lists(TEXT, max_size=3))
    defaults = {"hold": 30, "reps": 3, "rest": 10, "prep": 5, "switch": 5}
    if draw(st.booleans()):
        written, seconds = draw(dosing())
        document["defaults"] = written
        defaults.update(seconds)
    exercises = []
    plans = []
    for _ in range(draw(st.integers(1, 4))):
        written, seconds = draw(dosing())
        exercise: dict[str, Any] = {"name": draw(TEXT), **written}
        sides = draw(st.sampled_from(SIDES))
        if sides is not None:
            exercise["sides"] = sides
        order = draw(st.sampled_from([None, "alternate", "block"]))
        if order is not None:
            exercise["side_order"] = order
        if draw(st.booleans()):
            exercise["cues"] = draw(st.lists(TEXT, max_size=3))
        for tip in ("harder", "easier"):
            if draw(st.booleans()):
                exercise[tip] = draw(TEXT)
        exercises.append(exercise)
        order = order or "alternate"
        plans.append({**defaults, **seconds, "sides": sides or [None], "order": order})
    document["exercises"] = exercises
    return document, plans


SIDES: list[list[str] | None] = [None, ["left"], ["right"], ["left", "right"], ["right", "left"]]


def planned_seconds(plan: dict[str, Any]) -> tuple[int, int, int]:
    """(seconds, holds, switches) of one exercise, worked out from its dose alone."""
    sides, reps = len(plan["sides"]), plan["reps"]
    holds = sides * reps
    if sides == 1:
        switches, rests = 0, reps - 1
    elif plan["order"] == "alternate":  # L1 R1 L2 R2 ...: a switch between every two holds
        switches, rests = holds - 1, 0
    else:  # block: L1 L2 ... then R1 R2 ...
        switches, rests = 1, 2 * (reps - 1)
    seconds = plan["prep"] + holds * plan["hold"] + switches * plan["switch"]
    return seconds + rests * plan["rest"], holds, switches


class AnswerFine:
    """An input that answers "1" at every prompt and otherwise lets the time pass."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        if prompt or timeout is None:
            return "1"
        self.clock.advance(timeout)
        return None

    def stopped(self) -> Suspended | None:
        return None


@PROPERTY
@given(routine=valid_routines())
def test_valid_routines_load_and_their_timeline_adds_up(
    routine: tuple[dict[str, Any], list[dict[str, Any]]], routine_file: Path
) -> None:
    document, plans = routine
    routine_file.write_text(to_toml(document), encoding="utf-8")
    loaded = load_file(routine_file)  # must not raise
    timeline = build_timeline(loaded)

    expected = [planned_seconds(plan) for plan in plans]
    assert timeline.total_seconds == sum(seconds for seconds, _, _ in expected)
    assert timeline.total_seconds == sum(step.seconds for step in timeline.steps)
    for index, (plan, (seconds, holds, switches)) in enumerate(zip(plans, expected, strict=True)):
        steps = [step for step in timeline.steps if step.exercise_index == index]
        assert sum(step.seconds for step in steps) == seconds
        hold_steps = [step for step in steps if step.kind == "hold"]
        assert len(hold_steps) == holds
        assert {step.seconds for step in hold_steps} == {plan["hold"]}
        assert sum(step.kind == "switch" for step in steps) == switches
        assert [step.kind for step in steps].count("check") == 1
        assert steps[-1].kind == "check"
        for side in plan["sides"]:  # every side gets the same number of holds
            assert sum(step.side == side for step in hold_steps) == plan["reps"]

    # Played on a fake clock with "fine" at every check, it ends exactly on plan.
    if timeline.total_seconds <= 20_000:
        clock = FakeClock()
        player = Player(timeline, clock, AnswerFine(clock))
        snapshots = list(player.play())
        assert snapshots[-1].event == "end"
        assert player.outcome.status == "completed"
        assert player.outcome.exercises_done == len(plans)
        assert player.outcome.active_s == pytest.approx(timeline.total_seconds, abs=1e-6)
        assert sum(h.holds for h in player.outcome.held) == sum(h for _, h, _ in expected)


# --- the terminal side: keys from arbitrary text and bytes ---

NAMES = {"space", "enter", "right", "left", "escape", "end", "backspace"}


def assert_keys(keys: list[Key]) -> None:
    for key in keys:
        assert isinstance(key, str)
        assert key in NAMES or len(key) == 1, repr(key)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("\x1b[O;~ABCDq n!1\r\né\ufffd") | st.characters()))
@example(text="\x1b")
@example(text="\x1b[")
@example(text="\x1b[1;5C\x1bOC\x1b[C")
@example(text="\x1b\x1b\x1b[[[")
def test_split_keys_never_fails_and_invents_no_key(text: str) -> None:
    keys = split_keys(text)
    assert_keys(keys)
    plain = [key for key in keys if len(key) == 1]
    for char in set(plain):  # a key comes from the text, never out of nowhere
        assert char in text
    if "\x1b" not in text:
        named = {
            " ": "space",
            "\r": "enter",
            "\n": "enter",
            "\x04": "end",
            "\x7f": "backspace",
            "\x08": "backspace",
        }
        assert keys == [named.get(char, char) for char in text]
    else:
        arrows = keys.count("right") + keys.count("left")
        assert keys.count("escape") + arrows <= text.count("\x1b")
        assert keys.count("right") <= text.count("\x1b[C") + text.count("\x1bOC")
        assert keys.count("left") <= text.count("\x1b[D") + text.count("\x1bOD")


@pytest.fixture
def pty_terminal() -> Iterator[tuple[int, Terminal]]:
    """A real Terminal in cbreak mode on the slave of a fresh pty; the master to type on."""
    master, slave = os.openpty()
    before = _termios(slave)
    terminal = Terminal(clock=FakeClock(), fd=slave, out=io.StringIO())
    with terminal:
        yield master, terminal
    assert _termios(slave) == before, "the terminal was not restored"
    os.close(master)
    os.close(slave)


def _termios(fd: int) -> list[Any]:
    import termios

    return termios.tcgetattr(fd)


# Bytes the line discipline acts on instead of passing them: Ctrl-C, Ctrl-\ and Ctrl-Z
# raise signals (the interruption matrix covers those), Ctrl-S / Ctrl-Q are flow control.
_SPECIAL = set(b"\x03\x1c\x1a\x13\x11")
SENTINEL = "~~ZQXJWVZQXJWV"  # "~" ends any open escape sequence; the letters then mark the end


def read_keys_until_sentinel(terminal: Terminal, timeout: float = 10.0) -> list[Key]:
    """Every key up to and including the sentinel's letters, which must arrive in order."""
    import time as clock

    keys: list[Key] = []
    tail = list(SENTINEL[2:])
    end = clock.monotonic() + timeout
    while keys[-len(tail) :] != tail:
        assert clock.monotonic() < end, f"sentinel never arrived; keys so far: {keys[-40:]!r}"
        key = terminal.key(0.5)
        if key is not None:
            keys.append(key)
    return keys[: -len(tail)]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.lists(
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from(
                [b"\x1b[C", b"\x1bOC", b"\x1b[1;5D", b"\x1b[15~", b"\x1b", b"\x1b[", b"\xe2\x82"]
            ),
            st.text(max_size=20).map(str.encode),
        ),
        max_size=20,
    ).map(lambda parts: bytes(b for b in b"".join(parts) if b not in _SPECIAL)[:2000])
)
@example(data=b"\xff\xfe\xfd invalid \xc3")
@example(data=b"\x1b[" + b"1;" * 400)
def test_terminal_key_decodes_any_bytes_from_a_pty(
    data: bytes, pty_terminal: tuple[int, Terminal]
) -> None:
    master, terminal = pty_terminal
    os.write(master, data + SENTINEL.encode())
    keys = read_keys_until_sentinel(terminal)
    assert_keys(keys)
    # Nothing is lost or invented: the keys are what the decoder and split_keys make of
    # the bytes (the terminal turns CR into LF; both are "enter").
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(data.replace(b"\r", b"\n") + SENTINEL.encode())
    expected = split_keys(text)[: -len(SENTINEL) + 2]
    if "\x1b" not in text:  # read boundaries cannot split an escape sequence then
        assert keys == expected


def test_a_big_paste_arrives_whole_as_keys(pty_terminal: tuple[int, Terminal]) -> None:
    """64 KiB pasted at once (more than the terminal buffers): every character, in order,
    including multi-byte ones split across reads."""
    master, terminal = pty_terminal
    text = ("Knee to chest, 30 s — gently ✓ \n" * 2100)[:65536]
    writer = threading.Thread(target=os.write, args=(master, (text + SENTINEL).encode()))
    writer.start()
    keys = read_keys_until_sentinel(terminal, timeout=30)
    writer.join(10)
    named = {" ": "space", "\n": "enter"}
    assert keys == [named.get(char, char) for char in text + "~~"]


def test_a_closed_terminal_is_end_of_input() -> None:
    """The other side of the pty goes away (a closed window): the reader says the input
    has ended (a hung-up terminal reads as end of file), which the session makes a quit."""
    from stretchcli.errors import InputClosed

    master, slave = os.openpty()
    try:
        with Terminal(clock=FakeClock(), fd=slave, out=io.StringIO()) as terminal:
            os.write(master, b"n")
            assert terminal.key(5.0) == "n"
            os.close(master)
            master = -1
            with pytest.raises(InputClosed):
                terminal.key(5.0)
    finally:
        for fd in (master, slave):
            if fd >= 0:
                os.close(fd)
