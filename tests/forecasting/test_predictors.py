"""The predictor matrix: causal (rewrite-the-future) and known answers on tiny frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fc_support import dates
from gbm_support import rewrite_after, vol_driven_inputs

from r2k.features.predictors import predictor_matrix


def test_rewriting_the_future_leaves_earlier_rows_identical() -> None:
    inputs, _ = vol_driven_inputs(900)
    cut = inputs.index[600]
    garbage = rewrite_after(inputs, cut, 5)
    after = garbage.index > cut
    a, b = predictor_matrix(inputs), predictor_matrix(garbage)
    pd.testing.assert_frame_equal(a.loc[:cut], b.loc[:cut])
    assert not a.loc[after].equals(b.loc[after])
    # the matrix of the frame cut at the origin is the full matrix cut there (what a model sees in the walk-forward)
    pd.testing.assert_frame_equal(predictor_matrix(inputs.loc[:cut]), a.loc[:cut])


def test_known_answers_on_a_constant_growth_series() -> None:
    n, g = 400, 0.001
    idx = dates(n)
    t = np.arange(n)
    close = 100 * np.exp(g * t)
    frame = pd.DataFrame({"close": close, "GSPC": close * np.exp(-0.0005 * t), "VIX": 20.0}, index=idx)
    X = predictor_matrix(frame)
    last = X.iloc[-1]
    assert last["ret_5"] == pytest.approx(5 * g) and last["ret_250"] == pytest.approx(250 * g)
    assert last["rv_22"] == pytest.approx(np.log(g * np.sqrt(252)))
    assert last["log_vix"] == pytest.approx(np.log(20.0))
    assert last["vrp"] == pytest.approx(0.20 - g * np.sqrt(252))
    assert last["drawdown"] == 0.0
    ma = np.mean(close[-200:])
    assert last["ma200_gap"] == pytest.approx(np.log(close[-1] / ma))
    assert last["rel_gspc_60"] == pytest.approx(60 * 0.0005)
    assert np.isnan(last["channel"])  # a perfect line: zero residual spread, no position
    assert X["ret_250"].iloc[:250].isna().all() and X["rv_22"].iloc[:22].isna().all()
    assert "log_rvx" not in X.columns and X["breadth_50"].isna().all()  # no sectors at all


def test_drawdown_channel_and_breadth() -> None:
    n = 300
    idx = dates(n)
    rng = np.random.default_rng(3)
    logp = 4 + 0.002 * np.arange(n) + 0.01 * rng.standard_normal(n)
    logp[-1] = logp[-2] - 0.2
    frame = pd.DataFrame({"close": np.exp(logp)}, index=idx)
    rising, falling = np.exp(0.01 * np.arange(n)), np.exp(-0.01 * np.arange(n))
    for sid, path in (("XLB", rising), ("XLE", rising), ("XLF", rising), ("XLI", falling), ("XLK", falling)):
        frame[sid] = path
    X = predictor_matrix(frame)
    assert X["drawdown"].iloc[-1] == pytest.approx(logp[-1] - logp.max())
    y = logp[-250:]
    coef = np.polyfit(np.arange(250), y, 1)
    resid = y - np.polyval(coef, np.arange(250))
    assert X["channel"].iloc[-1] == pytest.approx(resid[-1] / np.sqrt(resid @ resid / 248), rel=1e-6)
    assert X["breadth_50"].iloc[-1] == pytest.approx(3 / 5)
    assert X["breadth_50"].iloc[:49].isna().all()
    frame["XLK"] = np.nan  # four sectors with data: too few for a share
    assert np.isnan(predictor_matrix(frame)["breadth_50"].iloc[-1])


def test_the_whole_frames_matrix_cut_at_an_origin_is_the_cut_frames_matrix_bit_for_bit() -> None:
    """Why the engine may compute the matrix once per run (History.causal_frame) instead of at every origin."""
    from r2k.models.base import History

    inputs, _ = vol_driven_inputs(900)
    for origin in (inputs.index[260], inputs.index[611], inputs.index[-1]):
        cut = inputs.loc[:origin]
        history = History(inputs["close"].loc[:origin], origin, features=cut, source=inputs)
        once = history.causal_frame(predictor_matrix)
        fresh = predictor_matrix(cut)
        assert list(once.columns) == list(fresh.columns) and once.index.equals(fresh.index)
        np.testing.assert_array_equal(once.to_numpy(), fresh.to_numpy())  # NaN where NaN, every other bit equal
        assert History(inputs["close"].loc[:origin], origin, features=cut).causal_frame(predictor_matrix).equals(fresh)
