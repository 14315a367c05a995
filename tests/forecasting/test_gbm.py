"""The gbm member: no look-ahead, parallel == serial, tracks a known volatility driver, clear input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gbm_support import rewrite_after, vol_driven_inputs
from scipy import stats

from r2k.errors import DataError
from r2k.models import History
from r2k.models.gbm import GradientBoosting, log_future_variance
from r2k.models.registry import make_model
from r2k.validation.engine import COLUMNS, walk_forward
from r2k.validation.folds import FoldPlan

QCOLS = [c for c in COLUMNS if c.startswith("q")]
FAST = {"n_trees": 40, "num_leaves": 5, "min_leaf": 40, "min_train": 500}


@pytest.fixture(scope="module")
def inputs() -> tuple[pd.DataFrame, np.ndarray]:
    return vol_driven_inputs(1500)


def test_log_future_variance_is_the_next_h_days() -> None:
    logp = np.log(np.array([100.0, 101.0, 99.0, 99.0, 102.0]))
    r = np.diff(logp)
    v = log_future_variance(logp, 2)
    assert v[0] == pytest.approx(np.log((r[0] ** 2 + r[1] ** 2) / 2)) and v[2] == pytest.approx(np.log((r[2] ** 2 + r[3] ** 2) / 2))
    assert np.isnan(v[3:]).all()


def test_rewriting_the_future_changes_no_earlier_forecast(inputs) -> None:
    frame, _ = inputs
    cut = frame.index[1200]
    garbage = rewrite_after(frame, cut, 99)
    plan = FoldPlan(horizons=(5, 20), start=frame.index[1100].date(), step=20, refit_every=2)
    model = GradientBoosting(**FAST)
    a = walk_forward(frame["close"], [model], plan, seed=3, features=frame)
    b = walk_forward(garbage["close"], [model], plan, seed=3, features=garbage)
    assert cut in set(a["origin"])
    cols = ["origin", "target", "horizon", "mean", "p_up", *QCOLS]
    pd.testing.assert_frame_equal(a.loc[a["origin"] <= cut, cols], b.loc[b["origin"] <= cut, cols])
    assert not np.allclose(a.loc[a["origin"] > cut, "q50"], b.loc[b["origin"] > cut, "q50"])


def test_parallel_equals_serial_bit_for_bit(inputs) -> None:
    frame, _ = inputs
    plan = FoldPlan(horizons=(5, 10), start=frame.index[1000].date(), step=25, refit_every=2)
    model = GradientBoosting(**FAST, bagging_fraction=0.7, feature_fraction=0.6)
    a = walk_forward(frame["close"], [model], plan, seed=8, features=frame)
    b = walk_forward(frame["close"], [model], plan, seed=8, features=frame, n_jobs=2)
    pd.testing.assert_frame_equal(a, b)


def test_scale_tracks_the_known_volatility_driver(inputs) -> None:
    frame, sigma = inputs
    h = 10
    plan = FoldPlan(horizons=(h,), start=frame.index[900].date(), end=frame.index[-h - 1].date(), step=7, refit_every=10)
    out = walk_forward(frame["close"], [GradientBoosting(**FAST)], plan, seed=1, features=frame)
    pos = frame.index.get_indexer(out["origin"])
    # the true conditional h-day sigma is an increasing function of the VIX at the origin (log VIX is AR(1))
    true = frame["VIX"].to_numpy()[pos]
    width = (out["q90"] - out["q10"]).to_numpy()
    assert stats.spearmanr(width, true).statistic > 0.8
    realised = np.array([np.sqrt(np.sum(sigma[p + 1 : p + h + 1] ** 2)) for p in pos])  # includes the unforecastable future
    assert stats.spearmanr(width, realised).statistic > 0.6
    q = out[QCOLS].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()
    # centred on the historical mean h-day return, like climatology
    hist = np.log(frame["close"]).diff(h)
    assert out["mean"].iloc[0] == pytest.approx(hist.iloc[: pos[0] + 1].dropna().iloc[: pos[0] + 1 - h].mean(), abs=1e-4)


def test_a_missing_vix_column_is_a_one_line_error(inputs) -> None:
    frame, _ = inputs
    plan = FoldPlan(horizons=(5,), start=frame.index[1400].date(), step=50)
    with pytest.raises(DataError, match="gbm: needs the VIX series") as err:
        walk_forward(frame["close"], [GradientBoosting(**FAST)], plan, features=frame.drop(columns=["VIX"]))
    assert "\n" not in str(err.value)
    stale = frame.copy()
    stale.loc[stale.index[1300] :, "VIX"] = np.nan
    with pytest.raises(DataError, match=r"the VIX series ends on .* before the forecast origin"):
        walk_forward(frame["close"], [GradientBoosting(**FAST)], plan, features=stale)


def test_contributions_add_up_to_the_prediction(inputs) -> None:
    frame, _ = inputs
    origin = frame.index[1300]
    history = History(frame["close"].loc[:origin], origin, gap=20, features=frame.loc[:origin])
    model = GradientBoosting(**FAST)
    model.fit(history, np.random.default_rng(0))
    dist = model.predict(history, (5, 20), np.random.default_rng(1))
    c = model.contributions(history)
    X = model.predictors(history)
    v = model._scale[20].predict(X.iloc[[-1]].to_numpy())[0]
    assert sum(c["scale"][20].values()) == pytest.approx(v)
    logit = sum(c["direction"][5].values())
    assert 1 / (1 + np.exp(-logit)) == pytest.approx(dist[5].p_up)
    assert set(c["direction"][5]) == {"log_vix", "rv_22", "drawdown", "(bias)"}
    assert c["scale"][20]["log_vix"] != 0.0


def test_registry_and_lightgbm_direction(inputs) -> None:
    assert make_model("gbm").capabilities.needs_features and not make_model("garch").capabilities.needs_features
    assert make_model("gbm", n_trees=12).n_trees == 12
    frame, _ = inputs
    plan = FoldPlan(horizons=(5,), start=frame.index[1400].date(), step=50)
    out = walk_forward(frame["close"], [GradientBoosting(**FAST, direction="lgbm")], plan, features=frame)
    assert out["p_up"].between(0, 1).all()
