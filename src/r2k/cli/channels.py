"""``r2k channels``: primary and secondary log-linear trend channels with their calculation trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from r2k.cli.common import AsOfOpt, JsonOpt, StoreOpt, UsageError, console, emit_json, open_store, parse_date

if TYPE_CHECKING:
    from r2k.analytics.trend_detect import TrendAnalysis, TrendChannel

HELP = """Primary and secondary trend channels of the index as of a date.

Method: Y = ln(close), X = calendar days from the origin (default: the window's first date), OLS Y = a + bX over the window; s = residual sd (n - 2 dof). Borders exp(a + bX +/- 2s), annual growth exp(365 b) - 1, channel spread exp(4 s) - 1. The as-of close is inside, above or below; its distance is measured from the border it is beyond (or the nearer border when inside), in points and percent of that border.

Without --start/--end the primary trend is detected; without --secondary-start the secondary trend is detected. Rule (only closes up to --as-of are used): weekly ln(close) is cut into straight-line segments by exact dynamic programming with a BIC penalty inflated by (1+rho)/(1-rho) for residual autocorrelation rho; primary = the most recent segment of at least 2 years with R^2 >= 0.5 that ended at most 5 years before --as-of (else the last segment); secondary = the last segment (at least 13 weeks) of a finer segmentation of the last coarse segment, ending at --as-of.

Caveat: +/-2s is not a 95% band. Daily residuals around a price trend are strongly autocorrelated (Durbin-Watson near 0), so the closes wander outside the channel for long stretches and out-of-sample coverage is far below 95%; see the Durbin-Watson, effective n and out-of-sample counts printed here.

Reversal signals: the close outside the primary channel against its direction (below a rising channel, above a falling one), and a secondary trend whose direction is opposite to the primary one.
"""


def _facts_table(result: TrendAnalysis) -> Table:
    table = Table("", "primary", "secondary", title=f"Key facts: {result.symbol} as of {result.as_of.date()}", title_justify="left")
    p, s = result.primary, result.secondary

    def row(label: str, fn: Callable[[TrendChannel], str]) -> None:
        table.add_row(label, fn(p), fn(s))

    row("window", lambda t: f"{t.fit.start.date()} .. {t.fit.end.date()} ({t.source})")
    row("origin / n", lambda t: f"{t.fit.origin.date()} / {t.fit.n}")
    row("a, b, s", lambda t: f"{t.fit.a:.6f}, {t.fit.b:.8f}, {t.fit.s:.6f}")
    row("direction", lambda t: t.fit.direction)
    row("annual growth", lambda t: f"{100 * t.fit.annual_growth:+.2f}%")
    row("channel spread", lambda t: f"{100 * t.fit.channel_spread:.2f}%")
    row("R²", lambda t: f"{t.fit.r2:.4f}")
    row("as-of close", lambda t: f"{t.as_of_close:,.2f}")
    row("as-of bottom .. top", lambda t: f"{t.position.bottom:,.2f} .. {t.position.top:,.2f}")
    row("position", lambda t: t.position.position)
    row("distance", lambda t: f"{t.position.distance_points:+,.2f} pts ({100 * t.position.distance_pct:+.2f}%) from {t.position.border}")
    row("Durbin-Watson / rho1", lambda t: f"{t.durbin_watson:.3f} / {t.rho1:.3f}")
    row("effective n", lambda t: f"{t.effective_n:.1f}")
    row("inside ±2s in window", lambda t: f"{100 * t.in_sample_inside_share:.1f}%")
    row("out of sample inside", lambda t: f"{t.oos_inside}/{t.oos_n}")
    row("Breusch-Pagan", lambda t: f"LM {t.breusch_pagan.statistic:.3g}, p {t.breusch_pagan.p_value:.3g}")
    return table


def _trail(t: TrendChannel) -> None:
    console.print(f"\n[bold]Calculation trail, {t.role} channel[/bold]")
    for line in t.fit.formulas():
        console.print(f"  {line}")
    for r in t.trail:
        console.print(f"  {r.label}: {r.date.date()}")
        for line in r.formulas:
            console.print(f"    {line}")


def channels_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index to analyse.")] = "RUT",
    start: Annotated[str | None, typer.Option("--start", help="Primary window start (YYYY-MM-DD); omit both --start and --end to detect.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Primary window end (default with --start: the as-of date).")] = None,
    secondary_start: Annotated[str | None, typer.Option("--secondary-start", help="Secondary window start; it ends at the as-of date. Omit to detect.")] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Date where X = 0 for both channels (default: each window's first date).")] = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    d_start, d_end = parse_date(start, "--start"), parse_date(end, "--end")
    d_sec, d_origin, d_as_of = parse_date(secondary_start, "--secondary-start"), parse_date(origin, "--origin"), parse_date(as_of)
    if d_start and d_end and d_start >= d_end:
        raise UsageError(f"--start {d_start} must be before --end {d_end}")
    if d_as_of and ((d_end and d_end > d_as_of) or (d_sec and d_sec >= d_as_of)):
        raise UsageError(f"the windows must end on or before --as-of {d_as_of}")
    from r2k.analytics.trend_detect import detect_trends

    with open_store(store) as s:
        close = s.series(symbol.upper(), as_of=d_as_of)
    primary = (d_start, d_end) if d_start or d_end else None
    result = detect_trends(close, as_of=d_as_of, primary=primary, secondary_start=d_sec, origin=d_origin)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(_facts_table(result))
    for sig in result.signals:
        console.print(f"{'[bold red]ACTIVE[/bold red]' if sig.active else 'no    '} {sig.name}: {sig.text}")
    if result.detection is not None:
        console.print(f"\nDetection rule: {result.detection.params.rule()}")
        if not result.detection.primary_criterion_met:
            console.print("No coarse segment met the primary criterion: the primary is the latest segment.")
    _trail(result.primary)
    _trail(result.secondary)


channels_cmd.__doc__ = HELP


def register(app: typer.Typer) -> None:
    app.command("channels")(channels_cmd)
