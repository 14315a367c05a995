"""Option bundles and helpers shared by every command (defined once, as in sqlite-utils).

CLI modules import the library inside command bodies, so `r2k --help` and each command load only what
they use (pandas, scipy, arch and torch take seconds to import).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, ConsoleDimensions

from r2k.config import Settings, load_settings
from r2k.errors import R2KError

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot
    from rich.text import Text

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


NUMBER_WIDTH = 18  # right-aligned cells up to this long are numbers: kept whole; longer ones may wrap
PIPED_WIDTH = 140  # off a terminal (pipes, files) and without $COLUMNS, tables get this width instead of rich's 80


def piped_width() -> int:
    """The width of tables written to a pipe or a file: $COLUMNS when it is a positive number (``COLUMNS=100 r2k ...
    | less``), else 140."""
    import os

    text = os.environ.get("COLUMNS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else PIPED_WIDTH


CONTROL_CODES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # escape sequences (ESC, CSI, OSC), bells, ...


def plain(value: Any) -> Text:
    """Text for the terminal taken literally: no Rich markup (``[link=...]``) and no control codes (a raw OSC 8
    hyperlink), whatever a data file put in a name."""
    from rich.text import Text

    return Text(CONTROL_CODES.sub("", "" if value is None else str(value)))


def print_table(columns: Sequence[Column], rows: Sequence[Sequence[Any]], title: str | None = None,
                caption: str | None = None) -> None:
    """A rich table on stdout: the one way human output shows rows (no hand padding, no pandas dumps). Cells,
    title and caption are plain text (:func:`plain`): data never becomes markup."""
    from rich import box
    from rich.table import Table

    # light rules, no outer edge: 10 numeric columns still fit 80 columns
    table = Table(title=None if title is None else plain(title), caption=None if caption is None else plain(caption),
                  title_justify="left", caption_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True,
                  show_header=any((c if isinstance(c, str) else c[0]) for c in columns))
    cells = [[plain(v) for v in row] for row in rows]
    for i, col in enumerate(columns):
        name, justify = (col, "left") if isinstance(col, str) else col
        # numbers are never cut ("-0.2…"): a narrow terminal wraps the header and the text columns instead
        widest = max((r[i].cell_len for r in cells if i < len(r)), default=0) if justify == "right" else None
        table.add_column(name, justify=justify,  # type: ignore[arg-type]
                         min_width=widest if widest is not None and widest <= NUMBER_WIDTH else None)
    for row in cells:
        table.add_row(*row)
    console.print(table)
    console.print()  # a blank line between one table and what follows


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
