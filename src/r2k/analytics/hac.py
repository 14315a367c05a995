"""Newey–West (HAC) variances: the project's one implementation, delegated to statsmodels.

Overlapping h-day returns and h-step forecast errors are autocorrelated by construction; a long-run
variance with ``lags`` autocovariances (no small-sample correction) accounts for it. Event studies use
the regression form (Bartlett kernel), the forecast tests the long-run variance of a mean: Clark–West
with the Bartlett kernel, Diebold–Mariano with the rectangular (uniform) kernel of h − 1 lags, which
can come out negative (the DM test then falls back to Bartlett). statsmodels is imported on first use.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Kernel = Literal["bartlett", "uniform"]


def _ols_hac(y: np.ndarray, x: np.ndarray, lags: int, kernel: Kernel) -> tuple[np.ndarray, np.ndarray]:
    from statsmodels.regression.linear_model import OLS

    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    kwds = {"maxlags": max(0, min(int(lags), len(y) - 1)), "kernel": kernel, "use_correction": False}
    fit = OLS(y, x).fit(cov_type="HAC", cov_kwds=kwds)
    return np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params(), dtype=float)


def newey_west(y: np.ndarray, x: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients of y on the columns of x and their Newey–West (Bartlett, ``lags`` lags) standard errors."""
    beta, cov = _ols_hac(y, x, lags, "bartlett")
    return beta, np.sqrt(np.diag(cov))


def long_run_variance(x: np.ndarray, lags: int, kernel: Kernel = "bartlett") -> float:
    """Long-run variance of x, γ₀ + 2 Σ_k w_k γ_k (w_k = 1 − k/(L+1) for Bartlett, 1 for uniform), computed as
    n × the HAC variance of its mean."""
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return float(np.var(x)) if x.size else float("nan")
    _, cov = _ols_hac(x, np.ones((x.size, 1)), lags, kernel)
    return float(cov[0, 0] * x.size)
