"""``r2k report``: the main job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import AsOfOpt, StoreOpt, console, open_store, parse_date, settings, utc_now

DEFAULT_OUT = Path("reports/r2k-report.html")


def report_cmd(
    as_of: AsOfOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Output file; the format follows its suffix (.html, .md, .json).")] = DEFAULT_OUT,
    fmt: Annotated[str | None, typer.Option("--format", help="html, md or json (overrides the suffix).")] = None,
    symbol: Annotated[str, typer.Option("--symbol", help="Index series id.")] = "RUT",
    benchmark: Annotated[str, typer.Option("--benchmark", help="Benchmark series id.")] = "GSPC",
    store: StoreOpt = None,
) -> None:
    """Build the research report from the store as of a date: a self-contained HTML page (opens offline).

    Fill the store first with 'r2k data import DIR' (local CSVs) or 'r2k data fetch' (live providers).
    """
    from r2k.report import build_report, write_report

    cfg = settings(store)
    with open_store(store) as s:
        report = build_report(s, cfg, utc_now(), as_of=parse_date(as_of), symbol=symbol, benchmark=benchmark)
    path = write_report(report, out, fmt)
    console.print(f"report as of {report.as_of} with {len(report.sections)} sections written to {path}")


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
