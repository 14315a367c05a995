"""Performance statistics: known answers by construction, and the same numbers as QuantStats (the reference
library, a dev dependency) where its definition is ours."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from r2k.analytics.performance import (complete_year_returns, distribution, historical_cvar, historical_var,
                                       longest_drawdown, monthly_returns, relative_stats, rolling_ratios,
                                       simple_returns, win_rate)
from r2k.analytics.tearsheet import tearsheet


def days(n: int, start: str = "2015-12-31") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n)


def closes(returns: np.ndarray, start: str = "2015-12-31", first: float = 100.0) -> pd.Series:
    """Closes whose daily simple returns are ``returns`` (the first close is the base)."""
    values = first * np.concatenate([[1.0], np.cumprod(1 + np.asarray(returns))])
    return pd.Series(values, index=days(len(values), start), name="X")


def noise(n: int, seed: int, mu: float = 0.0004, sd: float = 0.012) -> np.ndarray:
    return np.random.default_rng(seed).standard_t(4, n) * sd / np.sqrt(2) + mu


@pytest.fixture(scope="module")
def qs():
    return pytest.importorskip("quantstats").stats


# ------------------------------------------------------------------------------------------ known answers
def test_var_and_cvar_on_a_ladder_of_returns():
    r = pd.Series(np.arange(-50, 50) / 1000.0)  # -5.0% .. +4.9% in steps of 0.1%
    assert historical_var(r) == pytest.approx(np.percentile(r, 5))  # linear interpolation: -4.505%
    assert historical_var(r) == pytest.approx(-0.04505)
    assert historical_cvar(r) == pytest.approx(np.mean(np.arange(-50, -45) / 1000.0))  # the five returns at or below


def test_win_rate_ignores_days_that_did_not_move():
    assert win_rate(pd.Series([0.01, -0.01, 0.0, 0.02])) == pytest.approx(2 / 3)
    assert np.isnan(win_rate(pd.Series([0.0, 0.0])))


def test_beta_is_exactly_two_on_a_scaled_benchmark_and_alpha_is_the_daily_drift_times_252():
    b = pd.Series(noise(1000, 1), index=days(1000))
    rel = relative_stats(2 * b, b)
    assert rel.beta == pytest.approx(2.0, rel=1e-12)
    assert rel.alpha == pytest.approx(0.0, abs=1e-12)
    # with a constant risk-free rate c: r - c = 2 (b - c) + d  =>  beta 2, Jensen's alpha d × 252
    c, d = 0.0001, 0.00005
    rel = relative_stats(2 * b - c + d, b, pd.Series(c, index=b.index))
    assert rel.beta == pytest.approx(2.0, rel=1e-12)
    assert rel.alpha == pytest.approx(d * 252, rel=1e-9)


def test_tracking_error_and_information_ratio_by_hand():
    b = pd.Series(noise(800, 2), index=days(800))
    active = np.where(np.arange(800) % 2 == 0, 0.003, -0.001)  # mean 0.001, alternating
    rel = relative_stats(b + active, b)
    te = np.std(active, ddof=1) * np.sqrt(252)
    assert rel.tracking_error == pytest.approx(te, rel=1e-9)
    assert rel.information_ratio == pytest.approx(0.001 * 252 / te, rel=1e-9)
    assert rel.n_days == 800


def test_longest_drawdown_known_by_construction():
    # 100, 110 (record), 90, 95, 110 (back at the record: 3 trading days later), 120 (record), 119, 118 (still under)
    c = pd.Series([100, 110, 90, 95, 110, 120, 119, 118.0], index=days(8, "2024-01-01"), name="X")
    dd = longest_drawdown(c)
    assert (dd.peak, dd.end, dd.recovered, dd.trading_days, dd.calendar_days) == (
        pd.Timestamp("2024-01-02").date(), pd.Timestamp("2024-01-05").date(), True, 3, 3)
    # make the unrecovered one longer: it runs to the last close
    c2 = pd.concat([c, pd.Series([117.0, 116, 115], index=days(4, "2024-01-10")[1:], name="X")])
    dd = longest_drawdown(c2)
    assert (str(dd.peak), str(dd.end), dd.recovered, dd.trading_days, dd.calendar_days) == (
        "2024-01-08", "2024-01-15", False, 5, 7)
    assert longest_drawdown(pd.Series([1.0, 2, 3], index=days(3))) is None


def test_longest_drawdown_of_a_week_long_dip_in_calendar_days():
    c = pd.Series([100, 99, 98, 97, 96, 95, 100.0], index=days(7, "2024-03-01"), name="X")  # Fri .. next Mon
    dd = longest_drawdown(c)
    assert dd.trading_days == 6 and dd.calendar_days == (pd.Timestamp("2024-03-11") - pd.Timestamp("2024-03-01")).days


def test_complete_years_exclude_the_first_partial_year_and_the_year_to_date():
    c = closes(noise(700, 3), start="2016-03-01")  # 2016-03-01 .. 2018-10
    years = complete_year_returns(c)
    assert list(years.index) == [2017]
    assert years[2017] == pytest.approx(c[c.index.year == 2017].iloc[-1] / c[c.index.year == 2016].iloc[-1] - 1)


def test_rolling_ratios_by_hand_on_the_last_window():
    r = pd.Series(noise(300, 4), index=days(300))
    rf = pd.Series(0.0001, index=r.index)
    roll = rolling_ratios(r, rf, window=126)
    x = (r - 0.0001).to_numpy()[-126:]
    assert roll["sharpe"].iloc[-1] == pytest.approx(x.mean() / x.std(ddof=1) * np.sqrt(252), rel=1e-9)
    assert roll["sortino"].iloc[-1] == pytest.approx(x.mean() / np.sqrt(np.mean(np.minimum(x, 0) ** 2)) * np.sqrt(252),
                                                     rel=1e-9)
    assert roll.index[0] == r.index[125]  # the first full window


def test_skew_and_kurtosis_are_the_bias_corrected_sample_moments():
    c = closes(noise(1500, 5))
    r = simple_returns(c).to_numpy()
    d = distribution(c)
    assert d.skew == pytest.approx(sps.skew(r, bias=False), rel=1e-9)
    assert d.kurtosis == pytest.approx(sps.kurtosis(r, fisher=True, bias=False), rel=1e-9)


# ------------------------------------------------------------------------------------------ against QuantStats
@pytest.fixture(scope="module")
def pair():
    """Four complete years of index and benchmark closes (2015-12-31 .. 2019-12-31), the index a levered, noisy
    benchmark."""
    n = len(pd.bdate_range("2016-01-01", "2019-12-31"))
    b = noise(n, 11, 0.0003, 0.01)
    i = 1.3 * b + noise(n, 12, 0.0001, 0.006)
    return closes(i), closes(b)


def test_distribution_matches_quantstats(qs, pair):
    c, _ = pair
    r = simple_returns(c)
    d = distribution(c)
    assert d.skew == pytest.approx(qs.skew(r), rel=1e-9)
    assert d.kurtosis == pytest.approx(qs.kurtosis(r), rel=1e-9)
    assert d.cvar == pytest.approx(qs.conditional_value_at_risk(r, method="historical"), rel=1e-9)
    assert d.best_day.value == pytest.approx(qs.best(r), rel=1e-12)
    assert d.worst_day.value == pytest.approx(qs.worst(r), rel=1e-12)
    assert d.best_year.value == pytest.approx(qs.best(r, aggregate="YE"), rel=1e-9)
    assert d.worst_year.value == pytest.approx(qs.worst(r, aggregate="YE"), rel=1e-9)
    assert d.n_years == 4
    assert d.win_days == pytest.approx(qs.win_rate(r), rel=1e-12)
    assert d.win_months == pytest.approx(qs.win_rate(r, aggregate="ME"), rel=1e-12)
    assert d.win_years == pytest.approx(qs.win_rate(r, aggregate="YE"), rel=1e-12)
    assert len(monthly_returns(c)) == 48


def test_relative_stats_match_quantstats(qs, pair):
    c, bc = pair
    r, b = simple_returns(c), simple_returns(bc)
    rel = relative_stats(r, b)
    greeks = qs.greeks(r, b)
    assert rel.beta == pytest.approx(greeks["beta"], rel=1e-9)
    assert rel.alpha == pytest.approx(greeks["alpha"], rel=1e-9)
    assert rel.information_ratio == pytest.approx(qs.information_ratio(r, b) * np.sqrt(252), rel=1e-9)


def test_rolling_ratios_match_quantstats(qs, pair):
    r = simple_returns(pair[0])
    ours = rolling_ratios(r)
    sharpe = qs.rolling_sharpe(r, prepare_returns=False).dropna()
    sortino = qs.rolling_sortino(r, prepare_returns=False).dropna()
    pd.testing.assert_series_equal(ours["sharpe"], sharpe, check_names=False, rtol=1e-9)
    pd.testing.assert_series_equal(ours["sortino"], sortino, check_names=False, rtol=1e-9)


# ------------------------------------------------------------------------------------------ in the tear sheet
def test_tear_sheet_carries_beta_two_on_a_scaled_benchmark():
    rb = noise(1200, 21, 0.0002, 0.008)
    bench = closes(rb)
    index = closes(2 * rb)
    t = tearsheet(index, bench, years=2)
    full = t.windows[0]
    assert full.relative.beta == pytest.approx(2.0, rel=1e-12)
    assert full.relative.alpha == pytest.approx(0.0, abs=1e-12)
    assert full.index.distribution.var == pytest.approx(historical_var(pd.Series(2 * rb)), rel=1e-9)
    assert t.windows[1].relative.n_days == len(simple_returns(index[index.index >= pd.Timestamp(t.windows[1].index.start)]))
    facts = t.to_dict()
    assert facts["windows"][0]["relative"]["beta"] == pytest.approx(2.0)
    assert facts["windows"][0]["index"]["distribution"]["var_level"] == 0.95
    assert facts["rolling_6m"] and set(facts["rolling_6m"][-1]) == {"date", "sharpe", "sortino"}
