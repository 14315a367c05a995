"""Benchmark and score of the gbm member: weekly origins 2005-01-03 .. 2026-07-29, h = 5/10/20,
refit every 4 origins, 2 workers; climatology (the baseline) and gbm only, so the time is gbm's.

Target: well under 3 minutes, and faster than skforecast's LightGBM with bootstrapped residuals refit
quarterly on the same task (184 s for 1,086 origins). Prints the wall time, the score table for the
full period and for origins in 2005-2015 and 2016-2026 separately (the tuning cutoff is 2015-12-31).

Usage: .venv/bin/python bench/bench_gbm.py [data-dir] [--out frame.parquet]
       .venv/bin/python bench/bench_gbm.py --frame bt.parquet   # only score the halves of a saved
                                                                 # `r2k backtest --out` frame
"""

from __future__ import annotations

import sys
import time
from datetime import date

import pandas as pd
from _shared import data_dir, imported_store

from r2k.features.inputs import load_inputs
from r2k.models.registry import make_models
from r2k.models.tuned import tuned_params_hash
from r2k.store import Store
from r2k.analytics.robust import p_text
from r2k.validation import FoldPlan, score_backtest, walk_forward
from r2k.validation.scoring import against

SEED = 20260101
COLS = ["model", "horizon", "n", "crps_skill", "skill_low", "skill_high", "cov80", "cov90", "berkowitz_p", "auc", "dm_p"]


def scores(frame: pd.DataFrame) -> pd.DataFrame:
    return score_backtest(frame, step=5).table[COLS]


def versus(frame: pd.DataFrame, model: str, other: str) -> str:
    """CRPS skill of ``model`` over ``other`` with its 95% interval and the Diebold-Mariano (HAC) p, per horizon."""
    t = against(frame, other, 5, models=(model, other))
    return f"{model} vs {other}: " + "; ".join(
        f"h={r.horizon}: {100 * r.crps_skill:+.2f}% [{100 * r.skill_low:+.2f}, {100 * r.skill_high:+.2f}] ({p_text(r.dm_p)})"
        for r in t.itertuples())


def report(frame: pd.DataFrame) -> None:
    fmt = {"float_format": lambda v: f"{v:.4g}", "index": False}
    for name, lo, hi in (("full period", None, None), ("origins 2005-2015", None, "2015-12-31"), ("origins 2016-2026", "2016-01-01", None)):
        part = frame[(frame["origin"] >= pd.Timestamp(lo or "1900-01-01")) & (frame["origin"] <= pd.Timestamp(hi or "2100-01-01"))]
        print(f"\n{name}\n" + scores(part).to_string(**fmt))
        if "garch" in set(frame["model"]):
            print(versus(part, "gbm", "garch"))


def option(flag: str) -> str | None:
    if flag not in sys.argv:
        return None
    value = sys.argv[sys.argv.index(flag) + 1]
    sys.argv = [a for a in sys.argv if a not in (flag, value)]
    return value


def main() -> None:
    out, saved = option("--out"), option("--frame")
    if saved:
        report(pd.read_parquet(saved))
        return
    with imported_store(data_dir()) as path, Store(path, read_only=True) as store:
        inputs = load_inputs(store, "RUT", as_of=date(2026, 8, 27))
    plan = FoldPlan(horizons=(5, 10, 20), start=date(2005, 1, 3), end=date(2026, 7, 29), step=5, refit_every=4)
    t0 = time.perf_counter()
    frame = walk_forward(inputs["close"], make_models(["climatology", "gbm"]), plan, seed=SEED, n_jobs=2, features=inputs)
    wall = time.perf_counter() - t0
    print(f"{frame['origin'].nunique()} origins, wall time {wall:.1f} s (n_jobs=2, refit every 4; tuned.json {tuned_params_hash()})")
    report(frame)
    if out:
        frame.to_parquet(out, index=False)


if __name__ == "__main__":
    main()
