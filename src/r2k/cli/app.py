"""The ``r2k`` command: a thin layer over the library. Each command group lives in its own module."""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup

from r2k import __version__
from r2k.errors import R2KError

# Each module exposes register(app: typer.Typer) -> None.
COMMAND_MODULES = ("data", "report", "channels", "analyze", "forecast", "factors", "sentiment", "tune", "importance")


class R2KGroup(TyperGroup):
    """Turns every R2KError into one line on stderr and exit code 1 (no traceback)."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except R2KError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None


app = typer.Typer(
    cls=R2KGroup,
    name="r2k",
    help="Russell 2000 research: data store, trend channels, analytics, forecasts and the outlook report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
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
