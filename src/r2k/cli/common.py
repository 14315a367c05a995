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
from rich.console import Console, ConsoleDimensions

from r2k.config import Settings, load_settings
from r2k.errors import R2KError
from r2k.terminal import plain, rich_table  # noqa: F401 - plain: the commands' literal text, defined once

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

    from r2k.store import Store

# The one output contract (docs/cli.md): human output on stdout through `console` (rich tables, no
# highlighter colouring digits inside dates), progress and notes on stderr, `--json` an object with
# `as_of`, `version` and the command's payload.
class _Console(Console):
    """A console whose text lines wrap only in a terminal: piped, each printed line stays one line, and tables are
    laid out $COLUMNS wide (140 when it is not set: rich's 80 would wrap most tables)."""

    def _size(self) -> ConsoleDimensions:
        dims = Console.size.fget(self)  # type: ignore[attr-defined]
        return dims if self.is_terminal else ConsoleDimensions(piped_width(), dims.height)

    size = property(_size, Console.size.fset)  # type: ignore[assignment, attr-defined]

    @property
    def soft_wrap(self) -> bool:  # type: ignore[override]
        return not self.is_terminal

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:  # rich's constructor sets it; the terminal decides instead
        pass


console = _Console(highlight=False)
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
    """A command-line value is malformed or does not fit the others (one option's value alone: r2k.errors.InputError)."""


class Interrupted(R2KError):
    """Ctrl-C: the message says whether the store changed (exit code 130)."""


def settings(store: Path | None) -> Settings:
    return load_settings().with_store(store)


UPDATED_STORES: set[Path] = set()  # stores this process committed a write to: a later Ctrl-C still says so


def interrupted(opened: Store | None = None) -> Interrupted:
    """Ctrl-C in words: whether the store was updated (or unchanged, when one was open and nothing committed)."""
    if UPDATED_STORES or (opened is not None and opened.commits):
        return Interrupted("interrupted (the store was updated)")
    return Interrupted("interrupted" if opened is None else "interrupted (the store is unchanged)")


@contextmanager
def open_store(store: Path | None, read_only: bool = True) -> Iterator[Store]:
    """The store, for the command's body; Ctrl-C inside it (DuckDB's interrupt included, and while closing) ends
    in one line saying whether the store changed."""
    from r2k.store import Store
    from r2k.store.transaction import is_interrupt

    s = Store(settings(store).store_path, read_only=read_only)
    try:
        with s:
            yield s
    except BaseException as exc:
        if is_interrupt(exc):
            raise interrupted(s) from None
        raise
    finally:
        if s.commits:
            UPDATED_STORES.add(s.path)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    """The CLI's dates: :func:`r2k.params.parse_date` with the option's name in messages."""
    from r2k.params import parse_date as parse

    return parse(value, option)


def parse_int_list(value: str, option: str = "--horizons") -> list[int]:
    """Horizons in trading days, with the web API's limits (:func:`r2k.params.parse_horizons`)."""
    from r2k.params import parse_horizons

    return list(parse_horizons(value, option))


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


@contextmanager
def snapshot(store: Path | None, as_of: str | date | None = None, symbol: str = "RUT", benchmark: str = "GSPC",
             read_only: bool = True) -> Iterator[Snapshot]:
    """The command's one :class:`r2k.snapshot.Snapshot`: the store opened, ``--as-of`` resolved by the one as-of
    rule (a date after the last close is clamped to it, with a note on stderr)."""
    from r2k.snapshot import Snapshot

    day = parse_date(as_of) if isinstance(as_of, str) or as_of is None else as_of
    with open_store(store, read_only=read_only) as s:
        snap = Snapshot(s, day, symbol, benchmark, settings(store))
        warn_once(snap.note)
        yield snap


def given_as_of(store: Store, as_of: str | None, symbol: str = "RUT") -> date | None:
    """``--as-of`` resolved by the one as-of rule (clamped to the last close, with a note) when given; None keeps the
    command's own default (e.g. the latest holdings date of ``constituents``)."""
    from r2k.snapshot import resolve

    day = parse_date(as_of)
    if day is None:
        return None
    resolved = resolve(store, day, symbol)
    warn_once(resolved.note)
    return resolved.day


WARNED: set[str] = set()  # warnings this process printed: a command that opens two snapshots says it once


def warn_once(message: str | None) -> None:
    """One line on stderr ("warning: ..."), once per process; nothing for None (e.g. an as-of date that needed no
    clamping)."""
    if message and message not in WARNED:
        WARNED.add(message)
        typer.echo(f"warning: {message}", err=True)


def emit_json(payload: Mapping[str, Any] | Sequence[Any], as_of: date | None = None, key: str = "items") -> None:
    """Print the command's result under the JSON contract (:func:`r2k.serialize.envelope`)."""
    from r2k.serialize import dumps, envelope

    typer.echo(dumps(envelope(payload, as_of, key)))


Column = str | tuple[str, str]  # a header, or (header, "right") for numbers


PIPED_WIDTH = 140  # off a terminal (pipes, files) and without $COLUMNS, tables get this width instead of rich's 80


def piped_width() -> int:
    """The width of tables written to a pipe or a file: $COLUMNS when it is a positive number (``COLUMNS=100 r2k ...
    | less``), else 140."""
    import os

    text = os.environ.get("COLUMNS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else PIPED_WIDTH


def print_table(columns: Sequence[Column], rows: Sequence[Sequence[Any]], title: str | None = None,
                caption: str | None = None) -> None:
    """A rich table on stdout (:func:`r2k.terminal.rich_table`, the report's tables' layout too): the one way human
    output shows rows (no hand padding, no pandas dumps)."""
    cols = [(c, "left") if isinstance(c, str) else c for c in columns]
    console.print(rich_table([name for name, _ in cols], rows, [j == "right" for _, j in cols], title, caption))
    console.print()  # a blank line between one table and what follows


def print_blocks(blocks: Sequence[Any]) -> None:
    """Report blocks (:mod:`r2k.report.blocks`) on stdout through :func:`r2k.report.blocks.to_rich`: the report's own
    tables and words, a blank line after each table as :func:`print_table` leaves."""
    from rich.table import Table

    from r2k.report.blocks import to_rich

    for r in to_rich(blocks):
        console.print(r, soft_wrap=not console.is_terminal and not isinstance(r, Table))
        if isinstance(r, Table):
            console.print()


@contextmanager
def progress(description: str, total: int | None = None, quiet: bool = False) -> Iterator[Callable[..., None]]:
    """A transient progress display on stderr for work longer than about a second; silent when stderr is not
    a terminal (piped, cron) or ``quiet`` (``--json``). Yields ``advance(n=1, description=None, total=None)``
    (``total`` sets the bar's length once the work is known; ``n=0`` with it only resizes)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=quiet or not err_console.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1, description: str | None = None, total: float | None = None) -> None:
            bar.update(task, advance=n, **({"description": description} if description else {}),
                       **({"total": total} if total is not None else {}))

        yield advance


def scheduler_address(scheduler: str | None, store: Path | None = None) -> str | None:
    """The --scheduler option, else R2K_DASK_SCHEDULER, else None (local processes); a malformed address is
    refused here, before any work."""
    from r2k.parallel import check_scheduler_address

    address = scheduler or settings(store).dask_scheduler
    return check_scheduler_address(address) if address else None
