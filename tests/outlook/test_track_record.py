"""The track record's reliability table and tests on constructed outcomes with known answers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from r2k.outlook.track_record import horizon_record, realised_paths, reliability_table


def test_realised_paths_known_answers() -> None:
    closes = pd.Series([100.0, 110.0, 99.0, 108.9, 120.0], index=pd.bdate_range("2020-01-01", periods=5))
    rated = pd.DataFrame({"origin": [closes.index[0], closes.index[3]], "horizon": [3, 3]})
    out = realised_paths(closes, rated)
    assert out.loc[0, "ret"] == pytest.approx(0.089)
    assert out.loc[0, "drawdown"] == pytest.approx(99 / 110 - 1)
    assert np.isnan(out.loc[1, "ret"])  # the target is beyond the data


def _rated(n: int, returns_informative: bool, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    origins = pd.bdate_range("2016-01-04", periods=n * 5, freq="B")[::5]
    notch = rng.integers(4, 17, n)
    better = notch <= 10
    vol = np.where(better, 0.12, 0.25) + rng.normal(0, 0.01, n)
    ret = rng.normal(0, 0.03, n) + (np.where(better, 0.03, -0.03) if returns_informative else 0.0)
    return pd.DataFrame({"origin": origins, "horizon": 5, "notch": notch, "ret": ret, "vol": vol,
                         "drawdown": -np.abs(ret), "y": np.log1p(ret), "q05": -0.05,
                         "below_q05": np.log1p(ret) < -0.05,
                         "group": ["A or better" if k <= 6 else "Baa" if k <= 9 else "Ba" if k <= 12 else "B" if k <= 15 else "Caa or below" for k in notch]})


def test_informative_ratings_are_recognised() -> None:
    rec = horizon_record(_rated(300, True), 5, date(2015, 12, 31))
    assert rec.returns_welch.p_value < 0.001 and rec.returns_welch.details["better_mean"] > 0.02
    assert "information about both returns and risk" in rec.verdict


def test_risk_only_ratings_say_exactly_that() -> None:
    rec = horizon_record(_rated(300, False, seed=5), 5, date(2015, 12, 31))
    assert rec.returns_welch.p_value > 0.05
    assert "no information about returns, but they do about risk" in rec.verdict


def test_reliability_table_counts_and_tail_share() -> None:
    rated = _rated(200, False)
    t = reliability_table(rated)
    assert t["count"].sum() == 200
    row = t[t["group"] == "Baa"].iloc[0]
    sub = rated[rated["group"] == "Baa"]
    assert row["mean_return"] == pytest.approx(sub["ret"].mean())
    assert row["below_q05"] == pytest.approx(sub["below_q05"].mean())
    assert row["worst_drawdown"] == pytest.approx(sub["drawdown"].min())


def test_origins_before_the_cutoff_are_not_counted() -> None:
    rated = _rated(100, True)
    rec = horizon_record(rated, 5, date(2017, 1, 1))
    assert rec.n_origins == int((rated["origin"] > pd.Timestamp("2017-01-01")).sum())


def test_frame_cache_round_trip_and_keys_follow_the_data(tmp_path) -> None:  # noqa: ANN001
    from r2k.store.cache import FrameCache, frame_key

    s = pd.Series([1.0, 2.0, 3.0], index=pd.bdate_range("2020-01-01", periods=3))
    k1 = frame_key("x", {"step": 40}, s)
    assert k1 == frame_key("x", {"step": 40}, s.copy())
    assert k1 != frame_key("x", {"step": 40}, s.where(s < 3, 3.5))  # a rewritten value is a new key
    assert k1 != frame_key("x", {"step": 20}, s)
    inputs = pd.DataFrame({"close": s, "VIX": [20.0, 21.0, 22.0]})  # the input frame of a model that needs features
    assert frame_key("x", inputs) == frame_key("x", inputs.copy()) != frame_key("x", inputs.rename(columns={"VIX": "RVX"}))
    cache = FrameCache(tmp_path / "c")
    assert cache.get(k1) is None
    frame = pd.DataFrame({"origin": s.index, "v": s.to_numpy()})
    cache.put(k1, frame)
    pd.testing.assert_frame_equal(cache.get(k1), frame)
