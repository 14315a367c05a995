"""Primary and secondary trend channels: a log-price chart, the key facts and the reversal signals."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from r2k.analytics.trend_detect import TrendAnalysis, TrendChannel, detect_trends
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, html_table, md_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHART_YEARS = 10
NOTE = ("±2s is not a 95% band: residuals around a price trend are strongly autocorrelated (Durbin–Watson "
        "near 0), so closes leave the channel in long excursions; read the out-of-sample and hold-out counts.")


def _draw(ax: Axes, t: TrendChannel, color: str, as_of: pd.Timestamp) -> None:
    inside = pd.date_range(t.fit.start, t.fit.end, freq="D")
    for fn, lw in ((t.fit.top, 1.0), (t.fit.center, 0.6), (t.fit.bottom, 1.0)):
        ax.plot(inside, fn(inside), color=color, lw=lw, ls="-")
    if as_of > t.fit.end:
        ahead = pd.date_range(t.fit.end, as_of, freq="D")
        for fn in (t.fit.top, t.fit.center, t.fit.bottom):
            ax.plot(ahead, fn(ahead), color=color, lw=0.9, ls="--")
    ax.plot([], [], color=color, label=f"{t.role} {t.fit.start.date()}..{t.fit.end.date()} ({100 * t.fit.annual_growth:+.1f}%/yr)")


def _chart(close: pd.Series, result: TrendAnalysis) -> str:
    as_of = result.as_of
    first = min(as_of - pd.DateOffset(years=CHART_YEARS), result.primary.fit.start - pd.DateOffset(months=6))
    shown = close.loc[first:as_of]
    fig, ax = new_figure()
    ax.plot(shown.index, shown.to_numpy(), color=COLORS["index"], lw=0.8, label=f"{result.symbol} close")
    _draw(ax, result.primary, COLORS["up"] if result.primary.fit.b >= 0 else COLORS["down"], as_of)
    _draw(ax, result.secondary, COLORS["accent"], as_of)
    ax.set_yscale("log")
    ax.set_ylabel("close (log scale)")
    ax.legend(loc="upper left", frameon=False)
    ax.set_title(f"{result.symbol} trend channels as of {as_of.date()} (solid: fitted window, dashed: extrapolated)")
    return to_svg(fig)


def _rows(result: TrendAnalysis) -> list[list[str]]:
    p, s = result.primary, result.secondary

    def row(label: str, fn: Callable[[TrendChannel], str]) -> list[str]:
        return [label, fn(p), fn(s)]

    def oos(t: TrendChannel) -> str:
        return f"{t.oos_inside}/{t.oos_n}" if t.oos_n else "none (ends at as-of)"

    def hold(t: TrendChannel) -> str:
        h = t.holdout
        return f"{h['inside']}/{h['n']}" if h["n"] else "n/a"

    return [
        row("window", lambda t: f"{t.fit.start.date()} .. {t.fit.end.date()} ({t.source})"),
        row("direction", lambda t: t.fit.direction),
        row("annual growth", lambda t: fmt_pct(t.fit.annual_growth, 2)),
        row("channel spread", lambda t: fmt_pct(t.fit.channel_spread, 1)),
        row("R²", lambda t: fmt_num(t.fit.r2, 3)),
        row(f"bottom .. top on {result.as_of.date()}", lambda t: f"{fmt_num(t.position.bottom)} .. {fmt_num(t.position.top)}"),
        row("position of the close", lambda t: t.position.position),
        row("distance", lambda t: f"{t.position.distance_points:+,.2f} pts ({fmt_pct(t.position.distance_pct, 2)}) from {t.position.border}"),
        row("Durbin–Watson", lambda t: fmt_num(t.durbin_watson, 3)),
        row("Breusch–Pagan p", lambda t: f"{t.breusch_pagan.p_value:.3g}"),
        row("closes after the window inside", oos),
        row("hold-out (last 20%) inside", hold),
    ]


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has(ctx.symbol):
        return None
    close = ctx.series(ctx.symbol)
    if len(close) < 60:
        return None
    result = detect_trends(close, as_of=ctx.as_of)
    headers = ["", "primary", "secondary"]
    rows = _rows(result)
    signals = [f"{'ACTIVE' if s.active else 'not active'} — {s.name}: {s.text}" for s in result.signals]
    intro = (f"Last close {fmt_num(result.primary.as_of_close)} on {result.as_of.date()}. Primary trend "
             f"{result.primary.fit.direction} at {fmt_pct(result.primary.fit.annual_growth, 1)} a year (close "
             f"{result.primary.position.position}); secondary trend {result.secondary.fit.direction} at "
             f"{fmt_pct(result.secondary.fit.annual_growth, 1)} a year (close {result.secondary.position.position}).")
    if result.detection is not None and not result.detection.primary_criterion_met:
        intro += (f" No segment of at least {result.detection.params.primary_min_weeks} weeks met the fit criterion "
                  f"(R² >= {result.detection.params.r2_min}); the primary is the latest segment.")
    html = (f"<p>{escape(intro)}</p>{_chart(close, result)}{html_table(headers, rows)}"
            "<ul>" + "".join(f"<li>{escape(s)}</li>" for s in signals) + "</ul>")
    markdown = "\n\n".join([intro, md_table(headers, rows), "\n".join(f"- {s}" for s in signals)])
    facts = result.to_dict()
    facts["active_signals"] = [s.name for s in result.signals if s.active]
    return Section("channels", f"{ctx.symbol} trend channels", facts, html, markdown, notes=(NOTE, *result.primary.fit.formulas(), *result.secondary.fit.formulas()))

