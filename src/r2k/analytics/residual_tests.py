"""Residual diagnostics of a channel fit: why ±2s is not a 95% band when residuals are autocorrelated."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import chi2

from r2k.analytics.testresult import TestResult


def durbin_watson(resid: np.ndarray) -> float:
    """Σ(e_t − e_{t−1})² / Σe_t² (statsmodels): about 2 for white noise, near 0 for persistent residuals (≈ 2(1 − ρ₁)).

    NaN for all-zero residuals (a perfect fit), where the ratio is 0/0."""
    from statsmodels.stats.stattools import durbin_watson as dw

    e = np.asarray(resid, dtype="float64")
    return float(dw(e)) if float(e @ e) > 0 else float("nan")


def lag1_autocorrelation(resid: np.ndarray) -> float:
    """ρ₁ = Σe_t·e_{t−1} / Σe_t² (residuals of an OLS fit with intercept have mean zero)."""
    e = np.asarray(resid, dtype="float64")
    denom = float(e @ e)
    return float(e[1:] @ e[:-1] / denom) if denom > 0 and len(e) > 1 else float("nan")


def effective_n(n: int, rho: float) -> float:
    """Observations worth of independent information under AR(1) residuals: n(1 − ρ)/(1 + ρ)."""
    r = 0.0 if math.isnan(rho) else min(max(rho, 0.0), 0.999999)
    return float(n * (1 - r) / (1 + r))


def breusch_pagan(resid: np.ndarray, x: np.ndarray) -> TestResult:
    """Breusch–Pagan (Koenker's studentised LM form, statsmodels' ``het_breuschpagan(robust=True)``): regress e² on
    [1, X]; LM = n·R² ~ χ²(1).

    Koenker's form does not assume normal residuals, which daily log prices are not. A constant X or constant e²
    (nothing to explain) gives LM = 0, p = 1.
    """
    from statsmodels.stats.diagnostic import het_breuschpagan

    e = np.asarray(resid, dtype="float64")
    xv = np.asarray(x, dtype="float64")
    n = len(e)
    if np.ptp(xv) > 0 and np.ptp(e**2) > 0:
        lm = float(het_breuschpagan(e, np.column_stack([np.ones(n), xv]), robust=True)[0])
    else:
        lm = 0.0
    r2 = lm / n if n else 0.0
    return TestResult(
        name="Breusch-Pagan (Koenker)",
        statistic=lm,
        p_value=float(chi2.sf(lm, 1)),
        null="the residual variance is constant across the window (homoskedastic)",
        alternative="the residual variance changes linearly with time X (heteroskedastic)",
        df=1.0,
        n=n,
        details={"auxiliary_r2": r2, "regressors": "1, X (calendar days from the origin)"},
    )
