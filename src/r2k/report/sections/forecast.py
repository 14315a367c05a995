"""Forecast section: the published model's (the ensemble's) price quantiles for the next 4 and 52 weeks as a fan, P(up)
and price levels per horizon next to the baselines, and the ensemble's walk-forward record against climatology.

Everything the ensemble contributes is read from the outlook the report already built (``ctx.memo``): the same
distributions the risk grades rest on, not a second forecast; the record is the outlook's walk-forward scores (the
ensemble and climatology on the same folds, as in the model section). Only the two baselines are forecast here,
at the one origin (they cost milliseconds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from r2k.errors import R2KError
from r2k.forecasting import OriginForecast, forecast_as_of
from r2k.names import LONG, LONG_FAN
from r2k.outlook import Outlook
from r2k.outlook.source import BASELINES, HORIZONS, MODEL_LABELS, MODEL_SHORT, SHORT, WEEKS
from r2k.report import blocks as B
from r2k.report.charts import COLORS, DRAWABLE, legend_below, new_figure, plain_number, tag_right, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.report.sections.model import PERIOD_LABEL, plan_words
from r2k.report.tables import fmt_interval, fmt_num, fmt_pct
from r2k.words import count, p_text, p_value, pct

FAN_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
PAST_DAYS = 260  # a year of closes before the fan
NOTES = (
    "Forecasts are distributions of the log return from the as-of close. The fan shows the ensemble's price "
    "quantiles at 4 and 52 weeks (5–95% and 25–75%), joined by straight lines from the last close; climatology's "
    "5–95% band (at 4 weeks, 3, 6 and 12 months) is dashed.",
    "The record is the ensemble's walk-forward forecast since the tuning cutoff, scored against climatology on the same "
    "origins (CRPS skill: share of climatology's CRPS saved, with its 95% block-bootstrap interval; DM p: "
    "Diebold–Mariano test with a HAC variance).",
)


def _name(model: str) -> str:
    return MODEL_SHORT.get(model, model)


def _index_name(symbol: str) -> str:
    from r2k.report.render import INDEX_NAMES

    return INDEX_NAMES.get(symbol, symbol)


def _baselines(ctx: ReportContext, close: pd.Series) -> OriginForecast | None:
    """Climatology and the random walk at the origin, at the outlook's horizons and 3, 6 and 12 months (the fan's
    climatology band)."""
    try:
        return forecast_as_of(close, symbol=ctx.symbol, horizons=tuple(sorted({*HORIZONS, *LONG_FAN})),
                              models=BASELINES, seed=ctx.settings.seed)
    except R2KError:
        return None


def _fan(close: pd.Series, o: Outlook, base: OriginForecast | None) -> tuple[str, dict]:
    """The SVG fan over every horizon the outlook forecasts (4 and 52 weeks) and its JSON facts (dates and price
    levels per quantile level); the last year of closes before it, the 52-week levels tagged at the right edge."""
    d = o.dists
    assert d is not None
    bands = d.price_bands(FAN_LEVELS, max(HORIZONS))
    days = pd.DatetimeIndex(bands.index)
    levels = {lv: bands[lv].to_numpy() for lv in FAN_LEVELS}
    past = close.iloc[-PAST_DAYS:]
    values = np.concatenate([past.to_numpy(dtype=float), *levels.values()])
    drawable = bool(np.isfinite(values).all() and np.abs(values).max() < DRAWABLE)
    if not drawable:  # price levels at the edge of floating point: matplotlib's tick arithmetic overflows
        return "", {"note": "price levels beyond floating point: the fan is not drawn"}
    model = _name(o.model)
    fig, ax = new_figure()
    ax.plot(past.index, past.to_numpy(), color=COLORS["index"], lw=0.9, label=f"{_index_name(o.symbol)} close")
    ax.fill_between(days, levels[0.05], levels[0.95], color=COLORS["accent"], alpha=0.18, lw=0, label=f"{model} 5–95%")
    ax.fill_between(days, levels[0.25], levels[0.75], color=COLORS["accent"], alpha=0.35, lw=0, label=f"{model} 25–75%")
    ax.plot(days, levels[0.5], color=COLORS["accent"], lw=1.0, marker="o", ms=3, label=f"{model} median")
    if base is not None:
        hs = sorted(f.horizon for f in base.forecasts if f.model == "climatology")
        c = base.price_quantiles("climatology", (0.05, 0.95)).loc[hs]
        cdays = pd.DatetimeIndex([base.origin, *(f.target for f in sorted(
            (f for f in base.forecasts if f.model == "climatology"), key=lambda f: f.horizon))])
        for lv in (0.05, 0.95):
            ax.plot(cdays, np.concatenate([[base.last_close], c[lv]]), color=COLORS["benchmark"], lw=0.9, ls="--",
                    label="climatology 5–95%" if lv == 0.05 else None)
    ax.yaxis.set_major_formatter(FuncFormatter(plain_number))
    ax.set_ylabel("index level (points)")
    ax.set_xlabel("date")
    legend_below(fig, 3)
    ax.set_title(f"{_index_name(o.symbol)}: price quantiles for the next 4 and {WEEKS[LONG]} weeks from the close of "
                 f"{d.origin.date()}")
    tag_right(ax, [(levels[lv][-1], f"{WEEKS[LONG]}w {int(100 * lv)}%: {fmt_num(levels[lv][-1], 0)}", COLORS["accent"])
                   for lv in (0.05, 0.5, 0.95)])
    facts = {"model": o.model, "dates": [t.date() for t in days], **{str(lv): v.tolist() for lv, v in levels.items()}}
    return to_svg(fig), facts


def _record_rows(o: Outlook) -> list[list[str]]:
    """The ensemble's and climatology's walk-forward scores per horizon (same folds)."""
    if o.scores is None:
        return []
    t = o.scores.table
    t = t[t["model"].isin([o.model, "climatology"])]
    return [[_name(r.model), f"{WEEKS.get(int(r.horizon), r.horizon)} weeks", count(r.n), fmt_num(r.crps, 4),
             "—" if r.model == "climatology" else fmt_pct(r.crps_skill, 1), fmt_interval(r.skill_low, r.skill_high, na="—"),
             fmt_num(r.cov90, 2), p_value(r.dm_p, "—")] for r in t.itertuples()]


def _record_line(o: Outlook) -> str:
    """One sentence per horizon on the ensemble's CRPS skill against climatology and its significance."""
    assert o.scores is not None
    t = o.scores.table
    parts = [f"{WEEKS.get(int(r.horizon), r.horizon)} weeks {fmt_pct(r.crps_skill, 1)} (95% interval "
             f"{fmt_interval(r.skill_low, r.skill_high)}, {p_text(r.dm_p)}, {r.n} forecasts)"
             for r in t[t["model"] == o.model].itertuples()]
    return (f"Walk-forward record of the {_name(o.model)} on the same origins as climatology {PERIOD_LABEL}, CRPS "
            f"skill (positive: better than climatology): " + "; ".join(parts) + ".")


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None or o.dists is None or o.dists.forecast is None:
        return None
    close = ctx.series(ctx.symbol).loc[: o.dists.origin]
    base = _baselines(ctx, close)
    d = o.dists
    shown = [f for f in d.forecast.forecasts if f.model == o.model and f.horizon in HORIZONS]
    if base is not None:
        shown += [f for f in base.forecasts if f.horizon in HORIZONS]
    published = OriginForecast(d.forecast.symbol, d.forecast.origin, d.forecast.last_close, tuple(shown), d.forecast.seed,
                               d.forecast.notes, d.forecast.weights)
    ctx.published.append((published, o))  # logged with the ratings shown beside it
    by = {(f.model, f.horizon): f for f in shown}
    models = [m for m in (o.model, *BASELINES) if (m, SHORT) in by]
    p_rows = [[_name(m), *(pct(by[m, h].dist.p_up, 0) for h in HORIZONS)] for m in models]
    q_rows = [[_name(m), f"{WEEKS[h]} weeks", str(by[m, h].target.date()), fmt_pct(by[m, h].dist.mean, 2),
               *(fmt_num(d.last_close * np.exp(by[m, h].dist.quantile(lv)), 0) for lv in (0.1, 0.5, 0.9)),
               pct(by[m, h].dist.p_up, 0)] for m in models for h in HORIZONS]
    svg, fan = _fan(close, o, base)
    record = _record_rows(o)
    facts: dict = {"origin": d.origin, "last_close": d.last_close, "model": o.model,
                   "p_up": {m: {str(h): by[m, h].dist.p_up for h in HORIZONS} for m in models},
                   "mean": {m: {str(h): by[m, h].dist.mean for h in HORIZONS} for m in models},
                   "fan": fan, "plan": o.track.plan if o.track is not None else None,
                   "record": None if o.scores is None else
                   o.scores.table[o.scores.table["model"].isin([o.model, "climatology"])].reset_index(drop=True)}
    intro = (f"Distributions of the {_index_name(ctx.symbol)} log return from the close of {d.origin.date()} "
             f"({fmt_num(d.last_close)} points), from {MODEL_LABELS.get(o.model, o.model)}, the model the risk grades rest on: "
             "the same distributions, not a second forecast. P(up over 4 weeks): "
             + ", ".join(f"{_name(m)} {pct(by[m, SHORT].dist.p_up, 0)}" for m in models) + ".")
    blocks: list[B.Block] = [
        B.Paragraph(intro), *([B.Figure(svg)] if svg else []), B.Heading("P(up) by horizon"),
        B.Table.of(["model", *(f"{WEEKS[h]} weeks" for h in HORIZONS)], p_rows), B.Caveat(o.caveats["long"]),
        B.Table.of(["model", "horizon", "target date", "mean log return", "10% level", "median level", "90% level", "P(up)"],
                   q_rows)]
    if record:
        blocks += [B.Heading("Record against climatology"), B.Paragraph(_record_line(o)), B.Paragraph(plan_words(o), css="note"),
                   B.Table.of(["model", "horizon", "forecasts", "CRPS", "skill vs climatology", "95% interval", "90% coverage",
                               "DM p"], record)]
    return Section.of("forecast", f"{_index_name(ctx.symbol)} forecast distributions", facts, blocks, NOTES)
