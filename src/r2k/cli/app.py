"""The ``r2k`` command: a thin layer over the library. Each command group lives in its own module."""

from __future__ import annotations

import importlib
import re
import sys
from typing import NoReturn

import typer
from typer import rich_utils
from typer._click import exceptions as click_errors  # typer vendors click: its own exception classes
from typer.core import TyperGroup, TyperOption

from r2k import __version__
from r2k.cli.common import CONTEXT_SETTINGS, UPDATED_STORES, WARNED, Interrupted, interrupted
from r2k.errors import R2KError

# Each module exposes register(app: typer.Typer) -> None.
COMMAND_MODULES = ("data", "report", "outlook", "channels", "analyze", "forecast", "factors", "sentiment", "constituents",
                   "monitor", "web", "tune", "importance", "cache")


class R2KGroup(TyperGroup):
    """One exit-code rule for every command: an error prints one line ``error: ...`` on stderr and exits 1
    (bad options and values as much as bad data or a broken store); Ctrl-C exits 130. Never a traceback
    or a boxed panel for an error r2k can name."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        UPDATED_STORES.clear()  # one command's record (tests invoke many commands in one process)
        WARNED.clear()  # each command says its warnings once
        try:
            return super().invoke(ctx)
        except Interrupted as exc:
            fail(str(exc), code=130)
        except KeyboardInterrupt:
            fail(str(interrupted()), code=130)
        except R2KError as exc:
            fail(str(exc))
        except Exception as exc:  # DuckDB errors from a damaged store: one line, not a traceback
            from r2k.store.transaction import is_interrupt

            if is_interrupt(exc):  # DuckDB's own report of Ctrl-C
                fail(str(interrupted()), code=130)
            if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
                raise
            fail(f"store: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:  # a group called alone: its help, no error
            exc.show()
            sys.exit(0)
        except click_errors.ClickException as exc:  # usage errors: typer would print a multi-line panel
            typer.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(1)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


_value_type = TyperOption.display_type_rich


def _flag_type(self: TyperOption, ctx):  # noqa: ANN001, ANN202 - typer's signature
    """typer 0.29's rich help shows an on/off flag as ``--json <bool>``, as if it took a value: show none."""
    return None if self.is_flag else _value_type(self, ctx)


TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

_rich_help = rich_utils.rich_format_help
_rich_console = rich_utils._get_rich_console
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _help_text(*, obj, ctx, markup_mode) -> None:  # noqa: ANN001 - typer's signature
    """typer pads the help with a blank first line (and, off a terminal, spaces to 80 columns): print it
    without them, so ``r2k -h | head -1`` is the usage line."""
    console = _rich_console()
    rich_utils._get_rich_console = lambda stderr=False: console  # noqa: ARG005 - one console to capture
    try:
        with console.capture() as captured:
            _rich_help(obj=obj, ctx=ctx, markup_mode=markup_mode)
    finally:
        rich_utils._get_rich_console = _rich_console
    lines = captured.get().split("\n")
    while lines and not _ANSI.sub("", lines[0]).strip():
        lines.pop(0)
    if not console.is_terminal:
        lines = [line.rstrip() for line in lines]
    sys.stdout.write("\n".join(lines))
    sys.stdout.flush()


rich_utils.rich_format_help = _help_text


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code) from None


app = typer.Typer(
    cls=R2KGroup,
    name="r2k",
    help="Russell 2000 research: data store, trend channels, analytics, forecasts and the outlook report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings=CONTEXT_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"r2k {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Russell 2000 research: data store, trend channels, analytics, forecasts and the outlook report."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"r2k.cli.{_name}").register(app)


def main() -> None:
    app()
