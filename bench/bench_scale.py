"""Benchmark: scale. Peak memory of importing a ~200 MB CSV, and trend detection on a very long series.

Inputs are generated in a temporary directory at run time (never committed):
* a 200 MB price CSV (date,open,high,low,close,adj_close,volume): every day 1800-01-01..2199-12-31 repeated
  as identical rows until the file is 200 MB (identical duplicates are valid and collapse on import; the
  1800..2200 date bound caps a series at ~146k distinct days, so only repetition makes a 200 MB file valid);
* a daily random walk over every business day 1800..2199 (~104k closes, ~20,900 weeks).
Each measurement runs in a fresh Python process, so its peak RSS (ru_maxrss) is its own.

Targets: import peak well under the 3.4-4.3 GB (17-21x the file) measured before; detection on
a very long series in seconds, not minutes (it was O(n^2): 177 s on 3.3 M rows).
Run: .venv/bin/python bench/bench_scale.py [--src DIR]   (--src: another r2k source tree, for a before/after)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_BYTES = 200_000_000

IMPORT_CHILD = """
import resource, sys, time
from datetime import datetime
from pathlib import Path
from r2k.store import Store
from r2k.store.ingest import import_directory
t0 = time.perf_counter()
with Store(Path(sys.argv[2])) as s:
    summary, _ = import_directory(s, Path(sys.argv[1]), datetime(2026, 1, 1))
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, summary.rows_new)
"""

DETECT_CHILD = """
import resource, sys, time
import pandas as pd
from r2k.analytics.trend_detect import detect_trends
close = pd.read_pickle(sys.argv[1])
t0 = time.perf_counter()
r = detect_trends(close, close.index[-1])
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, len(close))
"""


def big_csv(folder: Path) -> Path:
    days = pd.date_range("1800-01-01", "2199-12-31", freq="D")
    rng = np.random.default_rng(1)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))
    rows = [f"{d},{c:.4f},{c * 1.01:.4f},{c * 0.99:.4f},{c:.4f},{c:.4f},{1000 + i % 977}\n"
            for i, (d, c) in enumerate(zip(days.strftime("%Y-%m-%d"), close))]
    block = "".join(rows)
    path = folder / "BIG.csv"
    with path.open("w") as fh:
        fh.write("date,open,high,low,close,adj_close,volume\n")
        written = 0
        while written < TARGET_BYTES:
            fh.write(block)
            written += len(block)
    return path


def long_series(folder: Path) -> Path:
    days = pd.bdate_range("1800-01-01", "2199-12-31")
    rng = np.random.default_rng(2)
    close = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0002, 0.01, len(days)))), index=days, name="LONG")
    path = folder / "long.pkl"
    close.to_pickle(path)
    return path


def run(child: str, args: list[str], src: Path) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", child, *args], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr.strip().splitlines()[-1])
    return [float(v) for v in out.stdout.split()]


def main() -> None:
    src = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        csv = big_csv(folder)
        size = csv.stat().st_size
        secs, peak, rows = run(IMPORT_CHILD, [str(folder), str(Path(tmp) / "s.duckdb")], src)
        print(f"source tree           {src}")
        print(f"import {size / 1e6:5.0f} MB CSV     {secs:6.1f} s   peak RSS {peak / 1e9:5.2f} GB "
              f"({peak / size:4.1f}x the file; {rows:,.0f} distinct rows)   (before: 3.4-4.3 GB, 17-21x)")
        long = long_series(Path(tmp))
        secs, peak, n = run(DETECT_CHILD, [str(long)], src)
        print(f"detect trends         {secs:6.1f} s   peak RSS {peak / 1e9:5.2f} GB on {n:,.0f} daily closes "
              f"(~{n / 5:,.0f} weeks)   (before: O(n^2), 177 s on 3.3 M rows)")


if __name__ == "__main__":
    main()
