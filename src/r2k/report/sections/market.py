"""Market analytics: drawdowns, relative strength, volatility with GARCH, records/levels and event studies."""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.analytics.market import MarketAnalysis, MarketInputs, analyze
from r2k.report import blocks as B
from r2k.report.charts import (COLORS, legend_below, new_figure, percent_axis, tag_right, to_svg, weekly,
                               weekly_range)
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct
from r2k.words import PERIOD_NAMES

VOL_YEARS = 5
LEVEL_KINDS = {"round": "round number"}
RISK_FREE = ("Risk-free rate for Sharpe and Sortino ratios: the effective federal funds rate (monthly average), used from "
             "the first day of the following month.")


def _name(symbol: str) -> str:
    return INDEX_NAMES.get(symbol, symbol)


def _drawdown_chart(a: MarketAnalysis) -> str:
    """Weekly lows of the underwater curve: every trough (and the maximum drawdown) survives the downsample."""
    under = 100 * a.drawdown.underwater
    lows = weekly_range(under, ("min",))
    fig, ax = new_figure(3.0)
    ax.set_title(f"{_name(a.symbol)} drawdown since {under.index[0].year} (deepest {a.drawdown.max:.1%})".replace("-", "−"))
    x = [*lows.index, lows.index[-1], lows.index[0]]  # one polygon closed along zero: half the points of fill_between
    ax.fill(x, [*lows.to_numpy(), 0.0, 0.0], color=COLORS["down"], alpha=0.45, lw=0)
    ax.axhline(-10, color=COLORS["benchmark"], lw=0.7, ls="--", label="10% below the record (a correction)")
    ax.axhline(-20, color="#555", lw=0.7, ls=":", label="20% below (a bear market)")
    ax.set_ylabel("below the record close")
    percent_axis(ax)
    ax.margins(x=0.01)
    legend_below(fig)
    tag_right(ax, [(float(under.iloc[-1]), f"{under.iloc[-1]:.1f}%".replace("-", "−"), COLORS["down"])])
    return to_svg(fig)


def _relative_chart(a: MarketAnalysis) -> str:
    h = a.relative.history.dropna()
    fig, ax = new_figure(3.0)
    ax.set_title(f"{_name(a.symbol)} against the {_name(a.benchmark)}: 1-year rolling correlation and beta")
    corr, beta = weekly(h["correlation_1y"]), weekly(h["beta_1y"])
    ax.plot(corr.index, corr.to_numpy(), color=COLORS["index"], lw=1.0, label="correlation")
    ax.plot(beta.index, beta.to_numpy(), color=COLORS["accent"], lw=1.0, label="beta (1.0: moves one for one)")
    ax.axhline(1.0, color=COLORS["benchmark"], lw=0.6, ls="--")
    ax.set_ylabel("correlation and beta")
    ax.margins(x=0.01)
    legend_below(fig)
    tag_right(ax, [(float(corr.iloc[-1]), f"{corr.iloc[-1]:.2f}", COLORS["index"]),
                   (float(beta.iloc[-1]), f"{beta.iloc[-1]:.2f}", COLORS["accent"])])
    return to_svg(fig)


def _vol_chart(a: MarketAnalysis) -> str:
    """Realised against GJR-GARCH conditional volatility over the last years (weekly highs and lows: spikes
    survive); the other estimates (EWMA, plain GARCH) lie on top of these and are in the text and JSON."""
    h = a.volatility.history
    h = 100 * h[h.index >= h.index[-1] - pd.DateOffset(years=VOL_YEARS)]
    realised, gjr = weekly_range(h["realized_20d"]), weekly_range(h["gjr"])
    long_run = 100 * a.volatility.gjr.long_run_vol
    fig, ax = new_figure(3.2)
    ax.set_title(f"{_name(a.symbol)} volatility over the last {VOL_YEARS} years: realised and GJR-GARCH")
    ax.plot(realised.index, realised.to_numpy(), color=COLORS["benchmark"], lw=0.8, label="realised over 20 days")
    ax.plot(gjr.index, gjr.to_numpy(), color=COLORS["accent"], lw=1.1, label="GJR-GARCH conditional (model)")
    tags = [(float(h["gjr"].iloc[-1]), f"{h['gjr'].iloc[-1]:.0f}%", COLORS["accent"]),
            (float(h["realized_20d"].iloc[-1]), f"{h['realized_20d'].iloc[-1]:.0f}%", COLORS["benchmark"])]
    if np.isfinite(long_run):
        ax.axhline(long_run, color=COLORS["accent"], lw=0.7, ls="--", label=f"GJR-GARCH long-run level ({long_run:.0f}%)")
    ax.set_ylim(0, None)
    ax.set_ylabel("annualised volatility")
    percent_axis(ax)
    ax.margins(x=0.01)
    legend_below(fig)
    tag_right(ax, tags)
    return to_svg(fig)


def _text(a: MarketAnalysis) -> list[str]:
    """The section's sentences in plain words (the analytics' own summaries use series ids)."""
    name, dd, rd, g = _name(a.symbol), a.drawdown, a.record_drought, a.volatility.garch
    out = [f"The {name} closed at a record {dd.close:,.2f} on {dd.as_of}." if dd.current == 0 else
           f"The {name} is {-dd.current:.1%} below its record close of {dd.peak_close:,.2f} on {dd.peak_date}; the "
           f"deepest drawdown was {dd.max:.1%} ({dd.max_peak_date} to {dd.max_trough_date})."]
    if rd.trading_days:
        out.append(f"No record close for {rd.trading_days} trading days ({rd.calendar_days} calendar days); {rd.n_stretches} "
                   f"stretches between records since the start of the data, this one ranks {rd.rank} by length (1 = longest).")
    half = "no finite" if not np.isfinite(g.half_life_days) else f"{g.half_life_days:.0f} trading days"
    long_run = "no finite long-run level" if not np.isfinite(g.long_run_vol) else f"a long-run {g.long_run_vol:.1%}"
    out.append(f"A GARCH(1,1) model with Student-t errors puts today's annualised volatility at {g.current_vol:.1%} "
               f"against {long_run}; a shock fades with a half-life of {half} (persistence {g.persistence:.3f}).")
    if (r := a.relative) is not None:
        out.append(f"Against the {_name(r.benchmark)}: the ratio of the two indices moved {r.ratio_change_1y:+.1%} over the "
                   f"last year; the correlation of daily returns over the year is {r.correlation_1y:.2f} "
                   f"({r.correlation_weekly_1y:.2f} weekly) and the beta {r.beta_1y:.2f} ({r.beta_weekly_1y:.2f} weekly).")
    f = a.flows
    if not f.available:
        out.append("ETF flows: not shown, because the store holds no history of the iShares Russell 2000 ETF's shares "
                   "outstanding (it comes with a live data fetch).")
    elif f.zscore is None or f.zscore != f.zscore:
        out.append(f"ETF flows: {f.message}.")
    else:
        out.append(f"iShares Russell 2000 ETF flows over {f.window} trading days: ${f.rolling_sum / 1e9:,.2f} billion, "
                   f"z-score {f.zscore:.2f} ({'an outflow signal' if f.signal else 'no outflow signal'}; the signal "
                   f"threshold is {f.threshold}); {len(f.signal_days)} signal days in the history.")
    return out


def _level_rows(a: MarketAnalysis) -> list[list[str]]:
    rd, dd = a.record_drought, a.drawdown
    rows = [
        ["Record close", f"{fmt_num(rd.record_close)} on {rd.since}", ""],
        ["Days without a record", f"{rd.trading_days} trading / {rd.calendar_days} calendar",
         f"rank {rd.rank} of {rd.n_stretches} stretches"],
        ["Drawdown", fmt_pct(dd.current), f"from the record close of {fmt_num(dd.peak_close)} on {dd.peak_date}"],
        ["Longest stretch", f"{rd.longest[0].start} to {rd.longest[0].end or 'now'}", f"{rd.longest[0].trading_days} trading days"],
    ]
    rows += [[f"{LEVEL_KINDS.get(lv.kind, lv.kind)} ({lv.role})", fmt_num(lv.value),
              f"{fmt_num(lv.distance)} points ({fmt_pct(lv.distance_pct)})"]
             for lv in a.levels.levels]
    return rows


def _facts(a: MarketAnalysis) -> dict:
    d = a.to_dict()
    return {k: d[k] for k in ("as_of", "close", "returns", "volatility", "garch", "drawdown", "record_drought",
                              "relative", "levels", "flows")}


def build(ctx: ReportContext) -> Section | None:
    close = ctx.series_if_any(ctx.symbol)
    if close is None or len(close) < 300:
        return None
    inputs = MarketInputs(close, ctx.series_if_any(ctx.benchmark), ctx.series_if_any("VIX"), ctx.series_if_any("FEDFUNDS"),
                          ctx.series_if_any("IWM"), ctx.series_if_any("IWM_SHARES"), ctx.symbol, ctx.benchmark)
    a = analyze(inputs, ctx.as_of)
    periods = a.returns.periods
    ret_head = ["period"] + [PERIOD_NAMES.get(k, k) for k in periods]
    ret_row = ["return"] + [fmt_pct(p.value) for p in periods.values()]
    lv_head = ["measure", "value", "detail"]
    text = _text(a)
    charts = [c for c in (_drawdown_chart(a), _relative_chart(a) if a.relative is not None else "", _vol_chart(a)) if c]
    blocks = [*(B.Paragraph(t) for t in text), B.Table.of(ret_head, [ret_row]), *(B.Figure(c) for c in charts),
              B.Heading("Records and levels"), B.Table.of(lv_head, _level_rows(a))]
    notes = tuple(a.notes) + a.returns.notes + a.levels.notes + (RISK_FREE,)
    return Section.of("market", f"{_name(ctx.symbol)} market analytics", _facts(a), blocks, notes)
