"""Comparing models on the same folds: Diebold-Mariano with the Harvey-Leybourne-Newbold correction,
and the Model Confidence Set (Hansen, Lunde and Nason) from ``arch``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from arch.bootstrap import MCS
from scipy import stats

from r2k.analytics.testresult import TestResult
from r2k.validation.metrics import hac_variance


def _dm_variance(d: np.ndarray, h: int) -> float:
    """Long-run variance of the loss differences d: rectangular kernel with h - 1 autocovariances (h-step forecasts
    on consecutive origins overlap), Bartlett weights when that is not positive."""
    var = hac_variance(d, h - 1, kernel="uniform")
    return var if var > 0 else hac_variance(d, h - 1)


def _hln(n: int, h: int) -> float:
    """Harvey-Leybourne-Newbold small-sample factor sqrt((n + 1 - 2h + h(h - 1)/n) / n)."""
    return float(np.sqrt(max((n + 1 - 2 * h + h * (h - 1) / n) / n, 0.0)))


def diebold_mariano(loss_a: np.ndarray, loss_b: np.ndarray, h: int = 1, names: tuple[str, str] = ("A", "B")) -> TestResult:
    """Two-sided DM test of equal expected loss, d = loss_a - loss_b.

    Variance: the rectangular-kernel long-run variance with h - 1 autocovariances (h-step forecasts
    on consecutive origins overlap); if that is not positive, Bartlett weights are used. The statistic
    is scaled by sqrt((n + 1 - 2h + h(h - 1)/n) / n) and compared with Student t(n - 1) (HLN 1997).
    Identical losses give statistic 0 and p = 1. A negative statistic favours ``names[0]``.
    """
    d = np.asarray(loss_a, dtype=float) - np.asarray(loss_b, dtype=float)
    d = d[np.isfinite(d)]
    n = d.size
    null, alt = f"{names[0]} and {names[1]} have equal expected loss", "their expected losses differ"
    if n < 3:
        return TestResult("Diebold-Mariano (HLN)", np.nan, np.nan, null, alt, n=n)
    if np.all(d == d[0]) and d[0] == 0:
        return TestResult("Diebold-Mariano (HLN)", 0.0, 1.0, null, alt, df=n - 1, n=n, details={"mean_diff": 0.0, "h": h})
    var = _dm_variance(d, h)
    if var <= 0:
        return TestResult("Diebold-Mariano (HLN)", np.nan, np.nan, null, alt, n=n)
    stat = float(d.mean() / np.sqrt(var / n) * _hln(n, h))
    p = float(2 * stats.t.sf(abs(stat), n - 1))
    return TestResult("Diebold-Mariano (HLN)", stat, p, null, alt, df=n - 1, n=n,
                      details={"mean_diff": float(d.mean()), "h": h, "better": names[0] if stat < 0 else names[1]})


def skill_interval(loss: np.ndarray, base_loss: np.ndarray, h: int = 1, level: float = 0.95) -> tuple[float, float, float]:
    """Skill 1 - mean(loss) / mean(base_loss) and its ``level`` interval, (skill, low, high).

    The interval is the Diebold-Mariano (HLN) interval of the mean loss difference divided by the baseline's mean
    loss (held fixed): it excludes 0 exactly when the two-sided DM test rejects at 1 - level. NaN bounds when the
    variance is not positive or n < 3.
    """
    a, b = np.asarray(loss, dtype=float), np.asarray(base_loss, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    n, scale = a.size, float(b.mean()) if b.size else np.nan
    skill = float(1 - a.mean() / scale) if n and scale > 0 else np.nan
    d = a - b
    if n < 3 or not scale > 0:
        return skill, np.nan, np.nan
    var, k = _dm_variance(d, h), _hln(n, h)
    if var <= 0 or k <= 0:
        return (skill, skill, skill) if np.allclose(d, 0) else (skill, np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.sqrt(var / n) / k) / scale
    return skill, skill - half, skill + half


@dataclass(frozen=True)
class MCSResult:
    """Models kept in the confidence set at level 1 - size, with each model's MCS p-value."""

    size: float
    included: tuple[str, ...]
    excluded: tuple[str, ...]
    pvalues: dict[str, float]
    n: int
    reps: int
    block_size: int | None
    note: str = ""  # why the test was not run (then every model is kept)

    def summary(self) -> str:
        if self.note:
            return f"Model confidence set not computed: {self.note}; every model kept"
        return (f"Model confidence set at {100 * (1 - self.size):.0f}% (n = {self.n}): {', '.join(self.included)}"
                + (f"; excluded: {', '.join(self.excluded)}" if self.excluded else ""))

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "included": list(self.included), "excluded": list(self.excluded),
                "pvalues": self.pvalues, "n": self.n, "reps": self.reps, "block_size": self.block_size, "note": self.note,
                "summary": self.summary()}


def model_confidence_set(losses: pd.DataFrame, size: float = 0.10, reps: int = 1000, block_size: int | None = None,
                         seed: int = 0) -> MCSResult:
    """MCS over the columns of ``losses`` (one row per forecast, the same rows for every model)."""
    clean = losses.dropna()
    names = list(clean.columns)
    values = clean.to_numpy()
    same = [(a, b) for i, a in enumerate(names) for j, b in enumerate(names) if i < j
            and np.ptp(values[:, i] - values[:, j]) <= 1e-12 * max(1.0, float(np.abs(values).max(initial=0.0)))]
    if len(clean) < 2 or same:  # the bootstrap divides by the variance of each loss difference
        why = (f"the losses of {same[0][0]} and {same[0][1]} do not differ" if same else "fewer than 2 forecasts")
        return MCSResult(size, tuple(names), (), {n: 1.0 for n in names}, len(clean), 0, block_size, why)
    mcs = MCS(clean.to_numpy(), size=size, reps=reps, block_size=block_size, method="R", seed=seed)
    mcs.compute()
    pv = mcs.pvalues["Pvalue"]
    return MCSResult(size, tuple(names[i] for i in sorted(mcs.included)), tuple(names[i] for i in sorted(mcs.excluded)),
                     {names[int(i)]: float(v) for i, v in pv.items()}, len(clean), reps, block_size)
