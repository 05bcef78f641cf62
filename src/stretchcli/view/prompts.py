"""Questions asked as a line, outside the live view: the 0-10 pain rating."""

from __future__ import annotations

from typing import IO

from stretchcli.play.lineinput import read_line


def ask_rating(when: str, *, stream: IO[str], out: IO[str]) -> int | None:
    """Ask "pain right now, 0-10?" as a line; Enter (or end of input) skips."""
    while True:
        out.write(f"Pain right now ({when}), 0-10? Enter skips: ")
        out.flush()
        line = read_line(stream)  # bounded: an endless line is the end of input
        if line is None:
            out.write("\n")
            return None
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        out.write("Type a whole number from 0 (no pain) to 10 (worst), or just Enter.\n")
