"""The index against its benchmark on a log scale, with the latest closes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.report import blocks as B
from r2k.report.charts import COLORS, legend_below, log_price_axis, new_figure, plain_number, tag_right, to_svg, weekly
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num


def _chart(index: pd.Series, bench: pd.Series | None, name: str, bench_name: str) -> str:
    """Weekly closes (the shape of 39 years needs no daily points), the benchmark rebased to the index."""
    fig, ax = new_figure(3.6)
    ax.set_title(f"{name} and {bench_name} since {index.index[0].year} (weekly closes, log scale)"
                 if bench is not None else f"{name} since {index.index[0].year} (weekly closes, log scale)")
    w = weekly(index)
    ax.plot(w.index, w.to_numpy(), color=COLORS["index"], lw=1.0, label=name)
    tags = [(float(index.iloc[-1]), plain_number(float(index.iloc[-1])), COLORS["index"])]
    if bench is not None:
        rebased = weekly(bench / bench.iloc[0] * index.iloc[0])  # both lines share one log axis
        ax.plot(rebased.index, rebased.to_numpy(), color=COLORS["benchmark"], lw=0.9,
                label=f"{bench_name}, rebased to the {name} level on {bench.index[0].date()}")
        tags.append((float(rebased.iloc[-1]), bench_name, COLORS["benchmark"]))
    log_price_axis(ax)
    ax.margins(x=0.01)
    legend_below(fig, 2)
    tag_right(ax, tags)
    return to_svg(fig)


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has(ctx.symbol):
        return None
    name, bench_name = INDEX_NAMES.get(ctx.symbol, ctx.symbol), INDEX_NAMES.get(ctx.benchmark, ctx.benchmark)
    index = ctx.series(ctx.symbol)
    facts: dict = {"symbol": ctx.symbol, "last_date": index.index[-1].date(), "last_close": float(index.iloc[-1])}
    bench = None
    if ctx.has(ctx.benchmark):
        bench = ctx.series(ctx.benchmark)
        bench = bench[bench.index >= index.index[0]]
        facts.update(benchmark=ctx.benchmark, benchmark_last_date=bench.index[-1].date(),
                     benchmark_last_close=float(bench.iloc[-1]),
                     log_ratio_change=float(np.log(index.iloc[-1] / index.iloc[0]) - np.log(bench.iloc[-1] / bench.iloc[0])))
    text = f"Latest {name} close: {fmt_num(facts['last_close'])} on {facts['last_date']}."
    if bench is not None:
        text += (f" {bench_name}: {fmt_num(facts['benchmark_last_close'])} on {facts['benchmark_last_date']}. Since "
                 f"{index.index[0].date()} the {name} has returned {np.exp(facts['log_ratio_change']) - 1:+.0%} relative "
                 f"to the {bench_name} (price indices, dividends not included).")
    title = f"{name} and {bench_name}" if bench is not None else name
    return Section.of("prices", title, facts, [B.Paragraph(text), B.Figure(_chart(index, bench, name, bench_name))])
