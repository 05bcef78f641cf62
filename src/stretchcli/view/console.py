"""Printing rich renderables on stdout (rich honours NO_COLOR and TERM=dumb by itself), and
the terminal size every rich console reads from the environment."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING

from stretchcli.safe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

# COLUMNS and LINES are taken within these bounds only. rich takes any digits as they are
# (COLUMNS=0 prints nothing at all, 100000 pads every line of a panel to it) and fails on
# a digit it cannot read as a number ("²"); outside the bounds, a value is dropped, so rich
# asks the terminal for its size, or takes 80x25 when there is none.
MIN_SIZE, MAX_SIZE = 1, 1000
# Reverse video for the whole screen (DECSCNM) and back: the visual bell of --flash.
FLASH_ON, FLASH_OFF = "\x1b[?5h", "\x1b[?5l"


def drop_nonsense_size(environ: MutableMapping[str, str]) -> None:
    """Remove ``COLUMNS`` and ``LINES`` from ``environ`` unless each is a whole number from
    ``MIN_SIZE`` to ``MAX_SIZE``. The entry point does this to ``os.environ`` once, before
    anything is drawn: every command, the live view and the help then see sensible sizes."""
    for name in ("COLUMNS", "LINES"):
        value = environ.get(name)
        if value is not None and not (
            value.isascii() and value.isdigit() and MIN_SIZE <= int(value) <= MAX_SIZE
        ):
            del environ[name]


def show(renderable: RenderableType, *, style: str | None = None) -> None:
    """Print ``renderable`` on stdout; a ``str`` is printed literally (never as markup)."""
    from rich.console import Console

    Console(highlight=False).print(renderable, style=style, markup=False)


def literal(text: str, style: str = "", *, lines: bool = False) -> Text:
    """Untrusted ``text`` (from a file, a file name, a record) as rich text: never read as
    markup, control characters shown as ``\\uXXXX`` (see ``stretchcli.safe``)."""
    from rich.text import Text

    return Text(visible(text, lines=lines), style=style)
