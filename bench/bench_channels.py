"""Benchmark: trend channels plus automatic detection over the full 1987-2026 RUT history.

Target: under 1 second on this machine (2 cores), imports excluded.
Run: .venv/bin/python bench/bench_channels.py [RUT.csv] [AS_OF]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from r2k.analytics.trend_detect import detect_trends


def main() -> None:
    csv = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "RUT.csv"
    as_of = sys.argv[2] if len(sys.argv) > 2 else None
    if not csv.exists():
        sys.exit(f"no data at {csv}")
    frame = pd.read_csv(csv, parse_dates=["date"])
    close = pd.Series(frame["close"].to_numpy(), index=pd.DatetimeIndex(frame["date"]), name="RUT")
    detect_trends(close.iloc[:600])  # warm-up: first-call costs of pandas/scipy paths
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = detect_trends(close, as_of=as_of)
        times.append(time.perf_counter() - t0)
    print(f"RUT closes: {len(close):,} ({close.index[0].date()} .. {close.index[-1].date()}), weekly points: {result.detection.weekly_n}")
    print(f"detect_trends (2 segmentations x 2 passes, 2 daily fits, diagnostics): best {min(times):.3f} s, "
          f"median {sorted(times)[2]:.3f} s over 5 runs (target < 1 s)")
    for t in (result.primary, result.secondary):
        print(f"  {t.role:9s} {t.fit.start.date()} .. {t.fit.end.date()}  growth {100 * t.fit.annual_growth:+.2f}%/yr  "
              f"spread {100 * t.fit.channel_spread:.1f}%  close {t.as_of_close:,.2f} {t.position.position} "
              f"[{t.position.bottom:,.2f} .. {t.position.top:,.2f}]  DW {t.durbin_watson:.3f}")


if __name__ == "__main__":
    main()
