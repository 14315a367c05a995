"""The robust-inference rules (r2k.analytics.robust) against references: a hand-written Bartlett long-run
variance and statsmodels' HAC regression, and an independent moving-block bootstrap on simulated AR(1) losses."""

from __future__ import annotations

import numpy as np
import pytest
from fc_support import ar1
from scipy import stats

from r2k.analytics.robust import (BLOCK, block_bootstrap, block_length, hac_lags, hac_mean_test, newey_west_lags,
                                  overlap_lags, p_text, skill_ratio, spearman)


def _bartlett_lrv(x: np.ndarray, lags: int) -> float:
    d = x - x.mean()
    n = d.size
    v = d @ d / n
    for k in range(1, lags + 1):
        v += 2 * (1 - k / (lags + 1)) * (d[k:] @ d[:-k]) / n
    return float(v)


def test_bandwidth_rules() -> None:
    assert overlap_lags(20, 5) == 3 and overlap_lags(5, 5) == 0 and overlap_lags(260, 5) == 51
    assert newey_west_lags(100) == 4 and newey_west_lags(1000) == 6
    assert hac_lags(500, 5, 5) == 13  # weekly origins, one week ahead: the quarter floor, not 0
    assert hac_lags(500, 260, 5) == 51  # the overlap wins at 52 weeks
    assert hac_lags(2500, 20, 1) == 65  # daily origins: 13 weeks of them
    assert hac_lags(10, 5, 5) == 9  # never more than n - 1
    assert block_length(5, 5) == BLOCK and block_length(260, 5) == 52 and block_length(5, 1) == 130


def test_hac_mean_test_matches_hand_bartlett_and_statsmodels() -> None:
    import statsmodels.api as sm

    x = ar1(600, 0.5, 1) * 0.01 + 0.002
    res = hac_mean_test(x, 13)
    se = np.sqrt(_bartlett_lrv(x, 13) / x.size)
    assert res.se == pytest.approx(se, rel=1e-10)
    fit = sm.OLS(x, np.ones(x.size)).fit(cov_type="HAC", cov_kwds={"maxlags": 13, "use_correction": False})
    assert res.se == pytest.approx(float(fit.bse[0]), rel=1e-10)
    t = x.mean() / se
    assert res.statistic == pytest.approx(t) and res.p_value == pytest.approx(2 * stats.t.sf(abs(t), x.size - 1))
    assert res.ci_low < x.mean() < res.ci_high


def test_hac_mean_test_edge_cases() -> None:
    assert hac_mean_test(np.zeros(50), 13).p_value == 1.0
    assert np.isnan(hac_mean_test(np.array([1.0, 2.0]), 1).p_value)
    assert hac_mean_test(np.array([1.0, np.nan, 2.0, 3.0, 4.0]), 1).n == 4


def test_hac_test_holds_its_size_on_dependent_data() -> None:
    """AR(0.6) with mean 0: the naive t-test rejects far too often, the HAC test near its 5%."""
    naive = hac_ = 0
    for seed in range(300):
        x = ar1(400, 0.6, seed)
        naive += stats.ttest_1samp(x, 0.0).pvalue < 0.05
        hac_ += hac_mean_test(x, hac_lags(400, 1, 5)).p_value < 0.05
    assert naive / 300 > 0.20
    assert hac_ / 300 < 0.10


def _moving_block_se(x: np.ndarray, y: np.ndarray, block: int, reps: int, seed: int) -> float:
    """An independent reference: the moving-block bootstrap standard error of the skill ratio."""
    rng = np.random.default_rng(seed)
    n = x.size
    k = int(np.ceil(n / block))
    out = []
    for _ in range(reps):
        starts = rng.integers(0, n - block + 1, size=k)
        idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:n]
        out.append(1 - x[idx].mean() / y[idx].mean())
    return float(np.std(out))


def test_block_bootstrap_skill_interval_agrees_with_an_independent_bootstrap() -> None:
    base = np.exp(ar1(800, 0.7, 3) * 0.3)
    model = base * (0.97 + 0.05 * np.exp(ar1(800, 0.5, 4) * 0.2) - 0.05)
    res = block_bootstrap(skill_ratio, model, base, block=26, reps=1500, seed=7)
    assert res.estimate == pytest.approx(skill_ratio(model, base))
    width = (res.ci_high - res.ci_low) / (2 * 1.96)
    ref = _moving_block_se(model, base, 26, 1500, 11)
    assert width == pytest.approx(ref, rel=0.25)
    assert res.ci_low < res.estimate < res.ci_high
    again = block_bootstrap(skill_ratio, model, base, block=26, reps=1500, seed=7)
    assert again == res  # seeded: the same interval every time


def test_block_bootstrap_interval_is_wider_than_iid_under_dependence() -> None:
    x = ar1(600, 0.8, 5)
    dep = block_bootstrap(np.mean, x, block=26, reps=1000, seed=1)
    iid = block_bootstrap(np.mean, x, block=1, reps=1000, seed=1)
    assert (dep.ci_high - dep.ci_low) > 2 * (iid.ci_high - iid.ci_low)


def test_block_bootstrap_p_value_and_null() -> None:
    rng = np.random.default_rng(0)
    shifted = rng.standard_normal(500) + 1.0
    res = block_bootstrap(np.mean, shifted, block=10, reps=500, seed=2)
    assert res.excludes_null and res.p_value == pytest.approx(1 / 501)
    centred = block_bootstrap(np.mean, shifted - shifted.mean(), block=10, reps=500, seed=2)
    assert not centred.excludes_null and centred.p_value > 0.9
    with pytest.raises(ValueError):
        block_bootstrap(skill_ratio, np.ones(5), np.ones(6))
    assert np.isnan(block_bootstrap(np.mean, np.ones(2)).ci_low)


def test_spearman_and_p_text() -> None:
    assert spearman(np.arange(10.0), np.arange(10.0) ** 3) == pytest.approx(1.0)
    assert np.isnan(spearman(np.ones(5), np.arange(5.0)))
    rng = np.random.default_rng(1)
    x, y = np.round(rng.normal(size=300), 1), np.round(rng.normal(size=300), 1)  # many ties
    assert spearman(x, x + y) == pytest.approx(stats.spearmanr(x, x + y).statistic, abs=1e-12)
    assert p_text(0.0) == "p < 0.001" and p_text(0.0421) == "p = 0.0421" and p_text(float("nan")) == "p not computable"
