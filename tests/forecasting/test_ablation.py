"""Drop-block refits: with nothing dropped they reproduce the member; dropping the block that drives the volatility
costs CRPS, dropping noise does not; blocks and permutation groups name the same columns."""

from __future__ import annotations

import pandas as pd
import pytest
from gbm_support import vol_driven_inputs

from r2k.models.gbm import GradientBoosting
from r2k.validation.ablation import ABLATION_COLUMNS, BLOCKS, Blanked, drop_block_refits
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.importance import expand


@pytest.fixture(scope="module")
def inputs() -> pd.DataFrame:
    return vol_driven_inputs(1400)[0]


def _member() -> GradientBoosting:
    return GradientBoosting(n_trees=40, num_leaves=5, min_leaf=40)


def test_nothing_dropped_is_the_member_itself(inputs: pd.DataFrame) -> None:
    plan = FoldPlan(horizons=(5,), start=inputs.index[1200].date(), step=20, refit_every=2)
    member = _member()
    plain = walk_forward(inputs["close"], [member], plan, seed=4, features=inputs)
    same = walk_forward(inputs["close"], [Blanked(member, (), 4, name=member.name)], plan, seed=4, features=inputs)
    pd.testing.assert_frame_equal(plain, same)


def test_dropping_the_volatility_driver_costs_crps_and_noise_does_not() -> None:
    inputs = vol_driven_inputs(1400, vol_of_vol=0.15)[0]  # volatility swings widely with VIX
    plan = FoldPlan(horizons=(5, 10), start=inputs.index[1000].date(), step=10, refit_every=4)
    blocks = {"volatility": ("log_vix", "vrp", "rv_*", "z:hy_oas"), "noise": ("rel_gspc_60", "breadth_50")}  # hy_oas tracks VIX
    t = drop_block_refits(inputs["close"], inputs, plan=plan, blocks=blocks, seed=3, member=_member()).set_index("block")
    assert list(t.columns) == list(ABLATION_COLUMNS)[1:] and t.loc["volatility", "columns"] == 6
    vol, noise = t.loc["volatility"], t.loc["noise"]
    assert vol["crps_increase"] > 0.03 and vol["low"] > 0 and vol["dm_p"] < 0.05
    assert abs(noise["crps_increase"]) < 0.005 and noise["low"] < 0 < noise["high"] and noise["dm_p"] > 0.05
    assert vol["low"] < vol["crps_increase"] < vol["high"]


def test_blocks_partition_the_predictors(inputs: pd.DataFrame) -> None:
    from r2k.features.predictors import predictor_matrix

    columns = list(predictor_matrix(inputs.iloc[:300]).columns)
    groups = expand(BLOCKS, columns)
    named = [c for cols in groups.values() for c in cols]
    assert sorted(named) == sorted(columns) and len(named) == len(set(named))  # every predictor in exactly one block
    assert groups["macro z-scores"] == ("z:claims_4w", "z:hy_oas")
