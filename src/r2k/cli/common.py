"""Option bundles and helpers shared by every command (defined once, as in sqlite-utils).

CLI modules import the library inside command bodies, so `r2k --help` and each command load only what
they use (pandas, scipy, arch and torch take seconds to import).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from r2k.config import Settings, load_settings
from r2k.errors import R2KError

if TYPE_CHECKING:
    from r2k.store import Store

console = Console()

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB store file (default: $R2K_STORE, else the user data directory).", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of text.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Use only data known at this date (YYYY-MM-DD); default: the latest stored date."),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786) to run the work on a cluster "
                 "(default: $R2K_DASK_SCHEDULER, else local processes); results do not depend on it."),
]
SymbolOpt = Annotated[str, typer.Option("--symbol", help="Series id of the index to analyse.")]


class UsageError(R2KError):
    """A command-line value is malformed."""


def settings(store: Path | None) -> Settings:
    return load_settings().with_store(store)


@contextmanager
def open_store(store: Path | None, read_only: bool = True) -> Iterator[Store]:
    from r2k.store import Store

    with Store(settings(store).store_path, read_only=read_only) as s:
        yield s


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_int_list(value: str, option: str) -> list[int]:
    try:
        out = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a comma-separated list of whole numbers") from None
    if not out or any(v <= 0 for v in out):
        raise UsageError(f"{option}: {value!r} needs positive whole numbers")
    return out


def utc_now() -> datetime:
    """The import/fetch timestamp (naive UTC). Only the CLI reads the clock."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def latest_date(store: Store, series_id: str, as_of: date | None) -> date:
    """The as-of date to use: the given one, else the last stored date of ``series_id``."""
    if as_of is not None:
        return as_of
    last = store.last_date(series_id)
    if last is None:
        raise UsageError(f"series {series_id} has no rows in the store")
    return last


def emit_json(obj: Any) -> None:
    from r2k.serialize import dumps

    typer.echo(dumps(obj))


def scheduler_address(scheduler: str | None, store: Path | None = None) -> str | None:
    """The --scheduler option, else R2K_DASK_SCHEDULER, else None (local processes)."""
    return scheduler or settings(store).dask_scheduler
