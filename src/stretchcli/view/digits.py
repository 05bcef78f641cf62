"""Big block digits for the countdown and big letters for the side to work ("LEFT",
"RIGHT") and "PAUSED", readable from across a room."""

from __future__ import annotations

# A 5-pixel-tall font; each glyph is 3 pixels wide (the colon 1, M N W 5).
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
    ":": (" ", "#", " ", "#", " "),
    "/": ("  #", "  #", " # ", "#  ", "#  "),
    " ": ("   ", "   ", "   ", "   ", "   "),
    "A": (" # ", "# #", "###", "# #", "# #"),
    "B": ("## ", "# #", "## ", "# #", "## "),
    "C": (" ##", "#  ", "#  ", "#  ", " ##"),
    "D": ("## ", "# #", "# #", "# #", "## "),
    "E": ("###", "#  ", "## ", "#  ", "###"),
    "F": ("###", "#  ", "## ", "#  ", "#  "),
    "G": (" ##", "#  ", "# #", "# #", " ##"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "K": ("# #", "## ", "#  ", "## ", "# #"),
    "L": ("#  ", "#  ", "#  ", "#  ", "###"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" # ", "# #", "# #", "# #", " # "),
    "P": ("## ", "# #", "## ", "#  ", "#  "),
    "R": ("## ", "# #", "## ", "# #", "# #"),
    "S": (" ##", "#  ", " # ", "  #", "## "),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "Y": ("# #", "# #", " # ", " # ", " # "),
}
# Half-block characters: (top pixel, bottom pixel) -> the character drawn.
_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def _pixels(text: str) -> list[list[bool]]:
    """``text`` as 5 rows of pixels, one blank pixel column between glyphs."""
    rows: list[list[bool]] = [[] for _ in range(5)]
    for position, char in enumerate(text.upper()):
        glyph = _FONT.get(char, _FONT[" "])
        for row, line in enumerate(glyph):
            if position:
                rows[row].append(False)
            rows[row].extend(pixel == "#" for pixel in line)
    return rows


def big_text(text: str, *, scale: int = 1) -> list[str]:
    """``text`` (digits, ``:``, letters) in the block font: 5 rows per ``scale``, each pixel
    ``2 * scale`` columns wide (a terminal cell is about twice as tall as it is wide)."""
    lines: list[str] = []
    for row in _pixels(text):
        line = "".join(("██" if pixel else "  ") * scale for pixel in row)
        lines.extend([line] * scale)
    return lines


def big_word(text: str, *, scale: int = 1) -> list[str]:
    """``text`` in the block font drawn with half blocks: each pixel ``scale`` columns wide
    and half a row tall per ``scale``, so the word is ``word_rows(scale)`` rows tall (3 at
    scale 1): letters that fit beside the digits on a small terminal."""
    # Every pixel row repeated ``scale`` times as half rows, then two half rows a line.
    halves = [row for row in _pixels(text) for _ in range(scale)]
    if len(halves) % 2:
        halves.append([False] * len(halves[0]))
    return [
        "".join(_HALVES[top, bottom] * scale for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(halves[::2], halves[1::2], strict=True)
    ]


def word_rows(scale: int) -> int:
    """How many rows ``big_word`` takes at ``scale``."""
    return (5 * scale + 1) // 2


def text_width(text: str, *, scale: int = 1) -> int:
    """How many columns ``big_text`` takes."""
    return 2 * scale * len(_pixels(text)[0])


def word_width(text: str, *, scale: int = 1) -> int:
    """How many columns ``big_word`` takes."""
    return scale * len(_pixels(text)[0])
