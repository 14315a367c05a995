"""The block-forecast cache: a cached run is bit-identical to an uncached one, and a changed input row (close,
input value) on or before an origin invalidates exactly the blocks that saw it (no stale reuse, no look-ahead)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fc_support import gbm

from r2k.models import Climatology, GJRGarch
from r2k.models.ensemble import Ensemble
from r2k.store.forecast_cache import ForecastCache, model_identity
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan

CLOSES = gbm(1300, seed=11)
FEATURES = pd.DataFrame({"X": np.random.default_rng(3).normal(size=len(CLOSES))}, index=CLOSES.index)
PLAN = FoldPlan(horizons=(5, 20), start=CLOSES.index[900].date(), step=40, refit_every=2, min_train=500)
BLOCKS = len({f.block for f in PLAN.folds(CLOSES.index)})  # 10 origins -> 5 blocks


def models() -> list:
    return [Climatology(), GJRGarch(), Ensemble(members=("climatology", "garch"), min_history=2)]


def run(closes: pd.Series, features: pd.DataFrame, cache: ForecastCache | None) -> pd.DataFrame:
    return walk_forward(closes, models(), PLAN, seed=5, features=features, cache=cache)


def blocks_after(pos: int) -> int:
    """Blocks whose last origin is on or after position ``pos`` (they saw that row)."""
    last = {}
    for f in PLAN.folds(CLOSES.index):
        last[f.block] = f.pos
    return sum(p >= pos for p in last.values())


@pytest.fixture(scope="module")
def uncached() -> pd.DataFrame:
    return run(CLOSES, FEATURES, None)


def test_cached_runs_are_bit_identical_and_reuse_every_block(tmp_path: Path, uncached: pd.DataFrame) -> None:
    cold = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(CLOSES, FEATURES, cold), uncached, check_exact=True)
    assert (cold.hits, cold.misses) == (0, 3 * BLOCKS)
    warm = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(CLOSES, FEATURES, warm), uncached, check_exact=True)
    assert (warm.hits, warm.misses) == (3 * BLOCKS, 0)


@pytest.mark.parametrize("what", ["close", "input"])
def test_a_revised_row_invalidates_exactly_the_blocks_that_saw_it(tmp_path: Path, what: str) -> None:
    run(CLOSES, FEATURES, ForecastCache(tmp_path))  # fill the cache
    pos = 1000  # after the first blocks' origins, before the later ones
    closes, features = CLOSES.copy(), FEATURES.copy()
    if what == "close":
        closes.iloc[pos] *= 1.02
    else:
        features.iloc[pos, 0] += 1.0
    again = ForecastCache(tmp_path)
    got = run(closes, features, again)
    pd.testing.assert_frame_equal(got, run(closes, features, None), check_exact=True)  # never a stale forecast
    stale = blocks_after(pos)
    assert 0 < stale < BLOCKS
    assert (again.misses, again.hits) == (3 * stale, 3 * (BLOCKS - stale))


def test_new_days_reuse_the_blocks_before_them(tmp_path: Path, uncached: pd.DataFrame) -> None:
    short = CLOSES.iloc[:1200]
    run(short, FEATURES.loc[: short.index[-1]], ForecastCache(tmp_path))
    later = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(CLOSES, FEATURES, later), uncached, check_exact=True)
    assert (later.hits, later.misses) == (3 * (BLOCKS - 1), 3)  # only the block after the old last close is new


def test_model_parameters_are_part_of_the_key(tmp_path: Path) -> None:
    assert model_identity(GJRGarch()) == model_identity(GJRGarch())
    assert model_identity(Ensemble(min_history=2)) != model_identity(Ensemble(min_history=3))
    run(CLOSES, FEATURES, ForecastCache(tmp_path))
    other = ForecastCache(tmp_path)
    walk_forward(CLOSES, [Climatology(), GJRGarch(), Ensemble(members=("climatology", "garch"), min_history=3)], PLAN,
                 seed=5, features=FEATURES, cache=other)
    assert other.misses == BLOCKS and other.hits == 2 * BLOCKS  # only the ensemble's blocks are new
    seeded = ForecastCache(tmp_path)
    walk_forward(CLOSES, models(), PLAN, seed=6, features=FEATURES, cache=seeded)
    assert seeded.hits == 0


def test_a_damaged_entry_is_recomputed(tmp_path: Path, uncached: pd.DataFrame) -> None:
    run(CLOSES, FEATURES, ForecastCache(tmp_path))
    for p in (tmp_path / "forecasts").rglob("*.entry"):
        p.write_bytes(b"not an array")
    again = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(CLOSES, FEATURES, again), uncached, check_exact=True)
    assert again.hits == 0
