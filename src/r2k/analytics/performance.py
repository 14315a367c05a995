"""Performance statistics of a daily close series, alone and against a benchmark (QuantStats' set).

Definitions (one place; the tear sheet states them on the page):
* Daily returns are **simple** returns of consecutive closes (``close_t / close_{t-1} - 1``); a year has
  **252** trading days (``r2k.analytics.returns.TRADING_DAYS``).
* The risk-free rate is a daily series (``returns.risk_free_daily``: the Fed funds rate, point-in-time);
  a day without a known rate counts as zero.
* Skew and kurtosis: pandas' bias-corrected sample skewness and **excess** kurtosis (a normal gives 0), as
  QuantStats' ``skew``/``kurtosis``.
* Value at risk and expected shortfall (CVaR) are **historical**, one day, 95%: the 5% quantile of the daily
  returns (linear interpolation) and the mean of the returns at or below it (QuantStats'
  ``conditional_value_at_risk(method="historical")``). Both are negative fractions: losses.
* Win rate: up periods over periods that moved (a zero return is neither a win nor a loss), as QuantStats.
  Months and years from month-end and year-end closes (``month_end_closes``, ``calendar_year_returns``);
  best/worst year and the yearly win rate use **complete** calendar years only.
* Beta = cov(r − rf, b − rf) / var(b − rf) of daily returns; alpha (Jensen's) = (mean(r − rf) − beta ·
  mean(b − rf)) × 252, an arithmetic annual rate (QuantStats' ``greeks`` with rf = 0).
* Tracking error = std(r − b) × √252; information ratio = mean(r − b) × 252 / tracking error (QuantStats'
  daily ratio × √252).
* Rolling Sharpe and Sortino over 126 trading days (six months): mean excess return over its standard
  deviation (Sortino: over the root mean square of the negative excess returns) × √252, as QuantStats'
  ``rolling_sharpe``/``rolling_sortino``.
* Longest drawdown: the longest stretch from a record close to the first close back at or above it (to the
  last close while still under water), in calendar and trading days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.drawdown import drawdowns
from r2k.analytics.returns import TRADING_DAYS
from r2k.calendar.trading import add_trading_days

VAR_LEVEL = 0.95
ROLLING_DAYS = 126  # six months of trading days


# ------------------------------------------------------------------------------------------- period returns
def simple_returns(close: pd.Series) -> pd.Series:
    """Daily simple returns of consecutive closes."""
    return close.pct_change().dropna()


def month_end_closes(close: pd.Series) -> pd.Series:
    """The last close of each calendar month, indexed by the month (a PeriodIndex)."""
    return close.groupby(close.index.to_period("M")).last()


def monthly_returns(close: pd.Series) -> pd.Series:
    """Month-over-month returns of month-end closes (the first, partial month is only a base)."""
    return month_end_closes(close).pct_change().dropna()


def calendar_year_returns(close: pd.Series) -> pd.Series:
    """Last close of each year over the last close of the previous year (the first year: from the first close)."""
    ye = close.groupby(close.index.year).last()
    base = ye.shift(1)
    base.iloc[0] = close.iloc[0]
    return ye / base - 1


def complete_year_returns(close: pd.Series) -> pd.Series:
    """Calendar-year returns of the years that lie wholly inside ``close``: the previous year's last close is in
    the series, and the year is over (its last close is the year's last trading day, or a later year began)."""
    years = calendar_year_returns(close)
    last = close.index[-1].date()
    over = years.index <= last.year if add_trading_days(last, 1).year != last.year else years.index < last.year
    return years[(years.index > close.index[0].year) & over]


# ------------------------------------------------------------------------------------------ one series
def win_rate(returns: pd.Series) -> float:
    """Up periods over periods that moved; NaN when nothing moved."""
    moved = int((returns != 0).sum())
    return float((returns > 0).sum() / moved) if moved else np.nan


def historical_var(returns: pd.Series, level: float = VAR_LEVEL) -> float:
    """The (1 − level) quantile of the returns: the loss not exceeded on ``level`` of the days."""
    return float(returns.quantile(1 - level)) if len(returns) else np.nan


def historical_cvar(returns: pd.Series, level: float = VAR_LEVEL) -> float:
    """Expected shortfall: the mean of the returns at or below the historical VaR."""
    if not len(returns):
        return np.nan
    return float(returns[returns <= historical_var(returns, level)].mean())


@dataclass(frozen=True)
class Dated:
    """A value and the day, month or year it belongs to."""

    when: str
    value: float

    def to_dict(self) -> dict:
        return {"when": self.when, "value": self.value}


def _extreme(values: pd.Series, best: bool) -> Dated:
    if values.empty:
        return Dated("", np.nan)
    key = values.idxmax() if best else values.idxmin()
    when = key.date().isoformat() if isinstance(key, pd.Timestamp) else str(key)
    return Dated(when, float(values[key]))


@dataclass(frozen=True)
class LongestDrawdown:
    peak: date
    end: date  # the recovery close, or the last close while still under water
    recovered: bool
    calendar_days: int
    trading_days: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def longest_drawdown(close: pd.Series) -> LongestDrawdown | None:
    """The longest time from a record close back to it (to the last close if not yet recovered); None without a
    drawdown."""
    episodes = drawdowns(close, threshold=0.0, symbol=str(close.name or "series")).episodes
    if not episodes:
        return None
    last = close.index[-1]
    n = len(close)

    def length(e) -> tuple[int, int]:  # noqa: ANN001 - (calendar days, trading days) of one episode
        if e.recovery_date is not None:
            return e.total_calendar_days, e.total_trading_days
        return (last - pd.Timestamp(e.peak_date)).days, n - 1 - int(close.index.get_loc(pd.Timestamp(e.peak_date)))

    e = max(episodes, key=lambda ep: length(ep)[0])
    cal, trading = length(e)
    end = e.recovery_date if e.recovery_date is not None else last.date()
    return LongestDrawdown(e.peak_date, end, e.recovery_date is not None, cal, trading)


@dataclass(frozen=True)
class Distribution:
    """What the daily, monthly and yearly returns of one series look like over one window."""

    skew: float
    kurtosis: float
    var: float
    cvar: float
    best_day: Dated
    worst_day: Dated
    best_year: Dated
    worst_year: Dated
    win_days: float
    win_months: float
    win_years: float
    n_years: int  # complete calendar years behind best/worst year and the yearly win rate
    longest_drawdown: LongestDrawdown | None

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        for k in ("best_day", "worst_day", "best_year", "worst_year"):
            d[k] = getattr(self, k).to_dict()
        d["longest_drawdown"] = None if self.longest_drawdown is None else self.longest_drawdown.to_dict()
        d["var_level"] = VAR_LEVEL
        return d


def distribution(close: pd.Series) -> Distribution:
    """The distribution statistics of ``close`` (already cut to its window)."""
    r = simple_returns(close)
    years = complete_year_returns(close)
    return Distribution(float(r.skew()), float(r.kurt()), historical_var(r), historical_cvar(r),
                        _extreme(r, True), _extreme(r, False), _extreme(years, True), _extreme(years, False),
                        win_rate(r), win_rate(monthly_returns(close)), win_rate(years), len(years), longest_drawdown(close))


# ------------------------------------------------------------------------------------------ against a benchmark
@dataclass(frozen=True)
class Relative:
    """The index against its benchmark over one window, from daily simple returns on common days."""

    beta: float
    alpha: float  # annual rate, arithmetic (× 252)
    tracking_error: float  # annualised
    information_ratio: float  # annualised
    n_days: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def relative_stats(r: pd.Series, b: pd.Series, rf: pd.Series | None = None) -> Relative:
    """Beta, Jensen's alpha, tracking error and information ratio of returns ``r`` against ``b`` (same dates);
    ``rf`` the daily risk-free rate (missing days count as zero)."""
    both = pd.concat([r, b], axis=1, keys=["r", "b"]).dropna()
    rfd = pd.Series(0.0, index=both.index) if rf is None else rf.reindex(both.index).fillna(0.0)
    er, eb = both["r"] - rfd, both["b"] - rfd
    cov = np.cov(er.to_numpy(), eb.to_numpy(), ddof=1)
    beta = float(cov[0, 1] / cov[1, 1]) if cov[1, 1] > 0 else np.nan
    alpha = float((er.mean() - beta * eb.mean()) * TRADING_DAYS)
    active = both["r"] - both["b"]
    te = float(active.std(ddof=1) * np.sqrt(TRADING_DAYS))
    ir = float(active.mean() * TRADING_DAYS / te) if te > 0 else np.nan
    return Relative(beta, alpha, te, ir, len(both))


# ------------------------------------------------------------------------------------------ rolling ratios
def rolling_ratios(r: pd.Series, rf: pd.Series | None = None, window: int = ROLLING_DAYS) -> pd.DataFrame:
    """Rolling annualised Sharpe and Sortino of daily returns over ``window`` days (NaN until a full window)."""
    rfd = pd.Series(0.0, index=r.index) if rf is None else rf.reindex(r.index).fillna(0.0)
    excess = r - rfd
    mean = excess.rolling(window).mean()
    spread = excess.rolling(window).std(ddof=1)
    downside = np.sqrt(np.minimum(excess, 0.0).pow(2).rolling(window).mean())
    scale = np.sqrt(TRADING_DAYS)
    sharpe = (mean / spread.where(spread > 0)) * scale
    sortino = (mean / downside.where(downside > 0)) * scale
    return pd.DataFrame({"sharpe": sharpe, "sortino": sortino}).dropna(how="all")
