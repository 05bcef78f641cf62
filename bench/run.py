"""stretchcli benchmarks: start-up, a real-time hold against termdown, drift, peak memory.

Run from the repository with the development interpreter::

    python bench/run.py            # the full run (about 8 minutes)
    python bench/run.py --quick    # a short smoke run (well under a minute)

Every program runs as a whole process with a temporary ``STRETCH_HOME``; the ones that
need a terminal run in a pseudo-terminal of 80x24. Each figure is the median of several
runs (min and max beside it). Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import os
import platform
import pty
import resource
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MINIMAL_TYPER_APP = '''\
import typer

app = typer.Typer()


@app.command()
def main(name: str = "world") -> None:
    """Greet someone."""
    print(f"hello {name}")


app()
'''
# What marks a session's start and end in a pty: its first step's frame (the player starts
# its clock just before drawing it) and the frame drawn when it ends.
SESSION_MARKS = {"first_frame": b" GET READY ", "done": b"Done."}
PROMPT_TEXT = "How does it feel?"


# --- running a process -------------------------------------------------------------------


@dataclass
class Run:
    """One whole process: when it was spawned, first wrote, exited; its rusage."""

    spawned: float
    exited: float
    status: int
    cpu_s: float
    maxrss_kib: int
    first_output: float | None = None
    marks: dict[str, float] = field(default_factory=dict)
    output: bytes = b""
    # (seconds after the first output, CPU seconds, context switches) read during the run
    samples: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def wall_s(self) -> float:
        return self.exited - self.spawned

    @property
    def exit_code(self) -> int:
        return os.waitstatus_to_exitcode(self.status)


def run_plain(argv: Sequence[str], env: dict[str, str], *, memory: bool = False) -> Run:
    """Run with output to /dev/null (no terminal); wall time from spawn to reaping.
    With ``memory``, under the launcher (see ``LAUNCHER``)."""
    report_r = report_w = -1
    if memory:
        report_r, report_w = os.pipe()
        argv = launched(argv, report_w)
    spawned = time.monotonic()
    process = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        pass_fds=(report_w,) if memory else (),
    )
    if memory:
        os.close(report_w)
    _, status, usage = os.wait4(process.pid, 0)
    exited = time.monotonic()
    cpu_s, maxrss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if memory:
        status, maxrss, cpu_s = read_launcher(report_r)
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read() if process.stderr else b""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {errors[-400:]!r}")
    return Run(spawned, exited, status, cpu_s, maxrss)


# Peak memory needs a small parent: a forked child's ru_maxrss counts the pages it shared
# with its parent before exec (Linux keeps the larger of the old and new high-water marks),
# so a child of this benchmark process would report at least this process's size. The
# launcher is a bare interpreter (-I -S, a few MiB) that forks the program, waits for it and
# writes its rusage to a pipe.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
os.write(int(sys.argv[1]), f"{status} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}".encode())
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def launched(argv: Sequence[str], fd: int) -> list[str]:
    """``argv`` run by the launcher, which reports on ``fd``."""
    return [sys.executable, "-I", "-S", "-c", LAUNCHER, str(fd), *argv]


def read_launcher(fd: int) -> tuple[int, int, float]:
    """Status, max RSS (KiB) and CPU seconds that the launcher wrote on ``fd``."""
    with os.fdopen(fd, "rb") as pipe:
        status, maxrss, cpu = pipe.read().split()
    return int(status), int(maxrss), float(cpu)


def activity(pid: int) -> tuple[float, int]:
    """CPU seconds used so far and times it slept and woke up (voluntary context switches),
    summed over the threads of ``pid`` (``/proc``: nanosecond run time, unlike rusage)."""
    cpu_ns, switches = 0, 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            cpu_ns += int((task / "schedstat").read_text().split()[0])
            for line in (task / "status").read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches"):  # it slept, then woke
                    switches += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread that just ended
    return cpu_ns / 1e9, switches


# Called with (output so far, time it arrived); returns bytes to type into the terminal.
Responder = Callable[[bytes, float], bytes]


def run_pty(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    responder: Responder | None = None,
    cols: int = 80,
    rows: int = 24,
    timeout: float = 600.0,
    memory: bool = False,
    markers: dict[str, bytes] | None = None,
    sample_at: Sequence[float] = (),
) -> Run:
    """Run in a new pseudo-terminal of ``cols`` x ``rows``, reading everything it writes.

    A thread blocks in ``wait4`` so the exit time is exact (not the moment the last output
    is read) and the child's own rusage is returned; ``marks`` says when each of
    ``markers`` first arrived; ``samples`` the child's CPU time and wake-ups at each of
    ``sample_at`` seconds after its first output. With ``memory`` the program runs under
    the launcher, so its peak memory is its own (and the wall time includes the launcher's).
    """
    report_r = report_w = -1
    if memory:
        report_r, report_w = os.pipe()
        os.set_inheritable(report_w, True)
        argv = launched(argv, report_w)
    spawned = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], list(argv), env)
        finally:
            os._exit(127)
    waited: list[tuple[float, int, resource.struct_rusage]] = []

    def reap() -> None:
        _, status, usage = os.wait4(pid, 0)
        waited.append((time.monotonic(), status, usage))

    reaper = threading.Thread(target=reap, daemon=True)
    reaper.start()
    if memory:
        os.close(report_w)
    output = bytearray()
    first: float | None = None
    marks: dict[str, float] = {}
    deadline = spawned + timeout
    pending = sorted(sample_at)
    samples: list[tuple[float, float, int]] = []
    while True:
        now = time.monotonic()
        if now > deadline:
            os.kill(pid, signal.SIGKILL)
            reaper.join()
            os.close(fd)
            raise RuntimeError(f"{' '.join(argv)} did not end within {timeout:.0f} s")
        wait = 0.2
        if pending and first is not None:
            if now >= first + pending[0]:
                if reaper.is_alive():
                    samples.append((pending.pop(0), *activity(pid)))
                else:
                    pending.clear()
                continue
            wait = min(wait, first + pending[0] - now)
        readable, _, _ = select.select([fd], [], [], wait)
        if not readable:
            if not reaper.is_alive():
                break
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: every copy of the terminal's other end is closed
            break
        if not data:
            break
        now = time.monotonic()
        first = now if first is None else first
        before = len(output)
        output += data
        for name, marker in (markers or {}).items():
            if name not in marks and output.find(marker, max(0, before - len(marker))) >= 0:
                marks[name] = now
        if responder is not None:
            reply = responder(bytes(output), now)
            if reply:
                os.write(fd, reply)
    reaper.join()
    os.close(fd)
    exited, status, usage = waited[0]
    cpu_s, maxrss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if memory:
        status, maxrss, cpu_s = read_launcher(report_r)
    return Run(
        spawned=spawned,
        exited=exited,
        status=status,
        cpu_s=cpu_s,
        maxrss_kib=maxrss,
        first_output=first,
        marks=marks,
        output=bytes(output),
        samples=samples,
    )


class PainCheckAnswerer:
    """Types ``1`` as soon as a pain check is on screen, and times each wait.

    It reads the raw output (fast enough not to fall behind the program, which pyte is
    not at high speeds): the check's question appears once in the prompt frame and again
    in the answer frame, so after an answer the next check is armed only by a frame of a
    countdown step (its phase word) further on in the output.
    """

    PROMPT = PROMPT_TEXT.encode()
    PHASES = (b" GET READY ", b" HOLD ", b" MOVE ", b" REST ", b" SWITCH SIDES ")

    def __init__(self) -> None:
        self.armed = True
        self.position = 0  # where the next search starts in the output
        self.waits: list[float] = []

    def __call__(self, output: bytes, now: float) -> bytes:
        reply = b""
        while True:
            if self.armed:
                found = output.find(self.PROMPT, self.position)
                if found < 0:
                    break
                self.armed = False
                self.position = found + len(self.PROMPT)
                reply += b"1"
                continue
            starts = [i for i in (output.find(p, self.position) for p in self.PHASES) if i >= 0]
            if not starts:
                break
            self.armed = True
            self.position = min(starts)
        longest = max(len(self.PROMPT), *(len(p) for p in self.PHASES))
        self.position = max(self.position, len(output) - longest)
        if reply:
            # The program's wait lasts from its frame to its read of our key; what we add
            # to it is from the frame arriving here to the key being sent.
            self.waits.extend([time.monotonic() - now] * len(reply))
        return reply


# --- helpers ------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def find_program(name: str, given: str | None) -> str | None:
    """``given``, else the script next to this interpreter, else one on PATH."""
    if given:
        return given
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


# Variables of the calling shell that would change what is measured.
_DROPPED = {
    "STRETCH_SPEED",
    "STRETCH_ROUTINES",
    "NO_COLOR",
    "COLUMNS",
    "LINES",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
}


def base_env(home: Path) -> dict[str, str]:
    """The environment of every measured process: its own ``STRETCH_HOME``, a colour
    terminal, and byte-code caching on (as for an installed package) into the temp dir."""
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env.update(
        STRETCH_HOME=str(home),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONPYCACHEPREFIX=str(home.parent / "pycache"),
    )
    return env


class Table:
    """A plain-text table: rows of cells, columns padded to fit."""

    def __init__(self, *header: str) -> None:
        self.rows: list[tuple[str, ...]] = [header]

    def add(self, *cells: str) -> None:
        self.rows.append(cells + ("",) * (len(self.rows[0]) - len(cells)))

    def section(self, title: str) -> None:
        self.rows.append((f"[{title}]",))

    def render(self) -> str:
        columns = len(self.rows[0])
        widths = [
            max(len(row[i]) for row in self.rows if len(row) == columns) for i in range(columns)
        ]
        lines = []
        for number, row in enumerate(self.rows):
            if len(row) != columns:
                lines.append(row[0])
                continue
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            lines.append("  ".join(cells).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def spread(values: Sequence[float], unit: Callable[[float], str]) -> tuple[str, str]:
    return unit(median(values)), f"{unit(min(values))} .. {unit(max(values))}"


def progress(text: str) -> None:
    sys.stderr.write(f"  {text}\n")
    sys.stderr.flush()


# --- the benchmarks -----------------------------------------------------------------------


def warm_up(stretch: str, termdown: str | None, tmp: Path) -> None:
    """Run each program once, untimed: fills the file cache and the byte-code cache."""
    env = base_env(tmp / "home-warm-up")
    for argv in ([stretch, "--version"], [stretch, "list"], [stretch, "show", "lower-back"]):
        run_plain(argv, env)
    run_pty([stretch, "hold", "1"], {**env, "STRETCH_SPEED": "100"}, timeout=60)
    if termdown is not None:
        run_pty([termdown, "1"], env, timeout=60)


COLD_LIST = "stretch list, its cache emptied"


def bench_startup(
    table: Table, stretch: str, tmp: Path, runs: int, baseline: str | None = None
) -> dict[str, float]:
    """Wall time of whole processes, interleaved round-robin so load hits all alike. With
    ``baseline`` (another stretch program, e.g. an install of an older commit), its rows
    run in the same rounds, marked "before:"."""
    app = tmp / "minimal_typer_app.py"
    app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    py = sys.executable
    # A Tab in bash: typer's completion variables, the word "lo" to complete.
    tab = {"_STRETCH_COMPLETE": "complete_bash", "COMP_WORDS": "stretch show lo", "COMP_CWORD": "2"}
    cases: list[tuple[str, list[str], dict[str, str]]] = [
        ("python -c pass", [py, "-c", "pass"], {}),
        ("minimal typer app", [py, str(app)], {}),
        ("minimal typer app --help", [py, str(app), "--help"], {}),
    ]
    programs = [("", stretch)] + ([("before: ", baseline)] if baseline else [])
    for label, program in programs:
        cases += [
            (f"{label}stretch --version", [program, "--version"], {}),
            (f"{label}stretch --help", [program, "--help"], {}),
            (f"{label}stretch list", [program, "list"], {}),
            (f"{label}stretch show lower-back", [program, "show", "lower-back"], {}),
            (f"{label}stretch log", [program, "log"], {}),
        ]
    cases.append(("stretch show lo<Tab> (completion)", [stretch], tab))  # new with this one
    # The routine list validates only files its cache does not know: its first run after
    # an upgrade or an edit of every routine is this one.
    cold = tmp / "home-cold"
    cases.append((COLD_LIST, [stretch, "list"], {"STRETCH_HOME": str(cold)}))
    env = base_env(tmp / "home-startup")
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _, argv, extra in cases:  # warm the file cache once, not timed
        run_plain(argv, {**env, **extra})
    for _ in range(runs):
        for name, argv, extra in cases:
            if name == COLD_LIST:
                shutil.rmtree(cold / "cache", ignore_errors=True)
            run = run_plain(argv, {**env, **extra})
            times[name].append(run.wall_s)
            cpu[name].append(run.cpu_s)
    medians = {name: median(values) for name, values in times.items()}
    floor = medians["minimal typer app"]
    table.section(f"start-up: wall time of the whole process, {runs} runs, output to /dev/null")
    for name, values in times.items():
        mid, low_high = spread(values, ms)
        ratio = f"{medians[name] / floor:.2f}x"
        table.add(name, mid, low_high, ratio, f"{median(cpu[name]):.3f} s")
    return medians


def bench_hold(
    table: Table, stretch: str, termdown: str | None, tmp: Path, runs: int, seconds: int
) -> dict[str, dict[str, float]]:
    """A real-time hold in a pty, stretch against termdown, measured the same way.

    Besides the whole process, CPU time and wake-ups (context switches) are read from
    /proc while it counts: from 1 s after its first output to 1 s before its end.
    """
    env = base_env(tmp / "home-hold")
    programs: dict[str, list[str]] = {"stretch hold": [stretch, "hold", str(seconds)]}
    if termdown is not None:
        programs["termdown"] = [termdown, str(seconds)]
    window = (1.0, seconds - 1.0)
    keys = ("over", "start", "tail", "cpu", "counting_cpu", "wakeups")
    results = {name: {key: list[float]() for key in keys} for name in programs}
    for number in range(runs):
        for name, argv in programs.items():
            progress(f"{name} {seconds} (run {number + 1} of {runs})")
            run = run_pty(argv, env, timeout=seconds + 60, sample_at=window)
            if run.exit_code != 0:
                raise RuntimeError(f"{name} exited {run.exit_code}: {run.output[-300:]!r}")
            first = run.first_output if run.first_output is not None else run.spawned
            numbers = results[name]
            numbers["over"].append(run.wall_s - seconds)
            numbers["start"].append(first - run.spawned)
            numbers["tail"].append(run.exited - first - seconds)
            numbers["cpu"].append(run.cpu_s)
            if len(run.samples) == 2:
                (t0, cpu0, switches0), (t1, cpu1, switches1) = run.samples
                numbers["counting_cpu"].append((cpu1 - cpu0) / (t1 - t0))
                numbers["wakeups"].append((switches1 - switches0) / (t1 - t0))
    table.section(f"{seconds} s hold in an 80x24 pty, each a whole process, {runs} runs")
    if termdown is None:
        table.add("termdown", "not installed", "pip install '.[bench]'")
    summary: dict[str, dict[str, float]] = {}
    rows: list[tuple[str, str, Callable[[float], str]]] = [
        ("over", f"overshoot: exit - spawn - {seconds} s", ms),
        ("start", "  start-up: spawn to first output", ms),
        ("tail", f"  the rest: exit - first output - {seconds} s", ms),
        ("cpu", "CPU time, whole process (user + system)", lambda v: f"{v:.3f} s"),
        ("counting_cpu", "CPU while counting (% of one core)", lambda v: f"{100 * v:.2f} %"),
        ("wakeups", "wake-ups per second while counting", lambda v: f"{v:.1f}"),
    ]
    for name, numbers in results.items():
        for key, label, unit in rows:
            if numbers[key]:
                mid, low_high = spread(numbers[key], unit)
                table.add(f"{name} {seconds}: {label}", mid, low_high)
        summary[name] = {key: median(values) for key, values in numbers.items() if values}
    return summary


def repeated_routine(tmp: Path, times: int) -> Path:
    """lower-back with its exercises ``times`` over (same steps, ``times`` as long)."""
    text = (REPO / "routines" / "lower-back.toml").read_text(encoding="utf-8")
    exercises = text[text.index("[[exercises]]") :]
    path = tmp / f"lower-back-x{times}.toml"
    path.write_text(text + ("\n" + exercises) * (times - 1), encoding="utf-8")
    return path


def planned_seconds(path: Path) -> tuple[int, int]:
    """The routine's timed seconds and its number of pain checks."""
    from stretchcli.routine.library import load_file
    from stretchcli.routine.timeline import build_timeline

    timeline = build_timeline(load_file(path))
    checks = sum(1 for step in timeline.steps if step.kind == "check")
    return timeline.total_seconds, checks


def drift_library(path: Path, speed: float) -> float:
    """The library's Player on the real monotonic clock, prompts answered at once:
    measured end - start - planned / speed (real seconds)."""
    from stretchcli.play.clock import SystemClock
    from stretchcli.play.lineinput import LineInput
    from stretchcli.play.player import Player
    from stretchcli.routine.library import load_file
    from stretchcli.routine.timeline import build_timeline

    timeline = build_timeline(load_file(path))
    clock = SystemClock(speed)
    keys = LineInput(clock=clock, stream=io.StringIO("1\n" * len(timeline.steps)))
    player = Player(timeline, clock, keys)
    start = time.monotonic()
    for _ in player.play():
        pass
    end = time.monotonic()
    if player.outcome.status != "completed":
        raise RuntimeError(f"library session ended {player.outcome.status}")
    return end - start - timeline.total_seconds / speed


def drift_pty(stretch: str, path: Path, speed: float, home: Path) -> tuple[float, Run]:
    """The real program in a pty, every pain check answered at once: from its first frame
    (the session starts) to its "Done." frame (the session ends), less the planned time
    at ``speed`` and the time the checks waited for our answers."""
    env = base_env(home)
    env["STRETCH_SPEED"] = f"{speed:g}"
    answerer = PainCheckAnswerer()
    total, checks = planned_seconds(path)
    argv = [stretch, "start", str(path), "--no-rating"]
    run = run_pty(argv, env, responder=answerer, memory=True, markers=SESSION_MARKS)
    if run.exit_code != 0:
        raise RuntimeError(f"stretch start exited {run.exit_code}: {run.output[-300:]!r}")
    if len(answerer.waits) != checks:
        raise RuntimeError(f"answered {len(answerer.waits)} pain checks of {checks}")
    measured = run.marks["done"] - run.marks["first_frame"]
    return measured - total / speed - sum(answerer.waits), run


def bench_drift(
    table: Table,
    stretch: str,
    tmp: Path,
    runs: int,
    speed: float,
    library_speeds: Sequence[float],
    lengths: Sequence[int],
) -> tuple[dict[str, float], list[int]]:
    """Drift of the lower-back routine and of longer copies of it: the real program in a
    pty at ``speed``, and the library's Player on the real clock at each library speed."""
    results: dict[str, list[float]] = {}
    rss: list[int] = []
    for times in lengths:
        path = repeated_routine(tmp, times)
        total, checks = planned_seconds(path)
        routine = f"lower-back x{times} ({total} s, {checks} checks)"
        for number in range(runs):
            for library_speed in library_speeds:
                progress(f"{routine}, library at {library_speed:g}x, run {number + 1}")
                label = f"library Player, {routine} at {library_speed:g}x"
                results.setdefault(label, []).append(drift_library(path, library_speed))
            progress(f"{routine}, pty at {speed:g}x, run {number + 1}")
            home = tmp / f"home-drift-{times}-{number}"
            drift, run = drift_pty(stretch, path, speed, home)
            results.setdefault(f"stretch start in a pty, {routine} at {speed:g}x", []).append(drift)
            if times == 1:
                rss.append(run.maxrss_kib)
    table.section(
        f"drift: measured end - planned end (timed steps / speed + answer waits), real time, "
        f"{runs} runs"
    )
    for name in sorted(results):
        mid, low_high = spread(results[name], ms)
        table.add(name, mid, low_high)
    return {name: median(values) for name, values in results.items()}, rss


def bench_memory(
    table: Table,
    stretch: str,
    termdown: str | None,
    tmp: Path,
    runs: int,
    session_rss: list[int],
    speed: float,
) -> dict[str, float]:
    """Peak resident memory (ru_maxrss) of whole processes, each under the launcher."""
    env = base_env(tmp / "home-memory")
    fast = {**env, "STRETCH_SPEED": "50"}
    rows: dict[str, list[int]] = {
        "python -c pass": [
            run_plain([sys.executable, "-c", "pass"], env, memory=True).maxrss_kib
            for _ in range(runs)
        ],
        "stretch --version": [
            run_plain([stretch, "--version"], env, memory=True).maxrss_kib for _ in range(runs)
        ],
        "stretch hold 3 at speed 50, pty": [
            run_pty([stretch, "hold", "3"], fast, timeout=60, memory=True).maxrss_kib
            for _ in range(runs)
        ],
    }
    if session_rss:
        rows[f"stretch start lower-back at speed {speed:g}, pty"] = session_rss
    if termdown is not None:
        rows["termdown 1, pty"] = [
            run_pty([termdown, "1"], env, timeout=60, memory=True).maxrss_kib
            for _ in range(min(runs, 3))
        ]
    table.section(f"peak memory (max RSS of the process), {runs} runs")

    def mib(kib: float) -> str:
        return f"{kib / 1024:.1f} MiB"

    for name, values in rows.items():
        mid, low_high = spread([float(v) for v in values], mib)
        table.add(name, mid, low_high)
    return {name: median([float(v) for v in values]) / 1024 for name, values in rows.items()}


# --- the command --------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs (default 7)")
    parser.add_argument("--hold-runs", type=int, default=3, help="real-time hold runs (3)")
    parser.add_argument("--hold-seconds", type=int, default=10, help="hold length (10)")
    parser.add_argument("--session-runs", type=int, default=3, help="drift runs (3)")
    parser.add_argument("--speed", type=float, default=50, help="STRETCH_SPEED for drift (50)")
    parser.add_argument(
        "--library-speeds", default="50,1000", help="clock speeds of the library runs (50,1000)"
    )
    parser.add_argument(
        "--lengths", default="1,3", help="routine lengths for drift, in lower-backs (1,3)"
    )
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--stretch", help="the stretch program (default: beside python)")
    parser.add_argument("--termdown", help="the termdown program (default: beside python)")
    parser.add_argument(
        "--baseline",
        help="another stretch program (an install of an older commit) whose start-up runs "
        "in the same rounds, for before/after",
    )
    parser.add_argument(
        "--only",
        default="startup,hold,drift,memory",
        help="comma-separated parts to run (startup,hold,drift,memory)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.hold_runs, args.hold_seconds, args.session_runs = 3, 1, 3, 1
        args.speed, args.library_speeds, args.lengths = 200, "200", "1,2"
    parts = set(args.only.split(","))
    stretch = find_program("stretch", args.stretch)
    if stretch is None:
        parser.error("no stretch program found; pip install -e . first")
    termdown = find_program("termdown", args.termdown)
    lengths = [int(n) for n in args.lengths.split(",")]
    sys.path.insert(0, str(REPO / "src"))  # the library, for the planned times

    table = Table("measurement", "median", "min .. max", "vs typer app", "CPU")
    began = load()
    with tempfile.TemporaryDirectory(prefix="stretch-bench-") as name:
        tmp = Path(name)
        session_rss: list[int] = []
        progress("warming up")
        warm_up(stretch, termdown, tmp)
        if "startup" in parts:
            progress("start-up")
            bench_startup(table, stretch, tmp, args.runs, args.baseline)
        if "hold" in parts:
            bench_hold(table, stretch, termdown, tmp, args.hold_runs, args.hold_seconds)
        if "drift" in parts:
            library_speeds = [float(n) for n in args.library_speeds.split(",")]
            _, session_rss = bench_drift(
                table, stretch, tmp, args.session_runs, args.speed, library_speeds, lengths
            )
        if "memory" in parts:
            progress("memory")
            bench_memory(table, stretch, termdown, tmp, args.runs, session_rss, args.speed)
    print(f"stretchcli benchmarks, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(machine())
    print(f"{load()} at the end ({began} at the start)")
    print()
    print(table.render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
