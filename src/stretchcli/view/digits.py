"""Big block digits for the countdown, readable from across a room."""

from __future__ import annotations

# A 3-wide, 5-tall pixel font for the countdown; each pixel is drawn 2 columns wide.
_FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": ("   ", " # ", "   ", " # ", "   "),
}


def big_text(text: str, *, scale: int = 1) -> list[str]:
    """``text`` (digits and ``:``) in the block font: 5 rows per ``scale``."""
    rows: list[str] = []
    for row in range(5):
        line = " ".join(
            "".join(("██" * scale) if pixel == "#" else ("  " * scale) for pixel in _FONT[ch][row])
            for ch in text
        )
        rows.extend([line] * scale)
    return rows
