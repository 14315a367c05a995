"""Benchmark: import all of ../shared/data into a fresh store, re-import it, and read RUT back.

Target: the whole import under 5 seconds on this machine (2 cores).
Run: .venv/bin/python bench/bench_import.py [DATA_DIR]
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path

from _shared import NOW, data_dir

from r2k.providers.base import Query
from r2k.providers.csvdir import CsvDirProvider
from r2k.store import Store
from r2k.store.ingest import import_directory


def main() -> None:
    data = data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        items = CsvDirProvider(data).fetch(Query(ids=(), end=datetime.max.date()))
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(path) as store:
            summary, _ = import_directory(store, data, NOW)
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(path) as store:
            again, _ = import_directory(store, data, NOW)
        t_reimport = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(path, read_only=True) as store:
            rut = store.read("RUT")
        t_read = time.perf_counter() - t0
        size = path.stat().st_size
    print(f"data dir             {data}")
    print(f"series               {len(items)}  rows {summary.rows_new:,}")
    print(f"parse+validate only  {t_parse:6.2f} s")
    print(f"full import (fresh)  {t_import:6.2f} s   (target < 5 s)")
    print(f"re-import (no-op)    {t_reimport:6.2f} s   rows changed {again.rows_new + again.rows_changed}")
    print(f"read RUT             {t_read * 1000:6.1f} ms  ({len(rut):,} rows)")
    print(f"store size           {size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
