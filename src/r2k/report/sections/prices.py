"""The index against its benchmark on a log scale, with the latest closes."""

from __future__ import annotations

from html import escape

import numpy as np

from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, md_text


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has(ctx.symbol):
        return None
    index = ctx.series(ctx.symbol)
    facts: dict = {"symbol": ctx.symbol, "last_date": index.index[-1].date(), "last_close": float(index.iloc[-1])}
    fig, ax = new_figure()
    ax.plot(index.index, index.to_numpy(), color=COLORS["index"], lw=1.0, label=ctx.symbol)
    if ctx.has(ctx.benchmark):
        bench = ctx.series(ctx.benchmark)
        bench = bench[bench.index >= index.index[0]]
        # rebased to the index's first close so both lines share one log axis
        rebased = bench / bench.iloc[0] * index.iloc[0]
        ax.plot(rebased.index, rebased.to_numpy(), color=COLORS["benchmark"], lw=0.9,
                label=f"{ctx.benchmark} (rebased to {ctx.symbol} on {bench.index[0].date()})")
        facts.update(benchmark=ctx.benchmark, benchmark_last_date=bench.index[-1].date(),
                     benchmark_last_close=float(bench.iloc[-1]),
                     log_ratio_change=float(np.log(index.iloc[-1] / index.iloc[0]) - np.log(bench.iloc[-1] / bench.iloc[0])))
    ax.set_yscale("log")
    ax.set_ylabel("close (log scale)")
    ax.legend(loc="upper left", frameon=False)
    ax.set_title(f"{ctx.symbol} close, log scale, {index.index[0].date()} to {index.index[-1].date()}")
    text = f"Latest {ctx.symbol} close: {fmt_num(facts['last_close'])} on {facts['last_date']}."
    if "benchmark" in facts:
        text += f" {ctx.benchmark}: {fmt_num(facts['benchmark_last_close'])} on {facts['benchmark_last_date']}."
    html = f"<p>{escape(text)}</p>{to_svg(fig)}"
    return Section("prices", f"{ctx.symbol} and {ctx.benchmark}", facts, html, md_text(text))
