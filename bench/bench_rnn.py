"""Benchmark and score of the recurrent member (rnn) against climatology on the same weekly folds.

Loads the input frame from the store (``r2k.features.inputs.load_inputs``), walks forward with
``walk_forward(..., features=...)`` and scores with the project's scorer, for all origins and for
origins from 2016-01-04 (the period after the tuning cutoff). Architecture and epochs were chosen with
``--end 2015-12-31`` only.

Usage: R2K_STORE=/tmp/rnn/r2k.duckdb python bench/bench_rnn.py [--start 2005-01-03] [--end 2026-07-29]
       [--n-jobs 2] [--refit-every 4] [--param seq_len=30 --param hidden=16 ...] [--out frame.parquet]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from datetime import date

import pandas as pd

from r2k.config import load_settings
from r2k.features.inputs import load_inputs
from r2k.models import Climatology
from r2k.models.rnn import RecurrentQuantile
from r2k.store import Store
from r2k.validation import FoldPlan, score_backtest, walk_forward

SECOND_HALF = pd.Timestamp("2016-01-04")
COLUMNS = ["model", "horizon", "n", "crps_skill", "dm_p", "cov80", "cov90", "berkowitz_p", "auc", "oos_r2"]


def _value(text: str) -> object:
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return tuple(x for x in text.split(",") if x) if "," in text or text == "" else text


def cpu_seconds() -> float:
    """CPU time of this process plus its live child processes (the joblib workers), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = time.process_time()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # fields[1] = parent pid; [11], [12] = user, system ticks
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", default="2005-01-03")
    ap.add_argument("--end", default="2026-07-29")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--refit-every", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--param", action="append", default=[], help="model setting name=value (repeatable)")
    ap.add_argument("--out", default=None, help="write the forecast frame to this parquet file")
    args = ap.parse_args()
    params = {k: _value(v) for k, v in (p.split("=", 1) for p in args.param)}
    with Store(load_settings().store_path, read_only=True) as store:
        inputs = load_inputs(store)
    plan = FoldPlan(horizons=(5, 10, 20), start=date.fromisoformat(args.start), end=date.fromisoformat(args.end),
                    step=5, refit_every=args.refit_every)
    model = RecurrentQuantile(**params)  # type: ignore[arg-type]
    t0, c0 = time.perf_counter(), cpu_seconds()
    frame = walk_forward(inputs["close"], [Climatology(), model], plan, seed=args.seed, n_jobs=args.n_jobs, features=inputs)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    origins = frame["origin"].nunique()
    print(f"rnn {model!r}")
    print(f"origins: {origins} ({frame['origin'].min().date()} .. {frame['origin'].max().date()}), n_jobs={args.n_jobs}, "
          f"refit every {args.refit_every} origins ({-(-origins // args.refit_every)} fits): wall {wall:.1f} s, "
          f"CPU {cpu:.1f} s (this process + workers; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if args.out:
        frame.to_parquet(args.out)
    for label, part in (("all origins", frame), ("origins from 2016-01-04", frame[frame["origin"] >= SECOND_HALF])):
        if part["origin"].nunique() < 20:
            continue
        scores = score_backtest(part, step=plan.step)
        print(f"\n{label}:")
        print(scores.table[COLUMNS].to_string(index=False, float_format=lambda v: f"{v:.4g}"))


if __name__ == "__main__":
    main()
