"""What every report section reads: the store seen as of one date, with per-series caching."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from r2k.config import Settings
from r2k.store import Store


@dataclass
class ReportContext:
    store: Store
    as_of: date
    settings: Settings
    symbol: str = "RUT"
    benchmark: str = "GSPC"
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def has(self, series_id: str) -> bool:
        return self.store.has(series_id) and not self.frame(series_id).empty

    def frame(self, series_id: str) -> pd.DataFrame:
        """The stored frame of ``series_id`` as known at ``as_of`` (bars or date,value)."""
        key = series_id.upper()
        if key not in self._frames:
            self._frames[key] = self.store.read(key, as_of=self.as_of)
        return self._frames[key]

    def close(self, series_id: str) -> pd.Series:
        """Closing prices indexed by date, as known at ``as_of``."""
        bars = self.frame(series_id)
        close = bars["close"].where(bars["close"].notna(), bars["adj_close"])
        return pd.Series(close.to_numpy(), index=pd.DatetimeIndex(bars["date"], name="date"), name=series_id.upper()).dropna()
