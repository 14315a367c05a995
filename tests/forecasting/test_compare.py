"""The comparison rules against references: Diebold–Mariano against statsmodels' HAC and a hand Bartlett sum, the
skill interval against the documented recipe (arch's stationary bootstrap, run by hand) and against an independent
stationary bootstrap written here, on simulated autocorrelated losses; and the rules of one verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fc_support import ar1
from scipy import stats

from r2k.analytics.robust import block_length, hac_lags
from r2k.validation.compare import BOOTSTRAP_SEED, Comparison, compare, diebold_mariano, model_confidence_set


def _losses(n: int, seed: int, edge: float = 0.03) -> tuple[np.ndarray, np.ndarray]:
    """CRPS-like positive losses with volatility clustering: a reference and a model about ``edge`` better."""
    base = np.exp(0.4 * ar1(n, 0.8, seed))
    model = base * (1 - edge + 0.05 * ar1(n, 0.5, seed + 1))
    return model, base


def test_dm_equals_statsmodels_hac_and_a_hand_bartlett_sum() -> None:
    import statsmodels.api as sm

    model, base = _losses(530, 1)
    d = model - base
    for horizon, step in ((5, 5), (20, 5), (260, 5), (20, 20)):
        lags = hac_lags(d.size, horizon, step)
        dm = diebold_mariano(model, base, horizon, step)
        fit = sm.OLS(d, np.ones(d.size)).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "kernel": "bartlett",
                                                                         "use_correction": False})
        t = d.mean() / float(fit.bse[0])
        assert dm.details["lags"] == lags and dm.statistic == pytest.approx(t, rel=1e-10)
        assert dm.p_value == pytest.approx(2 * stats.t.sf(abs(t), d.size - 1), rel=1e-10)
        e = d - d.mean()
        lrv = e @ e / d.size + 2 * sum((1 - k / (lags + 1)) * (e[k:] @ e[:-k]) / d.size for k in range(1, lags + 1))
        assert dm.statistic == pytest.approx(d.mean() / np.sqrt(lrv / d.size), rel=1e-10)
    assert hac_lags(530, 5, 5) == 13 and hac_lags(530, 260, 5) == 51  # a quarter of origins, or the overlap


def test_dm_holds_its_size_on_autocorrelated_loss_differences() -> None:
    """Equal expected losses, differences AR(0.6): one-week weekly origins have no overlap, so h - 1 lags is no lag at
    all and rejects far too often; the HAC bandwidth of at least 13 origins stays near its 5%."""
    rejected_hac = rejected_no_lag = 0
    for seed in range(200):
        d = ar1(500, 0.6, 100 + seed)
        rejected_hac += diebold_mariano(d, np.zeros(500), horizon=5, step=5).p_value < 0.05
        rejected_no_lag += stats.ttest_1samp(d, 0.0).pvalue < 0.05
    assert rejected_no_lag / 200 > 0.2 and rejected_hac / 200 < 0.10


def test_skill_interval_is_the_documented_recipe() -> None:
    """docs/forecasting.md: arch's StationaryBootstrap(block, loss, reference, seed=default_rng(0)), 2,000 replicates
    of 1 - mean(loss)/mean(reference) in order, numpy's default (linear) 2.5% and 97.5% quantiles."""
    from arch.bootstrap import StationaryBootstrap

    model, base = _losses(530, 2)
    c = compare(model, base, horizon=20, step=5, model="m", reference="r")
    bs = StationaryBootstrap(26, model, base, seed=np.random.default_rng(BOOTSTRAP_SEED))
    draws = np.array([1 - a.mean() / b.mean() for (a, b), _ in bs.bootstrap(2000)])
    lo, hi = np.quantile(draws, [0.025, 0.975])
    assert (c.low, c.high) == (lo, hi) and c.block == 26 == block_length(20, 5) and c.reps == 2000
    assert c.skill == pytest.approx(1 - model.mean() / base.mean(), rel=1e-12)


def _stationary_indices(n: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """Politis–Romano by hand: start anywhere, continue (wrapping) with probability 1 - 1/block, else jump."""
    idx = np.empty(n, dtype=int)
    idx[0] = rng.integers(n)
    jump, fresh = rng.random(n) < 1 / block, rng.integers(n, size=n)
    for t in range(1, n):
        idx[t] = fresh[t] if jump[t] else (idx[t - 1] + 1) % n
    return idx


def test_skill_interval_agrees_with_an_independent_stationary_bootstrap() -> None:
    model, base = _losses(530, 3)
    c = compare(model, base, horizon=5, step=5, reps=3000)
    rng = np.random.default_rng(12345)
    draws = []
    for _ in range(3000):
        i = _stationary_indices(model.size, 26, rng)
        draws.append(1 - model[i].mean() / base[i].mean())
    lo, hi = np.quantile(draws, [0.025, 0.975])
    width = hi - lo
    assert c.low == pytest.approx(lo, abs=0.12 * width) and c.high == pytest.approx(hi, abs=0.12 * width)
    iid = np.quantile([1 - model[j].mean() / base[j].mean() for j in rng.integers(model.size, size=(3000, model.size))],
                      [0.025, 0.975])
    assert width > 1.5 * (iid[1] - iid[0])  # the dependence the blocks keep: an iid bootstrap is far too narrow


def test_comparison_outcomes_and_degenerate_losses() -> None:
    model, base = _losses(400, 4, edge=0.08)
    c = compare(model, base, horizon=5, step=5, model="m", reference="r")
    assert c.outcome == "better" and c.low > 0 and c.p_value < 0.05
    assert compare(base, model, horizon=5, step=5).outcome == "worse"
    same = compare(base, base, horizon=5, step=5)
    assert (same.skill, same.low, same.high, same.p_value, same.outcome) == (0.0, 0.0, 0.0, 1.0, "unclear")
    flat = compare(np.zeros(50), np.zeros(50), horizon=5, step=5)
    assert np.isnan(flat.skill) and flat.outcome == "unclear"
    assert Comparison("m", "r", 5, 9, 0.01, 0.002, 0.02, -1.5, 0.12, 8, 9, 100).outcome == "unsettled"
    assert compare(model[:2], base[:2], horizon=5, step=5).outcome == "unclear"


def test_mcs_uses_the_bootstrap_block() -> None:
    rng = np.random.default_rng(0)
    losses = pd.DataFrame({"good": rng.normal(1, 1, 400), "bad": rng.normal(1.5, 1, 400)})
    r = model_confidence_set(losses, block_size=block_length(20, 5), seed=1)
    assert r.block_size == 26 and r.excluded == ("bad",)
    assert model_confidence_set(losses.iloc[:12], block_size=26, seed=1).block_size == 12  # never longer than the data
