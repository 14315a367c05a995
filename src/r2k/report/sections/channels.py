"""Primary and secondary trend channels: a log-price chart, the key facts and the reversal signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from r2k.analytics.levels import Level, levels
from r2k.analytics.trend_detect import TrendAnalysis, TrendChannel, detect_trends
from r2k.report import blocks as B
from r2k.report.charts import (COLORS, finite_limits, legend_below, log_price_axis, new_figure, plain_number, tag_right, to_svg,
                               weekly)
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHART_YEARS = 10
LEVEL_COLORS = {"resistance": "#6a1b9a", "support": "#00695c"}
SIGNAL_NAMES = {"primary_break": "Break of the primary channel", "secondary_opposite": "Secondary trend against the primary",
                "secondary_break": "Break of the secondary channel"}
NOTE = ("±2s is not a 95% band: residuals around a price trend are strongly autocorrelated (Durbin–Watson "
        "near 0), so closes leave the channel in long excursions; read the out-of-sample and hold-out counts.")


def _draw(ax: Axes, t: TrendChannel, color: str, as_of: pd.Timestamp, since: pd.Timestamp | None = None) -> bool:
    """The channel's borders and centre line (straight on a log axis: two points each) from ``since`` on;
    True if part of it is extrapolated past the fitted window."""
    start = t.fit.start if since is None else max(since, t.fit.start)
    if start < t.fit.end:
        inside = pd.DatetimeIndex([start, t.fit.end])
        for fn, lw in ((t.fit.top, 1.1), (t.fit.center, 0.6), (t.fit.bottom, 1.1)):
            ax.plot(inside, fn(inside), color=color, lw=lw, ls="-")
    ax.plot([], [], color=color, lw=1.1, label=f"{t.role} channel since {t.fit.start.date()} "
                                                f"({100 * t.fit.annual_growth:+.1f}% a year)")
    if as_of <= t.fit.end:
        return False
    ahead = pd.DatetimeIndex([max(start, t.fit.end), as_of])
    for fn in (t.fit.top, t.fit.center, t.fit.bottom):
        ax.plot(ahead, fn(ahead), color=color, lw=0.9, ls="--")
    return True


def nearest_levels(close: pd.Series, result: TrendAnalysis) -> list[Level]:
    """The nearest resistance above and support below the close (swing levels and the record close; round
    numbers and channel borders are in the market section's table)."""
    lv = levels(close, result.as_of.date(), result.symbol, with_channels=False)
    return [x for x in (lv.nearest("resistance"), lv.nearest("support")) if x is not None]


def _level_label(lv: Level) -> str:
    since = f", {lv.date}" if lv.date else ""
    return f"{lv.role} {plain_number(lv.value)} ({lv.kind}{since})"


def _channel_colour(t: TrendChannel) -> str:
    return COLORS["up"] if t.fit.b >= 0 else COLORS["down"]


def _long_chart(close: pd.Series, result: TrendAnalysis, name: str) -> str:
    """The primary channel over its whole window (at least 10 years of weekly closes)."""
    as_of = result.as_of
    first = min(as_of - pd.DateOffset(years=CHART_YEARS), result.primary.fit.start - pd.DateOffset(months=6))
    shown = weekly(close.loc[first:as_of])
    fig, ax = new_figure(3.6)
    ax.set_title(f"{name} primary and secondary trend channels (log scale)")
    ax.plot(shown.index, shown.to_numpy(), color=COLORS["index"], lw=0.8, label=f"{name} (weekly closes)")
    dashed = _draw(ax, result.primary, _channel_colour(result.primary), as_of)
    dashed |= _draw(ax, result.secondary, COLORS["accent"], as_of)
    if dashed:
        ax.plot([], [], color="#555", lw=0.9, ls="--", label="dashed: extended past the fitted window")
    ax.margins(x=0.01)
    log_price_axis(ax)
    last = float(close.loc[:as_of].iloc[-1])
    p = result.primary.position
    legend_below(fig)
    tag_right(ax, [(last, plain_number(last), COLORS["index"]), (p.top, plain_number(p.top), _channel_colour(result.primary)),
                   (p.bottom, plain_number(p.bottom), _channel_colour(result.primary))])
    return to_svg(fig)


def _recent_chart(close: pd.Series, result: TrendAnalysis, near: list[Level], name: str) -> str:
    """The last 12 months of daily closes with the secondary channel and the nearest support and resistance
    (the primary channel's borders are far from the close: they are on the long chart)."""
    as_of = result.as_of
    since = as_of - pd.DateOffset(years=1)
    shown = close.loc[since:as_of]
    fig, ax = new_figure(3.8)
    ax.set_title(f"{name}, last 12 months: nearest support and resistance")
    ax.plot(shown.index, shown.to_numpy(), color=COLORS["index"], lw=1.0, label=f"{name} (daily closes)")
    sec = result.secondary
    dashed = _draw(ax, sec, COLORS["accent"], as_of, since)
    for lv in near:
        ax.axhline(lv.value, color=LEVEL_COLORS[lv.role], lw=1.0, ls=(0, (4, 2)), label=_level_label(lv))
    if dashed:
        ax.plot([], [], color="#555", lw=0.9, ls="--", label="dashed: extended past the fitted window")
    values = [*shown.to_numpy(), *(lv.value for lv in near)]
    ax.set_ylim(*finite_limits(float(min(values)) * 0.97, float(max(values)) * 1.03))  # far borders may leave the frame
    ax.set_xlim(shown.index[0], as_of)
    log_price_axis(ax)
    legend_below(fig)
    last = float(shown.iloc[-1])
    tags = [(last, plain_number(last), COLORS["index"])] + [(lv.value, plain_number(lv.value), LEVEL_COLORS[lv.role]) for lv in near]
    lo, hi = ax.get_ylim()
    tags += [(v, plain_number(v), COLORS["accent"]) for v in (sec.position.top, sec.position.bottom) if lo <= v <= hi]
    tag_right(ax, tags)
    return to_svg(fig)


def _rows(result: TrendAnalysis) -> list[list[str]]:
    p, s = result.primary, result.secondary

    def row(label: str, fn: Callable[[TrendChannel], str]) -> list[str]:
        return [label, fn(p), fn(s)]

    def oos(t: TrendChannel) -> str:
        return f"{t.oos_inside}/{t.oos_n}" if t.oos_n else "none (the window ends on the as-of date)"

    def hold(t: TrendChannel) -> str:
        h = t.holdout
        return f"{h['inside']}/{h['n']}" if h["n"] else "n/a"

    return [
        row("window", lambda t: f"{t.fit.start.date()} to {t.fit.end.date()} ({t.source})"),
        row("direction", lambda t: t.fit.direction),
        row("annual growth", lambda t: fmt_pct(t.fit.annual_growth, 2)),
        row("channel spread", lambda t: fmt_pct(t.fit.channel_spread, 1)),
        row("R²", lambda t: fmt_num(t.fit.r2, 3)),
        row(f"bottom – top on {result.as_of.date()}", lambda t: f"{fmt_num(t.position.bottom)} – {fmt_num(t.position.top)}"),
        row("position of the close", lambda t: t.position.position),
        row("distance", lambda t: f"{t.position.distance_points:+,.2f} pts ({fmt_pct(t.position.distance_pct, 2)}) from {t.position.border}"),
        row("Durbin–Watson", lambda t: fmt_num(t.durbin_watson, 3)),
        row("Breusch–Pagan p-value", lambda t: f"{t.breusch_pagan.p_value:.3g}"),
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
    name = INDEX_NAMES.get(ctx.symbol, ctx.symbol)
    headers = ["", "primary channel", "secondary channel"]
    rows = _rows(result)
    near = nearest_levels(close, result)
    signals = [f"{'ACTIVE' if s.active else 'not active'} — {SIGNAL_NAMES.get(s.name, s.name)}: "
               f"{s.text.replace(' .. ', ' to ')}" for s in result.signals]
    intro = (f"Last {name} close {fmt_num(result.primary.as_of_close)} on {result.as_of.date()}. Primary trend "
             f"{result.primary.fit.direction} at {fmt_pct(result.primary.fit.annual_growth, 1)} a year (close "
             f"{result.primary.position.position}); secondary trend {result.secondary.fit.direction} at "
             f"{fmt_pct(result.secondary.fit.annual_growth, 1)} a year (close {result.secondary.position.position}).")
    if result.detection is not None and not result.detection.primary_criterion_met:
        intro += (f" No segment of at least {result.detection.params.primary_min_weeks} weeks met the fit criterion "
                  f"(R² >= {result.detection.params.r2_min}); the primary is the latest segment.")
    if near:
        intro += " Nearest " + "; nearest ".join(f"{_level_label(lv)[:-1]}, {fmt_pct(lv.distance_pct)} from the close)"
                                                 for lv in near) + "."
    blocks = [B.Paragraph(intro), B.Figure(_long_chart(close, result, name)), B.Figure(_recent_chart(close, result, near, name)),
              B.Table.of(headers, rows), B.Bullets(tuple(signals))]
    facts = result.to_dict()
    facts["active_signals"] = [s.name for s in result.signals if s.active]
    facts["nearest_levels"] = [lv.to_dict() for lv in near]
    return Section.of("channels", f"{name} trend channels", facts, blocks,
                      (NOTE, *result.primary.fit.formulas(), *result.secondary.fit.formulas()))

