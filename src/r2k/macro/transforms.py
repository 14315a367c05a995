"""Transforms of one observation series (pure, causal: the value at date d uses observations <= d).

Every transform works in *periods of the series' own frequency* on a regular grid: monthly and
quarterly series are first put on a complete month/quarter grid (a missing month such as CPI
2025-10 becomes NaN instead of silently shifting the lags), daily and weekly series count rows.

Because every transform is causal, the transformed value at observation d depends only on
observations dated <= d. When release dates increase with observation dates (true for every lag
rule in :mod:`r2k.calendar.releases`), "transform, then stamp each value with the release date of
its observation" equals "at each release date, transform what was known then". The feature
builder falls back to the second (slow, exact) form when vintages or out-of-order releases exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

Freq = Literal["D", "W", "M", "Q"]
PERIODS_PER_YEAR: dict[str, int] = {"D": 252, "W": 52, "M": 12, "Q": 4}
GRID: dict[str, str] = {"M": "MS", "Q": "QS"}

TransformKind = Literal["level", "diff", "pct", "yoy", "yoy_diff", "mean", "mom_3_12", "sahm"]


def regular(series: pd.Series, freq: Freq) -> pd.Series:
    """Monthly/quarterly series on their complete grid (gaps -> NaN); daily/weekly unchanged."""
    s = series.dropna().sort_index()
    if freq in GRID and len(s):
        s = s.asfreq(GRID[freq])
    return s


def periods(freq: Freq, months: float) -> int:
    """How many periods of ``freq`` make ``months`` months (at least 1)."""
    return max(1, int(round(PERIODS_PER_YEAR[freq] * months / 12)))


def diff(s: pd.Series, k: int) -> pd.Series:
    """Change over k periods: x_t - x_{t-k}."""
    return s - s.shift(k)


def pct(s: pd.Series, k: int) -> pd.Series:
    """Percent change over k periods: 100 (x_t / x_{t-k} - 1); NaN when x_{t-k} <= 0, where a percent
    change means nothing (WTI settled at -36.98 on 2020-04-20: a year later that base gave -266%)."""
    base = s.shift(k)
    return 100.0 * (s / base.where(base > 0) - 1.0)


def momentum_3_12(s: pd.Series, freq: Freq) -> pd.Series:
    """Mean of the last 3 months minus the mean of the last 12 months (both include t)."""
    short, long = periods(freq, 3), periods(freq, 12)
    return s.rolling(short, min_periods=short).mean() - s.rolling(long, min_periods=long).mean()


def rolling_zscore(s: pd.Series, freq: Freq, years: float = 10.0, min_years: float = 3.0) -> pd.Series:
    """(x_t - mean) / std over the trailing ``years`` (observations <= t; needs ``min_years``)."""
    window = periods(freq, 12 * years)
    minp = periods(freq, 12 * min_years)
    clean = s.dropna()
    roll = clean.rolling(window, min_periods=minp)
    sd = roll.std()
    z = (clean - roll.mean()) / sd.where(sd > 0)
    return z.reindex(s.index)


@dataclass(frozen=True)
class Transform:
    """One named transform: ``kind`` with its period count ``k`` (only for diff/pct/mean)."""

    kind: TransformKind
    k: int = 1

    def apply(self, series: pd.Series, freq: Freq) -> pd.Series:
        s = regular(series, freq)
        ppy = PERIODS_PER_YEAR[freq]
        match self.kind:
            case "level":
                out = s
            case "diff":
                out = diff(s, self.k)
            case "pct":
                out = pct(s, self.k)
            case "yoy":
                out = pct(s, ppy)
            case "yoy_diff":
                out = diff(s, ppy)
            case "mean":
                out = s.rolling(self.k, min_periods=self.k).mean()
            case "mom_3_12":
                out = momentum_3_12(s, freq)
            case "sahm":
                out = sahm_gap(s) if freq == "M" else _bad_freq(self.kind, freq)
            case _:
                raise ValueError(f"unknown transform {self.kind!r}")
        return out.dropna()

    def label(self) -> str:
        return {
            "level": "level",
            "diff": f"change over {self.k} periods",
            "pct": f"% change over {self.k} periods",
            "yoy": "% change over 12 months",
            "yoy_diff": "change over 12 months",
            "mean": f"mean of the last {self.k} periods",
            "mom_3_12": "3-month mean minus 12-month mean",
            "sahm": "Sahm gap: 3-month mean minus its prior 12-month low",
        }[self.kind]


def _bad_freq(kind: str, freq: str) -> pd.Series:
    raise ValueError(f"transform {kind!r} needs a monthly series, not frequency {freq!r}")


def sahm_gap(unrate: pd.Series) -> pd.Series:
    """Sahm-rule gap: 3-month mean of the monthly unemployment rate minus its low over the prior 12 months.

    (Sahm 2019: the minimum of the 3-month means over the previous 12 months; >= 0.5 signals recession.)
    Tolerates gaps: a 3-month mean needs 2 of its 3 months, the prior low 9 of its 12 months.
    """
    s = regular(unrate, "M")
    ma3 = s.rolling(3, min_periods=2).mean()  # a single missing month (e.g. 2025-10) does not blank a year
    prior_low = ma3.shift(1).rolling(12, min_periods=9).min()
    return (ma3 - prior_low).dropna()

