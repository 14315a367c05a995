"""Measurement behind docs/channels.md: how often RUT closes stay inside the detected channels.

At every quarter-end from 1992 to 2025 the primary and secondary channels are detected with only the
closes up to that date; the next 63 closes are then checked against the extrapolated ±2s borders.
Nominal coverage of ±2s would be ~95% for independent normal residuals; autocorrelation breaks that.
Run: .venv/bin/python bench/channel_coverage.py [RUT.csv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from r2k.analytics.trend_detect import detect_trends

AHEAD = 63


def main() -> None:
    csv = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "RUT.csv"
    if not csv.exists():
        sys.exit(f"no data at {csv}")
    frame = pd.read_csv(csv, parse_dates=["date"])
    close = pd.Series(frame["close"].to_numpy(), index=pd.DatetimeIndex(frame["date"]), name="RUT")
    ends = close.index.to_series().resample("QE").last()
    ends = ends[(ends >= "1992-01-01") & (ends <= "2025-12-31")]
    inside = {"primary": [], "secondary": []}
    for origin in ends:
        pos = close.index.get_loc(origin)
        future = close.iloc[pos + 1 : pos + 1 + AHEAD]
        if len(future) < AHEAD:
            continue
        result = detect_trends(close.iloc[: pos + 1])
        for trend in (result.primary, result.secondary):
            top, bottom = trend.fit.top(future.index), trend.fit.bottom(future.index)
            inside[trend.role].append(np.mean((future.to_numpy() <= top) & (future.to_numpy() >= bottom)))
    n = len(inside["primary"])
    print(f"quarter-end detections {ends.iloc[0].date()} .. {ends.iloc[-1].date()}: {n}, next {AHEAD} closes each")
    for role, shares in inside.items():
        print(f"  {role:9s} share of closes inside the ±2s channel: {100 * np.mean(shares):.1f}%  (nominal ~95%)")


if __name__ == "__main__":
    main()
