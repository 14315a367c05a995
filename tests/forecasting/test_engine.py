"""The walk-forward engine: window arithmetic, no look-ahead, parallel == serial, reproducibility."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from fc_support import Cheater, Oracle, gbm, log_curve, ramp

from r2k.errors import LookAheadError
from r2k.models import Climatology, GJRGarch, History, RandomWalk
from r2k.validation.engine import COLUMNS, walk_forward
from r2k.validation.folds import FoldPlan, PlanError
from r2k.validation.metrics import crps_quantiles

QCOLS = [c for c in COLUMNS if c.startswith("q")]


def test_oracle_on_ramp_has_zero_error_and_exact_targets() -> None:
    closes = ramp(800)
    plan = FoldPlan(horizons=(1, 5, 20), step=7, min_train=300, refit_every=3)
    out = walk_forward(closes, [Oracle()], plan)
    known = out[out["y"].notna()]
    assert len(known) > 150 and out["y"].isna().sum() > 0  # the last origins' targets lie beyond the data
    np.testing.assert_allclose(known["mean"], known["y"], atol=1e-12)
    assert crps_quantiles(known["y"].to_numpy(), known[QCOLS].to_numpy()).max() < 1e-12
    pos = {d: i for i, d in enumerate(closes.index)}
    for r in known.itertuples():
        assert pos[r.target] - pos[r.origin] == r.horizon
        assert r.y == pytest.approx(log_curve(np.array(pos[r.target])) - log_curve(np.array(pos[r.origin])), abs=1e-12)
    first = out["origin"].min()
    assert pos[first] == 300 and sorted(out["origin"].unique())[1] == closes.index[307]


def test_targets_beyond_the_data_follow_the_calendar() -> None:
    closes = ramp(400)
    plan = FoldPlan(horizons=(5,), start=closes.index[-1].date(), min_train=100)
    out = walk_forward(closes, [Oracle()], plan)
    assert len(out) == 1 and np.isnan(out["y"].iloc[0])
    # 400 trading days from 2000-01-03 end on 2001-08-02 (a Thursday); 5 trading days later is Thursday 2001-08-09
    assert closes.index[-1] == pd.Timestamp("2001-08-02") and out["target"].iloc[0] == pd.Timestamp("2001-08-09")


def test_rolling_window_gives_exactly_window_length_rows() -> None:
    closes = ramp(700)
    plan = FoldPlan(horizons=(5,), step=10, window="rolling", window_length=250, min_train=250)
    out = walk_forward(closes, [Oracle(window_length=250)], plan)
    known = out[out["y"].notna()]
    np.testing.assert_allclose(known["mean"], known["y"], atol=1e-9)
    table = plan.table(closes.index)
    pos = {d: i for i, d in enumerate(closes.index)}
    assert all(pos[r.origin] - pos[r.train_start] == 249 for r in table.itertuples())


def test_rewriting_the_future_changes_no_earlier_forecast() -> None:
    closes = gbm(1400)
    cut = closes.index[1080]  # an origin and a refit origin: a leak of even one day past it must show
    garbage = closes.copy()
    after = garbage.index > cut
    garbage[after] = np.random.default_rng(99).uniform(1, 1e6, after.sum())
    plan = FoldPlan(horizons=(5, 20), start=closes.index[900].date(), step=15, refit_every=3)
    models = [Climatology(), RandomWalk(), GJRGarch(paths=500)]
    a = walk_forward(closes, models, plan, seed=3)
    b = walk_forward(garbage, models, plan, seed=3)
    before_a, before_b = a[a["origin"] <= cut], b[b["origin"] <= cut]
    assert len(before_a) > 50 and cut in set(a["origin"])
    cols = ["origin", "target", "horizon", "model", "mean", "p_up", *QCOLS]
    pd.testing.assert_frame_equal(before_a[cols], before_b[cols])
    same_y = before_a["target"] <= cut
    np.testing.assert_array_equal(before_a.loc[same_y, "y"], before_b.loc[same_y, "y"])
    assert (~same_y).sum() > 0 and (before_a.loc[~same_y, "y"] != before_b.loc[~same_y, "y"]).all()
    assert not np.allclose(a.loc[a["origin"] > cut, "mean"], b.loc[b["origin"] > cut, "mean"])


def test_a_model_reading_past_its_origin_fails() -> None:
    closes = gbm(700)
    with pytest.raises(LookAheadError, match="after its forecast origin"):
        walk_forward(closes, [Cheater()], FoldPlan(horizons=(5,), start=closes.index[600].date()))


def test_history_refuses_rows_after_the_origin() -> None:
    closes = gbm(50)
    with pytest.raises(LookAheadError):
        History(closes, closes.index[10])
    h = History(closes.iloc[:11], closes.index[10], gap=8)
    with pytest.raises(LookAheadError):
        h.until(closes.index[11])
    assert h.at(closes.index[10]) == closes.iloc[10]
    # purge: 5-day returns whose start is >= 8 days before the origin: starts 0..2
    np.testing.assert_allclose(h.h_returns(5), np.log(closes.iloc[5:8].to_numpy() / closes.iloc[0:3].to_numpy()))


def test_parallel_equals_serial_and_seeds_reproduce() -> None:
    closes = gbm(1200, seed=11)
    plan = FoldPlan(horizons=(5, 10), start=closes.index[1000].date(), step=10, refit_every=4)
    models = [Climatology(), RandomWalk(), GJRGarch(paths=500)]
    serial = walk_forward(closes, models, plan, seed=5, n_jobs=1)
    parallel = walk_forward(closes, models, plan, seed=5, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    g = serial["model"] == "garch"
    again = walk_forward(closes, models[2:], plan, seed=5)
    pd.testing.assert_frame_equal(serial[g].reset_index(drop=True), again, check_exact=True)
    other = walk_forward(closes, models[2:], plan, seed=6)
    assert not np.array_equal(serial.loc[g, "q05"], other["q05"])
    assert list(serial.columns) == list(COLUMNS)


def test_fold_plan_table_and_errors() -> None:
    closes = ramp(600)
    plan = FoldPlan(horizons=(5, 20), step=50, refit_every=2, min_train=400)
    t = plan.table(closes.index)
    assert list(t["refit"]) == [True, False, True, False]
    assert list(t["block"]) == [0, 0, 1, 1]
    pos = {d: i for i, d in enumerate(closes.index)}
    assert all(pos[o] - pos[s] == 20 for o, s in zip(t["origin"], t["last_sample"]))
    assert {"train_start", "train_end", "gap", "origin", "target_5", "target_20"} <= set(t.columns)
    with pytest.raises(PlanError, match="purge gap"):
        FoldPlan(horizons=(5, 20), gap=10)
    with pytest.raises(PlanError, match="no origin"):
        FoldPlan(start=date(2030, 1, 1)).folds(closes.index)


def test_forecast_from_a_two_close_history_is_a_named_data_error() -> None:
    from r2k.errors import DataError
    from r2k.forecasting import forecast_as_of

    closes = gbm(50)
    with pytest.raises(DataError, match="only 2 closes up to 2000-01-04"):
        forecast_as_of(closes, as_of=closes.index[1].date(), models=["climatology"], symbol="SYN")
