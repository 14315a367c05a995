import numpy as np
import pandas as pd
import pytest
from market_support import bdays, series

from r2k.analytics.flows import UNAVAILABLE, etf_flows
from r2k.analytics.levels import levels, round_levels, swing_points
from r2k.analytics.relative import relative


def test_beta_of_a_series_built_as_one_and_a_half_times_the_benchmark():
    rng = np.random.default_rng(2)
    rb = rng.normal(0.0003, 0.01, 1500)
    bench = series(1000 * np.exp(np.cumsum(rb)), "2015-01-01", "B")
    index = series(500 * np.exp(np.cumsum(1.5 * rb)), "2015-01-01", "I")
    r = relative(index, bench, symbol="I", benchmark="B")
    assert r.beta_1y == pytest.approx(1.5, rel=1e-9)
    assert r.correlation_1y == pytest.approx(1.0, abs=1e-9)
    assert r.beta_weekly_1y == pytest.approx(1.5, rel=1e-9)
    assert r.ratio == pytest.approx(index.iloc[-1] / bench.iloc[-1])


def test_ratio_trend_and_bear_market():
    n = 800
    t = np.arange(n)
    bench_v = np.where(t < 300, 100 + t * 0.1, np.where(t < 400, 130 - (t - 300) * 0.4, 90 + (t - 400) * 0.1))
    bench = series(bench_v, "2018-01-01", "B")
    index = series(bench_v * np.exp(0.0002 * t), "2018-01-01", "I")  # the ratio grows 0.02% a day
    r = relative(index, bench, symbol="I", benchmark="B")
    assert r.ratio_trend_1y == pytest.approx(0.0002 * 365.25 * 5 / 7, rel=0.02)  # business days per calendar year
    assert len(r.bear_markets) == 1
    bear = r.bear_markets[0]
    assert bear.peak_date == bench.index[300].date() and bear.trough_date == bench.index[400].date()
    assert bear.benchmark_return == pytest.approx(90 / 130 - 1)
    assert bear.difference == pytest.approx(90 / 130 * np.expm1(0.0002 * 100), rel=1e-9)


def test_vix_regimes_bucket_next_day_returns():
    rng = np.random.default_rng(4)
    rb = rng.normal(0, 0.01, 600)
    idx = series(100 * np.exp(np.cumsum(rb)), "2019-01-01")
    vix = pd.Series(np.where(np.arange(600) % 3 == 0, 12.0, np.where(np.arange(600) % 3 == 1, 20.0, 30.0)), index=idx.index)
    r = relative(idx, idx * 2, vix=vix)
    counts = {row["regime"]: row["n_days"] for row in r.vix_regimes}
    assert counts == {"<15": 200, "15-25": 200, ">25": 199}  # the last day has no next-day return
    nxt = np.log(idx).diff().shift(-1)
    assert r.vix_regimes[0]["mean_next_day"] == pytest.approx(nxt[vix == 12.0].mean())


def test_round_levels_near_2480():
    lv = {x.value: x for x in round_levels(2480.0)}
    assert sorted(lv) == [2300, 2400, 2500, 2600, 2700]
    assert lv[2500].note == "multiple of 500" and lv[2500].role == "resistance"
    assert lv[2250 + 250].distance == pytest.approx(20.0)
    assert round_levels(2480.0)[0].value == 2300  # 2232 is the lower bound: 2300 is the first multiple


def test_swing_points_of_a_sine_are_its_crests_and_troughs():
    t = np.arange(390)
    c = series(1000 + 100 * np.sin(2 * np.pi * t / 100))
    sw = swing_points(c, order=20)
    peaks = sw[sw["kind"] == "swing peak"]["date"]
    troughs = sw[sw["kind"] == "swing trough"]["date"]
    assert list(peaks) == [c.index[i] for i in (25, 125, 225, 325)]
    assert list(troughs) == [c.index[i] for i in (75, 175, 275)]  # 375 is not confirmed: only 14 rows after it
    res = levels(c, symbol="SIN", with_channels=False)
    swings = [x for x in res.levels if x.kind.startswith("swing")]
    assert [(x.kind, x.value) for x in swings] == [("swing peak", pytest.approx(1100.0)), ("swing trough", pytest.approx(900.0))]
    assert swings[0].date == c.index[325].date()  # equal levels merge into the most recent
    assert res.nearest("resistance").value == pytest.approx(1100.0)
    assert res.nearest("support").distance == pytest.approx(900.0 - c.iloc[-1])


def test_flows_on_synthetic_shares():
    n = 1000
    idx = bdays(n)
    shares = pd.Series(1e8 + 1e5 * np.arange(n, dtype=float), index=idx)  # steady creations of 100k shares a day
    shares.iloc[900:] = shares.iloc[899] - 2e6 * np.arange(1, 101)        # then redemptions of 2M shares a day
    close = pd.Series(200.0, index=idx)
    f = etf_flows(shares, close)
    assert f.available
    assert f.history["flow"].iloc[500] == pytest.approx(1e5 * 200)
    assert f.rolling_sum == pytest.approx(65 * -2e6 * 200)
    assert f.signal and f.zscore < -2
    assert f.signal_days == (idx[900].date(),)  # the first day of the run; z drops below -2 at once
    unavailable = etf_flows(None, close)
    assert not unavailable.available and unavailable.message == UNAVAILABLE
    assert "IWM_SHARES" in unavailable.summary()


def test_optional_series_that_start_after_as_of_are_unavailable_not_errors():
    rng = np.random.default_rng(8)
    idx = series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 600))), "2000-01-03", "I")
    vix = pd.Series(20.0, index=idx.index[400:])  # VIX begins after the as-of date
    as_of = idx.index[300]
    r = relative(idx, idx * 2, as_of=as_of, vix=vix)
    assert r.vix_regimes == () and r.vix_now is None and r.as_of == as_of.date()
    shares = pd.Series(1e8, index=idx.index[400:])
    f = etf_flows(shares, idx, as_of)
    assert not f.available and f.message == f"unavailable: no IWM shares outstanding on or before {as_of.date()}"


@pytest.mark.parametrize("close", [215.0, 2480.0 * 1e5, 2480.0 * 1e9, 1e300, 0.37])
def test_round_levels_scale_with_the_price_and_are_bounded(close):
    lv = round_levels(close)
    assert 1 <= len(lv) <= 12
    assert all(abs(x.value / close - 1) <= 0.1 + 1e-12 for x in lv)


def test_round_levels_of_a_price_in_the_hundreds_use_tens():
    assert [x.value for x in round_levels(215.0)] == [200.0, 210.0, 220.0, 230.0]
    assert round_levels(215.0)[0].note == "multiple of 50"
