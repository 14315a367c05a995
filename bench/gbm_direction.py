"""Which P(up) model the gbm member uses: compared on origins BEFORE the tuning cutoff only.

Walk-forward 2000-01-03 .. 2015-12-31 (every 10 trading days, h = 5/10/20, refit every 4 origins) on
the index closes and input frame cut at 2015-12-31 (so nothing after the cutoff can be read):
a one-slope logistic regression on a stress index (the mean of the z-scored log VIX, 22-day realised
volatility and drawdown depth, with their prior signs; a slope against the prior falls back to the base
rate), a free logistic regression on the same three signals, and a LightGBM classifier on every
predictor, plus each stress signal alone with its prior sign (higher stress -> more up-moves)
and no fitting. Prints AUC and log loss per horizon.

Usage: .venv/bin/python bench/gbm_direction.py [data-dir]
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pandas as pd
from _shared import data_dir, imported_store

from r2k.features.inputs import load_inputs
from r2k.features.predictors import predictor_matrix
from r2k.models.gbm import GradientBoosting
from r2k.store import Store
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.metrics import auc

CUTOFF = date(2015, 12, 31)


def log_loss(p: np.ndarray, up: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(np.where(up, np.log(p), np.log(1 - p))))


def main() -> None:
    with imported_store(data_dir()) as path, Store(path, read_only=True) as store:
        inputs = load_inputs(store, "RUT", as_of=CUTOFF)
    inputs = inputs.loc[: pd.Timestamp(CUTOFF)]
    closes = inputs["close"]
    plan = FoldPlan(horizons=(5, 10, 20), start=date(2000, 1, 3), end=CUTOFF, step=10, refit_every=4)
    models = [GradientBoosting.tuned(direction=d, name=d) for d in ("stress", "logit", "lgbm")]
    t0 = time.perf_counter()
    frame = walk_forward(closes, models, plan, seed=20260101, n_jobs=2, features=inputs)
    print(f"{frame['origin'].nunique()} origins {frame['origin'].min().date()} .. {frame['origin'].max().date()}, "
          f"{time.perf_counter() - t0:.0f} s")
    X = predictor_matrix(inputs)
    signals = {"log_vix": X["log_vix"], "rv_22": X["rv_22"], "drawdown": -X["drawdown"]}
    rows = []
    for h, g in frame[frame["y"].notna()].groupby("horizon"):
        for name, m in g.groupby("model"):
            up = m["y"].to_numpy() > 0
            rows.append({"h": h, "model": name, "n": len(m), "auc": auc(m["p_up"].to_numpy(), up),
                         "log_loss": log_loss(m["p_up"].to_numpy(), up)})
        first = g[g["model"] == "stress"]
        up = first["y"].to_numpy() > 0
        base = np.full(len(up), up.mean())
        rows.append({"h": h, "model": "constant (in-sample share up)", "n": len(up), "auc": 0.5, "log_loss": log_loss(base, up)})
        for name, s in signals.items():
            rows.append({"h": h, "model": f"{name} alone (prior sign)", "n": len(up),
                         "auc": auc(s.reindex(first["origin"]).to_numpy(), up), "log_loss": np.nan})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
