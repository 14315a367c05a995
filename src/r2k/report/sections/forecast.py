"""Forecast section: a fan chart of the next 20 trading days, P(up) per horizon, and a small backtest
scored against climatology with a verdict in words.

The backtest is run here, small on purpose so the report stays fast: monthly origins (every 21 trading
days) over the last 10 years before the as-of date, horizons 5 and 20, GARCH refitted every 3 origins.
"""

from __future__ import annotations

from datetime import date
from html import escape

import numpy as np
import pandas as pd

from r2k.errors import R2KError
from r2k.forecasting import DEFAULT_MODELS, forecast_as_of, run_backtest
from r2k.outlook.build import LONG_CAVEAT
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, html_table, md_table

FAN_DAYS = 20
OUTLOOK = (5, 10, 20, 65, 130, 260)
FAN_MODEL = "garch"
BACKTEST = {"horizons": (5, 20), "step": 21, "refit_every": 3, "years": 10}
NOTES = (
    "Forecasts are distributions of the log return from the as-of close; the fan shows the GARCH model's price "
    "quantiles (5–95% and 25–75%) with climatology's 5–95% band dashed.",
    "The backtest here is deliberately small (monthly origins over 10 years, horizons 5 and 20); `r2k backtest` runs "
    "the full weekly one. DM = Diebold–Mariano test on CRPS against climatology (HLN correction).",
)


def _fan(close: pd.Series, fc, origin: pd.Timestamp) -> str:  # noqa: ANN001 - OriginForecast
    fig, ax = new_figure()
    past = close.iloc[-60:]
    ax.plot(past.index, past.to_numpy(), color=COLORS["index"], lw=0.9, label="close")
    days = pd.DatetimeIndex([origin] + [f.target for f in fc.forecasts if f.model == FAN_MODEL and f.horizon <= FAN_DAYS])
    g = fc.price_quantiles(FAN_MODEL).loc[1:FAN_DAYS]
    top = np.concatenate([[fc.last_close], g[0.95]]), np.concatenate([[fc.last_close], g[0.05]])
    mid = np.concatenate([[fc.last_close], g[0.75]]), np.concatenate([[fc.last_close], g[0.25]])
    ax.fill_between(days, top[1], top[0], color=COLORS["accent"], alpha=0.18, lw=0, label="garch 5–95%")
    ax.fill_between(days, mid[1], mid[0], color=COLORS["accent"], alpha=0.35, lw=0, label="garch 25–75%")
    ax.plot(days, np.concatenate([[fc.last_close], g[0.5]]), color=COLORS["accent"], lw=1.0, label="garch median")
    c = fc.price_quantiles("climatology").loc[1:FAN_DAYS]
    for lv in (0.05, 0.95):
        ax.plot(days, np.concatenate([[fc.last_close], c[lv]]), color=COLORS["benchmark"], lw=0.9, ls="--",
                label="climatology 5–95%" if lv == 0.05 else None)
    ax.set_ylabel("index level")
    ax.legend(loc="upper left", frameon=False)
    ax.set_title(f"{fc.symbol}: price quantiles for the next {FAN_DAYS} trading days from {origin.date()}")
    return to_svg(fig)


def _backtest(close: pd.Series, as_of: date, seed: int):  # noqa: ANN202 - BacktestResult or None
    start = (pd.Timestamp(as_of) - pd.DateOffset(years=BACKTEST["years"])).date()
    try:
        return run_backtest(close, horizons=BACKTEST["horizons"], start=start, step=BACKTEST["step"],
                            refit_every=BACKTEST["refit_every"], seed=seed)
    except R2KError:
        return None


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has(ctx.symbol):
        return None
    close = ctx.series(ctx.symbol)
    if len(close) < 600:
        return None
    horizons = tuple(range(1, FAN_DAYS + 1)) + tuple(h for h in OUTLOOK if h > FAN_DAYS)
    fc = forecast_as_of(close, symbol=ctx.symbol, horizons=horizons, models=DEFAULT_MODELS, seed=ctx.settings.seed)
    ctx.published.append(fc)
    by = {(f.model, f.horizon): f for f in fc.forecasts}
    models = [m for m in DEFAULT_MODELS if (m, OUTLOOK[0]) in by]
    p_headers = ["model", *(f"h={h}" for h in OUTLOOK)]
    p_rows = [[m, *(f"{by[m, h].dist.p_up:.2f}" for h in OUTLOOK)] for m in models]
    q_headers = ["model", "horizon", "target", "mean", "10% level", "median level", "90% level", "P(up)"]
    q_rows = [[m, h, str(by[m, h].target.date()), fmt_pct(by[m, h].dist.mean, 2),
               *(fmt_num(fc.last_close * np.exp(by[m, h].dist.quantile(lv)), 0) for lv in (0.1, 0.5, 0.9)),
               f"{by[m, h].dist.p_up:.2f}"] for m in models for h in (20, 260)]
    bt = _backtest(close, ctx.as_of, ctx.settings.seed)
    facts: dict = {"origin": fc.origin, "last_close": fc.last_close,
                   "p_up": {m: {str(h): by[m, h].dist.p_up for h in OUTLOOK} for m in models},
                   "mean": {m: {str(h): by[m, h].dist.mean for h in OUTLOOK} for m in models},
                   "fan": {str(lv): fc.price_quantiles(FAN_MODEL, (lv,)).loc[1:FAN_DAYS, lv].tolist() for lv in (0.05, 0.25, 0.5, 0.75, 0.95)},
                   "backtest": None}
    intro = (f"Distributions of the {ctx.symbol} log return from the close of {fc.origin.date()} ({fmt_num(fc.last_close)}). "
             f"P(up over 20 days): " + ", ".join(f"{m} {by[m, 20].dist.p_up:.2f}" for m in models) + ".")
    html = [f"<p>{escape(intro)}</p>", _fan(close, fc, fc.origin), "<h3>P(up) by horizon (trading days)</h3>",
            html_table(p_headers, p_rows), f"<p class='caveat'>{escape(LONG_CAVEAT)}</p>", html_table(q_headers, q_rows)]
    md = [intro, "P(up) by horizon (trading days):", md_table(p_headers, p_rows), f"_{LONG_CAVEAT}_", md_table(q_headers, q_rows)]
    if bt is not None:
        t = bt.scores.table
        s_headers = ["model", "h", "n", "CRPS", "skill vs clim.", "cov 80%", "cov 90%", "PIT p", "AUC", "OOS R²", "DM p"]
        s_rows = [[r.model, r.horizon, r.n, f"{r.crps:.4f}", fmt_pct(r.crps_skill, 1), f"{r.cov80:.2f}", f"{r.cov90:.2f}",
                   f"{r.berkowitz_p:.2g}", f"{r.auc:.2f}", f"{r.oos_r2:+.3f}", "—" if r.dm_p != r.dm_p else f"{r.dm_p:.2g}"]
                  for r in t.itertuples()]
        head = f"Backtest ({bt.plan.summary()}): {bt.scores.verdict}"
        html += [f"<h3>Backtest against climatology</h3><p>{escape(head)}</p>", html_table(s_headers, s_rows)]
        md += [head, md_table(s_headers, s_rows)]
        facts["backtest"] = {"plan": bt.plan.to_dict(), "verdict": bt.scores.verdict, "table": t,
                             "mcs": {str(h): r.to_dict() for h, r in bt.scores.mcs.items()}}
    return Section("forecast", f"{ctx.symbol} forecast distributions", facts, "".join(html), "\n\n".join(md), notes=NOTES)
