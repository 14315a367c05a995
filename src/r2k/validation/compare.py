"""Comparing forecasts on the same origins, with inference that survives serial dependence.

Per-forecast losses of weekly origins are autocorrelated well beyond the overlap of their targets (volatility
clusters for months), so:

* **Diebold–Mariano**: the mean loss difference d = loss(model) − loss(reference) over its HAC standard error,
  Bartlett kernel, bandwidth :func:`r2k.analytics.robust.hac_lags` (at least a quarter of a year of origins and
  never less than the targets' overlap), two-sided against Student t(n − 1). No Harvey–Leybourne–Newbold factor:
  it corrects the bias of the rectangular h − 1-lag variance under an MA(h − 1) loss, which is not the estimator
  used here (docs/forecasting.md, "Scores", says why).
* **CRPS skill** 1 − mean(loss) / mean(reference loss) with a 95% percentile interval from a stationary block
  bootstrap of the paired losses (:func:`r2k.analytics.robust.block_bootstrap`, mean block
  :func:`r2k.analytics.robust.block_length`: half a year of origins).
* **Model confidence set** (Hansen, Lunde and Nason; ``arch``) with the same bootstrap blocks.

A comparison is *better* when both the test (p < ALPHA) and the interval (above 0) say so, *worse* when both say
the opposite, and *unsettled* when they disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from arch.bootstrap import MCS

from r2k.analytics.robust import REPS, block_bootstrap, block_length, hac_lags, hac_mean_test, skill_ratio
from r2k.analytics.testresult import TestResult

ALPHA = 0.05
LEVEL = 0.95
BOOTSTRAP_SEED = 0  # every skill interval uses this seed: an evaluator can reproduce it bit for bit


def diebold_mariano(loss_a: np.ndarray, loss_b: np.ndarray, horizon: int = 1, step: int = 5,
                    names: tuple[str, str] = ("A", "B")) -> TestResult:
    """Two-sided DM test of equal expected loss, d = loss_a − loss_b, on origins ``step`` trading days apart
    forecasting ``horizon`` days: HAC (Bartlett, :func:`hac_lags` lags) t-statistic against Student t(n − 1).
    Identical losses give statistic 0 and p = 1. A negative statistic favours ``names[0]``."""
    d = np.asarray(loss_a, dtype=float) - np.asarray(loss_b, dtype=float)
    d = d[np.isfinite(d)]
    n = d.size
    lags = hac_lags(n, horizon, step) if n > 1 else 0
    null, alt = f"{names[0]} and {names[1]} have equal expected loss", "their expected losses differ"
    test = hac_mean_test(d, lags)
    details = {"mean_diff": test.estimate, "lags": test.lags, "kernel": "bartlett", "horizon": horizon, "step": step}
    if test.statistic == test.statistic:
        details["better"] = names[0] if test.statistic < 0 else names[1]
    return TestResult("Diebold-Mariano (HAC)", test.statistic, test.p_value, null, alt,
                      df=n - 1 if n >= 3 else None, n=n, details=details)


@dataclass(frozen=True)
class Comparison:
    """One model against a reference on the same origins at one horizon: CRPS skill with its block-bootstrap
    interval, and the Diebold–Mariano (HAC) test of equal mean CRPS."""

    model: str
    reference: str
    horizon: int
    n: int
    skill: float
    low: float
    high: float
    dm_stat: float
    p_value: float
    lags: int
    block: int
    reps: int
    level: float = LEVEL

    @property
    def outcome(self) -> str:
        """better / worse (the test at ALPHA and the interval agree), unsettled (they disagree), or unclear."""
        if not (self.p_value == self.p_value and self.low == self.low):
            return "unclear"
        test, interval = self.p_value < ALPHA, self.low > 0 or self.high < 0
        if test and interval and (self.skill > 0) == (self.low > 0):
            return "better" if self.skill > 0 else "worse"
        return "unsettled" if test or interval else "unclear"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "outcome": self.outcome}


def compare(loss: np.ndarray, reference_loss: np.ndarray, *, horizon: int, step: int, model: str = "model",
            reference: str = "reference", reps: int = REPS, seed: int = BOOTSTRAP_SEED, level: float = LEVEL) -> Comparison:
    """``model``'s losses against ``reference``'s on the same rows (in origin order; non-finite pairs dropped)."""
    a, b = np.asarray(loss, dtype=float), np.asarray(reference_loss, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    dm = diebold_mariano(a, b, horizon, step, (model, reference))
    block = block_length(horizon, step)
    boot = block_bootstrap(skill_ratio, a, b, block=block, reps=reps, seed=seed, level=level)
    return Comparison(model, reference, int(horizon), int(a.size), boot.estimate, boot.ci_low, boot.ci_high,
                      float(dm.statistic), float(dm.p_value), int(dm.details["lags"]), int(min(block, max(a.size, 1))),
                      boot.reps, level)


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
    """MCS over the columns of ``losses`` (one row per forecast in origin order, the same rows for every model),
    stationary bootstrap with mean block ``block_size`` rows (callers pass :func:`block_length`)."""
    clean = losses.dropna()
    names = list(clean.columns)
    values = clean.to_numpy()
    same = [(a, b) for i, a in enumerate(names) for j, b in enumerate(names) if i < j
            and np.ptp(values[:, i] - values[:, j]) <= 1e-12 * max(1.0, float(np.abs(values).max(initial=0.0)))]
    if len(clean) < 2 or same:  # the bootstrap divides by the variance of each loss difference
        why = (f"the losses of {same[0][0]} and {same[0][1]} do not differ" if same else "fewer than 2 forecasts")
        return MCSResult(size, tuple(names), (), {n: 1.0 for n in names}, len(clean), 0, block_size, why)
    block = None if block_size is None else max(1, min(int(block_size), len(clean)))
    mcs = MCS(values, size=size, reps=reps, block_size=block, method="R", seed=seed)
    mcs.compute()
    pv = mcs.pvalues["Pvalue"]
    return MCSResult(size, tuple(names[i] for i in sorted(mcs.included)), tuple(names[i] for i in sorted(mcs.excluded)),
                     {names[int(i)]: float(v) for i, v in pv.items()}, len(clean), reps, block)
