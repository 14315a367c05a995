"""--n-jobs is bounded (CPUs, tasks), 0 and < -1 are usage errors, and short backtests stay serial."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from fc_support import gbm

from r2k.cli.common import UsageError, check_n_jobs
from r2k.models import Climatology, RandomWalk
from r2k.validation import engine
from r2k.validation.folds import FoldPlan


@pytest.mark.parametrize("n", [0, -2, -1000])
def test_zero_and_below_minus_one_are_usage_errors(n: int) -> None:
    with pytest.raises(UsageError, match=f"--n-jobs: {n} is not a worker count"):
        check_n_jobs(n)


def test_large_values_are_capped_at_cpus_and_tasks() -> None:
    cpus = os.cpu_count() or 1
    assert check_n_jobs(1000) == cpus
    assert check_n_jobs(-1) == cpus
    assert check_n_jobs(1000, tasks=1) == 1


def test_short_backtests_run_serially_and_long_ones_are_capped() -> None:
    closes = gbm(1200, seed=3)
    short = FoldPlan(horizons=(5,), start=closes.index[1000].date(), step=10, refit_every=4).folds(closes.index)
    assert engine._workers(1000, short) == 1
    long = FoldPlan(horizons=(5,), start=closes.index[100].date(), step=1, refit_every=1).folds(closes.index)
    assert 1 <= engine._workers(1000, long) <= (os.cpu_count() or 1)


def test_parallel_chunks_equal_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MIN_BLOCKS_PER_JOB", 1)
    closes = gbm(600, seed=4)
    plan = FoldPlan(horizons=(5,), start=closes.index[500].date(), step=10, refit_every=2)
    models = [Climatology(), RandomWalk()]
    serial = engine.walk_forward(closes, models, plan, seed=1, n_jobs=1)
    parallel = engine.walk_forward(closes, models, plan, seed=1, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
