"""``r2k channels``: primary and secondary log-linear trend channels with their calculation trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from r2k.cli.common import (AsOfOpt, JsonOpt, StoreOpt, UsageError, console, emit_json, given_as_of, open_store, parse_date,
                            print_table, progress)

if TYPE_CHECKING:
    from r2k.analytics.trend_detect import TrendAnalysis, TrendChannel

HELP = """Primary and secondary trend channels of the index as of a date.

Method: Y = ln(close), X = calendar days from the origin (default: the window's first date), OLS Y = a + bX over the window; s = residual sd (n - 2 dof). Borders exp(a + bX +/- 2s), annual growth exp(365 b) - 1, channel spread exp(4 s) - 1. The as-of close is inside, above or below; its distance is measured from the border it is beyond (or the nearer border when inside), in points and percent of that border.

Without --start/--end the primary trend is detected; without --secondary-start the secondary trend is detected. Rule (only closes up to --as-of are used): weekly ln(close) is cut into straight-line segments by exact dynamic programming with a BIC penalty inflated by (1+rho)/(1-rho) for residual autocorrelation rho; primary = the most recent segment of at least 2 years with R^2 >= 0.5 that ended at most 5 years before --as-of (else the last segment); secondary = the last segment (at least 13 weeks) of a finer segmentation of the last coarse segment, ending at --as-of.

Caveat: +/-2s is not a 95% band. Daily residuals around a price trend are strongly autocorrelated (Durbin-Watson near 0), so the closes wander outside the channel for long stretches and out-of-sample coverage is far below 95%; see the Durbin-Watson, effective n and out-of-sample counts printed here.

Reversal signals: the close outside the primary channel against its direction (below a rising channel, above a falling one), and a secondary trend whose direction is opposite to the primary one.

Output: the answer first (where the close stands in each channel, the active signals), then the facts of both channels; --explain adds the detection rule and the calculation trail (every formula with its numbers).
"""


SIGNAL_NAMES = {"primary_break": "close beyond the primary channel against its direction",
                "secondary_opposite": "secondary trend opposite to the primary",
                "secondary_break": "close beyond the secondary channel against its direction"}


def _print_facts(result: TrendAnalysis) -> None:
    from r2k.cli.fmt import count, index_name, num, p_value, pct

    p, s = result.primary, result.secondary

    def row(label: str, fn: Callable[[TrendChannel], str]) -> list[str]:
        return [label, fn(p), fn(s)]

    rows = [
        row("window", lambda t: f"{t.fit.start.date()} .. {t.fit.end.date()} ({t.source})"),
        row("origin (X = 0) / closes", lambda t: f"{t.fit.origin.date()} / {count(t.fit.n)}"),
        row("a, b (per day), s", lambda t: f"{t.fit.a:.6f}, {t.fit.b:.8f}, {t.fit.s:.6f}"),
        row("direction", lambda t: t.fit.direction),
        row("annual growth", lambda t: pct(t.fit.annual_growth, 2, True)),
        row("channel spread", lambda t: pct(t.fit.channel_spread, 2)),
        row("R²", lambda t: num(t.fit.r2, 4)),
        row("close", lambda t: num(t.as_of_close)),
        row("bottom .. top", lambda t: f"{num(t.position.bottom)} .. {num(t.position.top)}"),
        row("position", lambda t: t.position.position),
        row("distance", lambda t: f"{num(t.position.distance_points, 2, True)} points ({pct(t.position.distance_pct, 2, True)}) "
                                  f"from the {t.position.border}"),
        row("Durbin-Watson / lag-1 autocorrelation", lambda t: f"{num(t.durbin_watson, 3)} / {num(t.rho1, 3)}"),
        row("effective number of closes", lambda t: num(t.effective_n, 1)),
        row("closes inside ±2s in the window", lambda t: pct(t.in_sample_inside_share, 1)),
        row("closes inside after the window", lambda t: f"{count(t.oos_inside)} of {count(t.oos_n)}"),
        row("Breusch-Pagan (residual variance)", lambda t: f"LM {t.breusch_pagan.statistic:.3g}, p {p_value(t.breusch_pagan.p_value)}"),
    ]
    print_table(["", "primary", "secondary"], rows,
                title=f"Trend channels of the {index_name(result.symbol)} as of {result.as_of.date()}")


def _answer(result: TrendAnalysis) -> None:
    """Where the close stands, in words, before any table."""
    from r2k.cli.fmt import index_name, num, pct

    console.print(f"[bold]{index_name(result.symbol)}[/bold] closed at {num(result.primary.as_of_close)} on "
                  f"{result.as_of.date()}.")
    for t in (result.primary, result.secondary):
        p = t.position
        side = "above" if p.distance_pct > 0 else "below"
        where = ("inside the channel" if p.position == "inside" else f"{p.position} the channel") + \
            f" ({num(p.bottom)} .. {num(p.top)}), {pct(abs(p.distance_pct), 1)} {side} its {p.border}"
        console.print(f"  {t.role.capitalize()} trend since {t.fit.start.date()}: {t.fit.direction}, "
                      f"{pct(t.fit.annual_growth, 1, True)} a year; the close is {where}.", markup=False,
                      soft_wrap=not console.is_terminal)
    active = [SIGNAL_NAMES.get(sig.name, sig.name.replace("_", " ")) for sig in result.signals if sig.active]
    console.print(f"  Reversal signals: {'; '.join(active) if active else 'none active'}.", markup=False,
                  soft_wrap=not console.is_terminal)
    console.print()


def _trail(t: TrendChannel) -> None:
    console.print(f"[bold]Calculation trail, {t.role} channel[/bold]")
    for line in t.fit.formulas():
        console.print(f"  {line}", soft_wrap=not console.is_terminal)
    for r in t.trail:
        console.print(f"  {r.label}: {r.date.date()}", soft_wrap=not console.is_terminal)
        for line in r.formulas:
            console.print(f"    {line}", soft_wrap=not console.is_terminal)
    console.print()


def channels_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index to analyse.")] = "RUT",
    start: Annotated[str | None, typer.Option("--start", help="Primary window start (YYYY-MM-DD); omit both --start and --end to detect.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Primary window end (default with --start: the as-of date).")] = None,
    secondary_start: Annotated[str | None, typer.Option("--secondary-start", help="Secondary window start; it ends at the as-of date. Omit to detect.")] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Date where X = 0 for both channels (default: each window's first date).")] = None,
    as_of: AsOfOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Also print the detection rule and the calculation trail.")] = False,
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
        d_as_of = given_as_of(s, as_of, symbol.upper())  # after the last close: clamped to it, with one warning
        close = s.series(symbol.upper(), as_of=d_as_of)
    primary = (d_start, d_end) if d_start or d_end else None
    with progress("fitting trend channels", quiet=as_json):
        result = detect_trends(close, as_of=d_as_of, primary=primary, secondary_start=d_sec, origin=d_origin)
    if as_json:
        emit_json(result.to_dict())
        return
    _answer(result)
    _print_facts(result)
    print_table(["reversal signal", "active", "why"],
                [[SIGNAL_NAMES.get(sig.name, sig.name.replace("_", " ")), "ACTIVE" if sig.active else "no", sig.text]
                 for sig in result.signals], title="Reversal signals")
    if not explain:
        console.print("The detection rule and the calculation trail: r2k channels --explain", markup=False)
        return
    if result.detection is not None:
        console.print(f"Detection rule: {result.detection.params.rule()}", soft_wrap=not console.is_terminal)
        if not result.detection.primary_criterion_met:
            console.print("No coarse segment met the primary criterion: the primary is the latest segment.")
        console.print()
    _trail(result.primary)
    _trail(result.secondary)


channels_cmd.__doc__ = HELP


def register(app: typer.Typer) -> None:
    app.command("channels")(channels_cmd)
