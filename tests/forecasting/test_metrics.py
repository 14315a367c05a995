"""Known answers for the scores and tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from r2k.models import LEVELS, Distribution
from r2k.models.garch import GarchParams
from r2k.validation import metrics as M
from r2k.validation.compare import diebold_mariano, model_confidence_set


def normal_q(mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return np.asarray(mu)[:, None] + np.asarray(sigma)[:, None] * stats.norm.ppf(LEVELS)[None, :]


def test_crps_of_a_point_mass_is_the_absolute_error() -> None:
    y = np.array([0.3, -1.2, 0.0, 2.0])
    x = np.array([0.1, 0.5, 0.0, -1.0])
    np.testing.assert_allclose(M.crps_quantiles(y, np.repeat(x[:, None], 99, axis=1)), np.abs(y - x), rtol=1e-12)
    assert M.crps_samples(0.3, np.full(10, 0.1)) == pytest.approx(0.2)


def test_crps_from_quantiles_and_samples_match_the_normal_closed_form() -> None:
    y = np.array([-3.0, -1.0, 0.0, 0.4, 2.5])
    mu, sigma = np.array([0.0, 0.5, -0.2, 0.0, 1.0]), np.array([1.0, 2.0, 0.5, 0.1, 1.5])
    exact = M.crps_normal(y, mu, sigma)
    np.testing.assert_allclose(M.crps_quantiles(y, normal_q(mu, sigma)), exact, rtol=3e-3)
    draws = np.random.default_rng(0).normal(size=200_000)
    assert M.crps_samples(0.4, draws) == pytest.approx(M.crps_normal(0.4, 0.0, 1.0), rel=0.01)
    assert M.crps_normal(0.0, 0.0, 1.0) == pytest.approx((np.sqrt(2) - 1) / np.sqrt(np.pi))


def test_pinball_known_values() -> None:
    assert M.pinball(1.0, 0.0, 0.9) == pytest.approx(0.9)
    assert M.pinball(-1.0, 0.0, 0.9) == pytest.approx(0.1)
    assert M.pinball(2.0, 2.0, 0.3) == 0.0


def test_kupiec_on_a_known_hit_sequence() -> None:
    v = np.zeros(100, dtype=int)
    v[::10] = 1  # 10 misses in 100 at a nominal 5%
    r = M.kupiec(v, 0.05)
    by_hand = -2 * (90 * np.log(0.95) + 10 * np.log(0.05) - 90 * np.log(0.9) - 10 * np.log(0.1))
    assert r.statistic == pytest.approx(by_hand) and r.statistic == pytest.approx(4.1308, abs=1e-4)
    assert r.p_value == pytest.approx(stats.chi2.sf(by_hand, 1)) and r.rejected
    exact = np.zeros(100, dtype=int)
    exact[:5] = 1
    assert M.kupiec(exact, 0.05).p_value == pytest.approx(1.0)


def test_christoffersen_flags_clustered_misses() -> None:
    spread = np.zeros(200, dtype=int)
    spread[::10] = 1
    clustered = np.zeros(200, dtype=int)
    clustered[50:70] = 1  # same 10% miss rate, all in one run
    assert M.kupiec(clustered, 0.1).p_value == pytest.approx(1.0)
    assert M.christoffersen(clustered, 0.1).p_value < 1e-6
    assert M.christoffersen(spread, 0.1).p_value > 0.1


def test_pit_of_correct_normal_forecasts_is_uniform_and_berkowitz_accepts() -> None:
    rng = np.random.default_rng(42)
    mu, sigma = rng.normal(0, 0.01, 800), rng.uniform(0.01, 0.05, 800)
    y = rng.normal(mu, sigma)
    u = M.pit(y, normal_q(mu, sigma))
    np.testing.assert_allclose(u, stats.norm.cdf(y, mu, sigma), atol=2e-3)
    assert stats.kstest(u, "uniform").pvalue > 0.05
    assert M.berkowitz(u).p_value > 0.05
    too_narrow = M.pit(y, normal_q(mu, sigma / 2))
    assert M.berkowitz(too_narrow).p_value < 1e-6


def test_log_score_matches_the_normal_density() -> None:
    y, mu, sigma = np.array([-0.02, 0.0, 0.03]), np.zeros(3), np.full(3, 0.02)
    np.testing.assert_allclose(M.log_score(y, normal_q(mu, sigma)), -stats.norm.logpdf(y, mu, sigma), atol=0.01)


def test_auc_brier_and_oos_r2() -> None:
    up = np.array([1, 1, 0, 0, 1], dtype=bool)
    assert M.auc(np.array([0.9, 0.8, 0.1, 0.2, 0.7]), up) == 1.0
    assert M.auc(np.full(5, 0.5), up) == 0.5
    assert np.isnan(M.auc(np.full(3, 0.5), np.ones(3, dtype=bool)))
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    p, u = np.round(rng.random(500), 2), rng.random(500) > 0.4  # rounded: many ties
    assert M.auc(p, u) == pytest.approx(roc_auc_score(u, p), abs=1e-12)
    assert M.brier(np.array([1.0, 0.0]), np.array([1, 1])) == 0.5
    y = np.random.default_rng(1).normal(size=50)
    prevailing = np.full(50, 0.1)
    assert M.oos_r2(y, prevailing, prevailing) == 0.0
    assert M.oos_r2(y, y, prevailing) == 1.0
    cw = M.clark_west(y, prevailing, prevailing)
    assert cw.statistic == 0.0 and cw.p_value == 1.0


def test_clark_west_detects_a_useful_mean() -> None:
    rng = np.random.default_rng(3)
    signal = rng.normal(0, 1, 500)
    y = 0.5 * signal + rng.normal(0, 1, 500)
    assert M.clark_west(y, 0.5 * signal, np.zeros(500), lags=2).p_value < 1e-4


def test_diebold_mariano_identical_and_different_losses() -> None:
    loss = np.random.default_rng(0).uniform(size=100)
    same = diebold_mariano(loss, loss, horizon=20, step=5)
    assert same.statistic == 0.0 and same.p_value == 1.0
    better = diebold_mariano(loss * 0.5, loss, horizon=20, step=5, names=("a", "b"))
    assert better.statistic < 0 and better.p_value < 1e-6 and better.details["better"] == "a"
    assert better.details["lags"] == 13 and better.details["kernel"] == "bartlett"
    assert np.isnan(diebold_mariano(loss[:2], loss[:2] + 1).p_value)


def test_mcs_drops_a_clearly_worse_model() -> None:
    rng = np.random.default_rng(0)
    losses = pd.DataFrame({"good": rng.normal(1, 1, 400), "bad": rng.normal(1.5, 1, 400), "also": rng.normal(1, 1, 400)})
    r = model_confidence_set(losses, seed=1)
    assert r.excluded == ("bad",) and set(r.included) == {"good", "also"}
    assert r == model_confidence_set(losses, seed=1)


def test_distribution_from_normal_and_samples() -> None:
    d = Distribution.from_normal(0.01, 0.02)
    assert d.quantile(0.5) == pytest.approx(0.01) and d.p_up == pytest.approx(stats.norm.cdf(0.5))
    s = Distribution.from_samples(np.arange(-49, 52, dtype=float))
    assert s.mean == pytest.approx(1.0) and s.p_up == pytest.approx(51 / 101)
    with pytest.raises(ValueError):
        d.quantile(0.125)


def test_skew_t_innovations_are_standardised_and_match_arch() -> None:
    from arch.univariate import SkewStudent

    p = GarchParams(0, 0, 0, 0, 0, nu=6.0, lam=-0.25)
    z = p.innovations(np.random.default_rng(5), (100_000,))
    assert abs(z.mean()) < 0.01 and abs(z.var() - 1) < 0.03
    assert stats.kstest(z, lambda x: SkewStudent().cdf(x, np.array([6.0, -0.25]))).pvalue > 0.01


def test_central_intervals_use_the_right_levels() -> None:
    from r2k.validation.scoring import _interval

    q = np.tile(LEVELS, (3, 1))
    for level, (lo, hi) in {0.5: (0.25, 0.75), 0.8: (0.1, 0.9), 0.9: (0.05, 0.95), 0.95: (0.025, 0.975)}.items():
        a, b = _interval(q, level)
        np.testing.assert_allclose([a[0], b[0]], [lo, hi], atol=1e-12)


def test_verdict_names_losers_and_unsettled_comparisons_even_when_nothing_wins() -> None:
    from r2k.validation.compare import Comparison
    from r2k.validation.scoring import Verdict

    def c(model: str, h: int, skill: float, low: float, high: float, p: float) -> Comparison:
        return Comparison(model, "climatology", h, 12, skill, low, high, 0.0, p, 11, 12, 2000)

    v = Verdict("climatology", (c("random_walk", 5, -0.03, -0.05, -0.01, 0.0004), c("garch", 5, 0.01, -0.01, 0.03, 0.2),
                                c("garch", 20, 0.004, 0.001, 0.01, 0.6)))
    assert [x.outcome for x in v.comparisons] == ["worse", "unclear", "unsettled"]
    assert v.text() == ("No model is shown better than climatology on CRPS (Diebold–Mariano p < 0.05 and the 95% interval "
                        "of skill above 0); the best is garch at h=5 (skill +1.0%, 95% interval -1.0% to +3.0%, p = 0.2, "
                        "n = 12). Worse than climatology: random_walk at h=5 (skill -3.0%, 95% interval -5.0% to -1.0%, "
                        "p < 0.001, n = 12). Not settled (the test and the interval disagree): garch at h=20 (skill +0.4%, "
                        "95% interval +0.1% to +1.0%, p = 0.6, n = 12).")
    assert [x.model for x in v.better] == [] and v.best is not None and v.best.horizon == 5


def test_verdict_of_an_empty_score_table_says_nothing_was_scored() -> None:
    from r2k.validation.scoring import score_backtest

    frame = pd.DataFrame({"origin": pd.to_datetime(["2020-01-02"] * 2), "horizon": 5, "model": ["climatology", "garch"],
                          "y": np.nan})
    text = score_backtest(frame, step=5).verdict.text()
    assert text.startswith("Nothing was scored") and "Only climatology" not in text
