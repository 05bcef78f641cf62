"""Answer lines in plain mode and at the 0-10 question are read within bounds: an
over-long line is an invalid answer, a line that never ends is the end of input, and
neither makes memory grow or the program wait for ever."""

from __future__ import annotations

import io

import pytest

from stretchcli.errors import EndlessInput, InputClosed
from stretchcli.play.lineinput import (
    DISCARD_LIMIT,
    LINE_LIMIT,
    MAX_LINES_IN_A_ROW,
    UNREADABLE,
    LineInput,
    read_line,
)
from stretchcli.play.player import Player
from stretchcli.play.testing import FakeClock
from stretchcli.routine.timeline import Step, Timeline
from stretchcli.view.plain import PlainScreen


class Endless(io.TextIOBase):
    """``/dev/zero`` as text: NUL characters for ever, no line end; counts what it gave."""

    def __init__(self) -> None:
        self.given = 0
        self.largest = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1, /) -> str:
        assert size is not None and 0 < size <= 64 * 1024, f"unbounded readline({size})"
        self.given += size
        self.largest = max(self.largest, size)
        return "\0" * size


class Repeating(io.TextIOBase):
    """``yes x``: the same line for ever; counts the lines given."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.given = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1, /) -> str:
        self.given += 1
        return self.line


def lines(text: str) -> io.StringIO:
    return io.StringIO(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\n", ["1", None]),
        ("\n", ["", None]),
        ("2", ["2", None]),  # a last line without its end
        ("", [None]),
        ("x" * LINE_LIMIT + "\n1\n", ["x" * LINE_LIMIT, "1", None]),  # just within
        ("x" * (LINE_LIMIT + 1) + "\n1\n", [UNREADABLE, "1", None]),  # just over
        ("1" + "0" * 100_000 + "\n3\n", [UNREADABLE, "3", None]),  # not read as "1"
        ("x" * (LINE_LIMIT + 1), [UNREADABLE, None]),  # over-long, then the end
    ],
    ids=["answer", "empty", "no-line-end", "end", "at-limit", "over", "long-paste", "long-end"],
)
def test_read_line(text: str, expected: list[str | None]) -> None:
    stream = lines(text)
    assert [read_line(stream) for _ in expected] == expected


def test_a_line_that_never_ends_is_the_end_of_input_after_a_bounded_read() -> None:
    stream = Endless()
    assert read_line(stream) is None
    assert DISCARD_LIMIT < stream.given <= DISCARD_LIMIT + 2 * (LINE_LIMIT + 1)
    assert stream.largest == LINE_LIMIT + 1


def test_bytes_that_are_not_text_are_an_invalid_answer_and_reading_goes_on() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n"), encoding="utf-8")
    assert read_line(stream) == UNREADABLE


def test_line_input_ends_at_an_endless_line_and_asks_again_after_a_long_one() -> None:
    clock = FakeClock()
    assert LineInput(clock=clock, stream=lines("y" * 5000 + "\n")).key(None, prompt=True) == (
        UNREADABLE
    )
    with pytest.raises(InputClosed):
        LineInput(clock=clock, stream=Endless()).key(None, prompt=True)


def test_the_pain_check_asks_again_after_an_over_long_line() -> None:
    """``1`` followed by a megabyte of digits is no answer "1" (fine): it is asked again."""
    # Only the pain check: lines are read at prompts, and a countdown would really sleep.
    check = Step("check", 0, 0, "A")
    clock = FakeClock()
    keys = LineInput(clock=clock, stream=lines("1" * 1_000_000 + "\n3\n"))
    player = Player(Timeline("T", (check,), 1), clock, keys)
    snapshots = list(player.play())

    assert [snap.event for snap in snapshots if snap.event in ("prompt", "answer")] == [
        "prompt",
        "prompt",
        "answer",
    ]
    assert [record.answer for record in player.outcome.pain] == ["sharp"]


def test_the_rating_question_asks_again_after_an_over_long_line_and_ends_at_an_endless_one() -> (
    None
):
    out = io.StringIO()
    clock = FakeClock()
    long_line = LineInput(clock=clock, stream=lines("7" * 5000 + "\n4\n"))
    assert PlainScreen(out=out).ask_rating("before", long_line) == 4
    assert out.getvalue().count("Pain right now (before), 0-10?") == 2
    assert "Type a whole number from 0 (no pain) to 10 (worst)" in out.getvalue()

    endless = Endless()
    with pytest.raises(InputClosed):  # (v2) the end of input at a question quits
        PlainScreen(out=io.StringIO()).ask_rating("after", LineInput(clock=clock, stream=endless))
    assert endless.given <= DISCARD_LIMIT + 2 * (LINE_LIMIT + 1)


def test_lines_that_never_answer_end_the_input_and_a_countdown_between_starts_the_count_again() -> (
    None
):
    stream = Repeating("x\n")
    keys = LineInput(clock=FakeClock(), stream=stream)
    for _ in range(MAX_LINES_IN_A_ROW - 1):
        assert keys.key(None, prompt=True) == "x"
    assert keys.key(0.0) is None  # a countdown: what came so far was answering something
    answers = [keys.key(None, prompt=True) for _ in range(MAX_LINES_IN_A_ROW)]
    assert answers == ["x"] * MAX_LINES_IN_A_ROW
    with pytest.raises(EndlessInput, match=f"^{MAX_LINES_IN_A_ROW} lines of input in a row"):
        keys.key(None, prompt=True)
    assert stream.given == 2 * MAX_LINES_IN_A_ROW - 1  # nothing read past the limit


def test_a_pain_check_answered_wrongly_for_ever_ends_as_the_end_of_input() -> None:
    check = Step("check", 0, 0, "A")
    stream = Repeating("maybe\n")
    player = Player(
        Timeline("T", (check,), 1), FakeClock(), LineInput(clock=FakeClock(), stream=stream)
    )
    asked = 0
    with pytest.raises(InputClosed):
        for snap in player.play():
            asked += snap.event == "prompt"
    assert stream.given == MAX_LINES_IN_A_ROW
    assert asked == MAX_LINES_IN_A_ROW + 1  # asked, and again after each line
    assert player.outcome.pain == []


def test_a_person_answering_wrongly_a_few_times_is_still_asked() -> None:
    check = Step("check", 0, 0, "A")
    clock = FakeClock()
    keys = LineInput(clock=clock, stream=lines("maybe\n" * (MAX_LINES_IN_A_ROW - 1) + "1\n"))
    player = Player(Timeline("T", (check,), 1), clock, keys)
    assert [snap.event for snap in player.play()].count("prompt") == MAX_LINES_IN_A_ROW
    assert [record.answer for record in player.outcome.pain] == ["fine"]
