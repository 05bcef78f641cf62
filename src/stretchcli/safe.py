"""Text from outside (files, file names, records, the command line, the environment) made
safe to show: every character a terminal would act on instead of printing is written out
as ``\\uXXXX``, so it is seen, never obeyed. The one way stretchcli prints untrusted text
(the view wraps it for rich, the CLI for its own lines)."""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1: escape sequences, bells, carriage returns), line and
# paragraph separators, bidirectional overrides and isolates (which reorder what is shown),
# and lone surrogates (bytes that were not UTF-8; no stream can encode them).
_OTHERS = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_INVISIBLE = re.compile(r"[\x00-\x1f" + _OTHERS + "]")
_INVISIBLE_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f" + _OTHERS + "]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with every unsafe character written as ``\\uXXXX``; with ``lines`` tabs and
    newlines are kept (text that may span lines, such as a cue in a panel)."""
    pattern = _INVISIBLE_BUT_LINES if lines else _INVISIBLE
    return pattern.sub(_escape, text)


def from_argument(text: str) -> str:
    """A command-line or environment string as it can be stored: bytes that were not
    UTF-8 (Python keeps them as lone surrogates) become U+FFFD, so the text can be written
    to a file or a database; everything else is kept as typed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


# What a character stretchcli prints becomes on an output that cannot encode it (a Latin-1
# or ASCII locale, PYTHONIOENCODING=ascii): the nearest ASCII, never an exception.
_ASCII = {
    "•": "*",
    "×": "x",
    "→": "->",
    "←": "<-",
    "–": "-",
    "—": "-",
    "…": "...",
    "━": "=",
    "─": "-",
    "·": ".",
    "░": ".",
    "▒": ":",
    "▓": "#",
    "█": "#",
    "▏": "|",
    "▎": "|",
    "▍": "|",
    "▌": "|",
    "▋": "|",
    "▊": "|",
    "▉": "|",
}
FALLBACK = "stretch-ascii"


def _nearest_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_ASCII.get(char, "?") for char in text), error.end


def degrade_to_ascii(stream: object) -> None:
    """Where ``stream`` (sys.stdout, sys.stderr) cannot encode what stretchcli prints, make
    it write the nearest ASCII instead of raising ``UnicodeEncodeError``."""
    import codecs

    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "•×→━█".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        pass
    else:
        return
    try:
        codecs.lookup_error(FALLBACK)
    except LookupError:
        codecs.register_error(FALLBACK, _nearest_ascii)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=FALLBACK)
