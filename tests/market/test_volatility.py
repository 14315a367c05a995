import numpy as np
import pandas as pd
import pytest
from market_support import bdays, series

from r2k.analytics.volatility import arch_lm, ewma_vol, fit_garch, realized_vol, volatility


def simulate_garch(n: int, omega: float, alpha: float, beta: float, nu: float, seed: int) -> pd.Series:
    """Daily returns (fractions) from a GARCH(1,1) with standardised Student-t shocks, in percent units /100."""
    rng = np.random.default_rng(seed)
    z = rng.standard_t(nu, n) / np.sqrt(nu / (nu - 2))
    var = omega / (1 - alpha - beta)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.sqrt(var) * z[i]
        var = omega + alpha * out[i] ** 2 + beta * var
    return pd.Series(out / 100.0, index=bdays(n, "1990-01-01"))


def test_ewma_of_constant_returns_is_that_return_annualised():
    r = pd.Series(np.full(300, 0.01), index=bdays(300))
    assert np.allclose(ewma_vol(r).to_numpy(), 0.01 * np.sqrt(252))


def test_ewma_recursion_with_lambda():
    r = pd.Series([0.02, 0.0, 0.0], index=bdays(3))
    var = ewma_vol(r, 0.9).to_numpy() ** 2 / 252
    assert var == pytest.approx([0.0004, 0.9 * 0.0004, 0.81 * 0.0004])


def test_realized_vol_of_alternating_returns():
    r = pd.Series(np.tile([0.01, -0.01], 50), index=bdays(100))
    rv = realized_vol(r, 20).iloc[-1]
    assert rv == pytest.approx(0.01 * np.sqrt(20 / 19) * np.sqrt(252))


def test_garch_recovers_simulated_parameters():
    r = simulate_garch(4000, omega=0.05, alpha=0.08, beta=0.90, nu=8.0, seed=3)
    fit = fit_garch(r, "garch", years=None)
    assert fit.converged
    assert fit.params["alpha[1]"] == pytest.approx(0.08, abs=0.03)
    assert fit.params["beta[1]"] == pytest.approx(0.90, abs=0.04)
    assert fit.persistence == pytest.approx(0.98, abs=0.02)
    assert fit.half_life_days == pytest.approx(np.log(0.5) / np.log(fit.persistence))
    assert fit.long_run_vol == pytest.approx(np.sqrt(fit.params["omega"] / (1 - fit.persistence) * 252) / 100)
    gjr = fit_garch(r, "gjr", years=None)
    assert abs(gjr.params["gamma[1]"]) < 0.05  # no leverage was simulated
    assert gjr.persistence == pytest.approx(gjr.params["alpha[1]"] + gjr.params["beta[1]"] + gjr.params["gamma[1]"] / 2)


def test_arch_lm_separates_clustering_from_iid():
    clustered = simulate_garch(3000, 0.05, 0.1, 0.85, 8.0, seed=5)
    iid = pd.Series(np.random.default_rng(7).normal(0, 0.01, 3000), index=bdays(3000))
    assert arch_lm(clustered).p_value < 1e-6
    assert arch_lm(iid).p_value > 0.01
    assert "ARCH-LM" in arch_lm(iid).verdict()


def test_volatility_result_and_regime_percentile():
    r = simulate_garch(2500, 0.05, 0.08, 0.9, 8.0, seed=11)
    close = series(100 * np.exp(np.cumsum(r.to_numpy())), "1995-01-02")
    v = volatility(close, symbol="SIM")
    rv20 = realized_vol(np.log(close).diff().dropna(), 20).dropna()
    assert v.regime_percentile == pytest.approx((rv20 <= rv20.iloc[-1]).mean())
    assert set(v.realized) == {"20d", "60d", "250d"}
    d = v.to_dict()
    assert d["garch"]["model"] == "GARCH(1,1)-t" and d["gjr"]["model"] == "GJR-GARCH(1,1)-t"
    assert d["arch_lm"]["p_value"] < 0.01


@pytest.mark.filterwarnings("ignore::r2k.errors.ConvergenceWarning")  # GARCH on 20 returns need not converge
def test_too_short_a_history_is_a_named_error_not_an_index_error():
    from r2k.errors import DataError

    close = series(100 * np.exp(np.cumsum(np.full(12, 0.001))), "1987-09-10", "RUT")
    with pytest.raises(DataError, match=r"RUT: volatility needs at least 21 closes .*; 12 on or before 1987-09-25"):
        volatility(close)
    assert set(volatility(series(100 * np.exp(np.cumsum(np.full(21, 0.001))), "1987-09-10")).realized) == {"20d"}
