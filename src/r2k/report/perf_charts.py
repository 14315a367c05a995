"""The tear sheet's charts: compact figures that fit a phone's column (366 px) with their title and latest value.

Each figure is drawn 5 inches wide (480 px at its natural size) and allowed to shrink to the column on a phone
(``min-width: 0`` on its own SVG, overriding the report's 440 px floor for wide charts): at 366 px its text is
still about 11 px. On a desk they sit two to a row (:class:`r2k.report.blocks.Charts`).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from r2k.report.charts import COLORS, legend_below, new_figure, percent_axis, tag_right, to_svg
from r2k.words import pct

WIDTH = 5.0  # inches
HEIGHT = 3.2


def fit_phone(chart_html: str) -> str:
    """A chart from ``to_svg`` that shrinks with the column instead of scrolling sideways."""
    return chart_html.replace("<svg ", '<svg style="min-width:0;width:100%;max-width:100%" ', 1)


def few_dates(ax: Axes) -> None:
    """At most six date ticks: a narrow chart never runs its year labels together."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def rolling_ratio_chart(rolling: pd.DataFrame, name: str, since: pd.Timestamp | None = None) -> str:
    """Rolling six-month Sharpe and Sortino of the index (weekly points), the latest of each tagged."""
    r = rolling if since is None else rolling[rolling.index >= since]
    fig, ax = new_figure(HEIGHT, WIDTH)
    ax.plot(r.index, r["sharpe"].to_numpy(), color=COLORS["index"], lw=1.0, label="Sharpe")
    ax.plot(r.index, r["sortino"].to_numpy(), color=COLORS["accent"], lw=0.8, alpha=0.85, label="Sortino")
    ax.axhline(0, color="#444", lw=0.6)
    ax.set_ylabel("annualised ratio")
    few_dates(ax)
    ax.set_title(f"{name}: 6-month rolling Sharpe and Sortino")
    legend_below(fig)
    last = r.iloc[-1]
    tag_right(ax, [(float(last["sharpe"]), f"{last['sharpe']:.2f}", COLORS["index"]),
                   (float(last["sortino"]), f"{last['sortino']:.2f}", COLORS["accent"])])
    return fit_phone(to_svg(fig))


def monthly_histogram(monthly: pd.Series, name: str, latest: str) -> str:
    """The distribution of monthly returns (fractions), its mean and the latest month marked."""
    values = 100 * monthly.dropna().to_numpy()
    fig, ax = new_figure(HEIGHT, WIDTH)
    edges = np.arange(np.floor(values.min() / 2) * 2, np.ceil(values.max() / 2) * 2 + 2, 2.0)
    ax.hist(values, bins=edges, color=COLORS["index"], alpha=0.8, edgecolor="white", lw=0.5)
    ax.axvline(values.mean(), color=COLORS["benchmark"], lw=1.2, ls="--", label=f"mean {pct(values.mean() / 100, 1, True)}")
    ax.axvline(values[-1], color=COLORS["accent"], lw=1.5, label=f"{latest} {pct(values[-1] / 100, 1, True)}")
    ax.set_xlabel("monthly return, %")
    ax.set_ylabel("months")
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:+.0f}%" if v else "0%")
    ax.set_title(f"{name}: {len(values):,} monthly returns")
    legend_below(fig)
    return fit_phone(to_svg(fig))


def yearly_bars(years: pd.DataFrame, index_name: str, bench_name: str, last_label: str) -> str:
    """Calendar-year returns of the index and the benchmark as paired bars; the latest (year to date) tagged."""
    y = years.dropna(how="all")
    x = np.arange(len(y))
    fig, ax = new_figure(HEIGHT, WIDTH)
    ax.bar(x - 0.2, 100 * y["index"].to_numpy(), 0.4, color=COLORS["index"], label=index_name)
    ax.bar(x + 0.2, 100 * y["benchmark"].to_numpy(), 0.4, color=COLORS["benchmark"], label=bench_name)
    ax.axhline(0, color="#444", lw=0.6)
    step = max(1, int(np.ceil(len(y) / 8)))
    ticks = x[::-1][::step][::-1]  # the latest year always labelled
    ax.set_xticks(ticks, [str(y.index[i]) for i in ticks])
    ax.grid(axis="x", visible=False)
    ax.set_xlim(-0.8, len(y) - 0.2)
    percent_axis(ax, signed=True)
    ax.set_ylabel("return, %")
    ax.set_title(f"Calendar-year returns ({last_label})")
    legend_below(fig)
    last = y.iloc[-1]
    tag_right(ax, [(100 * float(last["index"]), pct(last["index"], 1, True), COLORS["index"]),
                   (100 * float(last["benchmark"]), pct(last["benchmark"], 1, True), "#707070")])
    return fit_phone(to_svg(fig))


def relative_ratio_chart(ratio: pd.Series, spans: list[tuple[pd.Timestamp, pd.Timestamp]], index_name: str,
                         bench_name: str) -> str:
    """The ratio of the two index levels (weekly closes) with the benchmark's bear markets shaded; latest tagged."""
    fig, ax = new_figure(HEIGHT, WIDTH)
    ax.plot(ratio.index, ratio.to_numpy(), color=COLORS["index"], lw=0.9, label=f"{index_name} / {bench_name}")
    for k, (start, end) in enumerate(spans):
        ax.axvspan(start, end, color=COLORS["down"], alpha=0.15, lw=0,
                   label=f"{bench_name} bear market (20%+ fall)" if k == 0 else None)
    ax.set_ylabel("ratio of index levels")
    few_dates(ax)
    ax.set_title(f"{index_name} relative to the {bench_name} (rising: small caps lead)")
    legend_below(fig)
    tag_right(ax, [(float(ratio.iloc[-1]), f"{ratio.iloc[-1]:.3f}", COLORS["index"])])
    return fit_phone(to_svg(fig))
