"""A synthetic input frame whose volatility is a known function of its VIX column."""

from __future__ import annotations

import numpy as np
import pandas as pd
from fc_support import dates


def vol_driven_inputs(n: int = 1500, seed: int = 11, vol_of_vol: float = 0.06) -> tuple[pd.DataFrame, np.ndarray]:
    """Input frame (close, GSPC, VIX, 6 sectors, two z-scores) and the true daily sigma of each day's return.

    log VIX follows a persistent AR(1); the return from day t-1 to t has sigma VIX[t-1] / 100 / sqrt(252),
    so the VIX known at an origin is exactly what drives the coming volatility.
    """
    rng = np.random.default_rng(seed)
    idx = dates(n)
    lv = np.empty(n)
    lv[0] = np.log(18.0)
    for t in range(1, n):
        lv[t] = np.log(18.0) + 0.985 * (lv[t - 1] - np.log(18.0)) + vol_of_vol * rng.standard_normal()
    vix = np.exp(lv)
    sigma = np.concatenate([[np.nan], vix[:-1] / 100 / np.sqrt(252)])
    r = np.concatenate([[0.0], 0.0002 + sigma[1:] * rng.standard_normal(n - 1)])
    close = 100 * np.exp(np.cumsum(r))
    frame = {"close": close, "GSPC": close * np.exp(0.3 * rng.standard_normal(n).cumsum() * 0.005), "VIX": vix}
    for k, sid in enumerate(("XLB", "XLE", "XLF", "XLI", "XLK", "XLU")):
        frame[sid] = 50 * np.exp(np.cumsum(0.01 * rng.standard_normal(n)))
    out = pd.DataFrame(frame, index=idx)
    out["z:claims_4w"] = rng.standard_normal(n).cumsum() / 30
    out["z:hy_oas"] = np.tanh(lv - np.log(18.0)) + 0.1 * rng.standard_normal(n)
    return out, sigma


def rewrite_after(frame: pd.DataFrame, cut: pd.Timestamp, seed: int) -> pd.DataFrame:
    """A copy of ``frame`` with every value after ``cut`` replaced by positive garbage."""
    garbage = frame.copy()
    after = garbage.index > cut
    rng = np.random.default_rng(seed)
    for c in garbage.columns:
        garbage.loc[after, c] = rng.uniform(1, 1e4, after.sum())
    return garbage
