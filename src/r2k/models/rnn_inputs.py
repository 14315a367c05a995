"""The daily input rows of the recurrent member, all causal (row t uses closes and inputs up to t).

Columns: the index's daily log return, the log of its 5- and 22-day realised volatility, its drawdown
from the 252-day high (log), the S&P 500's daily log return, log VIX (when the frame has it) and a few
macro z-scores (a missing z-score reads 0, its long-run mean). Standardisation uses statistics of the
training window only (:class:`Scaler`), fitted once per refit and reused at the origins in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.features.inputs import require

Z_CLIP = 5.0
CLIP = 8.0  # standardised values beyond +-8 are clipped (a crash day must not saturate the network)


def input_frame(closes: pd.Series, features: pd.DataFrame | None, required: Sequence[str], optional: Sequence[str],
                macro: Sequence[str], model: str) -> pd.DataFrame:
    """The unscaled input rows on the dates of ``closes`` (NaN where an input is unknown).

    ``required`` columns must be in ``features`` and known at the last close (else a one-line DataError);
    ``optional`` ones are used when the frame has the column (and then required likewise); ``macro``
    columns are used when present, with gaps read as 0.
    """
    origin = pd.Timestamp(closes.index[-1])
    index = pd.DatetimeIndex(closes.index)
    present = [c for c in optional if features is not None and c in features.columns]
    for col in (*required, *present):
        require(features, col, model, origin)
    assert features is not None or not (required or present)
    lp = np.log(closes.astype(float))
    r = lp.diff()
    out = {"ret": r,
           "log_rv5": np.log(np.sqrt((r * r).rolling(5).mean()) + 1e-6),
           "log_rv22": np.log(np.sqrt((r * r).rolling(22).mean()) + 1e-6),
           "drawdown": lp - lp.rolling(252, min_periods=1).max()}
    feats = None if features is None else features.loc[:origin].reindex(index)
    for col in required:
        out[f"ret:{col}"] = np.log(feats[col].astype(float)).diff()  # type: ignore[index]
    for col in present:
        out[f"log:{col}"] = np.log(feats[col].astype(float))  # type: ignore[index]
    for col in macro:
        if feats is not None and col in feats.columns:
            out[col] = feats[col].astype(float).fillna(0.0).clip(-Z_CLIP, Z_CLIP)
    return pd.DataFrame(out, index=index)


@dataclass(frozen=True)
class Scaler:
    """Per-column mean and standard deviation of the training window."""

    columns: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, frame: pd.DataFrame) -> "Scaler":
        x = frame.to_numpy(dtype=float)
        mean = np.nanmean(x, axis=0)
        std = np.nanstd(x, axis=0)
        return cls(tuple(frame.columns), mean, np.where(np.isfinite(std) & (std > 1e-8), std, 1.0))

    def transform(self, frame: pd.DataFrame, model: str) -> np.ndarray:
        """Standardised float32 rows in the fitted column order (NaN kept: it marks unusable rows)."""
        if tuple(frame.columns) != self.columns:
            missing = sorted(set(self.columns) - set(frame.columns))
            raise DataError(model, f"inputs changed since the last fit (missing: {', '.join(missing) or 'none'})",
                            row=str(frame.index[-1].date()))
        z = (frame.to_numpy(dtype=float) - self.mean) / self.std
        return np.clip(z, -CLIP, CLIP).astype(np.float32)


def complete_windows(x: np.ndarray, length: int) -> np.ndarray:
    """Boolean per row t: rows t-length+1..t all exist and are finite."""
    bad = (~np.isfinite(x).all(axis=1)).astype(np.int64)
    run = np.convolve(bad, np.ones(length, dtype=np.int64))[: len(bad)]
    ok = run == 0
    ok[: length - 1] = False
    return ok


def last_window(x: np.ndarray, frame: pd.DataFrame, length: int, model: str) -> np.ndarray:
    """The final ``length`` rows, or a one-line DataError naming the first unusable input and date."""
    if len(x) < length:
        raise DataError(model, f"only {len(x)} closes up to the origin, the network reads {length}",
                        row=str(frame.index[-1].date()))
    w = x[-length:]
    bad = ~np.isfinite(w)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        day = frame.index[len(x) - length + i].date()
        raise DataError(model, f"input {frame.columns[j]} is missing on {day}, inside the {length}-day window "
                        "the network reads at the origin", row=str(frame.index[-1].date()))
    return w
