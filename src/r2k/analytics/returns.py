"""Returns by period, annualised return and volatility, and Sharpe/Sortino against a stated risk-free rate.

Conventions (stated once, used everywhere):
* A period return compares the close at ``as_of`` with the last close on or before the period's
  start (1w = 7 calendar days back, 1m/3m/1y/3y/5y = calendar months/years back, YTD = the last close
  of the previous year, MTD = the last close of the previous month). Simple returns.
* Annualised return = CAGR over the window; annualised volatility = std of daily log returns × √252.
* Risk-free: FEDFUNDS (monthly average, percent per year). The value for month M is known only once
  the month is over (FRED publishes it on the first business day of M+1), so the daily risk-free rate
  on day t is the latest value whose month ended before t, forward-filled, divided by 252.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.errors import DataError

TRADING_DAYS = 252
PERIODS = ("1w", "1m", "3m", "mtd", "ytd", "1y", "3y", "5y")
RISK_WINDOWS = {"1y": 1, "3y": 3, "5y": 5, "all": None}
MAX_BASE_GAP_DAYS = 10  # a period's base close must be this close to its start, or the period is n/a (a data gap)


def upto(series: pd.Series, as_of: date | pd.Timestamp | None, name: str = "series") -> pd.Series:
    """``series`` cut at ``as_of`` (inclusive), sorted, NaN dropped; the point-in-time gate of every analysis."""
    s = series.dropna().sort_index()
    if as_of is not None:
        s = s[s.index <= pd.Timestamp(as_of)]
    if s.empty:
        raise DataError(name, f"no data on or before {as_of}")
    return s


def _close_on_or_before(close: pd.Series, when: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    i = close.index.searchsorted(when, side="right") - 1
    if i < 0:
        return None
    return close.index[i], float(close.iloc[i])


def period_start(period: str, as_of: pd.Timestamp) -> pd.Timestamp:
    """The date whose close (or the last one before it) is the base of ``period``."""
    if period == "1w":
        return as_of - pd.Timedelta(days=7)
    if period == "mtd":
        return as_of.replace(day=1) - pd.Timedelta(days=1)
    if period == "ytd":
        return pd.Timestamp(as_of.year - 1, 12, 31)
    n, unit = int(period[:-1]), period[-1]
    return as_of - (pd.DateOffset(months=n) if unit == "m" else pd.DateOffset(years=n))


def risk_free_daily(fedfunds: pd.Series | None, index: pd.DatetimeIndex) -> pd.Series:
    """Daily risk-free rate (fraction per trading day) on ``index`` from monthly FEDFUNDS (percent p.a.).

    Each monthly value becomes known on the first day of the following month (point-in-time); days
    before the first known value get NaN.
    """
    if fedfunds is None or fedfunds.dropna().empty:
        return pd.Series(np.nan, index=index)
    ff = fedfunds.dropna().sort_index()
    known = pd.Series(ff.to_numpy() / 100.0, index=ff.index + pd.offsets.MonthBegin(1))
    known = known[~known.index.duplicated(keep="last")]
    return known.reindex(known.index.union(index)).ffill().reindex(index) / TRADING_DAYS


@dataclass(frozen=True)
class PeriodReturn:
    period: str
    start_date: date | None
    start_close: float
    value: float

    def to_dict(self) -> dict:
        return {"period": self.period, "start_date": self.start_date, "start_close": self.start_close, "return": self.value}


@dataclass(frozen=True)
class RiskStats:
    window: str
    start: date
    n_days: int
    annual_return: float
    annual_vol: float
    sharpe: float
    sortino: float
    risk_free_mean: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ReturnsResult:
    """Period returns, calendar months, and risk statistics as of one date."""

    symbol: str
    as_of: date
    close: float
    periods: dict[str, PeriodReturn]
    months: tuple[tuple[str, float], ...]
    risk: dict[str, RiskStats]
    risk_free: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        parts = [f"{p} {self.periods[p].value:+.1%}" for p in PERIODS if p in self.periods]
        r = self.risk.get("1y")
        tail = f"; 1y vol {r.annual_vol:.1%}, Sharpe {r.sharpe:.2f}" if r else ""
        return f"{self.symbol} {self.close:,.2f} on {self.as_of}: " + ", ".join(parts) + tail

    def to_dict(self) -> dict:
        return {
            "symbol": self.symbol,
            "as_of": self.as_of,
            "close": self.close,
            "periods": {k: v.value for k, v in self.periods.items()},
            "period_bases": {k: v.to_dict() for k, v in self.periods.items()},
            "months": [{"month": m, "return": r} for m, r in self.months],
            "risk": {k: v.to_dict() for k, v in self.risk.items()},
            "risk_free": self.risk_free,
            "notes": list(self.notes),
        }


def risk_stats(close: pd.Series, rf: pd.Series, window: str, years: int | None) -> RiskStats | None:
    """Annual return, volatility, Sharpe and Sortino of ``close`` over its last ``years`` (all when None); None if too short."""
    end = close.index[-1]
    s = close if years is None else close[close.index >= end - pd.DateOffset(years=years)]
    if len(s) < 20 or (years is not None and close.index[0] > end - pd.DateOffset(years=years) + pd.Timedelta(days=7)):
        return None
    simple = s.pct_change().dropna()
    logr = np.log(s).diff().dropna()
    span = (s.index[-1] - s.index[0]).days / 365.25
    cagr = float((s.iloc[-1] / s.iloc[0]) ** (1 / span) - 1) if span > 0 else np.nan
    vol = float(logr.std(ddof=1) * np.sqrt(TRADING_DAYS))
    rfd = rf.reindex(simple.index).fillna(0.0)
    excess = simple - rfd
    downside = float(np.sqrt(np.mean(np.minimum(excess.to_numpy(), 0.0) ** 2)) * np.sqrt(TRADING_DAYS))
    ann_excess = float(excess.mean() * TRADING_DAYS)
    spread = float(simple.std(ddof=1) * np.sqrt(TRADING_DAYS))
    sharpe = ann_excess / spread if spread > 0 else np.nan  # a flat stretch: n/a, not a division by zero
    return RiskStats(window, s.index[0].date(), len(simple), cagr, vol, sharpe,
                     ann_excess / downside if downside > 0 else np.nan, float(rfd.mean() * TRADING_DAYS))


def gap_notes(close: pd.Series, symbol: str, years: int = 10, days: int = MAX_BASE_GAP_DAYS) -> list[str]:
    """Stretches of more than ``days`` calendar days without a close in the last ``years`` (a data gap)."""
    first = int(close.index.searchsorted(close.index[-1] - pd.DateOffset(years=years)))
    idx = close.index[max(0, first - 1):]  # with the close before the window: a gap may straddle its start
    if len(idx) < 2:
        return []
    step = np.diff(idx.to_numpy()).astype("timedelta64[D]").astype(int)
    return [f"gap in the {symbol} data: no close between {idx[i].date()} and {idx[i + 1].date()} ({step[i]} days)"
            for i in np.flatnonzero(step > days)]


def returns_summary(close: pd.Series, as_of: date | None = None, fedfunds: pd.Series | None = None,
                    symbol: str = "RUT", months_back: int = 12) -> ReturnsResult:
    """Period returns, the last ``months_back`` calendar months and risk stats, using data up to ``as_of``."""
    c = upto(close, as_of, symbol)
    end = c.index[-1]
    last = float(c.iloc[-1])
    periods: dict[str, PeriodReturn] = {}
    notes = []
    for p in PERIODS:
        start = period_start(p, end)
        base = _close_on_or_before(c, start)
        if base is not None and (start - base[0]).days > MAX_BASE_GAP_DAYS:
            notes.append(f"{p} return n/a: no {symbol} close within {MAX_BASE_GAP_DAYS} days before {start.date()} "
                         f"(the last one is {base[0].date()})")
        elif base is not None:
            periods[p] = PeriodReturn(p, base[0].date(), base[1], last / base[1] - 1)
    notes += gap_notes(c, symbol)
    month_end = c.groupby(c.index.to_period("M")).last()
    monthly = month_end.pct_change().dropna().iloc[-months_back - 1 :]
    months = tuple((str(m), float(r)) for m, r in monthly.items())
    ff = None if fedfunds is None else fedfunds[fedfunds.index <= end]
    rf = risk_free_daily(ff, c.index)
    risk = {k: r for k, y in RISK_WINDOWS.items() if (r := risk_stats(c, rf, k, y)) is not None}
    if rf.isna().all():
        notes.append("no FEDFUNDS data: Sharpe/Sortino use a zero risk-free rate")
    label = ("FEDFUNDS monthly average (percent p.a.), known from the first day of the following month, "
             "forward-filled, /252 per trading day")
    return ReturnsResult(symbol, end.date(), last, periods, months, risk, label, tuple(notes))
