"""What every report section reads: one :class:`r2k.snapshot.Snapshot` (the store as of the report's date,
series and derived frames read once per report) and the forecasts the sections publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from r2k.config import Settings
from r2k.snapshot import Snapshot
from r2k.store import Store


@dataclass
class ReportContext:
    store: Store
    as_of: date
    settings: Settings
    symbol: str = "RUT"
    benchmark: str = "GSPC"
    snap: Snapshot | None = field(default=None, repr=False)  # made from the fields above when not given
    # forecasts the sections show, as (OriginForecast, Outlook) pairs; the caller logs them (r2k.monitor.service.publish)
    published: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.snap is None:
            self.snap = Snapshot(self.store, self.as_of, self.symbol, self.benchmark, self.settings)
        self.as_of, self.symbol, self.benchmark = self.snap.day, self.snap.symbol, self.snap.benchmark

    @classmethod
    def of(cls, snap: Snapshot) -> ReportContext:
        return cls(snap.store, snap.day, snap.config, snap.symbol, snap.benchmark, snap)

    @property
    def snapshot(self) -> Snapshot:
        assert self.snap is not None
        return self.snap

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """A value several sections share, built once per report (the snapshot's cache; "outlook" is the rated
        outlook)."""
        return self.snapshot.memo(key, build)

    def has(self, series_id: str) -> bool:
        return self.snapshot.has(series_id)

    def frame(self, series_id: str) -> pd.DataFrame:
        """The stored frame of ``series_id`` as known at ``as_of`` (bars or date,value)."""
        return self.snapshot.frame(series_id)

    def series(self, series_id: str) -> pd.Series:
        """Closes (price series) or values (macro series) indexed by date, as known at ``as_of``."""
        return self.snapshot.series(series_id)

    def series_if_any(self, series_id: str) -> pd.Series | None:
        """Like :meth:`series`, or None when the store has no data for it as of ``as_of``."""
        return self.snapshot.series_if_any(series_id, dropna=False)
