"""What every report section reads: the store seen as of one date, with per-series caching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from r2k.config import Settings
from r2k.schemas import frame_values
from r2k.store import Store


@dataclass
class ReportContext:
    store: Store
    as_of: date
    settings: Settings
    symbol: str = "RUT"
    benchmark: str = "GSPC"
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    # forecasts the sections publish (OriginForecast objects); the caller logs them (r2k.monitor.publish)
    published: list = field(default_factory=list, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """A value several sections share, built once per report. Keys in use: "outlook" (the rated outlook),
        "inputs" (the daily input frame of ``symbol`` at ``as_of``), "factor_dashboard" (the factors at ``as_of``)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def has(self, series_id: str) -> bool:
        return self.store.has(series_id) and not self.frame(series_id).empty

    def frame(self, series_id: str) -> pd.DataFrame:
        """The stored frame of ``series_id`` as known at ``as_of`` (bars or date,value)."""
        key = series_id.upper()
        if key not in self._frames:
            self._frames[key] = self.store.read(key, as_of=self.as_of)
        return self._frames[key]

    def series(self, series_id: str) -> pd.Series:
        """Closes (price series) or values (macro series) indexed by date, as known at ``as_of``."""
        return frame_values(self.frame(series_id), series_id.upper())

    def series_if_any(self, series_id: str) -> pd.Series | None:
        """Like :meth:`series`, or None when the store has no data for it as of ``as_of``."""
        return self.series(series_id) if self.has(series_id) else None
