"""Library replacements give the numbers of the hand-written code they replaced.

The expected values below were printed by the hand-written implementations (before this change) on the same
fixed example: Durbin-Watson and Breusch-Pagan (now statsmodels), Newey-West regression errors and long-run
variances (now statsmodels' HAC), AUC and Brier (now scikit-learn), and the tests built on them.
"""

from __future__ import annotations

import numpy as np
import pytest

from r2k.analytics.events import _hac
from r2k.analytics.hac import long_run_variance, newey_west
from r2k.analytics.residual_tests import breusch_pagan, durbin_watson
from r2k.models.base import LEVELS
from r2k.validation.metrics import auc, brier, clark_west, hac_variance, pinball

REL = 1e-12


@pytest.fixture(scope="module")
def ex() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    n = 200
    x = np.arange(n, dtype=float)
    e = np.cumsum(rng.normal(size=n)) * 0.1 + rng.normal(size=n) * (1 + x / n)
    rng.normal(size=n)  # keeps the stream of the script that recorded the old values
    X = np.column_stack([np.ones(n), (np.arange(n) % 7 == 0).astype(float)])
    y = 0.2 * X[:, 1] + np.convolve(rng.normal(size=n + 4), np.ones(5) / 5, mode="valid")
    p = rng.uniform(size=60)
    u = rng.uniform(size=60) < p
    p[:10] = 0.5  # ties
    yy = rng.normal(size=80)
    m = yy * 0.3 + rng.normal(size=80)
    la, lb = rng.gamma(2, size=100), rng.gamma(2.1, size=100)
    z = np.tile([1.0, -1.0], 30) + rng.normal(size=60) * 0.01
    return {"x": x, "e": e, "X": X, "y": y, "p": p, "u": u, "yy": yy, "m": m, "la": la, "lb": lb, "z": z}


def test_durbin_watson_and_breusch_pagan(ex: dict) -> None:
    assert durbin_watson(ex["e"]) == pytest.approx(0.5732634246720206, rel=REL)
    bp = breusch_pagan(ex["e"], ex["x"])
    assert bp.statistic == pytest.approx(38.55925799571427, rel=REL)
    assert bp.p_value == pytest.approx(5.31162132660212e-10, rel=1e-9)
    assert bp.details["auxiliary_r2"] == pytest.approx(38.55925799571427 / 200, rel=REL)
    assert np.isnan(durbin_watson(np.zeros(5)))
    flat = breusch_pagan(np.ones(6), np.arange(6.0))  # constant e^2: nothing to explain
    assert flat.statistic == 0.0 and flat.p_value == 1.0


@pytest.mark.parametrize("lags, se", [(0, [0.03929043341435158, 0.08889296334333371]),
                                      (1, [0.0515618919624213, 0.08433636735968496]),
                                      (5, [0.0724020266837844, 0.06511155922436243]),
                                      (20, [0.07830889111479439, 0.050677895801333174])])
def test_newey_west_regression(ex: dict, lags: int, se: list[float]) -> None:
    beta, got = newey_west(ex["y"], ex["X"], lags)
    assert beta == pytest.approx([-0.011691530581797897, 0.17675337240180586], rel=1e-10)
    assert got == pytest.approx(se, rel=REL)


def test_event_study_hac_test(ex: dict) -> None:
    r = _hac(ex["y"], ex["X"][:, 1].astype(bool), 5)
    assert r.statistic == pytest.approx(2.714623555438848, rel=REL)
    assert r.p_value == pytest.approx(0.006635114451152825, rel=1e-10)


@pytest.mark.parametrize("lags, v", [(0, 0.2563117522623319), (1, 0.46492897645566356), (3, 0.7859648171406038),
                                     (10, 1.1686896695698963)])
def test_long_run_variance(ex: dict, lags: int, v: float) -> None:
    assert hac_variance(ex["y"], lags) == pytest.approx(v, rel=REL)


def test_uniform_kernel_is_the_rectangular_sum() -> None:
    z = np.tile([1.0, -1.0], 30) + np.linspace(0, 0.01, 60)
    e = z - z.mean()
    by_hand = float(e @ e / 60) + 2 * sum(float(e[k:] @ e[:-k] / 60) for k in range(1, 4))
    assert by_hand < 0  # the case where DM falls back to Bartlett
    assert long_run_variance(z, 3, kernel="uniform") == pytest.approx(by_hand, rel=REL)


def test_auc_brier_and_one_class(ex: dict) -> None:
    assert auc(ex["p"], ex["u"]) == pytest.approx(0.8630751964085297, rel=REL)
    assert brier(ex["p"], ex["u"]) == pytest.approx(0.1639159907251501, rel=REL)
    assert np.isnan(auc(ex["p"], np.ones(60, bool))) and np.isnan(auc(ex["p"], np.zeros(60, bool)))
    assert brier(ex["p"], np.ones(60, bool)) == pytest.approx(0.38987461781500676, rel=REL)
    gap = ex["p"].copy()
    gap[3] = np.nan  # a missing P(up) (a constant series): NaN, as the hand-written code gave
    assert np.isnan(auc(gap, ex["u"])) and np.isnan(brier(gap, ex["u"]))


def test_tests_built_on_hac(ex: dict) -> None:
    cw = clark_west(ex["yy"], ex["m"], np.full(80, 0.05), lags=3)
    assert (cw.statistic, cw.p_value) == pytest.approx((3.8223673412019465, 6.608829490785396e-05), rel=1e-10)
    # the Diebold-Mariano test is no longer the rectangular-kernel HLN test these values came from: it is pinned
    # against statsmodels in tests/forecasting/test_compare.py


def test_pinball_mean_equals_scikit_learn() -> None:
    """pinball stays hand-written (elementwise, broadcast over 99 levels inside CRPS); its mean is sklearn's."""
    from sklearn.metrics import mean_pinball_loss

    rng = np.random.default_rng(1)
    y, q = rng.normal(size=50), rng.normal(size=50)
    for tau in (0.01, 0.3, 0.5, 0.99, float(LEVELS[41])):
        assert float(np.mean(pinball(y, q, tau))) == pytest.approx(mean_pinball_loss(y, q, alpha=tau), rel=REL)
