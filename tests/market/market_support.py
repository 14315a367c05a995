"""Synthetic series for the market analytics tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def bdays(n: int, start: str = "2000-01-03") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n).astype("datetime64[us]")


def series(values, start: str = "2000-01-03", name: str = "X") -> pd.Series:
    values = np.asarray(values, dtype=float)
    return pd.Series(values, index=bdays(len(values), start), name=name)


def geometric(n: int, daily: float, start: str = "2000-01-03", first: float = 100.0) -> pd.Series:
    """Closes growing by a constant daily log return."""
    return series(first * np.exp(daily * np.arange(n)), start)
