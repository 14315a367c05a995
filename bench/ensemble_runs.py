"""The backtests behind the published forecasting evidence (bench/ensemble_results.py scores them).

Every run uses the shared data in a temporary store, the block-forecast cache of the settings (R2K_CACHE_DIR,
so a re-run reads back every unchanged block) and seed 20260101:

* five weekday phases of the weekly backtest 2005 .. 2026-07-29: phase k starts k trading days after 2005-01-03,
  so together they use every trading day as an origin once; phase 0 (the Mondays of 2005, the published plan)
  also runs the recurrent network, which is not an ensemble member;
* the gradient-boosting member refitted without each block of predictors, next to its permutation importance,
  on the monthly plan of ``r2k importance`` (the same origins and fits for both).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from r2k.calendar.trading import trading_days
from r2k.config import load_settings
from r2k.features.inputs import load_inputs
from r2k.forecasting import BacktestResult, forecast_cache, run_backtest
from r2k.store import Store
from r2k.validation.importance import ImportanceResult, drop_block_refits, importance_plan, permutation_importance

SEED = 20260101
FIRST, LAST = date(2005, 1, 3), date(2026, 7, 29)  # the last origin whose 20-day target is in the shared data
PHASES = 5
MEMBERS = ("climatology", "garch", "garch_hm", "implied_vol", "har", "gbm", "ensemble")
PHASE0_EXTRA = ("rnn",)
IMPORTANCE_END = date(2026, 7, 31)


@dataclass(frozen=True)
class Inputs:
    closes: pd.Series
    features: pd.DataFrame


def read_inputs(store_path: Path) -> Inputs:
    with Store(store_path, read_only=True) as store:
        return Inputs(store.series("RUT"), load_inputs(store, "RUT"))


def phase_start(phase: int) -> date:
    """The first origin of weekday phase ``phase``: ``phase`` trading days after 2005-01-03."""
    return trading_days(FIRST, date(2005, 1, 31))[phase].date()


def run_phase(data: Inputs, phase: int, n_jobs: int, log: Callable[[str], None] = print) -> BacktestResult:
    models = MEMBERS + (PHASE0_EXTRA if phase == 0 else ())
    t0 = time.perf_counter()
    result = run_backtest(data.closes, models=list(models), start=phase_start(phase), end=LAST, step=5, refit_every=4,
                          n_jobs=n_jobs, seed=SEED, features=data.features,
                          cache=forecast_cache(load_settings().cache_dir))
    log(f"phase {phase} ({phase_start(phase)}): {result.frame['origin'].nunique()} origins, {time.perf_counter() - t0:.0f} s")
    return result


def run_importance(data: Inputs, n_jobs: int, log: Callable[[str], None] = print) -> tuple[ImportanceResult, pd.DataFrame]:
    """Permutation importance and drop-block refits of gbm on the monthly plan of ``r2k importance``."""
    plan = importance_plan(FIRST, IMPORTANCE_END)
    closes = data.closes.loc[: pd.Timestamp(IMPORTANCE_END) + pd.Timedelta(days=60)]
    t0 = time.perf_counter()
    perm = permutation_importance(closes, data.features, "gbm", plan=plan, seed=SEED, n_jobs=n_jobs)
    log(f"permutation importance: {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    drops = drop_block_refits(closes, data.features, "gbm", plan=plan, seed=SEED, n_jobs=n_jobs,
                              cache=forecast_cache(load_settings().cache_dir))
    log(f"drop-block refits: {time.perf_counter() - t0:.0f} s")
    return perm, drops


def frames_dir_write(directory: Path | None, name: str, frame: pd.DataFrame) -> None:
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(directory / f"{name}.parquet")


__all__ = ["FIRST", "LAST", "PHASES", "SEED", "Inputs", "np", "phase_start", "read_inputs", "run_importance", "run_phase",
           "frames_dir_write"]
