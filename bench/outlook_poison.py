"""No look-ahead in the outlook on the real data: the outlook (grades, return views, key points, scenarios and the
weekly record) as of 2019-06-28 from all of ../shared/data, and again from a copy in which every value dated after
that day is rewritten with nonsense; the two must be identical. Writes the block "poison-check" of docs/outlook.md.

The rewritten store gets a forecast cache of its own (cold): a block cached from the clean data could otherwise stand
in for a block that peeked. The clean outlook uses the usual cache (R2K_CACHE_DIR, else the user cache directory).

Run: .venv/bin/python bench/outlook_poison.py [--data DIR] [--as-of 2019-06-28] [--no-docs]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from _shared import DEFAULT_DATA, imported_store, poisoned_copy, write_doc_block
from r2k.config import load_settings
from r2k.outlook import build_outlook
from r2k.serialize import dumps
from r2k.snapshot import Snapshot
from r2k.store import Store

DOC = Path(__file__).resolve().parents[1] / "docs" / "outlook.md"


def outlook_json(path: Path, day: date, cache: Path | None) -> dict:
    settings = replace(load_settings(), store_path=path, cache_dir=cache)
    with Store(path, read_only=True) as s:
        return json.loads(dumps(build_outlook(Snapshot(s, day, settings=settings), track="report", n_jobs=2).to_dict()))


def differences(a: object, b: object, where: str = "") -> list[str]:
    """Paths at which two JSON documents differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{where}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [where or "/"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2019, 6, 28))
    ap.add_argument("--no-docs", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with imported_store(args.data) as path, tempfile.TemporaryDirectory() as tmp:
        clean, dirty = Path(tmp) / "clean.duckdb", Path(tmp) / "dirty.duckdb"
        poisoned_copy(path, clean, date(9999, 12, 31))  # the same copying, nothing rewritten
        poisoned_copy(path, dirty, args.as_of, seed=1)
        a = outlook_json(clean, args.as_of, load_settings().cache_dir)
        b = outlook_json(dirty, args.as_of, Path(tmp) / "cache")
    diff = differences(a, b)
    grade = a["risk_grades"]["short"]
    took = time.perf_counter() - t0
    text = (f"As of {args.as_of}: the outlook with the record ({a['track']['short']['n']} weekly outcomes after the cutoff) "
            f"is {'identical' if not diff else 'DIFFERENT'} when every value dated after it is rewritten"
            + (f" (differences at {', '.join(diff[:8])})" if diff else "")
            + f"; short-term grade {grade['label']} in both ({took:.0f} s, the rewritten copy's forecasts computed cold).")
    print(text)
    if not args.no_docs:
        write_doc_block(DOC, "poison-check", text, "bench/outlook_poison.py")


if __name__ == "__main__":
    main()
