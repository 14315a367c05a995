"""Relative strength of the sector funds against the index and against each other, with their data age.

* A fund's return over 1m/3m/6m/12m compares its LAST close on or before ``as_of`` with its last close on
  or before the same number of calendar months earlier. A fund whose data end before ``as_of`` is measured
  up to its own last close — never carried forward as if current — and its age says how old that is.
* Relative strength against the index = the return of the fund/index ratio over the SAME dates:
  (1 + fund return) / (1 + index return) − 1.
* Against each other: the same ratio against the equal-weight average of the sector funds' returns over
  the period, and the fund's rank among the sectors (1 = strongest).
* Data age: index trading days (the index's closes) after the fund's last close up to ``as_of``, and
  calendar days; stale when more than ``STALE_TRADING_DAYS``.
Prices are price returns (the stored sector closes are not dividend-adjusted, like the index).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import MAX_BASE_GAP_DAYS, upto

SECTOR_NAMES = {"XLB": "Materials", "XLC": "Communication services", "XLE": "Energy", "XLF": "Financials",
                "XLI": "Industrials", "XLK": "Technology", "XLP": "Consumer staples", "XLRE": "Real estate",
                "XLU": "Utilities", "XLV": "Health care", "XLY": "Consumer discretionary"}
SECTOR_SYMBOLS = tuple(SECTOR_NAMES)
PERIOD_MONTHS = {"1m": 1, "3m": 3, "6m": 6, "12m": 12}
STALE_TRADING_DAYS = 5


def _base(close: pd.Series, end: pd.Timestamp, months: int) -> float | None:
    start = end - pd.DateOffset(months=months)
    i = close.index.searchsorted(start, side="right") - 1
    if i < 0 or (start - close.index[i]).days > MAX_BASE_GAP_DAYS:
        return None
    return float(close.iloc[i])


def period_return(close: pd.Series, end: pd.Timestamp, months: int) -> float:
    """Close on or before ``end`` over the close ``months`` calendar months earlier, − 1 (NaN without a base)."""
    c = close[close.index <= end]
    base = _base(c, end, months) if len(c) else None
    return float(c.iloc[-1] / base - 1) if base else np.nan


@dataclass(frozen=True)
class SectorRow:
    symbol: str
    name: str
    last_date: date
    last_close: float
    age_trading_days: int
    age_calendar_days: int
    stale: bool
    returns: dict[str, float]
    vs_index: dict[str, float]
    vs_sectors: dict[str, float]
    rank: dict[str, int | None]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SectorsResult:
    index: str
    as_of: date
    periods: tuple[str, ...]
    rows: tuple[SectorRow, ...]
    stale_threshold: int = STALE_TRADING_DAYS

    @property
    def stale(self) -> tuple[SectorRow, ...]:
        return tuple(r for r in self.rows if r.stale)

    def summary(self) -> str:
        lines = [f"sector funds against {self.index} as of {self.as_of} (relative strength, 3 months):"]
        for r in self.rows:
            age = f"; data end {r.last_date}, {r.age_trading_days} trading days old" if r.stale else ""
            lines.append(f"  {r.name} ({r.symbol}): {r.vs_index.get('3m', np.nan):+.1%}{age}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"index": self.index, "as_of": self.as_of, "periods": list(self.periods),
                "stale_threshold_trading_days": self.stale_threshold, "rows": [r.to_dict() for r in self.rows]}


def sector_strength(index_close: pd.Series, sectors: Mapping[str, pd.Series], as_of: date | None = None,
                    index_symbol: str = "RUT", periods: Mapping[str, int] = PERIOD_MONTHS) -> SectorsResult:
    """Relative strength of each sector fund in ``sectors`` (symbol -> closes) using data up to ``as_of``."""
    ci = upto(index_close, as_of, index_symbol)
    end = ci.index[-1]
    funds = {s: upto(c, end, s) for s, c in sectors.items() if not c.dropna().empty and (c.dropna().index <= end).any()}
    rets = {s: {p: period_return(c, c.index[-1], m) for p, m in periods.items()} for s, c in funds.items()}
    vs_index = {s: {p: (1 + rets[s][p]) / (1 + period_return(ci, c.index[-1], m)) - 1 for p, m in periods.items()}
                for s, c in funds.items()}
    rows = []
    for s, c in funds.items():
        last = c.index[-1]
        vs_sec, rank = {}, {}
        for p in periods:
            others = np.array([rets[o][p] for o in funds if rets[o][p] == rets[o][p]])
            mine = rets[s][p]
            vs_sec[p] = (1 + mine) / (1 + others.mean()) - 1 if len(others) and mine == mine else np.nan
            rank[p] = int((others > mine).sum() + 1) if mine == mine else None
        age = int((ci.index > last).sum())
        rows.append(SectorRow(s, SECTOR_NAMES.get(s, s), last.date(), float(c.iloc[-1]), age, (end - last).days,
                              age > STALE_TRADING_DAYS, rets[s], vs_index[s], vs_sec, rank))
    rows.sort(key=lambda r: -np.nan_to_num(r.vs_index.get("3m", np.nan), nan=-np.inf))
    return SectorsResult(index_symbol, end.date(), tuple(periods), tuple(rows))
