"""Keys while frames take longer to draw than a tick lasts (a high ``STRETCH_SPEED``, long
cues, a slow terminal): the player must still read them on every frame.

The fake clock moves on by ``draw`` clock seconds after every snapshot, as if the view
took that long to draw it, so the countdown is always behind by a tick or more when the
next frame is due and never has a wait of its own to read keys in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcli.history.record import PainRecord
from stretchcli.play.keys import Key
from stretchcli.play.player import Player, Snapshot
from stretchcli.play.testing import FakeClock, ScriptedInput
from stretchcli.routine.model import Routine
from stretchcli.routine.timeline import Timeline, build_timeline

LONG_HOLD = 600  # clock seconds: the hold under test never runs out by itself


def hold_timeline(hold: int = LONG_HOLD, **exercise: object) -> Timeline:
    """prep 5, one hold of ``hold`` (steps 0 and 1), then a pain check."""
    routine = Routine.model_validate(
        {
            "title": "Slow frames",
            "defaults": {"prep": 5, "hold": hold, "reps": 1},
            "exercises": [{"name": "Knee to chest", **exercise}],
        }
    )
    return build_timeline(routine)


@dataclass
class SlowRun:
    frames: list[tuple[float, Snapshot]]
    player: Player
    keys: ScriptedInput


def play_slowly(
    timeline: Timeline, script: Sequence[tuple[float, Key]], *, draw: float, limit: int = 5000
) -> SlowRun:
    """Play until the end (or ``limit`` frames), each frame taking ``draw`` clock seconds."""
    clock = FakeClock()
    keys = ScriptedInput(clock, list(script))
    player = Player(timeline, clock, keys)
    frames: list[tuple[float, Snapshot]] = []
    for snap in player.play():
        frames.append((clock.now(), snap))
        assert len(frames) < limit, "the player never read the key"
        clock.advance(draw)  # drawing the frame
    return SlowRun(frames, player, keys)


@pytest.mark.parametrize("draw", [1.0, 1.5, 7.25])
def test_q_quits_on_the_next_frame_when_every_frame_takes_longer_than_a_tick(
    draw: float,
) -> None:
    result = play_slowly(hold_timeline(), [(20.0, "q")], draw=draw)

    outcome = result.player.outcome
    assert outcome.status == "quit"
    assert outcome.ended is not None
    # Read after the frame that was drawing when it came: at most one frame late.
    assert 20.0 <= outcome.ended <= 20.0 + draw
    assert result.frames[-1][1].event == "end"
    assert result.frames[-2][1].event in ("step", "tick")
    # Quit in the hold: part of it held, none completed.
    [held] = outcome.held
    assert (held.holds, 0 < held.held_s < LONG_HOLD) == (0, True)


def test_pain_stop_key_stops_on_the_next_frame() -> None:
    result = play_slowly(hold_timeline(sides=["left", "right"]), [(30.25, "!")], draw=2.5)

    outcome = result.player.outcome
    assert outcome.status == "stopped"
    assert outcome.pain == [PainRecord(0, "Knee to chest", "stop", "left")]
    assert outcome.ended is not None
    assert 30.25 <= outcome.ended <= 30.25 + 2.5


def test_space_pauses_on_the_next_frame_and_resumes() -> None:
    script: list[tuple[float, Key]] = [(12.0, "space"), (100.0, "space"), (130.0, "q")]
    result = play_slowly(hold_timeline(), script, draw=1.5)

    events = [(at, snap.event) for at, snap in result.frames]
    pause = next(at for at, event in events if event == "pause")
    resume = next(at for at, event in events if event == "resume")
    assert 12.0 <= pause <= 12.0 + 1.5
    assert resume == 100.0  # a paused player waits for the key itself
    outcome = result.player.outcome
    assert outcome.status == "quit"
    assert outcome.paused_s == pytest.approx(100.0 - pause)
    assert outcome.ended is not None
    assert 130.0 <= outcome.ended <= 130.0 + 1.5


def test_ignored_keys_before_q_do_not_hold_it_back_a_frame_each() -> None:
    """A burst of keys the countdown ignores, then q, all at once: q on the next frame."""
    junk: list[tuple[float, Key]] = [(20.0, key) for key in ["x", "1", "escape", "enter"] * 25]
    result = play_slowly(hold_timeline(), [*junk, (20.0, "q")], draw=1.5)

    outcome = result.player.outcome
    assert outcome.status == "quit"
    assert outcome.ended is not None
    assert 20.0 <= outcome.ended <= 21.5


def test_keys_are_read_between_steps_shorter_than_a_frame() -> None:
    """Steps of 1 s drawn in 3 s each: every step ends before its frame is drawn; a key
    must still be read before the next step starts, not at the pain check."""
    routine = Routine.model_validate(
        {
            "title": "Short steps",
            "defaults": {"prep": 1, "hold": 1, "reps": 50, "rest": 1},
            "exercises": [{"name": "Bridge"}],
        }
    )
    result = play_slowly(build_timeline(routine), [(10.0, "q")], draw=3.0)

    outcome = result.player.outcome
    assert outcome.status == "quit"
    assert outcome.ended is not None
    assert 10.0 <= outcome.ended <= 13.0
    assert outcome.pain == []  # never reached the pain check


def test_frames_drawn_in_time_add_no_zero_wait() -> None:
    """The extra look for keys is only for frames that overran: a frame drawn within its
    tick still waits once per second, as before (no busy polling)."""
    result = play_slowly(hold_timeline(hold=10), [(15.5, "1")], draw=0.25)

    timed = [wait for wait in result.keys.waits if wait is not None]
    assert 0.0 not in timed
    assert len(timed) == 15  # 5 s of prep and 10 s of hold, one wait per shown second
    assert result.player.outcome.status == "completed"


class Handing(ScriptedInput):
    """Scripted keys, noting the clock time each key is handed to the player."""

    def __init__(self, clock: FakeClock, script: list[tuple[float, Key]]) -> None:
        super().__init__(clock, script)
        self.handed: list[tuple[float, Key]] = []

    def key(self, timeout: float | None, *, prompt: bool = False) -> Key | None:
        key = super().key(timeout, prompt=prompt)
        if key is not None:
            self.handed.append((self.clock.now(), key))
        return key


@settings(max_examples=300, deadline=None)
@given(
    draw=st.floats(0.01, 20.0, allow_nan=False),
    at=st.floats(0.0, 500.0, allow_nan=False),
    key=st.sampled_from(["q", "!", "space", "n", "right"]),
)
def test_any_key_at_any_time_is_read_within_one_frame(draw: float, at: float, key: str) -> None:
    """Whatever the drawing time, a key the countdown acts on is read by the end of the
    frame being drawn when it came, and the next frame shows what it did."""
    clock = FakeClock()
    keys = Handing(clock, [(at, key), (at + 10_000.0, "q")])
    player = Player(hold_timeline(), clock, keys)
    frames: list[tuple[float, Snapshot]] = []
    for snap in player.play():
        frames.append((clock.now(), snap))
        assert len(frames) < 5000, "the player never read the key"
        clock.advance(draw)

    handed_at, handed = keys.handed[0]
    assert handed == key
    assert at <= handed_at <= at + draw + 1e-9
    reaction = next(snap for time, snap in frames if time >= handed_at)
    if key == "space":
        assert reaction.event == "pause"
    elif key in ("n", "right"):
        assert reaction.event in ("step", "prompt")
        assert reaction.index == [s.index for t, s in frames if t < handed_at][-1] + 1
    else:
        assert reaction.event == "end"
        assert player.outcome.status == ("quit" if key == "q" else "stopped")
