"""Benchmark: the full market analysis (``r2k analyze``) on the full RUT history, GARCH fits included.

Target: under 2 seconds. Prints the import time of the libraries (arch, scipy; paid once per
process), the time to read the inputs from the store, and the best and median of several runs of
``analyze`` (warm), plus the parts that dominate it.
Run: .venv/bin/python bench/bench_analyze.py [DATA_DIR]
"""

from __future__ import annotations

import statistics
import time

from _shared import data_dir, imported_store

from r2k.store import Store

RUNS = 5


def main() -> None:
    data = data_dir()
    t0 = time.perf_counter()
    import arch  # noqa: F401 - measured: the first import is the slowest part of a cold CLI call
    import scipy.stats  # noqa: F401

    from r2k.analytics.events import run_event_study
    from r2k.analytics.market import analyze
    from r2k.analytics.volatility import fit_garch, log_returns
    from r2k.snapshot import Snapshot

    t_import = time.perf_counter() - t0
    with imported_store(data) as path:
        t0 = time.perf_counter()
        with Store(path, read_only=True) as store:
            snap = Snapshot(store)  # the last close
            day, inputs = snap.day, snap.market_inputs()
        t_read = time.perf_counter() - t0
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = analyze(inputs, day)
        times.append(time.perf_counter() - t0)
    r = log_returns(inputs.close)
    t0 = time.perf_counter()
    fit_garch(r, "garch")
    fit_garch(r, "gjr")
    t_garch = time.perf_counter() - t0
    t0 = time.perf_counter()
    breaks = run_event_study("channel-break", inputs.close, day)
    t_breaks = time.perf_counter() - t0
    print(f"rows: RUT {len(inputs.close):,}, GSPC {len(inputs.benchmark):,}, VIX {len(inputs.vix):,}; as of {day}")
    print(f"library imports (arch, scipy, r2k analytics): {t_import:.2f} s")
    print(f"read inputs from the store: {t_read:.2f} s")
    print(f"analyze (full history, GARCH + GJR fits, 5 event studies, channel levels): best {min(times):.3f} s, "
          f"median {statistics.median(times):.3f} s over {RUNS} runs (target < 2 s)")
    print(f"  of which GARCH + GJR fits (last 20 years): {t_garch:.3f} s")
    print(f"channel-break event study (yearly channel re-detection, not part of analyze): {t_breaks:.2f} s, "
          f"{len(breaks.event_dates)} events")
    print(result.drawdown.fact())


if __name__ == "__main__":
    main()
