"""Drawdowns: all-time high, current and maximum drawdown, and every drawdown deeper than a threshold.

An episode starts at a record close (the peak), reaches its lowest close (the trough) and ends at
the first close at or above the peak (the recovery; None while still under water). Durations are
given in trading days (rows of the series) and calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import upto

DEFAULT_THRESHOLD = 0.10


@dataclass(frozen=True)
class DrawdownEpisode:
    peak_date: date
    peak_close: float
    trough_date: date
    trough_close: float
    depth: float
    recovery_date: date | None
    decline_trading_days: int
    decline_calendar_days: int
    recovery_trading_days: int | None
    recovery_calendar_days: int | None
    total_trading_days: int | None
    total_calendar_days: int | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DrawdownResult:
    symbol: str
    as_of: date
    close: float
    peak_date: date
    peak_close: float
    current: float
    max: float
    max_peak_date: date
    max_trough_date: date
    threshold: float
    episodes: tuple[DrawdownEpisode, ...]
    underwater: pd.Series = field(repr=False, compare=False)

    def fact(self) -> str:
        """The article-style sentence: how far below which peak."""
        if self.current == 0:
            return f"{self.symbol} closed at a record {self.close:,.2f} on {self.as_of}"
        return (f"{self.symbol} is {-self.current:.1%} below its {pd.Timestamp(self.peak_date):%b %Y} peak "
                f"({self.peak_close:,.2f} on {self.peak_date})")

    def summary(self) -> str:
        deep = len(self.episodes)
        return (f"{self.fact()}; maximum drawdown {self.max:.1%} ({self.max_peak_date} to {self.max_trough_date}); "
                f"{deep} drawdowns deeper than {self.threshold:.0%}")

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "as_of": self.as_of, "close": self.close, "peak_date": self.peak_date,
                "peak_close": self.peak_close, "current": self.current, "max": self.max,
                "max_peak_date": self.max_peak_date, "max_trough_date": self.max_trough_date,
                "threshold": self.threshold, "fact": self.fact(), "episodes": [e.to_dict() for e in self.episodes]}


def _episodes(c: pd.Series, threshold: float) -> list[DrawdownEpisode]:
    values = c.to_numpy()
    dates = c.index
    runmax = np.maximum.accumulate(values)
    at_peak = values >= runmax
    peak_pos = np.flatnonzero(at_peak)
    out = []
    # an episode spans from a peak to the next peak (exclusive); only those with a dip below the peak matter
    bounds = list(peak_pos) + [len(values)]
    for k in range(len(peak_pos)):
        p, nxt = bounds[k], bounds[k + 1]
        if nxt - p <= 1:
            continue
        seg = values[p:nxt]
        t = p + int(np.argmin(seg))
        depth = values[t] / values[p] - 1
        if depth > -threshold:
            continue
        rec = nxt if nxt < len(values) else None
        pd_, td = dates[p], dates[t]
        out.append(DrawdownEpisode(
            pd_.date(), float(values[p]), td.date(), float(values[t]), float(depth),
            None if rec is None else dates[rec].date(), t - p, (td - pd_).days,
            None if rec is None else rec - t, None if rec is None else (dates[rec] - td).days,
            None if rec is None else rec - p, None if rec is None else (dates[rec] - pd_).days))
    return out


def drawdowns(close: pd.Series, as_of: date | None = None, threshold: float = DEFAULT_THRESHOLD,
              symbol: str = "RUT") -> DrawdownResult:
    """Drawdown facts of ``close`` using data up to ``as_of``; episodes deeper than ``threshold`` (a fraction)."""
    c = upto(close, as_of, symbol)
    values = c.to_numpy()
    runmax = np.maximum.accumulate(values)
    under = pd.Series(values / runmax - 1, index=c.index)
    peak_i = int(np.flatnonzero(values >= runmax)[-1])
    t_max = int(np.argmin(under.to_numpy()))
    p_max = int(np.flatnonzero(values[: t_max + 1] >= runmax[: t_max + 1])[-1])
    return DrawdownResult(symbol, c.index[-1].date(), float(values[-1]), c.index[peak_i].date(), float(values[peak_i]),
                          float(under.iloc[-1]), float(under.iloc[t_max]), c.index[p_max].date(), c.index[t_max].date(),
                          threshold, tuple(_episodes(c, threshold)), under)
