"""Inference that survives serial dependence: the project's one home for HAC bandwidths, HAC tests of a mean
and stationary block-bootstrap intervals.

Outcomes and loss differences of weekly origins are serially dependent (h-day targets overlap, volatility
clusters for months), so every test of them uses either a HAC variance with a bandwidth of several months of
origins or a stationary block bootstrap whose blocks are about that long. Both are delegated to kept libraries
(statsmodels' HAC through :mod:`r2k.analytics.hac`, ``arch.bootstrap.StationaryBootstrap``); this module only
fixes the rules (bandwidth, block length, interval and p-value conventions) so that every verdict in the project
uses the same ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats

from r2k.analytics.hac import Kernel, long_run_variance

MIN_LAGS = 13  # weekly origins: a quarter of a year, the floor of every HAC bandwidth
BLOCK = 26  # weekly origins: half a year, the default mean block of the stationary bootstrap
REPS = 2000


def newey_west_lags(n: int) -> int:
    """Newey and West's (1994) rule of thumb for the Bartlett kernel, floor(4 (n / 100)^(2/9))."""
    return int(math.floor(4 * (max(n, 1) / 100) ** (2 / 9)))


def overlap_lags(horizon: int, step: int = 1) -> int:
    """Autocovariances that overlapping targets create: ceil(h / step) − 1 origins share part of their window."""
    return max(0, math.ceil(horizon / max(step, 1)) - 1)


def hac_lags(n: int, horizon: int = 1, step: int = 5, min_lags: int = MIN_LAGS) -> int:
    """The project's HAC bandwidth for ``n`` origins ``step`` trading days apart forecasting ``horizon`` days:
    the largest of the overlap (ceil(h / step) − 1), the floor ``min_lags`` (13 weekly origins = one quarter,
    scaled to the spacing of the origins) and Newey–West's rule, never more than n − 1."""
    floor = max(1, round(min_lags * 5 / max(step, 1)))
    return int(max(0, min(max(overlap_lags(horizon, step), floor, newey_west_lags(n)), n - 1)))


def block_length(horizon: int = 1, step: int = 5, block: int = BLOCK) -> int:
    """Mean block length of the stationary bootstrap in origins: ``block`` weekly origins (scaled to the spacing
    of the origins), and never shorter than the horizon's overlap."""
    return int(max(1, round(block * 5 / max(step, 1)), overlap_lags(horizon, step) + 1))


@dataclass(frozen=True)
class MeanTest:
    """A HAC t-test of E[x] = ``null``: estimate, standard error, interval, p (two-sided, Student t(n − 1))."""

    __test__ = False

    estimate: float
    se: float
    statistic: float
    p_value: float
    ci_low: float
    ci_high: float
    level: float
    lags: int
    kernel: str
    n: int
    null: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def hac_mean_test(x: np.ndarray, lags: int, *, null: float = 0.0, level: float = 0.95,
                  kernel: Kernel = "bartlett") -> MeanTest:
    """Test E[x] = ``null`` with the long-run variance of x (``lags`` autocovariances, Bartlett weights by
    default). Non-finite values are dropped. Constant x equal to the null gives p = 1; fewer than 3 values or
    a non-positive variance give NaN."""
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    n = v.size
    mean = float(v.mean()) if n else float("nan")
    nan = float("nan")
    if n < 3:
        return MeanTest(mean, nan, nan, nan, nan, nan, level, lags, kernel, n, null)
    if np.ptp(v) == 0:
        same = mean == null
        return MeanTest(mean, 0.0, 0.0 if same else nan, 1.0 if same else nan, mean, mean, level, lags, kernel, n, null)
    lrv = long_run_variance(v, min(lags, n - 1), kernel)
    if not lrv > 0:
        return MeanTest(mean, nan, nan, nan, nan, nan, level, lags, kernel, n, null)
    se = math.sqrt(lrv / n)
    t = (mean - null) / se
    crit = float(stats.t.ppf(0.5 + level / 2, n - 1))
    return MeanTest(mean, se, float(t), float(2 * stats.t.sf(abs(t), n - 1)), mean - crit * se, mean + crit * se,
                    level, int(min(lags, n - 1)), kernel, n, null)


@dataclass(frozen=True)
class BootstrapInterval:
    """A statistic, its stationary block-bootstrap percentile interval and a two-sided p-value of ``null``."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    level: float
    block: int
    reps: int
    n: int
    null: float = 0.0

    @property
    def excludes_null(self) -> bool:
        return bool(self.ci_low > self.null or self.ci_high < self.null)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "excludes_null": self.excludes_null}


def block_bootstrap(statistic: Callable[..., float], *arrays: np.ndarray, block: int = BLOCK, reps: int = REPS,
                    seed: int = 0, level: float = 0.95, null: float = 0.0) -> BootstrapInterval:
    """``statistic(*arrays)`` with a stationary block-bootstrap (Politis–Romano, mean block ``block`` rows,
    ``arch.bootstrap.StationaryBootstrap``) percentile interval at ``level``.

    The arrays are resampled together, row by row (their first axes must match), so paired quantities — a
    forecast and its outcome, two models' losses — stay paired. The p-value is that of the centred bootstrap:
    the share of replicates with |θ* − θ̂| ≥ |θ̂ − null| (at least 1 / (reps + 1)). Replicates where the
    statistic is not finite are left out. Fewer than 3 rows give NaN bounds.
    """
    from arch.bootstrap import StationaryBootstrap

    data = [np.asarray(a, dtype=float) for a in arrays]
    n = len(data[0]) if data else 0
    if any(len(a) != n for a in data):
        raise ValueError("block_bootstrap: the arrays must have the same number of rows")
    est = float(statistic(*data)) if n else float("nan")
    nan = float("nan")
    if n < 3 or not np.isfinite(est):
        return BootstrapInterval(est, nan, nan, nan, level, block, reps, n, null)
    bs = StationaryBootstrap(max(1, min(block, n)), *data, seed=np.random.default_rng(seed))
    draws = np.array([statistic(*pos) for pos, _ in bs.bootstrap(reps)], dtype=float)
    draws = draws[np.isfinite(draws)]
    if draws.size == 0:
        return BootstrapInterval(est, nan, nan, nan, level, block, reps, n, null)
    lo, hi = np.quantile(draws, [0.5 - level / 2, 0.5 + level / 2])
    extreme = np.abs(draws - est) >= abs(est - null) - 1e-15
    p = max(float(extreme.mean()), 1.0 / (draws.size + 1))
    return BootstrapInterval(est, float(lo), float(hi), min(p, 1.0), level, block, int(draws.size), n, null)


def skill_ratio(loss: np.ndarray, base_loss: np.ndarray) -> float:
    """1 − mean(loss) / mean(base_loss): the skill of a forecast against a baseline on the same rows."""
    b = float(np.mean(base_loss))
    return float(1 - np.mean(loss) / b) if b > 0 else float("nan")


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (NaN when either side is constant)."""
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(stats.spearmanr(x, y).statistic)


from r2k.words import p_text  # noqa: E402, F401 - a formatter (defined in r2k.words), re-exported
