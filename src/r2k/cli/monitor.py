"""``r2k score``, ``r2k status`` and ``r2k update``: the forecast log's realised record, drift status, and
the scheduled job."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from r2k.cli.common import (
    AsOfOpt, JsonOpt, StoreOpt, SymbolOpt, UsageError, console, emit_json, open_store, parse_date, print_table, progress,
    settings, snapshot, utc_now,
)
from r2k.config import DEFAULT_REPORT

NoLogOpt = Annotated[bool, typer.Option("--no-log", help="Do not write the forecasts to the forecast log.")]


def log_published(store: Path | None, shown: Iterable[tuple[Any, Any]], source: str) -> None:
    """Write the (forecast, outlook or None) pairs a command showed to the forecast log through the one writer,
    :func:`r2k.monitor.service.publish` (idempotent: a repeat changes nothing)."""
    from r2k.monitor.service import publish

    shown = list(shown)
    if not shown:
        return
    now = utc_now()
    with open_store(store, read_only=False) as s:
        for result, outlook in shown:
            publish(s, result, source=source, now=now, outlook=outlook)


WalkForwardOpt = Annotated[bool, typer.Option("--walk-forward/--no-walk-forward",
                                              help="Also re-run the model weekly over the last year and judge that record.")]


def score_cmd(
    symbol: SymbolOpt = "RUT",
    as_of: AsOfOpt = None,
    walk_forward: WalkForwardOpt = True,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Score every logged forecast whose target date now has a close (CRPS, PIT, 80%/90% interval hit,
    direction), then show the live record next to a recent walk-forward record and the status.

    Status (docs/monitoring.md), over the last 52 weeks of realised targets: healthy; degraded when the
    CRPS skill against climatology is below -2% or the coverage (Kupiec) or PIT calibration (Berkowitz)
    test has p < 0.01; failing below -5% or p < 0.001; insufficient with too few realised forecasts.
    """
    from r2k.monitor.service import monitor_status, score_forecasts

    with snapshot(store, as_of, symbol, read_only=False) as snap, progress("scoring the forecast log", quiet=as_json):
        snap.require_price(symbol, "--symbol")
        run = score_forecasts(snap.store, utc_now(), symbol)
        status = monitor_status(snap, walk_forward=walk_forward)
    if as_json:
        emit_json({"scored": run.to_dict(), "status": status.to_dict()}, as_of=status.as_of)
        return
    console.print(f"Scored {run.write.rows_new:,} new forecasts ({run.n_realised:,} of {run.n_logged:,} logged forecasts "
                  "are realised).")
    print_status(status.to_dict())


def print_status(d: dict[str, Any]) -> None:
    """The monitor status as a table of records (live log, recent walk-forward) with their evidence below."""
    from r2k.cli.fmt import count, day
    from r2k.monitor.table import STATUS_COLUMNS, status_records, status_rows
    from r2k.outlook.source import MODEL_SHORT

    model = MODEL_SHORT.get(d["model"], d["model"])
    console.print(f"[bold]Status of the {model} model[/bold] ({d['model_version']}) as of {day(d['as_of'])}: "
                  f"[bold]{d['status']}[/bold] - {d['words']}", markup=True)
    records = status_records(d)
    print_table(list(STATUS_COLUMNS), status_rows(d, na=""),
                title=f"Forecast records over the last 52 weeks ({count(d['n_logged'])} logged, {count(d['n_scored'])} scored)")
    console.print(f"Forecast log: {d['log_words']}.", markup=False)
    for c in records:
        for e in c.get("evidence", []):
            console.print(f"{c['label']}: {e}", markup=False)


def update_cmd(
    data: Annotated[Path | None, typer.Option("--data", help="Import this CSV directory instead of fetching from the live providers.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last date to fetch (default: the last finished New York session).")] = None,
    symbol: SymbolOpt = "RUT",
    out: Annotated[Path | None, typer.Option("--out", help="Report file to rebuild (.html, .md or .json).")] = DEFAULT_REPORT,
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip rebuilding the report.")] = False,
    walk_forward: WalkForwardOpt = True,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The scheduled job: fetch new data (or import --data DIR), refit every model on all data to date,
    forecast and log, score realised forecasts, keep the outlook's weekly record and the status's walk-forward in
    the store (the report, the outlook and the dashboard read them back instead of recomputing them), report the
    status, rebuild the report.

    Idempotent: a second run with no new data changes nothing in the store. A failed fetch or import leaves
    the store as it was and exits 1 with one line. Schedule it with cron or a systemd timer (docs/monitoring.md).
    """
    from r2k.cli.data import default_end
    from r2k.jobs.update import run_update

    if data is not None and not data.is_dir():
        raise UsageError(f"--data {data}: not a directory")
    if out is not None and not no_report:
        from r2k.outfile import check_writable
        from r2k.report.render import format_for

        format_for(out, None)
        out = check_writable(out)  # before the import, the forecasts and the log, not after them
    cfg = settings(store)
    now = utc_now()
    fetch_end = parse_date(end, "--end") or default_end(now)
    with progress("update", quiet=as_json) as advance:
        result = run_update(cfg.store_path, cfg, now, data_dir=data, fetch_end=fetch_end, symbol=symbol,
                            report_out=None if no_report else out, walk_forward=walk_forward,
                            on_step=lambda words: advance(0, description=words))
    if as_json:
        emit_json(result.to_dict())
        return
    d = result.data
    print_table(["step", "result"], [
        ["data", f"{d['action']}: {d['rows_new']:,} new rows, {d['rows_changed']:,} changed"],
        ["forecast", f"from the close of {result.origin}: {result.logged.rows_new:,} forecasts logged "
                     f"({result.logged.rows_unchanged:,} already in the log)"],
        ["scoring", f"{result.scored.n_realised:,} of {result.scored.n_logged:,} logged forecasts realised "
                    f"({result.scored.write.rows_new:,} newly scored)"],
        ["outlook record", f"published as of {result.record.as_of} (the report and the dashboard read it)"
                           if result.record else "none: the as-of date is not after the tuning cutoff, or too little data"],
        ["report", f"written to {result.report}" if result.report else "not rebuilt"],
    ], title=f"Update as of {result.origin}")
    print_status(result.status.to_dict())


def register(app: typer.Typer) -> None:
    app.command("score")(score_cmd)
    app.command("update")(update_cmd)
