"""The forecasting results table quoted in docs/forecasting.md and the README: every member and the ensemble,
weekly origins 2005-01-03 .. 2026-07-29, h = 5/10/20, scored on the same folds by the project's scorer.

Prints, for the full period and both halves (origins up to the tuning cutoff 2015-12-31, and after it: the
honest out-of-sample half), per model and horizon: CRPS skill and DM p against climatology, skill and DM p
against GARCH, 80%/90% coverage, Berkowitz PIT p, AUC of P(up), OOS R^2 of the mean with the Clark-West p;
then the ensemble's average weights, and the wall time.

Usage: .venv/bin/python bench/ensemble_results.py [DATA_DIR] [--models a,b,c] [--n-jobs 2] [--out frame.parquet]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

import pandas as pd

from _shared import DEFAULT_DATA, imported_store
from r2k.features.inputs import load_inputs
from r2k.forecasting import run_backtest
from r2k.store import Store
from r2k.validation.scoring import against, score_backtest

CUTOFF = pd.Timestamp("2015-12-31")
MODELS = "climatology,garch,garch_hm,implied_vol,har,gbm,rnn,ensemble"


def table(frame: pd.DataFrame, step: int, seed: int) -> pd.DataFrame:
    s = score_backtest(frame, step=step, seed=seed).table
    g = against(frame, "garch", step).rename(columns={"crps_skill": "skill_vs_garch", "dm_p": "dm_p_vs_garch"})
    out = s.merge(g[["model", "horizon", "skill_vs_garch", "dm_p_vs_garch"]], on=["model", "horizon"], how="left")
    return out[["model", "horizon", "n", "crps_skill", "dm_p", "skill_vs_garch", "dm_p_vs_garch", "cov80", "cov90",
                "berkowitz_p", "auc", "oos_r2", "clark_west_p"]]


def show(title: str, t: pd.DataFrame) -> None:
    fmt = {"crps_skill": "{:+.2%}", "skill_vs_garch": "{:+.2%}", "cov80": "{:.3f}", "cov90": "{:.3f}", "auc": "{:.3f}",
           "oos_r2": "{:+.4f}", "dm_p": "{:.2g}", "dm_p_vs_garch": "{:.2g}", "berkowitz_p": "{:.2g}", "clark_west_p": "{:.2g}"}
    shown = t.copy()
    for c, f in fmt.items():
        shown[c] = [("—" if pd.isna(v) else f.format(v)) for v in shown[c]]
    print(f"\n## {title}\n")
    print(shown.to_markdown(index=False) if hasattr(shown, "to_markdown") else shown.to_string(index=False))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--models", default=MODELS)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    from pathlib import Path

    data = Path(args.data)
    if not (data / "RUT.csv").exists():
        sys.exit(f"no data at {data}")
    names = [m for m in args.models.split(",") if m]
    with imported_store(data) as path, Store(path, read_only=True) as store:
        closes = store.series("RUT")
        inputs = load_inputs(store, "RUT")
    t0 = time.perf_counter()
    result = run_backtest(closes, models=names, start=date(2005, 1, 3), end=date(2026, 7, 29), step=5, refit_every=4,
                          n_jobs=args.n_jobs, seed=args.seed, features=inputs)
    wall = time.perf_counter() - t0
    frame = result.frame
    print(f"models: {', '.join(result.models)}; {frame['origin'].nunique()} weekly origins "
          f"{frame['origin'].min().date()} .. {frame['origin'].max().date()}; n_jobs={args.n_jobs}; wall time {wall:.0f} s")
    for n in result.notes:
        print(f"note: {n}")
    show("Full period", table(frame, 5, args.seed))
    show(f"Origins up to the tuning cutoff ({CUTOFF.date()})", table(frame[frame["origin"] <= CUTOFF], 5, args.seed))
    show("Origins after the tuning cutoff (out of sample for every tuned choice)", table(frame[frame["origin"] > CUTOFF], 5, args.seed))
    if result.weights is not None:
        w = result.weights
        members = [c for c in w.columns if c not in ("origin", "horizon", "p_up_source", "n_realised", "model")]
        print("\n## Ensemble weights (mean over refit origins; where P(up) came from)\n")
        print(w.groupby("horizon")[list(members)].mean().round(3).to_string())
        print(w.groupby("horizon")["p_up_source"].value_counts().to_string())
    if args.out:
        frame.to_parquet(args.out)


if __name__ == "__main__":
    main()
