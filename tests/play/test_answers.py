"""The questions around a session, answered from any input: the 0-10 rating typed key by
key or as a line, and yes/no; at every one of them q, Ctrl-D and the end of input quit."""

from __future__ import annotations

import io

import pytest

from stretchcli.errors import InputClosed
from stretchcli.play.answers import RATING_HELP, YES_NO_HELP, Quit, read_rating, read_yes_no
from stretchcli.play.keys import Key, Suspended, split_keys
from stretchcli.play.lineinput import LineInput
from stretchcli.play.testing import FakeClock, ScriptedInput


def keys(*typed: Key) -> ScriptedInput:
    clock = FakeClock()
    return ScriptedInput(clock, [(float(n), key) for n, key in enumerate(typed, 1)])


def lines(text: str) -> LineInput:
    return LineInput(clock=FakeClock(), stream=io.StringIO(text))


def rating(source: ScriptedInput | LineInput) -> tuple[int | None, list[tuple[str, str]]]:
    shown: list[tuple[str, str]] = []
    answer = read_rating(source, lambda typed, problem: shown.append((typed, problem)))
    return answer, shown


def test_a_rating_is_typed_digit_by_digit_with_backspace_and_enter() -> None:
    answer, shown = rating(keys("1", "0", "backspace", "backspace", "7", "enter"))
    assert answer == 7
    assert [typed for typed, _ in shown] == ["", "1", "10", "1", "", "7"]


def test_enter_alone_skips_and_other_keys_do_nothing() -> None:
    assert rating(keys("space", "x", Suspended(at=0.5), "enter"))[0] is None


def test_a_wrong_rating_says_what_to_type_once_and_asks_again() -> None:
    answer, shown = rating(keys("1", "1", "enter", "4", "enter"))
    assert answer == 4
    assert shown[3] == ("", RATING_HELP)
    assert shown[4] == ("4", "")


@pytest.mark.parametrize("typed", ["q", "end"])
def test_q_and_ctrl_d_at_the_rating_quit(typed: str) -> None:
    with pytest.raises(Quit if typed == "q" else InputClosed):
        rating(keys("3", typed))


def test_the_end_of_input_at_the_rating_quits() -> None:
    with pytest.raises(InputClosed):
        rating(keys("5"))  # then nothing more
    with pytest.raises(InputClosed):
        rating(lines(""))


def test_a_rating_from_lines_is_one_answer_a_line() -> None:
    assert rating(lines("7\n"))[0] == 7
    assert rating(lines("10\n"))[0] == 10
    assert rating(lines("\n"))[0] is None
    answer, shown = rating(lines("11\n1\n"))
    assert (answer, shown[-1]) == (1, ("", RATING_HELP))
    with pytest.raises(Quit):
        rating(lines("q\n"))


def test_ctrl_d_from_a_terminal_is_a_key_named_end() -> None:
    assert split_keys("\x04\x7f\x1b[D\x1bOD") == ["end", "backspace", "left", "left"]


def test_yes_or_no() -> None:
    shown: list[str] = []
    assert read_yes_no(keys("x", "y"), shown.append) is True
    assert shown == ["", YES_NO_HELP]
    assert read_yes_no(keys("n"), lambda _: None) is False
    assert read_yes_no(lines("yes\n"), lambda _: None) is True
    assert read_yes_no(lines("maybe\nno\n"), lambda _: None) is False
    with pytest.raises(Quit):
        read_yes_no(keys("q"), lambda _: None)
    with pytest.raises(InputClosed):
        read_yes_no(keys("end"), lambda _: None)
    with pytest.raises(InputClosed):
        read_yes_no(lines(""), lambda _: None)
