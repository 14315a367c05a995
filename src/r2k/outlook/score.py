"""The rating score: a documented function of one forecast distribution of the h-day return.

Three components, all from the distribution's 99 quantiles q01..q99 of the log return y (simple return
R = e^y − 1):

* ``sharpe``: risk-adjusted expected excess return, (E[R] − rf_h) / σ_h, where E[R] is the mean of the 99
  quantiles of R (the 1% tails left out), rf_h the risk-free return over the horizon (federal funds rate
  known at the origin) and σ_h = (R at q95 − R at q05) / 3.29 (a robust standard deviation);
* ``q05``: the 5% quantile of R (the downside tail, higher is better);
* ``p_loss10``: P(R < −10%), interpolated between the quantiles (higher is worse).

score = (z(sharpe) + z(q05) − z(p_loss10)) / 3, where each z standardises the component with the mean and
standard deviation of its own history on origins before the tuning cutoff (stored in the rating map).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.models.base import LEVELS, QUANTILE_COLUMNS

COMPONENTS: tuple[str, ...] = ("sharpe", "q05", "p_loss10")
SIGNS = {"sharpe": 1.0, "q05": 1.0, "p_loss10": -1.0}
LOSS = -0.10
Z95 = 2 * 1.6448536269514722


def components(quantiles: np.ndarray, rf_h: np.ndarray | float) -> pd.DataFrame:
    """The three components for each row of ``quantiles`` (n × 99 log-return quantiles)."""
    q = np.atleast_2d(np.asarray(quantiles, dtype=float))
    simple = np.expm1(q)
    sd = (simple[:, 94] - simple[:, 4]) / Z95
    er = simple.mean(axis=1)
    rf = np.broadcast_to(np.asarray(rf_h, dtype=float), er.shape)
    x = np.log1p(LOSS)
    ploss = np.array([np.interp(x, row, LEVELS, left=0.0, right=1.0) for row in q])
    return pd.DataFrame({"sharpe": (er - np.nan_to_num(rf)) / sd, "q05": simple[:, 4], "p_loss10": ploss,
                         "expected": er, "sd": sd})


def frame_quantiles(frame: pd.DataFrame) -> np.ndarray:
    return frame[list(QUANTILE_COLUMNS)].to_numpy(dtype=float)


def combine(parts: pd.DataFrame, standard: dict[str, dict[str, float]]) -> np.ndarray:
    """The score from components and the pre-cutoff means and standard deviations of each."""
    z = [SIGNS[c] * (parts[c].to_numpy() - standard[c]["mean"]) / standard[c]["sd"] for c in COMPONENTS]
    return np.mean(z, axis=0)
