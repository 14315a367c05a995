"""IWM creations/redemptions from shares outstanding, their 65-day sum, its z-score and the outflow signal.

flow_t = (shares_t − shares_{t−1}) × close_t (the close stands in for the NAV; IWM trades within a
few basis points of it). The 65-trading-day rolling sum of flows is standardised against its own
trailing ``z_window`` (756 days, about three years) mean and standard deviation, using only values up
to t. The signal "outflows beyond threshold" fires on days when that z-score is at or below
``threshold`` (default −2); only the first day of each run of signal days is an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import upto

WINDOW = 65
Z_WINDOW = 756
THRESHOLD = -2.0
UNAVAILABLE = "unavailable: no shares-outstanding history (series IWM_SHARES; a live data fetch adds it)"


@dataclass(frozen=True)
class FlowsResult:
    available: bool
    message: str
    as_of: date | None
    window: int
    z_window: int
    threshold: float
    last_flow: float | None = None
    rolling_sum: float | None = None
    zscore: float | None = None
    signal: bool = False
    signal_days: tuple[date, ...] = ()
    history: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def summary(self) -> str:
        if not self.available:
            return f"ETF flows: {self.message}"
        state = "OUTFLOW SIGNAL" if self.signal else "no signal"
        return (f"IWM flows on {self.as_of}: {WINDOW}-day sum ${self.rolling_sum / 1e9:,.2f} bn, z = {self.zscore:.2f} "
                f"({state}; threshold {self.threshold}); {len(self.signal_days)} signal events in history")

    def to_dict(self) -> dict:
        keys = ("available", "message", "as_of", "window", "z_window", "threshold", "last_flow", "rolling_sum",
                "zscore", "signal")
        d = {k: getattr(self, k) for k in keys}
        d["signal_days"] = list(self.signal_days)
        return d


def etf_flows(shares: pd.Series | None, close: pd.Series, as_of: date | None = None, window: int = WINDOW,
              z_window: int = Z_WINDOW, threshold: float = THRESHOLD) -> FlowsResult:
    """Daily flows, rolling sum, z-score and signal days from a shares-outstanding series (None → unavailable)."""
    day = None if as_of is None else pd.Timestamp(as_of).date()
    if shares is None or shares.dropna().empty:
        return FlowsResult(False, UNAVAILABLE, day, window, z_window, threshold)
    if as_of is not None and not (shares.dropna().index <= pd.Timestamp(as_of)).any():
        return FlowsResult(False, f"unavailable: no IWM shares outstanding on or before {day}", day, window, z_window, threshold)
    sh = upto(shares, as_of, "IWM_SHARES")
    px = upto(close, as_of, "IWM").reindex(sh.index).ffill()
    flow = sh.diff() * px
    total = flow.rolling(window).sum()
    mean = total.rolling(z_window, min_periods=window).mean()
    std = total.rolling(z_window, min_periods=window).std(ddof=1)
    z = (total - mean) / std.replace(0.0, np.nan)
    on = (z <= threshold).to_numpy()
    first = on & ~np.concatenate(([False], on[:-1]))
    days = tuple(d.date() for d in z.index[first])
    hist = pd.DataFrame({"flow": flow, "rolling_sum": total, "zscore": z})
    zl = float(z.iloc[-1])
    return FlowsResult(True, "ok" if zl == zl else f"too little history for a z-score ({len(sh)} days)",
                       sh.index[-1].date(), window, z_window, threshold, float(flow.iloc[-1]),
                       float(total.iloc[-1]), zl, bool(zl <= threshold), days, hist)
