"""Benchmark: weekly origins 2000 -> last close, horizons 5/10/20, climatology + random_walk + garch, 2 workers.

Target: under 2 minutes on the 2 cores here. Prints wall time, model fits per second and the score table.
Usage: .venv/bin/python bench/bench_backtest.py [--data ../shared/data/RUT.csv] [--n-jobs 2] [--refit-every 4]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import pandas as pd

from r2k.models import make_models
from r2k.validation import FoldPlan, score_backtest, walk_forward


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data" / "RUT.csv")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--refit-every", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20260101)
    args = ap.parse_args()
    raw = pd.read_csv(args.data, parse_dates=["date"])
    closes = pd.Series(raw["close"].to_numpy(dtype=float), index=pd.DatetimeIndex(raw["date"])).dropna()
    plan = FoldPlan(horizons=(5, 10, 20), start=date(2000, 1, 1), step=5, refit_every=args.refit_every)
    t0 = time.perf_counter()
    frame = walk_forward(closes, make_models(["climatology", "random_walk", "garch"]), plan, seed=args.seed, n_jobs=args.n_jobs)
    t1 = time.perf_counter()
    scores = score_backtest(frame, step=plan.step)
    t2 = time.perf_counter()
    wall = t2 - t0
    origins = frame["origin"].nunique()
    garch_fits = -(-origins // args.refit_every)
    print(f"origins: {origins} ({frame['origin'].min().date()} .. {frame['origin'].max().date()}), forecast rows: {len(frame)}, "
          f"n_jobs={args.n_jobs}, garch refit every {args.refit_every} origins (variance filtered forward in between)")
    print(f"wall time: {wall:.1f} s (target < 120 s) = engine {t1 - t0:.1f} s + scoring/MCS {t2 - t1:.1f} s")
    print(f"garch fits: {garch_fits} ({garch_fits / (t1 - t0):.1f} fits/s); baseline fits (no estimation): {2 * origins}; "
          f"model-origin forecasts (3 horizons each): {3 * origins} ({3 * origins / (t1 - t0):.1f}/s)")
    print(scores.summary())
    for h, mcs in scores.mcs.items():
        print(f"h={h}: {mcs.summary()}")


if __name__ == "__main__":
    main()
