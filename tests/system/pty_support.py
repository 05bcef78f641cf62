"""Helpers for the reliability tests: the real program in a real pseudo-terminal, its
environment, what it wrote, and what is in its history afterwards.

``PtyRun`` starts ``python -m stretchcli ARGS`` on the slave side of a pty that the test
opens and keeps open, as a user's shell would. Holding the slave gives an exact termios
reading before the program starts and after it ends (no race with the program's own
set-up), and the program becomes a session leader with the pty as its controlling
terminal, so ``\\x03`` typed into the pty raises SIGINT as it does for a person.
pyte turns the output into the screen a person would see. Nothing sleeps: every wait is
for output (or an exit) with a timeout, and a failure shows the screen and the raw output
(and, when the environment sets ``PYTHONFAULTHANDLER``, where a program that still runs is
stuck). ``interactive_bash`` runs a job-control shell on the pty instead, for Ctrl-Z.
"""

from __future__ import annotations

import codecs
import fcntl
import json
import os
import re
import select
import shlex
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyte
import pytest

STRETCH = [sys.executable, "-m", "stretchcli"]
SHOW_CURSOR, HIDE_CURSOR = "\x1b[?25h", "\x1b[?25l"
LEAVE_ALT_SCREEN = "\x1b[?1049l"
TIMEOUT = 30.0  # generous for a loaded 2-core machine; never reached when all is well
DB_NAME = "history.sqlite3"
_ESCAPES = re.compile(r"\x1b(\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def program_env(
    tmp_path: Path, *, speed: float | None = None, routines: Path | None = None, **extra: str
) -> dict[str, str]:
    """An environment for the program: STRETCH_HOME, HOME and the XDG folders inside
    ``tmp_path``, the given routines folder (or an empty one), a colour terminal whose size
    comes from the pty (no COLUMNS/LINES), and ``STRETCH_SPEED`` when ``speed`` is given."""
    if routines is None:
        routines = tmp_path / "routines"
        routines.mkdir(exist_ok=True)
    drop = {"COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "STRETCH_SPEED", "TERM"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        STRETCH_HOME=str(tmp_path / "home"),
        STRETCH_ROUTINES=str(routines),
        HOME=str(tmp_path / "user-home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        TERM="xterm-256color",
        PYTHONUNBUFFERED="1",
    )
    if speed is not None:
        env["STRETCH_SPEED"] = str(speed)
    env.update(extra)
    return env


def _take_terminal() -> None:
    """In the child, after setsid: make the pty (its stdin) the controlling terminal, and
    give it the default signal dispositions a shell gives a foreground job (a test run in
    the background inherits an ignored SIGINT, which would make Ctrl-C do nothing)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


class PtyRun:
    """``stretch ARGS`` (or any ``argv``) on a fresh pty of ``rows`` x ``cols``."""

    def __init__(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        *,
        rows: int = 24,
        cols: int = 80,
        argv: Sequence[str] | None = None,
        stderr: int | None = None,
    ) -> None:
        self.master, self.slave = os.openpty()
        self.resize(rows, cols)
        self.termios_before = termios.tcgetattr(self.slave)
        self.proc = subprocess.Popen(
            [*STRETCH, *args] if argv is None else list(argv),
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave if stderr is None else stderr,
            env=dict(env),
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        self.screen_model = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen_model)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.chunks: list[str] = []
        self.hung_up = False
        # faulthandler prints the stack on SIGABRT: ``fail`` then shows where it is stuck
        self.dump_on_failure = bool(env.get("PYTHONFAULTHANDLER"))

    # --- what the program wrote ---

    @property
    def raw(self) -> str:
        """Everything the program wrote so far, escape sequences included."""
        return "".join(self.chunks)

    def text(self) -> str:
        """The output without escape sequences (the summary lines, a message)."""
        return strip_escapes(self.raw)

    def after_live(self) -> str:
        """What was written after the live view last left the alternate screen (the
        summary), escapes removed, runs of white space as one space."""
        rest = self.raw.rpartition(LEAVE_ALT_SCREEN)[2]
        return " ".join(strip_escapes(rest).split())

    def screen(self) -> str:
        """The screen as lines of text."""
        return "\n".join(line.rstrip() for line in self.screen_model.display)

    def pump(self, timeout: float) -> bool:
        """Feed what the program writes within ``timeout`` to the screen; False if nothing."""
        if self.hung_up:
            return False
        readable, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not readable:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every slave side is closed
            return False
        text = self._decoder.decode(data)
        self.chunks.append(text)
        self.stream.feed(text)
        return bool(data)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = TIMEOUT) -> str:
        """Pump output until the screen shows ``what`` (text, or a test of the screen
        text); returns the screen. Fails with the screen when time runs out or the program
        ends first."""
        test = (lambda screen: what in screen) if isinstance(what, str) else what
        end = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if test(screen):
                return screen
            if self.proc.poll() is not None and not self.pump(0.2):
                self.fail(f"the program ended (exit {self.proc.returncode}) before {what!r}")
            if time.monotonic() > end:
                self.fail(f"no {what!r} on screen within {timeout} s")
            self.pump(min(0.2, max(0.0, end - time.monotonic())))

    def wait_for_frame(
        self, what: str | Callable[[str], bool], timeout: float = TIMEOUT, quiet: float = 0.03
    ) -> str:
        """Like ``wait_for``, but on a whole frame: a frame read in two parts shows its new
        top lines over the last frame's bottom ones for a moment, which can match by
        mistake. So the output must then pause for ``quiet`` seconds and still match."""
        test = (lambda screen: what in screen) if isinstance(what, str) else what
        end = time.monotonic() + timeout
        while True:
            self.wait_for(test, max(0.0, end - time.monotonic()))
            self.settle(quiet, max(0.0, end - time.monotonic()))
            screen = self.screen()
            if test(screen):
                return screen

    def settle(self, gap: float = 0.3, timeout: float = 5.0) -> None:
        """Pump until the program has written nothing for ``gap`` seconds (a frame that
        arrived in several reads is complete); fails if it never goes quiet in ``timeout``."""
        end = time.monotonic() + timeout
        while self.pump(gap):
            if time.monotonic() > end:
                self.fail(f"output never paused for {gap} s")

    def wait_for_output(self, text: str, timeout: float = TIMEOUT) -> None:
        """Pump output until the raw output (escapes stripped) contains ``text``."""
        end = time.monotonic() + timeout
        while text not in self.text():
            if self.proc.poll() is not None and not self.pump(0.2):
                self.fail(f"the program ended (exit {self.proc.returncode}) before {text!r}")
            if time.monotonic() > end:
                self.fail(f"no {text!r} in the output within {timeout} s")
            self.pump(min(0.2, max(0.0, end - time.monotonic())))

    # --- acting on it ---

    def send(self, keys: str | bytes) -> None:
        """Type ``keys`` on the terminal."""
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the program (our own child, by its pid)."""
        self.proc.send_signal(signum)

    def resize(self, rows: int, cols: int) -> None:
        """Set the terminal size (the kernel sends SIGWINCH to the foreground group)."""
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def hang_up(self) -> None:
        """Close the terminal as closing its window does (SIGHUP; reads fail from now on)."""
        self.hung_up = True
        os.close(self.master)

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """Keep reading (so the program never blocks on a full pty) until it exits; then
        read what is left. Returns the exit code."""
        if not self._read_until_exit(timeout):
            self.fail(f"still running after {timeout} s")
        return self.proc.returncode

    def _read_until_exit(self, timeout: float) -> bool:
        """Read until the program exits, then what is left; False if ``timeout`` ran out."""
        if self.hung_up:  # nothing to read any more: just wait for the exit
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        end = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > end:
                return False
            self.pump(0.1)
        while self.pump(0.05):
            pass
        return True

    # --- the terminal afterwards ---

    def termios_now(self) -> list[Any]:
        """The terminal's settings as the shell would find them now."""
        return termios.tcgetattr(self.slave)

    def termios_restored(self) -> bool:
        """termios exactly as before the program started."""
        return self.termios_now() == self.termios_before

    def cursor_shown(self) -> bool:
        """The cursor was shown after the last time it was hidden (or never hidden)."""
        out = self.raw
        return out.rfind(SHOW_CURSOR) >= out.rfind(HIDE_CURSOR)

    def fail(self, message: str) -> None:
        """Fail the test, showing the screen and the end of the output; with
        ``dump_on_failure``, a program that still runs is first made to print where it is."""
        screen = self.screen()
        details = f"--- last output ---\n{self.raw[-1500:]!r}"
        if self.dump_on_failure and self.proc.poll() is None and not self.hung_up:
            self.proc.send_signal(signal.SIGABRT)
            self._read_until_exit(5)
            details += f"\n--- last output, escapes removed ---\n{self.text()[-3000:]}"
        pytest.fail(f"{message}\n--- screen ---\n{screen}\n{details}", pytrace=False)

    def close(self) -> None:
        """Stop the program if a failed test left it running; close the pty."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self.slave)
        if not self.hung_up:
            os.close(self.master)


def interactive_bash(env: Mapping[str, str]) -> PtyRun:
    """An interactive bash (no rc files, no history, prompt ``$ ``) on a fresh pty: a
    job-control shell, which a program needs to be stopped by Ctrl-Z (a process group with
    no parent in its session, an orphan, is not allowed to stop on SIGTSTP). Type
    ``shell_command(ARGS)`` at its prompt to start ``stretch ARGS`` as its job."""
    shell_env = dict(env, PS1="$ ", HISTFILE="")
    return PtyRun([], shell_env, argv=["bash", "--norc", "--noprofile", "-i"])


def shell_command(*args: str) -> str:
    """``stretch ARGS`` as a shell command line."""
    return shlex.join([*STRETCH, *args])


def assert_restored(run: PtyRun, *, hid_cursor: bool = True) -> None:
    """termios as before the program ran, the cursor shown after its last hide."""
    assert run.termios_restored(), "termios settings not restored"
    if hid_cursor:
        assert HIDE_CURSOR in run.raw, "the live view never hid the cursor"
    assert run.cursor_shown(), "cursor left hidden"


def block_on_screen(screen: str, rows: Sequence[str]) -> bool:
    """Whether ``rows`` (a big-letter or big-digit block) stand on ``screen``, each on the
    next line, at the same column."""
    lines = screen.splitlines()
    rows = [row.rstrip() for row in rows]
    for top in range(len(lines) - len(rows) + 1):
        column = lines[top].find(rows[0])
        while column >= 0:
            if all(lines[top + n][column:].rstrip() == row for n, row in enumerate(rows)):
                return True
            column = lines[top].find(rows[0], column + 1)
    return False


def word_rows_on_screen(screen: str, word: str) -> int:
    """How many rows tall ``word`` stands on ``screen`` in the view's big letters (0: not)."""
    from stretchcli.view.digits import big_word

    for scale in range(12, 0, -1):
        rows = big_word(word, scale=scale)
        if block_on_screen(screen, rows):
            return len(rows)
    return 0


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences."""
    return _ESCAPES.sub("", text)


def assert_no_traceback(*outputs: str) -> None:
    """No Python traceback (or a bare exception line) in any of ``outputs``."""
    for out in outputs:
        assert "Traceback" not in out, out
        assert not re.search(r"^\w+(Error|Exception): ", out, re.MULTILINE), out


def run_stretch(
    env: Mapping[str, str],
    *args: str | Path,
    stdin: str | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """``stretch ARGS`` as a plain subprocess (not a terminal), its output captured."""
    return subprocess.run(
        [*STRETCH, *map(str, args)],
        input=stdin if stdin is not None else "",
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def logged(env: Mapping[str, str]) -> list[dict[str, Any]]:
    """The sessions ``stretch log --json`` shows, newest first (and it must work)."""
    done = run_stretch(env, "log", "--json")
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    sessions: list[dict[str, Any]] = json.loads(done.stdout)
    assert isinstance(sessions, list), sessions
    return sessions


def stored(home: Path) -> list[dict[str, Any]]:
    """The sessions in the history database under ``home`` (read in this process, newest
    first), as ``stretch log --json`` prints them; [] when there is no database."""
    from stretchcli.history.store import HistoryStore

    db = home / DB_NAME
    if not db.exists():
        return []
    with HistoryStore.open(db, create=False) as store:
        return [record.to_json_dict() for record in store.sessions()]


def db_state(db: Path) -> tuple[str, set[str]]:
    """(``PRAGMA integrity_check`` result, session ids) of a database, read-only."""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        check = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        ids = {row[0] for row in conn.execute("SELECT id FROM sessions")}
    finally:
        conn.close()
    return check, ids


def one_line(text: str) -> str:
    """The single non-empty line of ``text`` (fails when there are more, or none)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {lines!r}"
    return lines[0]
