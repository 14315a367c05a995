"""The daily predictor matrix of the feature-using forecast models, built from the input frame.

Every column at row t is a function of input rows up to and including t only (trailing windows,
running maxima, cumulative sums computed forwards), so the matrix cut at an origin equals the matrix
of the inputs cut at that origin: a model can build it inside the walk-forward without look-ahead.

Columns (log returns of the index ``close`` unless said otherwise):

* ``ret_5`` .. ``ret_250``: index log return over 5/20/60/250 trading days;
* ``rv_5``, ``rv_22``, ``rv_66``: log of the annualised realised volatility (root mean squared daily
  log return x sqrt(252)) over 5/22/66 days;
* ``log_vix`` (and ``log_rvx`` when the input has RVX): log of the implied-volatility index (percent);
* ``vrp``: VIX/100 minus the annualised 22-day realised volatility (the variance risk premium, in vol units);
* ``drawdown``: log(close / running maximum close), <= 0;
* ``ma200_gap``: log(close / 200-day simple moving average);
* ``channel``: log close minus a trailing 250-day least-squares line through log close, in units of
  that fit's residual standard deviation (a cheap, causal channel position);
* ``rel_gspc_60``: 60-day change of log(close / GSPC) (relative strength against the S&P 500);
* ``breadth_50``: share of sector ETFs above their own 50-day average (NaN when fewer than
  ``MIN_SECTORS`` sectors have one);
* every ``z:<factor>`` macro z-score, unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.features.inputs import SECTOR_SERIES, Z_PREFIX

RETURN_WINDOWS: tuple[int, ...] = (5, 20, 60, 250)
VOL_WINDOWS: tuple[int, ...] = (5, 22, 66)
CHANNEL_WINDOW = 250
MA_WINDOW = 200
BREADTH_WINDOW = 50
MIN_SECTORS = 5
ANNUAL = 252.0


def _linear_channel(logp: pd.Series, n: int) -> pd.Series:
    """(y_t - fitted_t) / residual s.d. of the least-squares line through the last ``n`` values of y.

    Closed form from trailing means of t, y, t*y and y^2 (t = the row number, consecutive inside a
    window, so var(t) = (n^2 - 1) / 12), O(len) instead of one regression per day.
    """
    y = logp.to_numpy(dtype=float)
    t = np.arange(len(y), dtype=float)
    frame = pd.DataFrame({"y": y, "ty": t * y, "yy": y * y}, index=logp.index)
    m = frame.rolling(n, min_periods=n).mean()
    t_bar = t - (n - 1) / 2.0
    var_t = (n * n - 1) / 12.0
    cov = m["ty"].to_numpy() - t_bar * m["y"].to_numpy()
    slope = cov / var_t
    var_y = m["yy"].to_numpy() - m["y"].to_numpy() ** 2
    resid_var = np.maximum(var_y - slope * slope * var_t, 0.0) * n / (n - 2)
    fitted = m["y"].to_numpy() + slope * (t - t_bar)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = (y - fitted) / np.sqrt(resid_var)
    spread = resid_var > 1e-8 * var_y  # below that the residuals are rounding noise of a perfect line
    return pd.Series(np.where(spread, pos, np.nan), index=logp.index)


def _breadth(inputs: pd.DataFrame) -> pd.Series:
    sectors = [c for c in SECTOR_SERIES if c in inputs.columns]
    if not sectors:
        return pd.Series(np.nan, index=inputs.index)
    px = inputs[sectors].astype(float)
    ma = px.rolling(BREADTH_WINDOW, min_periods=BREADTH_WINDOW).mean()
    valid = ma.notna() & px.notna()
    above = ((px > ma) & valid).sum(axis=1).astype(float)
    n = valid.sum(axis=1)
    return (above / n.where(n >= MIN_SECTORS)).astype(float)


def predictor_matrix(inputs: pd.DataFrame) -> pd.DataFrame:
    """The causal predictor matrix on the input frame's dates (see the module docstring for the columns)."""
    close = inputs["close"].astype(float)
    logp = np.log(close)
    r = logp.diff()
    out: dict[str, pd.Series] = {}
    for n in RETURN_WINDOWS:
        out[f"ret_{n}"] = logp - logp.shift(n)
    r2 = r * r
    rv22 = None
    for n in VOL_WINDOWS:
        vol = np.sqrt(r2.rolling(n, min_periods=n).mean() * ANNUAL)
        out[f"rv_{n}"] = np.log(vol.where(vol > 0))
        if n == 22:
            rv22 = vol
    for col, name in (("VIX", "log_vix"), ("RVX", "log_rvx")):
        if col in inputs.columns:
            v = inputs[col].astype(float)
            out[name] = np.log(v.where(v > 0))
    if "VIX" in inputs.columns and rv22 is not None:
        out["vrp"] = inputs["VIX"].astype(float) / 100.0 - rv22
    out["drawdown"] = logp - logp.cummax()
    out["ma200_gap"] = logp - np.log(close.rolling(MA_WINDOW, min_periods=MA_WINDOW).mean())
    out["channel"] = _linear_channel(logp, CHANNEL_WINDOW)
    if "GSPC" in inputs.columns:
        rel = logp - np.log(inputs["GSPC"].astype(float))
        out["rel_gspc_60"] = rel - rel.shift(60)
    out["breadth_50"] = _breadth(inputs)
    frame = pd.DataFrame(out, index=inputs.index)
    z = [c for c in inputs.columns if c.startswith(Z_PREFIX)]
    if z:
        frame = pd.concat([frame, inputs[z].astype(float)], axis=1)
    return frame.replace([np.inf, -np.inf], np.nan)


LABELS = {"ret_5": "1-week return", "ret_20": "1-month return", "ret_60": "3-month return", "ret_250": "1-year return",
          "rv_5": "1-week realised volatility", "rv_22": "1-month realised volatility", "rv_66": "3-month realised volatility",
          "log_vix": "VIX (log)", "log_rvx": "RVX (log)", "vrp": "VIX minus realised volatility", "drawdown": "drawdown from the high",
          "ma200_gap": "distance from the 200-day average", "channel": "position in the 1-year channel",
          "rel_gspc_60": "3-month strength vs the S&P 500", "breadth_50": "share of sectors above their 50-day average",
          "z:*": "macro z-scores (all)"}


def predictor_label(name: str) -> str:
    """Human name of a predictor (macro z-scores: the catalog's description of the factor)."""
    if name in LABELS:
        return LABELS[name]
    if name.startswith("z:"):
        from r2k.macro.catalog import CATALOG

        desc = {f.name: f.description for f in CATALOG}.get(name[2:], name[2:].replace("_", " "))
        return f"{desc} (z-score)"
    return name
