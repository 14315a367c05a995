"""Benchmark: the HTML report on the shared data — page weight and build time.

Targets (issue 11): the whole page under 600 KB; ``build_report`` + render under 20 s on this machine.
Imports the data (and the Loughran–McDonald headline index, as ``make report`` does) into a temporary store
with an empty frame cache, builds the report once (cold: nothing cached), renders it to HTML, and prints:
the time of each section and of the rendering, the page weight in KB (total, per section with its SVG
share) and the largest charts by their accessible names.
Run: .venv/bin/python bench/bench_report.py [DATA_DIR]
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import datetime
from html import unescape
from pathlib import Path

from _shared import NOW, data_dir, imported_store

from r2k.config import Settings
from r2k.snapshot import Snapshot
from r2k.store import Store

LIMIT_KB = 600
TOP_CHARTS = 6


def page_weight(html: str) -> tuple[float, list[tuple[str, float, float]], list[tuple[str, float]]]:
    """Total KB, (section, KB, SVG KB) per section and (chart name, KB) per chart, largest first."""
    sections, charts = [], []
    for m in re.finditer(r'<section id="([^"]+)">(.*?)</section>', html, re.S):
        svgs = re.findall(r"<svg.*?</svg>", m.group(2), re.S)
        sections.append((m.group(1), len(m.group(2).encode()) / 1024, sum(len(s.encode()) for s in svgs) / 1024))
        for s in svgs:
            name = re.search(r'aria-label="([^"]*)"', s)
            charts.append((unescape(name.group(1)) if name else "(no name)", len(s.encode()) / 1024))
    return len(html.encode()) / 1024, sections, sorted(charts, key=lambda c: -c[1])


def main() -> None:
    data = data_dir()
    from r2k.report import build_report
    from r2k.report.render import to_html

    with imported_store(data) as path, tempfile.TemporaryDirectory() as cache:
        os.environ["R2K_CACHE_DIR"] = cache
        headlines = data / "text" / "news_headlines.csv"
        if headlines.exists():
            from r2k.sentiment.run import index_from

            with Store(path) as store:
                store.write(index_from(headlines, "lm").series(), source="sentiment:bench", now=NOW)
        marks: list[tuple[str, float]] = []
        with Store(path, read_only=True) as store:
            t0 = time.perf_counter()
            report = build_report(Snapshot(store, settings=Settings(store_path=Path(path))), datetime(2026, 1, 1),
                                  on_section=lambda key: marks.append((key, time.perf_counter())))
            t_end = time.perf_counter()
            t_build = t_end - t0
        t0 = time.perf_counter()
        html = to_html(report)
        t_render = time.perf_counter() - t0
    ends = [t for _, t in marks[1:]] + [t_end]
    print(f"report as of {report.as_of}: {len(report.sections)} sections")
    print(f"build_report {t_build:.1f} s (cold cache) + render {t_render:.2f} s = {t_build + t_render:.1f} s (target < 20 s)")
    for (key, start), end in zip(marks, ends):
        print(f"  {key:<12} {end - start:6.1f} s")
    total, sections, charts = page_weight(html)
    print(f"page weight {total:.0f} KB (limit {LIMIT_KB} KB): {'ok' if total < LIMIT_KB else 'OVER THE LIMIT'}")
    for key, kb, svg in sections:
        print(f"  {key:<12} {kb:7.1f} KB  (charts {svg:6.1f} KB)")
    print("largest charts:")
    for name, kb in charts[:TOP_CHARTS]:
        print(f"  {kb:6.1f} KB  {name}")


if __name__ == "__main__":
    main()
