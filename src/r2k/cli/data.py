"""``r2k data``: import, fetch and inspect the stored series."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from r2k.cli.common import (
    AsOfOpt,
    JsonOpt,
    StoreOpt,
    UsageError,
    console,
    emit_json,
    open_store,
    parse_date,
    plain,
    progress,
    settings,
    utc_now,
)

if TYPE_CHECKING:
    from r2k.store import Store
    from r2k.macro.freshness import Freshness
    from r2k.store.duck import ImportSummary, SeriesInfo

data_app = typer.Typer(help="Import, fetch and inspect the stored series.", no_args_is_help=True)

SETTLED_NY = time(18, 0)  # a session's daily bar is final a while after the 16:00 New York close


def default_end(now_utc: datetime) -> date:
    """The last New York date whose daily bar is final: today from 18:00 New York time, else yesterday.

    Fetching up to "today" during the session would store an intraday price as that day's close.
    """
    ny = now_utc.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("America/New_York"))
    return ny.date() if ny.time() >= SETTLED_NY else ny.date() - timedelta(days=1)


def _print_summary(summary: ImportSummary, verb: str) -> None:
    touched = [s for s in summary.series if s.rows_new or s.rows_changed]
    console.print(
        f"{verb} {len(summary.series)} series: {summary.rows_new} new rows, {summary.rows_changed} changed, "
        f"{summary.rows_unchanged} unchanged ({len(touched)} series modified)"
    )


@data_app.command("import")
def import_cmd(
    directory: Annotated[
        Path | None, typer.Argument(help="Directory of CSV files, searched recursively (default: $R2K_DATA_DIR).")
    ] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Delete stored rows whose dates a file no longer has (deleted or blanked rows).")] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import every *.csv below DIRECTORY: one series per file, id = upper-case file stem.

    Price files have a date column plus any of open,high,low,close,adj_close,volume; macro files have
    date,value. Downloads are recognised by their header: Yahoo Finance, FRED, Nasdaq, Stooq and any
    date,<one numeric column> (docs/providers.md). A provider symbol as file name (^RUT.csv) takes its
    catalog id (RUT). Empty cells mean "not available". The whole import is one transaction: a bad file stops
    it with an error naming the file and line, and the store is left as it was. Re-importing the same
    data changes nothing.
    """
    from r2k.providers.csvdir import series_files
    from r2k.store.ingest import import_directory

    directory = directory or settings(store).data_dir
    if directory is None:
        raise UsageError("no DIRECTORY given and R2K_DATA_DIR is not set")
    if not Path(directory).expanduser().is_dir():  # checked before the store is opened: no empty store is created
        raise UsageError(f"{directory}: not a directory")
    now = utc_now()
    with open_store(store, read_only=False) as s:
        with progress("reading", quiet=as_json) as advance:
            summary, skipped = import_directory(s, directory, now, on_file=lambda sid: advance(description=f"reading {sid}"),
                                                replace=replace, not_after=now.date())
    renamed = {f.path.name: f.series_id for f in series_files(Path(directory))[0] if f.renamed}
    if as_json:
        emit_json({**summary.to_dict(), "skipped": [str(p) for p in skipped], "renamed": renamed})
        return
    for name, sid in renamed.items():
        console.print(f"{name} -> {sid} (the catalog id of that symbol)", highlight=False)
    _print_summary(summary, "imported")
    gone = [s for s in summary.series if s.rows_missing]
    if gone:
        names = ", ".join(f"{s.series_id} ({s.rows_missing})" for s in gone)
        if summary.rows_deleted:
            console.print(f"deleted {summary.rows_deleted} stored rows the files no longer have: {names}", highlight=False, soft_wrap=True)
        else:
            console.print(f"{summary.rows_missing} stored rows are not in the files any more (kept; --replace deletes "
                          f"them): {names}", highlight=False, soft_wrap=True)
    if skipped:
        console.print(f"skipped {len(skipped)} non-series CSV files (text, holdings, dividends)")


@data_app.command("fetch")
def fetch_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Series ids (default: every id in the catalog).")] = None,
    end: Annotated[str | None, typer.Option(
        "--end", help="Last date to fetch (default: the last finished session: today from 18:00 New York time, else yesterday).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Refresh series from the live providers (Yahoo Finance for prices, FRED for macro).

    Incremental: for a stored series only the dates after its last stored date (less a small overlap
    for revisions) are requested. Offline, it fails within seconds and the store is untouched.
    """
    from r2k.store.refresh import refresh

    last = parse_date(end, "--end") or default_end(utc_now())
    with open_store(store, read_only=False) as s:
        with progress("fetching", quiet=as_json) as advance:
            summary = refresh(s, [i.upper() for i in ids] if ids else None, last, utc_now(),
                              on_series=lambda sid: advance(description=f"fetched {sid}"))
    if as_json:
        emit_json(summary.to_dict())
    else:
        _print_summary(summary, "fetched")


@data_app.command("status")
def status_cmd(store: StoreOpt = None, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """One row per stored series: first, last, rows, age, cadence, stale flag and source.

    Age is the as-of date minus the series' last date. A series is stale when its next value was due by
    then (its cadence plus its release lag and a few days' slack) and is not in the store. With --as-of the
    store is shown as known at that date; without it, every stored row, with ages measured at the last
    Russell 2000 close (docs/providers.md, "Data freshness").
    """
    from r2k.macro.freshness import freshness
    from r2k.providers.registry import source_label

    given = parse_date(as_of)
    with open_store(store) as s:
        stored = s.status()
        day, words = _status_as_of(s, stored, given)
        infos = s.status(day) if given is not None else stored
    ages = {f.id: f for f in freshness(infos, day)} if day else {}
    later = [i.id for i in stored if day and i.last and i.last > day]
    if as_json:
        keep = lambda d: {k: v for k, v in d.items() if k not in ("id", "kind", "last", "as_of")}  # noqa: E731
        emit_json({"series": [{**i.to_dict(), "source_name": source_label(i.source),
                               **(keep(ages[i.id].to_dict()) if i.id in ages else {})} for i in infos],
                   "stale": [f.id for f in ages.values() if f.stale], "rows_after_as_of": later}, as_of=day)
        return
    _status_table(infos, ages, f"Stored series {words}", later, counted=given is None)


def _status_table(infos: list[SeriesInfo], ages: dict[str, Freshness], title: str, later: list[str],
                  counted: bool) -> None:
    """The status table, narrow enough for an 80-column terminal (dates and numbers never wrap)."""
    from rich import box
    from rich.table import Table

    from r2k.macro.freshness import DAILY_GRACE_SESSIONS
    from r2k.providers.registry import source_label

    stale = [f.id for f in ages.values() if f.stale]
    caption = (f"Age: days from the last value to the as-of date. {len(stale)} of {len(infos)} series are stale: "
               f"their next value was due by the as-of date (daily: within {DAILY_GRACE_SESSIONS} trading days; "
               "weekly, monthly, quarterly: the cadence plus the release lag and a few days) and is not in the store.")
    if later:
        caption += f" {len(later)} series have rows after the as-of date" + (" (age 0)." if counted else
                                                                             " (not counted here).")
    table = Table(title=title, caption=caption if infos else None, title_justify="left", caption_justify="left",
                  box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
    for name in ("id", "first", "last", "rows", "age", "cadence", "stale", "source"):
        wrap = name in ("cadence", "source")
        table.add_column(name, justify="right" if name in ("rows", "age") else "left", no_wrap=not wrap,
                         ratio=1 if wrap else None, overflow="fold")
    for i in infos:
        f = ages.get(i.id)
        age = "" if f is None or f.age_days is None else f"{f.age_days:,}"
        table.add_row(plain(i.id), str(i.first or ""), str(i.last or ""), f"{i.rows:,}", age, f.cadence_text if f else "",
                      "STALE" if f and f.stale else "", plain(source_label(i.source)))  # a file name is data
    console.print(table)


def _status_as_of(s: Store, stored: list, given: date | None) -> tuple[date | None, str]:
    """The date ages are measured at and how to say it: --as-of as given (a freshness check measures the data
    against the date you name, even one after the last close), else the last index close (the one as-of rule),
    else (no price series) the latest stored date."""
    from r2k.errors import StoreError
    from r2k.snapshot import resolve

    if not stored:
        return given, "(empty store)"
    if given is not None:
        return given, f"as of {given}"
    try:
        day = resolve(s)
    except StoreError:  # macro series only: no index close to date by
        last = max((i.last for i in stored if i.last is not None), default=None)
        return last, f"as of {last}" if last else ""
    return day.day, day.words()


@data_app.command("export")
def export_cmd(
    series_id: Annotated[str, typer.Argument(help="Series id (see 'r2k data status').", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Output file: .csv or .parquet (the suffix picks the format).",
                                      show_default=False)],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Export the series as known at this date (YYYY-MM-DD): no later rows, and for macro "
        "series with stored vintages the values published by then; default: every stored row.")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write one stored series to a file, with its stored columns (prices: date,open,high,low,close,adj_close,
    volume; macro: date,value). The CSV re-imports with 'r2k data import' to the same rows."""
    from r2k.store.export import export_format, export_series

    day = parse_date(as_of)
    export_format(out)  # a bad suffix fails before the store is opened
    with open_store(store) as s:
        result = export_series(s, series_id, out, day)
    if as_json:
        emit_json(result.to_dict(), as_of=day)
        return
    span = f"{result.first} to {result.last}" if result.rows else "no rows"
    known = f" as known on {day}" if day else ""
    console.print(f"wrote {result.rows:,} rows of {result.series_id}{known} ({span}) to {result.path.name}")


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
