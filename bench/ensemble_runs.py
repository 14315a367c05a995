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

import pandas as pd

from r2k.calendar.trading import trading_days
from r2k.config import load_settings
from r2k.features.inputs import load_inputs
from r2k.forecasting import BacktestResult, forecast_cache, run_backtest
from r2k.store import Store
from r2k.validation.ablation import BLOCKS, drop_block_refits
from r2k.validation.importance import DEFAULT_GROUPS, importance_plan, permutation_importance

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


def run_importance(data: Inputs, n_jobs: int, log: Callable[[str], None] = print) -> tuple[pd.DataFrame, pd.DataFrame]:
    """gbm on the monthly plan of ``r2k importance``: permutation importance of every predictor and of every block
    (one table; its ``base_crps`` column is gbm's mean CRPS), and the refits without each block."""
    plan = importance_plan(FIRST, IMPORTANCE_END)
    groups = {g: (g,) for g in DEFAULT_GROUPS if (g,) not in BLOCKS.values()} | BLOCKS  # z:* is the macro block
    t0 = time.perf_counter()
    perm = permutation_importance(data.closes, data.features, "gbm", plan=plan, groups=groups, seed=SEED, n_jobs=n_jobs)
    log(f"permutation importance: {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    drops = drop_block_refits(data.closes, data.features, "gbm", plan=plan, seed=SEED, n_jobs=n_jobs)
    log(f"drop-block refits: {time.perf_counter() - t0:.0f} s")
    return perm.table.assign(base_crps=perm.base_crps), drops


