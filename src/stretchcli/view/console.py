"""Printing rich renderables on stdout (rich honours NO_COLOR and TERM=dumb by itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType


def show(renderable: RenderableType, *, style: str | None = None) -> None:
    """Print ``renderable`` on stdout; a ``str`` is printed literally (never as markup)."""
    from rich.console import Console

    Console(highlight=False).print(renderable, style=style, markup=False)
