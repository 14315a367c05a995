"""The engine's optional progress callback: counts every model-fold once, ends at the total, changes no number."""

from __future__ import annotations

import pandas as pd
import pytest
from fc_support import gbm

from r2k.models import Climatology, RandomWalk
from r2k.validation import engine
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_progress_counts_every_model_fold_and_changes_nothing(n_jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MIN_BLOCKS_PER_JOB", 1)  # really start two workers for this short plan
    closes = gbm(700, seed=3)
    plan = FoldPlan(horizons=(5,), start=closes.index[600].date(), step=10, refit_every=2)
    models = [Climatology(), RandomWalk()]
    seen: list[tuple[int, int]] = []
    frame = walk_forward(closes, models, plan, seed=1, n_jobs=n_jobs, on_progress=lambda d, t: seen.append((d, t)))
    n_folds = len(plan.folds(closes.index))
    total = n_folds * len(models)
    assert seen and all(t == total for _, t in seen)
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == total and len(set(done)) == len(done)
    if n_jobs == 1:
        assert done == list(range(1, total + 1))  # serial: one call per fold
    pd.testing.assert_frame_equal(frame, walk_forward(closes, models, plan, seed=1), check_exact=True)
