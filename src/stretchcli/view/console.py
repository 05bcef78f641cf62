"""Printing rich renderables on stdout (rich honours NO_COLOR and TERM=dumb by itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stretchcli.safe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text


def show(renderable: RenderableType, *, style: str | None = None) -> None:
    """Print ``renderable`` on stdout; a ``str`` is printed literally (never as markup)."""
    from rich.console import Console

    Console(highlight=False).print(renderable, style=style, markup=False)


def literal(text: str, style: str = "", *, lines: bool = False) -> Text:
    """Untrusted ``text`` (from a file, a file name, a record) as rich text: never read as
    markup, control characters shown as ``\\uXXXX`` (see ``stretchcli.safe``)."""
    from rich.text import Text

    return Text(visible(text, lines=lines), style=style)
