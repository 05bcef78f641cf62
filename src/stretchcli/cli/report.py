"""`stretch report`: a one-page report of a period for the therapist, as HTML or Markdown,
written to a file (never over another file without --force, never onto the history's own
files) and opened in the browser on request."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from stretchcli.cli.common import say, warn
from stretchcli.errors import StretchError, UsageError

if TYPE_CHECKING:
    from datetime import date

Format = Literal["html", "md"]
SUFFIXES: dict[str, Format] = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
STDOUT = "-"


def output_format(output: Path | None, fmt: Format | None) -> Format:
    """The format: ``--format``, else the suffix of ``-o FILE`` (a name without a suffix,
    such as ``/dev/stdout``: HTML). A suffix that says another format than ``--format``, or
    one that says none when ``--format`` is not given, is a usage error."""
    suffix = output.suffix.lower() if output is not None and str(output) != STDOUT else ""
    by_suffix = SUFFIXES.get(suffix)
    if fmt is not None:
        if by_suffix is not None and by_suffix != fmt:
            raise UsageError(f"-o {output}: the name says {by_suffix}, --format says {fmt}")
        return fmt
    if by_suffix is not None:
        return by_suffix
    if suffix:
        raise UsageError(
            f"-o {output}: end the name in .html or .md, or say which with --format html|md"
        )
    return "html"


def default_output(today: "date", fmt: Format) -> Path:
    """``stretch-report-<date>.html`` (or ``.md``) in the current folder."""
    return Path(f"stretch-report-{today.isoformat()}.{fmt}")


def report_command(
    since: Annotated[
        str,
        typer.Option(
            metavar="DATE|6w",
            help="First day of the report: 2026-11-01, 6w (the last 6 weeks), 30d. "
            "At most 12 weeks.",
        ),
    ] = "6w",
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="html (default) or md; else from -o's suffix."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write it (- for standard output). "
            "Default: stretch-report-<date>.html here.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file that exists.")] = False,
    open_it: Annotated[
        bool, typer.Option("--open", help="Open it in the system's web browser.")
    ] = False,
) -> None:
    """Write a one-page report of a period for your therapist: the plan kept week by week,
    pain before and after (a chart), pain-check answers per exercise, pain stops, time held
    per side, the sessions and their notes. HTML prints on one page of A4; Markdown is for
    an email.

    Example: stretch report --since 6w --open
    """
    from stretchcli import __version__, paths
    from stretchcli.history.backup import own_files
    from stretchcli.history.dates import parse_since
    from stretchcli.history.days import local_timezone, now_local
    from stretchcli.report.data import load_report, period_start

    chosen = output_format(output, fmt)
    to_stdout = output is not None and str(output) == STDOUT
    if open_it and to_stdout:
        raise UsageError("--open: needs a file to open, not -o -")
    now, tz = now_local(), local_timezone()
    try:
        given = parse_since(since, now=now, tz=tz)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    try:
        start, moved = period_start(given, now=now, tz=tz)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    if moved:
        warn(f"a report covers at most 12 weeks: this one starts on {start.isoformat()}")
    target = output if output is not None else default_output(now.astimezone(tz).date(), chosen)
    if not to_stdout and not force and _is_file(target):
        raise StretchError(f"{target}: already exists; add --force to replace it, or -o FILE")
    report = load_report(paths.db_path(), paths.plan_path(), start=start, now=now, tz=tz)
    if chosen == "html":
        from stretchcli.view.report_html import render_html

        text = render_html(report, __version__)
    else:
        from stretchcli.view.report_md import render_markdown

        text = render_markdown(report, __version__)
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from stretchcli.files import write_output

    protected = (*own_files(paths.db_path()), paths.plan_path())
    write_output(target, lambda out: out.write(text), protected=protected)
    say(f"wrote the report of {start.isoformat()} to {report.end.isoformat()} to {target}")
    if open_it:
        _open_in_browser(target)


def _is_file(path: Path) -> bool:
    """A regular file (or a link to one) is there: writing would replace it. A pipe or a
    terminal (``-o /dev/stdout``) is written through, so it is no reason to stop."""
    try:
        return path.is_file()
    except OSError:
        return False


def _open_in_browser(path: Path) -> None:
    """Open ``path`` in the system's browser (``webbrowser``: $BROWSER, xdg-open, open...);
    none: one line saying so, exit 1 (the file is written)."""
    import webbrowser

    try:
        opened = webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        raise StretchError(f"no web browser could be started: open {path} yourself")
