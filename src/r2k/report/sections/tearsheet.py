"""The tear sheet: the index against the S&P 500 side by side (QuantStats' measures, defined on the page), its charts,
monthly returns and worst drawdowns."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from r2k.analytics.performance import Dated, LongestDrawdown
from r2k.analytics.tearsheet import PerfStats, TearSheet, WindowStats, tearsheet
from r2k.errors import DataError
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.heatmap import Heat
from r2k.report.perf_charts import monthly_histogram, relative_ratio_chart, rolling_ratio_chart, yearly_bars
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct
from r2k.words import NA, count, pct

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_SCALE, YEAR_SCALE = 0.08, 0.30  # full colour at ±8% in a month, ±30% in a year


def _name(symbol: str) -> str:
    return INDEX_NAMES.get(symbol, symbol)


# one formatter per kind of number (r2k.words; "n/a" when missing)
RETURN = fmt_pct  # a return: signed percentage, "+7.7%"
SHARE = partial(pct, na=NA)  # a level or a share: "21.6%"
RATIO = fmt_num  # a ratio or a moment: "0.30"
DAYS = partial(count, na=NA)  # a count of days: "1,234"


def _dated(d: Dated) -> str:
    return f"{RETURN(d.value)} ({d.when})" if d.when else NA


def _longest(dd: LongestDrawdown | None) -> str:
    if dd is None:
        return "none"
    return f"{DAYS(dd.calendar_days)} ({dd.peak} to {dd.end})" if dd.recovered else f"{DAYS(dd.calendar_days)} ({dd.peak}, not recovered)"


def _span(w: WindowStats) -> str:
    return f"{w.index.start.year}–{w.index.end.year}"  # the intro gives the exact dates of each window


def _side_by_side(t: TearSheet, rows: list[tuple[str, Callable[[PerfStats], str]]]) -> tuple[list[str], list[list[str]]]:
    """A table of per-series measures: one column per (window, series)."""
    head = ["measure"] + [f"{_name(sym)}, {_span(w)}" for w in t.windows for sym in (t.symbol, t.benchmark)]
    return head, [[label] + [f(s) for w in t.windows for s in (w.index, w.benchmark)] for label, f in rows]


def _stats_rows(t: TearSheet) -> tuple[list[str], list[list[str]]]:
    return _side_by_side(t, [
        ("Total return", lambda s: RETURN(s.total_return)),
        ("CAGR (compound annual growth)", lambda s: RETURN(s.cagr)),
        ("Annualised volatility", lambda s: SHARE(s.volatility)),
        ("Sharpe ratio", lambda s: RATIO(s.sharpe)),
        ("Sortino ratio", lambda s: RATIO(s.sortino)),
        ("Calmar ratio (CAGR / max drawdown)", lambda s: RATIO(s.calmar)),
        ("Maximum drawdown", lambda s: RETURN(s.max_drawdown)),
        ("Longest drawdown, calendar days (peak to recovery)", lambda s: _longest(s.distribution.longest_drawdown)),
    ])


def _distribution_rows(t: TearSheet) -> tuple[list[str], list[list[str]]]:
    return _side_by_side(t, [
        ("Skew of daily returns", lambda s: RATIO(s.distribution.skew)),
        ("Excess kurtosis of daily returns", lambda s: RATIO(s.distribution.kurtosis)),
        ("Daily value at risk (95%, historical)", lambda s: RETURN(s.distribution.var)),
        ("Daily expected shortfall (CVaR, 95%)", lambda s: RETURN(s.distribution.cvar)),
        ("Best day", lambda s: _dated(s.distribution.best_day)),
        ("Worst day", lambda s: _dated(s.distribution.worst_day)),
        ("Best month", lambda s: f"{RETURN(s.best_month[1])} ({s.best_month[0]})"),
        ("Worst month", lambda s: f"{RETURN(s.worst_month[1])} ({s.worst_month[0]})"),
        ("Best calendar year", lambda s: _dated(s.distribution.best_year)),
        ("Worst calendar year", lambda s: _dated(s.distribution.worst_year)),
        ("Up days (of days that moved)", lambda s: SHARE(s.distribution.win_days)),
        ("Up months", lambda s: SHARE(s.distribution.win_months)),
        ("Up calendar years", lambda s: f"{SHARE(s.distribution.win_years)} of {s.distribution.n_years}"),
    ])


def _relative_rows(t: TearSheet) -> tuple[list[str], list[list[str]]]:
    b = _name(t.benchmark)
    head = ["measure"] + [f"{_name(t.symbol)}, {_span(w)}" for w in t.windows]
    rows = [
        (f"Beta to the {b}", lambda w: RATIO(w.relative.beta)),
        ("Alpha (annual, Jensen's)", lambda w: RETURN(w.relative.alpha)),
        ("Tracking error (annualised)", lambda w: SHARE(w.relative.tracking_error)),
        ("Information ratio (annualised)", lambda w: RATIO(w.relative.information_ratio)),
        (f"Up capture of the {b}", lambda w: RATIO(w.up_capture)),
        (f"Down capture of the {b}", lambda w: RATIO(w.down_capture)),
    ]
    return head, [[label] + [f(w) for w in t.windows] for label, f in rows]


def _month_rows(t: TearSheet) -> tuple[list[str], list[list[object]]]:
    head = ["year", *MONTHS, f"{_name(t.symbol)} year", f"{_name(t.benchmark)} year"]
    rows: list[list[object]] = []
    for year in t.years.index[::-1]:  # newest first
        months = t.monthly.loc[year] if year in t.monthly.index else pd.Series(dtype=float)
        cells: list[object] = [str(year)]
        for m in range(1, 13):
            v = months.get(m, float("nan"))
            cells.append("" if v != v else Heat(RETURN(v), float(v), MONTH_SCALE))
        for col in ("index", "benchmark"):
            v = float(t.years.loc[year, col])
            cells.append("" if v != v else Heat(RETURN(v), v, YEAR_SCALE))
        rows.append(cells)
    return head, rows


DRAWDOWN_HEADERS = ("#", "peak (start)", "trough", "recovery", "depth", "decline, trading days",
                    "peak to recovery, trading days")


def _drawdown_rows(t: TearSheet) -> list[list[str]]:
    rows = []
    for k, e in enumerate(t.worst_drawdowns, 1):
        rec = str(e.recovery_date) if e.recovery_date else "not recovered"
        length = DAYS(e.total_trading_days) if e.total_trading_days is not None else "ongoing"
        rows.append([str(k), str(e.peak_date), str(e.trough_date), rec, RETURN(e.depth), DAYS(e.decline_trading_days), length])
    return rows


def _charts(t: TearSheet) -> B.Charts:
    name, bench = _name(t.symbol), _name(t.benchmark)
    recent = t.windows[-1]
    since = pd.Timestamp(recent.index.start)
    monthly = t.monthly.stack().dropna().sort_index()
    latest = f"{MONTHS[monthly.index[-1][1] - 1]} {monthly.index[-1][0]}" + (" (to date)" if t.partial_month else "")
    spans = [(pd.Timestamp(b.peak_date), pd.Timestamp(b.trough_date)) for b in t.bear_markets]
    return B.Charts(tuple(B.Figure(svg) for svg in (
        relative_ratio_chart(t.ratio_weekly, spans, name, bench),
        rolling_ratio_chart(t.rolling, f"{name}, {_span(recent)}", since),
        monthly_histogram(monthly, f"{name}, {_span(t.windows[0])}", latest),
        yearly_bars(t.years, name, bench, f"{t.years.index[-1]} to date"),
    )))


def statistics_blocks(t: TearSheet) -> list[B.Block]:
    """The three tables of measures side by side, each under its heading: returns and risk, the distribution of
    returns, and the measures against the benchmark."""
    tables = {"Returns and risk": _stats_rows(t), "Distribution of returns": _distribution_rows(t),
              f"Against the {_name(t.benchmark)}": _relative_rows(t)}
    return [b for title, (head, rows) in tables.items() for b in (B.Heading(title), B.Table.of(head, rows))]


def _intro(t: TearSheet) -> str:
    spans = "; ".join(f"{w.label}: {w.index.start} to {w.index.end}" for w in t.windows)
    return (f"{_name(t.symbol)} against the {_name(t.benchmark)} on their common trading days as of {t.as_of} ({spans}). "
            "Price indices (no dividends).")


DEFINITIONS = (  # how every number above is computed (r2k.analytics.performance, checked against QuantStats)
    "Returns: simple daily returns of closes (volatility alone uses log returns); months and years compare month-end "
    "and year-end closes; best/worst and up calendar years count complete years only.",
    "A year has 252 trading days: volatility and tracking error × √252, alpha × 252.",
    "Risk-free rate: the Fed funds rate (monthly average, known from the first day of the next month), per trading "
    "day; Sharpe, Sortino (also their 6-month = 126-day rolling values), alpha and beta use returns over it.",
    "Value at risk and expected shortfall: historical, one day, 95% (the 5% quantile of daily returns and the mean "
    "of the returns at or below it).",
    "Skew and excess kurtosis: bias-corrected sample moments (0 and 0 for a normal distribution). Up days, months "
    "and years: of the periods that moved.",
    "Beta: covariance of excess returns over the benchmark's variance; alpha: Jensen's. Tracking error: annualised "
    "standard deviation of the daily return difference; information ratio: its annualised mean over the tracking "
    "error.",
    "Longest drawdown: from a record close back to it (or to the last close), in calendar days.",
)


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
    name = _name(t.symbol)
    blocks = [B.Paragraph(_intro(t)), *statistics_blocks(t), B.Bullets(DEFINITIONS, css="note"), _charts(t),
              B.Heading(f"Monthly returns of the {name}"), B.Table.of(*_month_rows(t), css="data heatmap"),
              B.Paragraph(_month_note(t), css="note"),
              B.Heading(f"Worst drawdowns of the {name}"), B.Table.of(DRAWDOWN_HEADERS, _drawdown_rows(t))]
    facts = t.to_dict()
    facts.pop("ratio_weekly")  # the chart's points; the daily ratio is in the market section's facts
    rolling = facts.pop("rolling_6m")  # the chart's points; the latest values stay
    facts["rolling_6m_latest"] = rolling[-1] if rolling else None
    notes = tuple(t.notes) + ("Up/down capture: the index's mean monthly return in months when the benchmark rose (fell), "
                              "over the benchmark's mean in those months.",)
    return Section.of("tearsheet", f"Tear sheet: {name} against the {_name(ctx.benchmark)}", facts, blocks, notes)
