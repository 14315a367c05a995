"""Benchmark: the page of `r2k backtest --report` on the real data: render time and weight per section.

Runs GJR-GARCH and the ensemble (with its members: 7 models x 3 horizons, the largest page in practice) on origins
every 10 trading days from 2020, then renders the page. Target: under 400 KB, a few seconds to render.
Usage: .venv/bin/python bench/bench_backtest_page.py [DATA_DIR] (default ../shared/data; ~3 min on 2 busy cores)
"""

from __future__ import annotations

import re
import time
from datetime import date

from _shared import data_dir, imported_store

from r2k.forecasting import run_backtest
from r2k.report.backtest_page import to_html
from r2k.snapshot import Snapshot
from r2k.store import Store


def main() -> None:
    with imported_store(data_dir()) as path, Store(path, read_only=True) as store:
        closes = store.series("RUT")
        features = Snapshot(store).model_inputs(["garch", "ensemble"])
    t0 = time.perf_counter()
    result = run_backtest(closes, models=["garch", "ensemble"], horizons=(5, 10, 20), start=date(2020, 1, 2), step=10,
                          features=features)
    t1 = time.perf_counter()
    html = to_html(result)
    t2 = time.perf_counter()
    print(f"backtest: {len(result.models)} models, {result.frame['origin'].nunique()} origins, {t1 - t0:.0f} s")
    print(f"page: {len(html.encode()) / 1000:.0f} KB (target < 400 KB), rendered in {t2 - t1:.1f} s")
    for m in re.finditer(r'<section id="(\w+)">(.*?)</section>', html, re.S):
        print(f"  {m.group(1):<10} {len(m.group(2).encode()) / 1000:6.1f} KB")


if __name__ == "__main__":
    main()
