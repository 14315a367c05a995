"""Market analytics: drawdowns, relative strength, volatility with GARCH, records/levels and event studies."""

from __future__ import annotations

from html import escape

import pandas as pd

from r2k.analytics.market import MarketAnalysis, MarketInputs, analyze
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, html_table, md_table, md_text

CHART_YEARS = 10


def _drawdown_chart(a: MarketAnalysis) -> str:
    under = a.drawdown.underwater
    fig, ax = new_figure(3.2)
    ax.fill_between(under.index, 100 * under.to_numpy(), 0, color=COLORS["down"], alpha=0.35, lw=0)
    ax.plot(under.index, 100 * under.to_numpy(), color=COLORS["down"], lw=0.6)
    ax.axhline(-10, color=COLORS["benchmark"], lw=0.6, ls="--")
    ax.set_ylabel("% below the running record close")
    ax.set_title(f"{a.symbol} drawdown from its record close (maximum {a.drawdown.max:.1%})")
    return to_svg(fig)


def _relative_chart(a: MarketAnalysis) -> str:
    h = a.relative.history.dropna()
    fig, ax = new_figure(3.2)
    ax.plot(h.index, h["correlation_1y"], color=COLORS["index"], lw=0.9, label="correlation (252 days)")
    ax.plot(h.index, h["beta_1y"], color=COLORS["accent"], lw=0.9, label="beta (252 days)")
    ax.axhline(1.0, color=COLORS["benchmark"], lw=0.6, ls="--")
    ax.set_title(f"Rolling 1-year correlation and beta of daily {a.symbol} returns on {a.benchmark}")
    ax.legend(loc="upper left", frameon=False, ncols=2)
    return to_svg(fig)


def _vol_chart(a: MarketAnalysis) -> str:
    h = a.volatility.history
    h = h[h.index >= h.index[-1] - pd.DateOffset(years=CHART_YEARS)]
    fig, ax = new_figure(3.4)
    ax.plot(h.index, 100 * h["realized_20d"], color=COLORS["benchmark"], lw=0.7, label="realized 20 days")
    ax.plot(h.index, 100 * h["ewma"], color=COLORS["index"], lw=0.8, label="EWMA (λ = 0.94)")
    ax.plot(h.index, 100 * h["garch"], color=COLORS["up"], lw=0.7, label="GARCH(1,1)-t conditional")
    ax.plot(h.index, 100 * h["gjr"], color=COLORS["accent"], lw=0.9, label="GJR-GARCH(1,1)-t conditional")
    ax.axhline(100 * a.volatility.gjr.long_run_vol, color=COLORS["accent"], lw=0.6, ls="--", label="GJR long-run vol")
    ax.set_ylabel("annualised volatility, %")
    ax.set_title(f"{a.symbol} volatility, last {CHART_YEARS} years")
    ax.legend(loc="upper left", frameon=False)
    return to_svg(fig)


def _level_rows(a: MarketAnalysis) -> list[list[str]]:
    rd, dd = a.record_drought, a.drawdown
    rows = [
        ["Record close", f"{fmt_num(rd.record_close)} on {rd.since}", ""],
        ["Days without a record", f"{rd.trading_days} trading / {rd.calendar_days} calendar",
         f"rank {rd.rank} of {rd.n_stretches} stretches"],
        ["Drawdown", fmt_pct(dd.current), dd.fact()],
        ["Longest stretch", f"{rd.longest[0].start} to {rd.longest[0].end or 'now'}", f"{rd.longest[0].trading_days} trading days"],
    ]
    rows += [[f"{lv.kind} ({lv.role})", fmt_num(lv.value), f"{fmt_num(lv.distance)} points ({fmt_pct(lv.distance_pct)})"]
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
    ret_head = ["period"] + list(periods)
    ret_row = ["return"] + [fmt_pct(p.value) for p in periods.values()]
    lv_head = ["measure", "value", "detail"]
    text = [a.drawdown.fact() + ".", a.record_drought.summary() + ".", a.volatility.garch.summary() + "."]
    if a.relative is not None:
        text.append(a.relative.summary() + ".")
    text.append(a.flows.summary())
    charts = _drawdown_chart(a) + (_relative_chart(a) if a.relative is not None else "") + _vol_chart(a)
    html = ("".join(f"<p>{escape(t)}</p>" for t in text) + html_table(ret_head, [ret_row]) + charts
            + "<h3>Records and levels</h3>" + html_table(lv_head, _level_rows(a)))
    md = ("\n\n".join(md_text(t) for t in text) + "\n\n" + md_table(ret_head, [ret_row]) + "\n\n### Records and levels\n\n"
          + md_table(lv_head, _level_rows(a)))
    notes = tuple(a.notes) + a.returns.notes + a.levels.notes + (f"risk-free: {a.returns.risk_free}",)
    return Section("market", f"{ctx.symbol} market analytics", _facts(a), html, md, notes)
