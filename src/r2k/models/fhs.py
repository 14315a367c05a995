"""Filtered historical simulation: a forecast scale times the empirical shape of past standardised returns.

The volatility members differ only in how they measure scale (implied volatility, a HAR regression,
GARCH); the shape of the distribution (skew, fat tails, the ratio between realised and predicted scale) is
taken from history: z_s = (r_s - m) / scale_s over past h-day returns r_s, and the forecast is
m + scale_t * z, with m the historical mean h-day return (the centre every volatility member shares: a line in the
drawdown depth, the VIX level or the variance risk premium did not beat it on origins up to the tuning cutoff,
docs/outlook.md, "The choice of the centre").
"""

from __future__ import annotations

import numpy as np

from r2k.models.base import LEVELS, Distribution


def weighted_quantiles(x: np.ndarray, levels: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Quantiles of ``x`` at ``levels``; with ``weights``, of the weighted empirical distribution (mid-point rule)."""
    if weights is None:
        return np.quantile(x, levels)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], weights[order]
    cum = (np.cumsum(ws) - 0.5 * ws) / ws.sum()
    return np.interp(levels, cum, xs)


def decay_weights(n: int, half_life: float | None) -> np.ndarray | None:
    """Exponential weights over ``n`` samples in time order (the newest weighs 1), or None for equal weights."""
    if half_life is None:
        return None
    return 0.5 ** (np.arange(n)[::-1] / float(half_life))


def fhs_distribution(z: np.ndarray, centre: float, scale: float, weights: np.ndarray | None = None) -> Distribution:
    """m + scale * z: quantiles from the (weighted) standardised residuals, mean and P(up) consistent with them."""
    q = centre + scale * weighted_quantiles(z, LEVELS, weights)
    w = np.full(z.size, 1.0 / z.size) if weights is None else weights / weights.sum()
    draws = centre + scale * z
    return Distribution(float(w @ draws), q, float(min(1.0, w @ (draws > 0))))  # weights summing to 1 + 1e-16
