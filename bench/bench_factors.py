"""Benchmark: the point-in-time factor matrix, the dashboard and the cycle report on ../shared/data.

Claim: the full daily matrix (43 factors, 1980-2026, about 11,700 trading days) builds in
about a second on this machine (2 cores), so `r2k factors` and `r2k cycle` answer interactively.
Run: .venv/bin/python bench/bench_factors.py [DATA_DIR]
"""

from __future__ import annotations

import time
from datetime import date

from _shared import data_dir, imported_store

from r2k.features import build_feature_matrix, load_frames
from r2k.features.analysis import cycle_report, factor_dashboard
from r2k.macro.catalog import CATALOG, SERIES
from r2k.snapshot import Snapshot
from r2k.store import Store


def timed(label: str, fn, repeat: int = 3):  # noqa: ANN001, ANN201
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<55} {best:7.3f} s (best of {repeat})")
    return out


def main() -> None:
    with imported_store(data_dir()) as path:
        with Store(path, read_only=True) as store:
            frames = timed(f"load the catalog's {len(SERIES)} series from the store", lambda: load_frames(store, SERIES))
            m = timed(f"daily matrix, {len(CATALOG)} factors, 1980-01-01..2026-03-31 (frames)",
                      lambda: build_feature_matrix(frames, "1980-01-01", "2026-03-31", CATALOG))
            print(f"  {m.summary()}")
            timed("factor dashboard as of 2026-03-31 (store)", lambda: factor_dashboard(Snapshot(store, date(2026, 3, 31))))
            timed("cycle phase only (store)", lambda: cycle_report(Snapshot(store, date(2026, 3, 31)), with_history=False))
            timed("cycle + NBER validation + RUT returns by phase (store)",
                  lambda: cycle_report(Snapshot(store, date(2026, 3, 31))))


if __name__ == "__main__":
    main()
