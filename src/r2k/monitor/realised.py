"""Realised scores of logged forecasts (pure): once a target date has a close, each forecast gets its
outcome y = log(close at target / close at origin as logged) and its CRPS, PIT, interval hits and direction.

The same scoring applies to a walk-forward backtest frame (:func:`score_frame`), so the live record and
the backtest's are measured identically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.models.base import QUANTILE_COLUMNS
from r2k.store.forecast_log import KEY, SCORE_VALUES
from r2k.validation import metrics as M

# interval edges (quantile indices into q01..q99): 80% = q10..q90, 90% = q05..q95
Q10, Q90, Q05, Q95 = 9, 89, 4, 94


def score_arrays(y: np.ndarray, quantiles: np.ndarray, p_up: np.ndarray) -> pd.DataFrame:
    """CRPS, PIT, 80%/90% interval hits and direction hit (P(up) > 0.5 matches y > 0) per forecast."""
    y = np.asarray(y, dtype=float)
    q = np.asarray(quantiles, dtype=float).reshape(len(y), 99)
    p = np.asarray(p_up, dtype=float)
    return pd.DataFrame({"y": y, "crps": M.crps_quantiles(y, q) if len(y) else np.empty(0),
                         "pit": M.pit(y, q) if len(y) else np.empty(0),
                         "hit80": M.coverage(y, q[:, Q10], q[:, Q90]).astype(bool),
                         "hit90": M.coverage(y, q[:, Q05], q[:, Q95]).astype(bool),
                         "direction_hit": (p > 0.5) == (y > 0)})


def realised_outcomes(log: pd.DataFrame, closes: pd.Series) -> pd.Series:
    """y per log row, NaN while its target has no close yet.

    The close on the target date is used; if the data has no row on that date although it runs past it
    (a holiday the forecast calendar did not know), the h-th stored close after the origin is used.
    """
    closes = closes.dropna()
    idx = pd.DatetimeIndex(closes.index).astype("datetime64[us]")
    values = closes.to_numpy(dtype=float)
    out = np.full(len(log), np.nan)
    if not len(idx):
        return pd.Series(out, index=log.index)
    last = idx[-1]
    for i, (origin, target, h, base) in enumerate(zip(log["origin"], log["target"], log["horizon"], log["last_close"])):
        target = pd.Timestamp(target)
        if target > last:
            continue
        pos = idx.searchsorted(target)
        if pos < len(idx) and idx[pos] == target:
            out[i] = np.log(values[pos] / base)
            continue
        start = idx.searchsorted(pd.Timestamp(origin), side="right") - 1
        if start >= 0 and start + int(h) < len(idx):
            out[i] = np.log(values[start + int(h)] / base)
    return pd.Series(out, index=log.index)


def score_log(log: pd.DataFrame, closes: pd.Series) -> pd.DataFrame:
    """Score rows (KEY + SCORE_VALUES) for every logged forecast whose target has been realised in ``closes``."""
    if log.empty:
        return pd.DataFrame(columns=[*KEY, *SCORE_VALUES])
    y = realised_outcomes(log, closes)
    done = log.loc[y.notna()]
    if done.empty:
        return pd.DataFrame(columns=[*KEY, *SCORE_VALUES])
    q = np.vstack([np.asarray(v, dtype=float) for v in done["quantiles"]])
    scores = score_arrays(y[y.notna()].to_numpy(), q, done["p_up"].to_numpy())
    return pd.concat([done.loc[:, list(KEY)].reset_index(drop=True), scores], axis=1)


def score_backtest_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The walk-forward engine's long frame scored like the log (rows with a known ``y`` only)."""
    done = frame.loc[frame["y"].notna()].reset_index(drop=True)
    scores = score_arrays(done["y"].to_numpy(), done.loc[:, list(QUANTILE_COLUMNS)].to_numpy(), done["p_up"].to_numpy())
    return pd.concat([done.loc[:, ["origin", "target", "horizon", "model"]], scores.drop(columns="y"), done[["y"]]], axis=1)
