"""The proper scoring rule every model is judged by, on the quantile contract of :mod:`r2k.models.base`.

It lives with the contract (not in validation) because combining and choosing models needs it too:
the ensemble learns its weights by CRPS, and members compare their inputs by it.
"""

from __future__ import annotations

import numpy as np

from r2k.models.base import LEVELS

# Quadrature weights for CRPS = 2 * integral_0^1 pinball_tau(y, Q(tau)) dtau: each level owns the cell
# [tau - 0.005, tau + 0.005]; the outer levels also own the tails [0, 0.005) and (0.995, 1].
CRPS_WEIGHTS = np.full(99, 0.01)
CRPS_WEIGHTS[[0, -1]] = 0.015


def pinball(y: np.ndarray, q: np.ndarray, tau: float | np.ndarray) -> np.ndarray:
    """Pinball (quantile) loss rho_tau(y - q) = (y - q) * (tau - 1[y < q]), elementwise."""
    u = np.asarray(y, dtype=float) - np.asarray(q, dtype=float)
    return u * (tau - (u < 0))


def crps_quantiles(y: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """CRPS per forecast from its 99 quantiles (quantile decomposition, weighted quadrature).

    Exact for a point mass (|y - x|); within ~0.3% of the closed form for a normal.
    """
    y = np.asarray(y, dtype=float)[:, None]
    return 2.0 * (pinball(y, quantiles, LEVELS) * CRPS_WEIGHTS).sum(axis=1)
