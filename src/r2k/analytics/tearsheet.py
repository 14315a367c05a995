"""A QuantStats-style tear sheet of an index against its benchmark, as of one date.

Conventions (QuantStats' definitions, with this project's stated choices):
* Both series are cut at ``as_of`` and put on their COMMON dates, so every number of the two columns
  covers the same days. Windows: the full common history and the last ``years`` calendar years.
* CAGR, annualised volatility (std of daily log returns × √252), Sharpe and Sortino come from
  ``r2k.analytics.returns`` (risk-free FEDFUNDS, point-in-time; zero when not stored).
* Calmar = CAGR / |maximum drawdown| over the same window; maximum drawdown from closes
  (``r2k.analytics.drawdown``).
* Monthly returns compare month-end closes (the last close of each calendar month; the current month
  runs to ``as_of`` and is marked "to date"). A window's first, partial month is only the base of the
  next one. Best/worst month are over the window's months.
* Up/down capture: ``r2k.analytics.relative`` (monthly simple returns; mean index return in months when
  the benchmark rose / fell over the benchmark's mean in those months).
* Calendar-year totals = last close of the year / last close of the previous year − 1 (the first
  year from the first close; the current year to date).
* Skew, kurtosis, historical VaR/CVaR, best/worst day and year, win rates, longest drawdown (per series and
  window), beta, alpha, tracking error and information ratio (the index against the benchmark), and the
  rolling six-month Sharpe/Sortino: ``r2k.analytics.performance`` (its docstring holds the definitions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.drawdown import DrawdownEpisode, drawdowns
from r2k.analytics.performance import (Distribution, Relative, calendar_year_returns, distribution, monthly_returns,
                                       relative_stats, rolling_ratios, simple_returns)
from r2k.analytics.relative import BearMarket, capture_ratios, relative
from r2k.analytics.returns import risk_free_daily, risk_stats, upto
from r2k.calendar.trading import add_trading_days
from r2k.errors import DataError

WINDOW_YEARS = 10
N_DRAWDOWNS = 10
DRAWDOWN_FLOOR = 0.05  # episodes shallower than this are not candidates for the worst-drawdowns table
MIN_DAYS = 252  # a year of common closes: fewer make annualised numbers meaningless


@dataclass(frozen=True)
class PerfStats:
    """One series over one window."""

    symbol: str
    start: date
    end: date
    n_days: int
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    sortino: float
    calmar: float
    max_drawdown: float
    best_month: tuple[str, float]
    worst_month: tuple[str, float]
    distribution: Distribution

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["distribution"] = self.distribution.to_dict()
        d["best_month"] = {"month": self.best_month[0], "return": self.best_month[1]}
        d["worst_month"] = {"month": self.worst_month[0], "return": self.worst_month[1]}
        return d


@dataclass(frozen=True)
class WindowStats:
    """Index and benchmark side by side over one window, with the index's capture of the benchmark."""

    window: str  # "full" | "10y"
    label: str  # human words, e.g. "last 10 years"
    index: PerfStats
    benchmark: PerfStats
    up_capture: float
    down_capture: float
    relative: Relative

    def to_dict(self) -> dict:
        return {"window": self.window, "label": self.label, "start": self.index.start, "end": self.index.end,
                "index": self.index.to_dict(), "benchmark": self.benchmark.to_dict(),
                "up_capture": self.up_capture, "down_capture": self.down_capture, "relative": self.relative.to_dict()}


@dataclass(frozen=True)
class TearSheet:
    symbol: str
    benchmark: str
    as_of: date
    windows: tuple[WindowStats, ...]
    monthly: pd.DataFrame = field(repr=False, compare=False)  # years × 1..12 of the index, fractions
    years: pd.DataFrame = field(repr=False, compare=False)  # year -> index and benchmark calendar-year totals
    worst_drawdowns: tuple[DrawdownEpisode, ...] = ()
    ratio_weekly: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False, compare=False)
    bear_markets: tuple[BearMarket, ...] = ()
    partial_month: str | None = None  # "YYYY-MM" when the last month runs only to as_of
    rolling: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)  # the index's 6-month Sharpe/Sortino, weekly
    risk_free: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        lines = [f"{self.symbol} against {self.benchmark} as of {self.as_of}"]
        for w in self.windows:
            i, b = w.index, w.benchmark
            lines.append(f"  {w.label} ({i.start} to {i.end}): CAGR {i.cagr:+.1%} vs {b.cagr:+.1%}, vol {i.volatility:.1%} vs "
                         f"{b.volatility:.1%}, Sharpe {i.sharpe:.2f} vs {b.sharpe:.2f}, max drawdown {i.max_drawdown:.1%} vs "
                         f"{b.max_drawdown:.1%}; up/down capture {w.up_capture:.2f}/{w.down_capture:.2f}")
            di, db, r = i.distribution, b.distribution, w.relative
            lines.append(f"    skew {di.skew:.2f} vs {db.skew:.2f}, excess kurtosis {di.kurtosis:.1f} vs {db.kurtosis:.1f}, "
                         f"daily VaR/CVaR 95% {di.var:.1%}/{di.cvar:.1%} vs {db.var:.1%}/{db.cvar:.1%}, up months "
                         f"{di.win_months:.0%} vs {db.win_months:.0%}; beta {r.beta:.2f}, alpha {r.alpha:+.1%}, tracking "
                         f"error {r.tracking_error:.1%}, information ratio {r.information_ratio:.2f}")
        return "\n".join(lines + [f"note: {n}" for n in self.notes])

    def to_dict(self) -> dict:
        months = [{"year": int(y), "month": int(m), "return": float(v)}
                  for y, row in self.monthly.iterrows() for m, v in row.items() if v == v]
        years = [{"year": int(y), "index": _nan_none(r["index"]), "benchmark": _nan_none(r["benchmark"])}
                 for y, r in self.years.iterrows()]
        return {"symbol": self.symbol, "benchmark": self.benchmark, "as_of": self.as_of,
                "windows": [w.to_dict() for w in self.windows], "monthly_returns": months, "calendar_years": years,
                "partial_month": self.partial_month, "worst_drawdowns": [e.to_dict() for e in self.worst_drawdowns],
                "bear_markets": [b.to_dict() for b in self.bear_markets],
                "ratio_weekly": [{"date": d.date(), "ratio": float(v)} for d, v in self.ratio_weekly.items()],
                "rolling_6m": [{"date": d.date(), "sharpe": _nan_none(r["sharpe"]), "sortino": _nan_none(r["sortino"])}
                               for d, r in self.rolling.iterrows()],
                "risk_free": self.risk_free, "notes": list(self.notes)}


def _nan_none(v: float) -> float | None:
    return None if v != v else float(v)


def monthly_table(close: pd.Series) -> pd.DataFrame:
    """Years × months (1..12) of monthly returns, NaN where a month has no return."""
    m = monthly_returns(close)
    table = pd.DataFrame({"year": m.index.year, "month": m.index.month, "r": m.to_numpy()})
    out = table.pivot(index="year", columns="month", values="r")
    return out.reindex(columns=range(1, 13))


def _weekly(frame: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Each week's last row, on its own date (a long daily history at a resolution a chart and the JSON can carry)."""
    return frame.groupby(frame.index.to_period("W-FRI")).tail(1)


def _perf(close: pd.Series, rf: pd.Series, years: int | None, symbol: str) -> PerfStats | None:
    risk = risk_stats(close, rf, "all" if years is None else f"{years}y", years)
    if risk is None:
        return None
    s = close[close.index >= pd.Timestamp(risk.start)]
    mdd = drawdowns(s, symbol=symbol).max
    m = monthly_returns(s)
    best = (str(m.idxmax()), float(m.max())) if len(m) else ("", np.nan)
    worst = (str(m.idxmin()), float(m.min())) if len(m) else ("", np.nan)
    return PerfStats(symbol, risk.start, s.index[-1].date(), risk.n_days, float(s.iloc[-1] / s.iloc[0] - 1), risk.annual_return,
                     risk.annual_vol, risk.sharpe, risk.sortino, risk.annual_return / abs(mdd) if mdd < 0 else np.nan, mdd,
                     best, worst, distribution(s))


def tearsheet(close: pd.Series, bench: pd.Series, as_of: date | None = None, fedfunds: pd.Series | None = None,
              symbol: str = "RUT", benchmark: str = "GSPC", years: int = WINDOW_YEARS,
              n_drawdowns: int = N_DRAWDOWNS) -> TearSheet:
    """The tear sheet of ``close`` against ``bench`` using data up to ``as_of`` (default: the index's last close)."""
    ci = upto(close, as_of, symbol)
    cb_full = upto(bench, ci.index[-1], benchmark)
    common = ci.index.intersection(cb_full.index)
    if len(common) < MIN_DAYS:
        raise DataError(f"{symbol}/{benchmark}", f"only {len(common)} common closes on or before {ci.index[-1].date()}; "
                        f"a tear sheet needs {MIN_DAYS}")
    ci, cb = ci.reindex(common), cb_full.reindex(common)
    end = common[-1]
    ff = None if fedfunds is None else fedfunds[fedfunds.index <= end]
    rf = risk_free_daily(ff, common)
    notes = []
    if rf.isna().all():
        notes.append("no Fed funds rate stored: Sharpe and Sortino use a zero risk-free rate")
    windows = []
    for key, label, y in (("full", "full common history", None), (f"{years}y", f"last {years} years", years)):
        pi, pb = _perf(ci, rf, y, symbol), _perf(cb, rf, y, benchmark)
        if pi is None or pb is None:
            notes.append(f"the {label} window is not shown: fewer than {years} years of common history")
            continue
        start = pd.Timestamp(pi.start)
        wi, wb = ci[ci.index >= start], cb[cb.index >= start]
        up, down = capture_ratios(monthly_returns(wi), monthly_returns(wb))
        windows.append(WindowStats(key, label, pi, pb, up, down, relative_stats(simple_returns(wi), simple_returns(wb), rf)))
    years_df = pd.DataFrame({"index": calendar_year_returns(ci), "benchmark": calendar_year_returns(cb)})
    episodes = drawdowns(ci, threshold=DRAWDOWN_FLOOR, symbol=symbol).episodes
    worst = tuple(sorted(episodes, key=lambda e: e.depth)[:n_drawdowns])
    rel = relative(ci, cb_full, end, None, symbol, benchmark)
    ratio = rel.history["ratio"].dropna()
    weekly = _weekly(ratio)
    partial = None if add_trading_days(end.date(), 1).month != end.month else str(end.to_period("M"))
    label = "Fed funds rate (monthly average), known from the first day of the following month, per trading day"
    return TearSheet(symbol, benchmark, end.date(), tuple(windows), monthly_table(ci), years_df, worst, weekly,
                     rel.bear_markets, partial, _weekly(rolling_ratios(simple_returns(ci), rf)), label, tuple(notes))
