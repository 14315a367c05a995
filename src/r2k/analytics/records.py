"""Record closes and the stretches without one ("the third-longest stretch without a record").

Definitions:
* A record close is a close strictly above every earlier close in the series. By convention the
  first close of the series is a record (the series has no earlier history).
* A stretch is the gap between two consecutive record closes: its length in trading days is the
  number of sessions from one record to the next (next record's row − this record's row), in
  calendar days the date difference. The current stretch runs from the last record to ``as_of``
  and is still open.
* The rank of the current stretch is 1 + the number of completed stretches strictly longer (in
  trading days): rank 1 = the longest ever. A stretch equal to the current one shares its rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import upto


@dataclass(frozen=True)
class Stretch:
    start: date
    start_close: float
    end: date | None
    trading_days: int
    calendar_days: int
    open: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RecordDrought:
    symbol: str
    as_of: date
    close: float
    since: date
    record_close: float
    trading_days: int
    calendar_days: int
    rank: int
    n_stretches: int
    n_records: int
    longest: tuple[Stretch, ...]

    def summary(self) -> str:
        if self.trading_days == 0:
            return f"{self.symbol} set a record close of {self.record_close:,.2f} on {self.as_of}"
        return (f"{self.symbol}: no record close since {self.since} ({self.record_close:,.2f}), "
                f"{self.trading_days} trading days / {self.calendar_days} calendar days; "
                f"rank {self.rank} of {self.n_stretches} stretches between records (1 = longest)")

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "as_of": self.as_of, "close": self.close, "since": self.since,
                "record_close": self.record_close, "trading_days": self.trading_days,
                "calendar_days": self.calendar_days, "rank": self.rank, "n_stretches": self.n_stretches,
                "n_records": self.n_records, "longest": [s.to_dict() for s in self.longest]}


def record_positions(values: np.ndarray) -> np.ndarray:
    """Row numbers of record closes (strictly above every earlier close; row 0 included)."""
    prior_max = np.concatenate(([-np.inf], np.maximum.accumulate(values)[:-1]))
    return np.flatnonzero(values > prior_max)


def record_drought(close: pd.Series, as_of: date | None = None, symbol: str = "RUT", top: int = 10) -> RecordDrought:
    """The current stretch without a record close, its rank, and the ``top`` longest stretches."""
    c = upto(close, as_of, symbol)
    values, dates = c.to_numpy(), c.index
    rec = record_positions(values)
    stretches = [Stretch(dates[a].date(), float(values[a]), dates[b].date(), int(b - a), (dates[b] - dates[a]).days, False)
                 for a, b in zip(rec[:-1], rec[1:])]
    last = int(rec[-1])
    current = Stretch(dates[last].date(), float(values[last]), None, len(values) - 1 - last,
                      (dates[-1] - dates[last]).days, True)
    rank = 1 + sum(s.trading_days > current.trading_days for s in stretches)
    everything = stretches + [current]
    longest = tuple(sorted(everything, key=lambda s: (-s.trading_days, s.start))[:top])
    return RecordDrought(symbol, dates[-1].date(), float(values[-1]), current.start, current.start_close,
                         current.trading_days, current.calendar_days, rank, len(everything), len(rec), longest)
