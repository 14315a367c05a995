"""Benchmark: the tear-sheet, sectors and event-study report sections on the shared data.

Prints, per section, the build time (best of a few runs, warm) and the weight of its HTML (the charts
and coloured tables it adds to the page), as of the index's last close. Target: the three together
under ~100 KB of page and well under a second each.
Run: .venv/bin/python bench/bench_tearsheet_sections.py [DATA_DIR]
"""

from __future__ import annotations

import time

import pandas as pd
from _shared import data_dir, imported_store

from r2k.analytics.tearsheet import tearsheet as tearsheet_stats
from r2k.config import load_settings
from r2k.report.context import ReportContext
from r2k.report.sections import events, sectors, tearsheet
from r2k.store import Store

RUNS = 3


def main() -> None:
    with imported_store(data_dir()) as path, Store(path, read_only=True) as store:
        as_of = pd.Timestamp(store.last_date("RUT")).date()
        total = 0
        print(f"as of {as_of}")
        for module in (tearsheet, sectors, events):
            times = []
            for _ in range(RUNS):
                ctx = ReportContext(store=store, as_of=as_of, settings=load_settings())
                t0 = time.perf_counter()
                section = module.build(ctx)
                times.append(time.perf_counter() - t0)
            size = len(section.html.encode()) if section else 0
            total += size
            print(f"{module.__name__.rsplit('.', 1)[-1]:10s} build {min(times):.2f} s   html {size / 1024:6.1f} KB")
        print(f"{'together':10s}                html {total / 1024:6.1f} KB")
        close, bench = store.series("RUT"), store.series("GSPC")
        print(tearsheet_stats(close, bench, as_of, store.series("FEDFUNDS")).summary())  # the numbers docs/analytics.md quotes


if __name__ == "__main__":
    main()
