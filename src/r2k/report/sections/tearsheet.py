"""The tear sheet: the index against the S&P 500 side by side, monthly returns, worst drawdowns, the ratio."""

from __future__ import annotations

from html import escape

import pandas as pd

from r2k.analytics.tearsheet import TearSheet, tearsheet
from r2k.errors import DataError
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.heatmap import Heat, heatmap_table, plain
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, html_table, md_table, md_text

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_SCALE, YEAR_SCALE = 0.08, 0.30  # full colour at ±8% in a month, ±30% in a year


def _name(symbol: str) -> str:
    return INDEX_NAMES.get(symbol, symbol)


def _ratio(x: float) -> str:
    return fmt_num(x, 2)


def _abs_pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}%"


def _signed(v: float) -> str:
    """A percentage with one decimal and its sign; a value that rounds to zero is 0.0 (never -0.0)."""
    text = f"{100 * v:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def _stats_rows(t: TearSheet) -> tuple[list[str], list[list[str]]]:
    head = ["measure"]
    for w in t.windows:
        span = f"{w.index.start.year}–{w.index.end.year}"  # the intro gives the exact dates of each window
        head += [f"{_name(t.symbol)}, {span}", f"{_name(t.benchmark)}, {span}"]

    def both(f) -> list[str]:  # noqa: ANN001
        return [v for w in t.windows for v in (f(w.index), f(w.benchmark))]

    def capture(attr: str) -> list[str]:
        return [v for w in t.windows for v in (_ratio(getattr(w, attr)), "(benchmark)")]

    rows = [
        ["Total return"] + both(lambda s: "n/a" if s.total_return != s.total_return else f"{100 * s.total_return:+,.1f}%"),
        ["CAGR (compound annual growth)"] + both(lambda s: fmt_pct(s.cagr)),
        ["Annualised volatility"] + both(lambda s: _abs_pct(s.volatility)),
        ["Sharpe ratio"] + both(lambda s: _ratio(s.sharpe)),
        ["Sortino ratio"] + both(lambda s: _ratio(s.sortino)),
        ["Calmar ratio (CAGR / max drawdown)"] + both(lambda s: _ratio(s.calmar)),
        ["Maximum drawdown"] + both(lambda s: fmt_pct(s.max_drawdown)),
        ["Best month"] + both(lambda s: f"{fmt_pct(s.best_month[1])} ({s.best_month[0]})"),
        ["Worst month"] + both(lambda s: f"{fmt_pct(s.worst_month[1])} ({s.worst_month[0]})"),
        [f"Up capture of the {_name(t.benchmark)}"] + capture("up_capture"),
        [f"Down capture of the {_name(t.benchmark)}"] + capture("down_capture"),
    ]
    return head, rows


def _month_rows(t: TearSheet) -> tuple[list[str], list[list[object]]]:
    head = ["year", *MONTHS, f"{_name(t.symbol)} year", f"{_name(t.benchmark)} year"]
    rows: list[list[object]] = []
    for year in t.years.index[::-1]:  # newest first
        months = t.monthly.loc[year] if year in t.monthly.index else pd.Series(dtype=float)
        cells: list[object] = [str(year)]
        for m in range(1, 13):
            v = months.get(m, float("nan"))
            cells.append("" if v != v else Heat(_signed(v), float(v), MONTH_SCALE))
        for col in ("index", "benchmark"):
            v = float(t.years.loc[year, col])
            cells.append("" if v != v else Heat(_signed(v), v, YEAR_SCALE))
        rows.append(cells)
    return head, rows


def _drawdown_rows(t: TearSheet) -> list[list[str]]:
    rows = []
    for k, e in enumerate(t.worst_drawdowns, 1):
        rec = str(e.recovery_date) if e.recovery_date else "not recovered"
        length = f"{e.total_trading_days:,}" if e.total_trading_days is not None else "ongoing"
        rows.append([str(k), str(e.peak_date), str(e.trough_date), rec, fmt_pct(e.depth), f"{e.decline_trading_days:,}", length])
    return rows


def _ratio_chart(t: TearSheet) -> str:
    r = t.ratio_weekly
    fig, ax = new_figure(3.2)
    ax.plot(r.index, r.to_numpy(), color=COLORS["index"], lw=0.9, label=f"{_name(t.symbol)} / {_name(t.benchmark)}")
    for k, b in enumerate(t.bear_markets):
        ax.axvspan(pd.Timestamp(b.peak_date), pd.Timestamp(b.trough_date), color=COLORS["down"], alpha=0.15, lw=0,
                   label=f"{_name(t.benchmark)} bear market (peak to trough, 20%+ fall)" if k == 0 else None)
    ax.annotate(f"{r.iloc[-1]:.3f}", (r.index[-1], r.iloc[-1]), xytext=(4, 0), textcoords="offset points",
                va="center", fontsize=8, color=COLORS["index"])
    ax.set_ylabel("ratio of index levels")
    ax.set_title(f"{_name(t.symbol)} relative to the {_name(t.benchmark)} (weekly closes; rising = small caps lead)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, frameon=False)
    return to_svg(fig)


def _intro(t: TearSheet) -> str:
    spans = "; ".join(f"{w.label}: {w.index.start} to {w.index.end}" for w in t.windows)
    return (f"{_name(t.symbol)} against the {_name(t.benchmark)} on their common trading days as of {t.as_of} ({spans}). "
            f"Price indices (no dividends). Volatility from daily log returns × √252; Sharpe and Sortino on daily returns "
            f"over the Fed funds rate; months from month-end closes.")


def _month_note(t: TearSheet) -> str:
    first = t.years.index[0]
    text = f"{first} starts on the first common close; {t.years.index[-1]} is the year to date"
    if t.partial_month:
        text += f"; {t.partial_month} runs to {t.as_of} (month to date)"
    return text + "."


def build(ctx: ReportContext) -> Section | None:
    close, bench = ctx.series_if_any(ctx.symbol), ctx.series_if_any(ctx.benchmark)
    if close is None or bench is None:
        return None
    try:
        t = tearsheet(close, bench, ctx.as_of, ctx.series_if_any("FEDFUNDS"), ctx.symbol, ctx.benchmark)
    except DataError:
        return None
    if not t.windows:
        return None
    s_head, s_rows = _stats_rows(t)
    m_head, m_rows = _month_rows(t)
    d_head = ["#", "peak (start)", "trough", "recovery", "depth", "decline, trading days", "peak to recovery, trading days"]
    d_rows = _drawdown_rows(t)
    intro, month_note = _intro(t), _month_note(t)
    html = (f"<p>{escape(intro)}</p>" + html_table(s_head, s_rows)
            + f"<h3>Monthly returns of the {escape(_name(t.symbol))}, %</h3>"
            + heatmap_table(m_head, m_rows) + f'<p class="note">{escape(month_note)}</p>'
            + f"<h3>Worst drawdowns of the {escape(_name(t.symbol))}</h3>" + html_table(d_head, d_rows)
            + _ratio_chart(t))
    md = (md_text(intro) + "\n\n" + md_table(s_head, s_rows)
          + f"\n\n### Monthly returns of the {md_text(_name(t.symbol))}, %\n\n" + md_table(m_head, plain(m_rows))
          + "\n\n" + md_text(month_note)
          + f"\n\n### Worst drawdowns of the {md_text(_name(t.symbol))}\n\n" + md_table(d_head, d_rows))
    facts = t.to_dict()
    facts.pop("ratio_weekly")  # the chart's points; the daily ratio is in the market section's facts
    notes = tuple(t.notes) + ("Up/down capture: the index's mean monthly return in months when the benchmark rose (fell), "
                              "over the benchmark's mean in those months.",)
    return Section("tearsheet", f"Tear sheet: {_name(ctx.symbol)} against the {_name(ctx.benchmark)}", facts, html, md, notes)

