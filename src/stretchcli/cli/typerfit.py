"""Where stretch adapts typer 0.29 to itself: how `--help` reads, and what a value that
was not given costs.

`--help`: commands in the order of ``ORDER``, grouped in panels; values shown by the
metavars we give them (``SECONDS``, ``DATE``, ``N``); docstring paragraphs that rewrap to
the terminal's width. typer 0.29 shows each parameter's Python type (``<bool>`` on every
flag, ``<str>``, ``<list[Path]>``), puts required arguments in braces (``{file}``) and
keeps the line breaks of a docstring's later paragraphs, so an 80-column help wraps each
source line again. The two display methods are replaced (only where typer has them), and
``reflow_help`` joins each paragraph into one line before typer reads it.

A value not given: typer builds a pydantic adapter for every parameter it processes, also
for one whose value is None (an option left out, `--help` itself), only to return None;
that import is ~100 ms of a command that needs no pydantic otherwise (`log`, `stats`,
`today --short`, each Tab of shell completion). ``_process_value`` returns what typer
would, without building it. A value given to a parameter that one of our parsers converts
(`hold 30`, `--reps 3`, dates), or that is plain text (a routine id), needs no adapter
either: ``get_runtime_param`` gives those the parser's (or the text's) own result.
"""

import inspect
from dataclasses import dataclass
from typing import Any, get_origin

import typer
import typer.core

# The panels of `stretch --help`, and the commands in the order they are listed.
SESSION, ROUTINES, HISTORY, PLAN, REMINDERS = "Session", "Routines", "History", "Plan", "Reminders"
REPORTS = "Reports"
ORDER = (
    "start",
    "hold",
    "list",
    "show",
    "new",
    "edit",
    "validate",
    "schema",
    "log",
    "stats",
    "export",
    "import",
    "plan",
    "today",
    "skip",
    "remind",
)


class OrderedCommands(typer.core.TyperGroup):
    """The root group: its commands listed in ``ORDER`` (typer would list the command
    groups, such as `log`, after every single command)."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        known = [name for name in ORDER if name in names]
        return known + [name for name in names if name not in known]


def _value_column(self: typer.core.TyperOption, ctx: typer.Context) -> str | None:
    """What the help shows after an option's names: the metavar we gave it, nothing for a
    flag or an argument (an argument's name is its metavar already)."""
    if self.param_type_name == "argument" or getattr(self, "is_flag", False):
        return None
    if self.metavar:
        return self.metavar
    return self.name.upper() if self.name else None


def _usage_name(self: typer.core.TyperArgument) -> str:
    """An argument in the usage line: ``ROUTINE`` when required, ``[ROUTINE]`` when not,
    ``ROUTINE...`` when it takes several."""
    name = self.metavar or (self.name or "").upper()
    return name if self.required else f"[{name}]"


for _kind in (typer.core.TyperOption, typer.core.TyperArgument):
    if hasattr(_kind, "display_type_rich"):
        _kind.display_type_rich = _value_column  # type: ignore[method-assign, assignment]
if hasattr(typer.core.TyperArgument, "_usage_display_name"):
    typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]


_typer_process_value = typer.core._TyperParameter.process_value


def _process_value(self: typer.core._TyperParameter, ctx: Any, value: Any) -> Any:
    """typer's ``process_value``, for None (a single value not given) without the pydantic
    adapter whose ``coerce`` would return None for it anyway."""
    if value is not None or self.multiple or self.nargs == -1:
        return _typer_process_value(self, ctx, value)
    if self.required:
        from typer._click.exceptions import MissingParameter

        raise MissingParameter(ctx=ctx, param=self)
    return self.callback(ctx, self, value) if self.callback is not None else value


if hasattr(typer.core._TyperParameter, "process_value"):
    typer.core._TyperParameter.process_value = _process_value  # type: ignore[method-assign]


def _direct_runtime_param() -> Any:
    """A replacement for typer's ``get_runtime_param`` (typer 0.29), or None on a typer
    without it: a parameter that one of our parsers converts (``parser=``), or that is
    plain text, gets what typer's pydantic adapter would return, without the adapter."""
    try:
        from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    except ImportError:
        return None
    if not hasattr(typer.core._TyperParameter, "get_runtime_param"):
        return None

    @dataclass(frozen=True)
    class Direct(RuntimeParam):
        """``parser(value)``, or the text itself: the adapter's own result for these."""

        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            parser = self.parameter_info.parser
            if parser is not None:
                return parser(value)
            if isinstance(value, str):
                return value
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    typer_get = typer.core._TyperParameter.get_runtime_param

    def get_runtime_param(self: Any) -> Any:
        descriptor = self.type_descriptor
        if (
            self._runtime_param is None
            and descriptor.file_annotation is None
            and get_origin(descriptor.annotation) is None  # no list[...], no tuple[...]
            and (descriptor.parameter_info.parser is not None or descriptor.annotation is str)
        ):
            self._runtime_param = Direct(
                annotation=descriptor.annotation,
                parameter_info=descriptor.parameter_info,
                descriptor=descriptor,
            )
        return typer_get(self)

    return get_runtime_param


_get_runtime_param = _direct_runtime_param()
if _get_runtime_param is not None:
    typer.core._TyperParameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]


def reflow(doc: str | None) -> str | None:
    """A docstring as one line per paragraph (typer keeps the breaks of later ones)."""
    if not doc:
        return doc
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(part.split()) for part in paragraphs)


def reflow_help(app: typer.Typer) -> None:
    """Give every command and command group of ``app`` its docstring, reflowed, as help."""
    for command in app.registered_commands:
        if not isinstance(command.help, str) and command.callback is not None:
            command.help = reflow(command.callback.__doc__)
    callback = app.registered_callback
    if callback is not None and not isinstance(callback.help, str) and callback.callback:
        callback.help = reflow(callback.callback.__doc__)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)
