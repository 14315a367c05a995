"""Option bundles and helpers shared by every command (defined once, as in sqlite-utils).

CLI modules import the library inside command bodies, so `r2k --help` and each command load only what
they use (pandas, scipy, arch and torch take seconds to import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
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

# The one output contract (docs/cli.md): human output on stdout through `console` (rich tables, no
# highlighter colouring digits inside dates), progress and notes on stderr, `--json` an object with
# `as_of`, `version` and the command's payload.
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

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


class Interrupted(R2KError):
    """Ctrl-C: the message says whether the store changed (exit code 130)."""


def settings(store: Path | None) -> Settings:
    return load_settings().with_store(store)


@contextmanager
def open_store(store: Path | None, read_only: bool = True) -> Iterator[Store]:
    from r2k.store import Store

    with Store(settings(store).store_path, read_only=read_only) as s:
        try:
            yield s
        except KeyboardInterrupt:
            state = "the store was already updated (its write had committed)" if s.commits else "the store is unchanged"
            raise Interrupted(f"interrupted: {state}") from None


MIN_YEAR, MAX_YEAR = 1800, 2200  # the dates any series can have (import refuses others too)
MAX_LIST_VALUE = 10_000  # horizons and windows in trading days: 40 years is already beyond any stored history


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UsageError(f"{option}: {value} is outside the years {MIN_YEAR}..{MAX_YEAR}")
    return day


def parse_int_list(value: str, option: str, maximum: int = MAX_LIST_VALUE) -> list[int]:
    try:
        out = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a comma-separated list of whole numbers") from None
    if not out or any(v <= 0 for v in out):
        raise UsageError(f"{option}: {value!r} needs positive whole numbers")
    if any(v > maximum for v in out):
        raise UsageError(f"{option}: {max(out)} is too large (at most {maximum:,})")
    return out


def check_n_jobs(n: int, tasks: int | None = None) -> int:
    """Worker processes to use: ``-1`` = every CPU; capped at the CPUs (and ``tasks`` when known) so a large
    value cannot fork hundreds of processes; 0 and values below -1 are usage errors."""
    import os

    if n == 0 or n < -1:
        raise UsageError(f"--n-jobs: {n} is not a worker count (use 1, 2, ... or -1 for every CPU)")
    cpus = os.cpu_count() or 1
    jobs = cpus if n == -1 else min(n, cpus)
    return max(1, min(jobs, tasks)) if tasks is not None else jobs


def utc_now() -> datetime:
    """The import/fetch timestamp (naive UTC). Only the CLI reads the clock."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


STALE_AS_OF_DAYS = 7  # an as-of this far past the data is clamped to the data (and the user told)


def latest_date(store: Store, series_id: str, as_of: date | None) -> date:
    """The as-of date to use: the given one, else the last stored date of ``series_id``.

    An as-of more than a week after that last date is clamped to it, with a note on stderr: a result
    labelled 2098-12-31 but made of 2026 data (and forward-filled inputs) would be a false claim.
    """
    last = store.last_date(series_id)
    if last is None:
        raise UsageError(f"series {series_id} has no rows in the store")
    if as_of is None:
        return last
    if (as_of - last).days > STALE_AS_OF_DAYS:
        typer.echo(f"note: --as-of {as_of} is after the last {series_id.upper()} date in the store ({last}): "
                   f"using {last}", err=True)
        return last
    return as_of


def require_price(store: Store, series_id: str, option: str = "--symbol") -> None:
    """A usage error unless ``series_id`` is a stored price series (not missing, not macro)."""
    if not store.has(series_id):
        raise UsageError(f"{option}: series {series_id.upper()} is not in the store (see 'r2k data status')")
    if store.kind(series_id) != "price":
        raise UsageError(f"{option}: {series_id.upper()} is a macro series; price analytics need a price series "
                         "(an index, ETF or stock)")


def json_payload(payload: Mapping[str, Any] | Sequence[Any], as_of: date | None = None, key: str = "items") -> dict:
    """The JSON contract: ``{"as_of": ..., "version": ..., **payload}``; a list payload goes under ``key``.

    ``as_of`` defaults to the payload's own ``as_of``; fractions, not percents, inside (0.0123 = 1.23%).
    """
    from r2k import __version__

    body = dict(payload) if isinstance(payload, Mapping) else {key: list(payload)}
    day = as_of if as_of is not None else body.pop("as_of", None)
    body.pop("as_of", None)
    return {"as_of": day, "version": __version__} | body


def emit_json(payload: Mapping[str, Any] | Sequence[Any], as_of: date | None = None, key: str = "items") -> None:
    """Print the command's result under the JSON contract (see :func:`json_payload`)."""
    from r2k.serialize import dumps

    typer.echo(dumps(json_payload(payload, as_of, key)))


Column = str | tuple[str, str]  # a header, or (header, "right") for numbers


def print_table(columns: Sequence[Column], rows: Sequence[Sequence[Any]], title: str | None = None,
                caption: str | None = None) -> None:
    """A rich table on stdout: the one way human output shows rows (no hand padding, no pandas dumps)."""
    from rich.table import Table

    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for col in columns:
        name, justify = (col, "left") if isinstance(col, str) else col
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


@contextmanager
def progress(description: str, total: int | None = None, quiet: bool = False) -> Iterator[Callable[..., None]]:
    """A transient progress display on stderr for work longer than about a second; silent when stderr is not
    a terminal (piped, cron) or ``quiet`` (``--json``). Yields ``advance(n=1, description=None)``."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=quiet or not err_console.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1, description: str | None = None) -> None:
            bar.update(task, advance=n, **({"description": description} if description else {}))

        yield advance


def scheduler_address(scheduler: str | None, store: Path | None = None) -> str | None:
    """The --scheduler option, else R2K_DASK_SCHEDULER, else None (local processes)."""
    return scheduler or settings(store).dask_scheduler
