"""``r2k factors`` (the point-in-time factor dashboard) and ``r2k cycle`` (the economic-cycle phase)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from r2k.cli.common import (
    AsOfOpt,
    JsonOpt,
    StoreOpt,
    console,
    emit_json,
    latest_date,
    open_store,
    parse_date,
    require_price,
)

# the as-of default: the last stored date of the 10y-2y curve (a daily series)
DEFAULT_CLOCK = "T10Y2Y"


def _fmt(x: float, digits: int = 3) -> str:
    return "n/a" if x != x else f"{x:.{digits}g}"


def register(app: typer.Typer) -> None:
    @app.command("factors")
    def factors_cmd(store: StoreOpt = None, as_of: AsOfOpt = None, json: JsonOpt = False) -> None:
        """Each macro factor's point-in-time value, 10-year z-score and direction, grouped by concept.

        Direction: the z-score change over 63 trading days (> +0.25 rising, < -0.25 falling, else flat).
        'released' is the publication date of the value used (release lags: docs/factors.md).
        """
        from r2k.features.analysis import factor_dashboard

        with open_store(store) as s:
            day: date = latest_date(s, DEFAULT_CLOCK, parse_date(as_of))
            result = factor_dashboard(s, day)
        if json:
            emit_json(result.to_dict())
            return
        console.print(f"[bold]Factors as of {result.as_of}[/bold] (direction: z change over "
                      f"{result.lookback_days} trading days, +/-{result.threshold})")
        for concept, readings in result.by_concept().items():
            console.print(f"[bold]{concept}[/bold]  mean z {_fmt(result.concept_z()[concept], 2)}")
            for r in readings:
                console.print(f"  {r.name:<20} {_fmt(r.value, 5):>10}  z {_fmt(r.z, 2):>6}  {r.direction:<7} "
                              f"obs {r.obs_date}  released {r.released}" + ("  STALE" if r.stale else ""),
                              soft_wrap=True, markup=False)
        if result.stale():
            typer.echo(f"warning: {len(result.stale())} factor(s) are older than their release rule allows (STALE): "
                       + ", ".join(r.name for r in result.stale()), err=True)

    @app.command("cycle")
    def cycle_cmd(
        store: StoreOpt = None,
        as_of: AsOfOpt = None,
        json: JsonOpt = False,
        symbol: Annotated[str | None, typer.Option(
            "--symbol", help="Index whose returns by phase --history shows (default RUT when stored).",
            show_default=False)] = None,
        history: Annotated[bool, typer.Option("--history", help="Add the NBER (USREC) validation table and "
                                              "the index's forward returns and volatility by phase.")] = False,
    ) -> None:
        """The economic-cycle phase (early, mid, late, recession) and the rules behind it (docs/factors.md)."""
        from r2k.features.analysis import cycle_report

        with open_store(store) as s:
            day = latest_date(s, DEFAULT_CLOCK, parse_date(as_of))
            if symbol is not None:
                require_price(s, symbol)
            result = cycle_report(s, day, symbol=(symbol or "RUT").upper(), with_history=history)
        if json:
            emit_json(result.to_dict())
            return
        cur = result.current
        console.print(f"[bold]Cycle phase on {cur.date}: {cur.phase}[/bold] (recession score {cur.recession_score}/4, "
                      f"early {cur.early_score}/4, late {cur.late_score}/4)")
        for e in cur.evidence:
            mark = "FIRED" if e.fired else "-"
            console.print(f"  {e.group:<9} {e.rule:<16} {e.input:<15} {_fmt(e.value):>8}  {e.threshold:<8} {mark}")
        if history and result.validation is not None:
            console.print(result.validation.summary(), markup=False, soft_wrap=True)
        if history and result.returns is not None:
            console.print(result.returns.summary(), markup=False, soft_wrap=True)
