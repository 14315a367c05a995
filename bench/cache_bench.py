"""The forecast cache on the shared data: how much it grows per new as-of date, what pruning keeps, and what the
outlook and the forecast cost cold, on a new day and warm.

    PYTHONPATH=src python bench/cache_bench.py [DATA_DIR] [--days 4] [--write-docs]

It imports the data into a temporary store and, with one new cache directory, builds the outlook (what the report
and the dashboard build: the live ensemble and the ratings' track record) and the published forecast
(``forecast_from_store``) as of each of the last ``--days`` trading days in order; per day it prints wall and CPU
seconds and how many bytes the cache grew by. Then the last day again (warm), the track-record frame read from the
frame cache against rebuilt from the block cache alone, and (where the library has it) a prune to half the size
followed by the last day again. Runs on older versions of r2k too (sizes are measured by walking the directory),
so the same command measures "before" and "after" a change of the cache. ``--write-docs`` writes what it prints
into docs/forecasting.md ("Forecast cache").
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from _shared import DEFAULT_DATA, imported_store, write_doc_block

from r2k.config import Settings
from r2k.features.inputs import load_inputs
from r2k.forecasting import forecast_from_store
from r2k.outlook.record import load_record, report_plan
from r2k.outlook.build import build_outlook
from r2k.snapshot import Snapshot
from r2k.store import Store

DOCS = Path(__file__).resolve().parents[1] / "docs" / "forecasting.md"
LINES: list[str] = []


def say(line: str = "") -> None:
    print(line, flush=True)
    LINES.append(line)


def size(root: Path) -> tuple[int, int]:
    """Files and bytes under ``root``."""
    n = b = 0
    for folder, _, files in os.walk(root):
        for f in files:
            n, b = n + 1, b + os.path.getsize(os.path.join(folder, f))
    return n, b


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    with imported_store(Path(args.data)) as path, Store(path, read_only=True) as store, \
            tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        cfg = Settings(store_path=path, cache_dir=cache)
        closes = store.series("RUT").dropna()
        days = [d.date() for d in closes.index[-args.days:]]

        def outlook(day: date) -> None:
            build_outlook(Snapshot(store, day, settings=cfg))

        def forecast(day: date) -> None:
            forecast_from_store(Snapshot(store, day, settings=cfg))

        say("| as of | outlook wall / CPU s | forecast wall / CPU s | cache files | cache MB | grew by MB: block forecasts "
            "+ track-record frames |")
        say("|---|---|---|---|---|---|")
        before = (0, 0)
        for i, day in enumerate([*days, days[-1]]):
            o, f = timed(lambda: outlook(day)), timed(lambda: forecast(day))
            n, b = size(cache)
            blocks = size(cache / "forecasts")[1]
            label = f"{day}" + (" (cold)" if i == 0 else " (warm: same day again)" if i == len(days) else " (new day)")
            say(f"| {label} | {o[0]:.1f} / {o[1]:.1f} | {f[0]:.1f} / {f[1]:.1f} | {n:,} | {b / 2**20:.1f} | "
                f"{(blocks - before[0]) / 2**20:+.2f} + {(b - blocks - before[1]) / 2**20:+.2f} |")
            before = (blocks, b - blocks)
        frame_cache_vs_blocks(store, cfg, days[-1], cache)
        prune_and_rebuild(cache, days[-1], outlook)
    if args.write_docs:
        write_doc_block(DOCS, "cache-bench", "\n".join(LINES), "bench/cache_bench.py --write-docs")
        print(f"written to {DOCS}")


def frame_cache_vs_blocks(store: Store, cfg: Settings, day: date, cache: Path) -> None:
    """The track record's walk-forward frame read back from the frame cache, then rebuilt from the block cache."""
    close = store.series("RUT", as_of=day).dropna()
    feats = load_inputs(store, "RUT", day)
    plan = report_plan(cfg.tuning_cutoff, day)
    hit = timed(lambda: load_record(store, close, plan, feats, cfg, 1, "RUT"))
    for p in [*cache.glob("*.parquet"), *cache.glob("frames/*")]:  # older layout: parquet at the top level
        p.unlink()
    rebuilt = timed(lambda: load_record(store, close, plan, feats, cfg, 1, "RUT"))
    say()
    say(f"Track-record frame as of {day}: from the frame cache {hit[0]:.2f} s wall ({hit[1]:.2f} s CPU); "
        f"rebuilt from the block cache alone {rebuilt[0]:.2f} s wall ({rebuilt[1]:.2f} s CPU).")


def prune_and_rebuild(cache: Path, day: date, outlook: Callable[[date], None]) -> None:
    try:
        from r2k.store.cache_files import cache_status, prune
    except ImportError:
        say()
        say("(this version of r2k cannot prune its cache)")
        return
    total = cache_status(cache).total_bytes
    res = prune(cache, total // 2)
    wall, cpu = timed(lambda: outlook(day))
    again = timed(lambda: outlook(day))
    say()
    say(f"Prune to half ({total / 2**20:.1f} MB -> {res.limit_bytes / 2**20:.1f} MB): evicted {res.evicted:,} entries "
        f"({res.evicted_bytes / 2**20:.1f} MB, least recently used first), kept {res.kept:,} "
        f"({res.kept_bytes / 2**20:.1f} MB), removed {res.legacy} older-format entries and {res.temporary} temporary "
        f"files. The outlook as of {day} right after recomputed what it needed of the evicted entries: {wall:.1f} s "
        f"wall, {cpu:.1f} s CPU (the cache grew back to {cache_status(cache).total_bytes / 2**20:.1f} MB); once more: "
        f"{again[0]:.1f} s wall, {again[1]:.1f} s CPU.")


if __name__ == "__main__":
    main()
