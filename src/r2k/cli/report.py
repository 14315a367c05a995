"""``r2k report``: the main job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import AsOfOpt, JsonOpt, StoreOpt, console, emit_json, progress, snapshot, utc_now
from r2k.cli.monitor import NoLogOpt, log_published
from r2k.config import DEFAULT_REPORT

DEFAULT_OUT = DEFAULT_REPORT


# the outlook's progress line when its record is not in the store (r2k update publishes it)
SLOW_OUTLOOK = " (computing its weekly record: about a minute on an empty cache; r2k update stores it)"


def report_cmd(
    as_of: AsOfOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Output file; the format follows its suffix (.html, .md, .json, .pdf).")] = DEFAULT_OUT,
    fmt: Annotated[str | None, typer.Option("--format", help="html, md, json or pdf (overrides the suffix).")] = None,
    symbol: Annotated[str, typer.Option("--symbol", help="Index series id.")] = "RUT",
    benchmark: Annotated[str | None, typer.Option(
        "--benchmark", help="Benchmark series id (default GSPC when stored).", show_default=False)] = None,
    no_log: NoLogOpt = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the outlook report from the store as of a date: a self-contained HTML page (opens offline), or the
    same page as PDF (print layout: tables and charts are never split), Markdown or JSON.

    It opens with the outlook (the 4-week risk grade in words, the return view, the 52-week grade, key numbers, key
    points), then the strategic interaction table, the model and its testing (with the risk grades' weekly record),
    the financial outlook and the analysis sections.

    When the last close is more than 5 trading days old, or inputs of the outlook are stale, the report opens with a
    banner saying so (and this command prints it in one line).

    Fill the store first with 'r2k data import DIR' (local CSVs) or 'r2k data fetch' (live providers). The outlook's
    weekly record takes about a minute to compute on an empty cache; 'r2k update' keeps it in the store, and the
    report reads it from there.
    With --json, prints {as_of, version, path, format, sections} once the file is written.
    """
    from r2k.outfile import check_writable
    from r2k.outlook.record import record_published
    from r2k.report import build_report, write_report
    from r2k.report.render import format_for
    from r2k.report.sections import SECTION_MODULES

    kind = format_for(out, fmt)  # a bad suffix, an unwritable file or a bad date fails before the slow build
    out = check_writable(out)
    with snapshot(store, as_of, symbol, benchmark or "GSPC") as snap, \
            progress("building the report", total=len(SECTION_MODULES), quiet=as_json) as advance:
        snap.require_price(symbol, "--symbol")
        if benchmark is not None:
            snap.require_price(benchmark, "--benchmark")
        started: list[str] = []
        slow = {"outlook": SLOW_OUTLOOK} if not as_json and not record_published(snap) else {}

        def step(key: str) -> None:  # called before each section: the previous one is done
            advance(1 if started else 0, description=f"section: {key.replace('_', ' ')}{slow.get(key, '')}")
            started.append(key)

        report = build_report(snap, utc_now(), on_section=step)
    path = write_report(report, out, kind)
    if not no_log:
        log_published(store, report.published, "r2k report")
    if as_json:
        emit_json({"path": path, "format": kind, "sections": [x.key for x in report.sections]}, as_of=report.as_of)
        return
    console.print(f"Report as of {report.as_of} ({len(report.sections)} sections) written to {path}", markup=False)
    if report.data_age is not None and report.data_age.warn:
        console.print(f"{report.data_age.lead()} {report.data_age.text()}", style="yellow", markup=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
