"""Benchmark: the tear-sheet, sectors and event-study report sections on the shared data.

Prints, per section, the build time (best of a few runs, warm) and the weight of its HTML (the charts
and coloured tables it adds to the page), as of the index's last close. Target: the three together
under ~100 KB of page and well under a second each.
Also prints the tear sheet's measures; with --write-docs it writes them into docs/analytics.md (block
"tearsheet-measures").
Run: .venv/bin/python bench/bench_tearsheet_sections.py [DATA_DIR] (to write the docs: DATA_DIR --write-docs)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from _shared import data_dir, imported_store, wrap_paragraphs, write_doc_block

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
        sheet = tearsheet_stats(store.series("RUT"), store.series("GSPC"), as_of, store.series("FEDFUNDS"))
        print(sheet.summary())
        text = measures_paragraph(sheet)
        print(text)
        if "--write-docs" in sys.argv:
            write_doc_block(DOC, "tearsheet-measures", wrap_paragraphs(text), "bench/bench_tearsheet_sections.py --write-docs")


DOC = Path(__file__).resolve().parents[1] / "docs" / "analytics.md"


def measures_paragraph(t) -> str:  # noqa: ANN001 - a TearSheet
    """The further measures of both windows in one paragraph (index vs S&P 500; the relative ones of the index)."""
    parts = []
    for w in t.windows:
        i, b, r = w.index.distribution, w.benchmark.distribution, w.relative
        parts.append(f"{w.label}: skew {i.skew:.2f} vs {b.skew:.2f}, excess kurtosis {i.kurtosis:.1f} vs {b.kurtosis:.1f}, "
                     f"daily VaR/CVaR (95%) {i.var:.1%}/{i.cvar:.1%} vs {b.var:.1%}/{b.cvar:.1%}, up months "
                     f"{i.win_months:.0%} vs {b.win_months:.0%}, longest drawdown {i.longest_drawdown.calendar_days:,} vs "
                     f"{b.longest_drawdown.calendar_days:,} calendar days; beta {r.beta:.2f}, alpha {r.alpha:+.1%}, "
                     f"tracking error {r.tracking_error:.1%}, information ratio {r.information_ratio:.2f}")
    return (f"Further measures on the shared data as of {t.as_of} (Russell 2000 vs S&P 500): " + "; ".join(parts) + ".")


if __name__ == "__main__":
    main()
