"""Optimal segmentation of a log-price series into straight lines (dynamic programming, exact).

Cost of a segment = m·ln(SSE/m): minus twice the Gaussian log-likelihood of a line with its own
residual variance, so costs add up over segments. A segment pays a BIC-type penalty k·ln(n), with
k inflated by (1 + ρ)/(1 − ρ) for the lag-1 autocorrelation ρ of the residuals (the effective
sample size of AR(1) noise is n(1 − ρ)/(1 + ρ)); without that, a random-walk price would be cut into
as many minimum-length pieces as fit. Segment SSEs come from cumulative sums: O(1) per candidate,
O(n²) in all, vectorised per end point.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

SSE_FLOOR = 1e-12  # keeps ln(SSE/m) finite on exactly linear pieces


@dataclass(frozen=True)
class Segmentation:
    """Breakpoints of one segmentation: segment j covers points [bounds[j], bounds[j+1])."""

    bounds: tuple[int, ...]
    min_size: int
    rho: float
    k: float
    penalty: float

    @property
    def pieces(self) -> list[tuple[int, int]]:
        return list(pairwise(self.bounds))

    def to_dict(self) -> dict[str, Any]:
        return {"bounds": list(self.bounds), "min_size": self.min_size, "rho": self.rho, "k": self.k, "penalty": self.penalty}


def _optimal_partition(x: np.ndarray, y: np.ndarray, min_size: int, penalty: float) -> tuple[int, ...]:
    n = len(y)

    def csum(v: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(v)])

    sx, sy, sxx, sxy, syy = csum(x), csum(y), csum(x * x), csum(x * y), csum(y * y)
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    prev = np.zeros(n + 1, dtype=int)
    for t in range(min_size, n + 1):
        s = np.arange(0, t - min_size + 1)
        ok = np.isfinite(best[s])
        s = s[ok]
        if len(s) == 0:
            continue
        m = (t - s).astype("float64")
        dx, dy = sx[t] - sx[s], sy[t] - sy[s]
        vxx = sxx[t] - sxx[s] - dx * dx / m
        vxy = sxy[t] - sxy[s] - dx * dy / m
        vyy = syy[t] - syy[s] - dy * dy / m
        sse = vyy - np.divide(vxy * vxy, vxx, out=np.zeros_like(vxx), where=vxx > 0)
        total = best[s] + m * np.log(np.maximum(sse / m, SSE_FLOOR)) + penalty
        j = int(np.argmin(total))
        best[t], prev[t] = total[j], s[j]
    bounds, t = [n], n
    while t > 0:
        t = int(prev[t])
        bounds.append(t)
    return tuple(reversed(bounds))


def pooled_lag1(x: np.ndarray, y: np.ndarray, bounds: tuple[int, ...]) -> float:
    """Lag-1 autocorrelation of the within-segment OLS residuals, pooled over segments."""
    num = den = 0.0
    for s, t in pairwise(bounds):
        xs, ys = x[s:t], y[s:t]
        xc, yc = xs - xs.mean(), ys - ys.mean()
        vxx = float(xc @ xc)
        e = yc - (float(xc @ yc) / vxx) * xc if vxx > 0 else yc
        num += float(e[1:] @ e[:-1])
        den += float(e @ e)
    return num / den if den > 0 else 0.0


def segment_lines(x: np.ndarray, y: np.ndarray, min_size: int, k: float = 4.0, max_rho: float = 0.95) -> Segmentation:
    """Two passes: plain BIC (k·ln n per segment) to estimate ρ, then the ρ-inflated penalty.

    ``k`` = 4 counts a, b, σ and the breakpoint. ``min_size`` is cut to n when the series is shorter.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n = len(y)
    min_size = max(3, min(min_size, n))
    if n < 3:
        raise ValueError(f"need at least 3 points to segment, got {n}")
    x = x - x[0]
    y = y - y.mean()
    base = k * np.log(n)
    rough = _optimal_partition(x, y, min_size, base)
    rho = min(max(pooled_lag1(x, y, rough), 0.0), max_rho)
    k_eff = k * (1 + rho) / (1 - rho)
    penalty = k_eff * np.log(n)
    return Segmentation(_optimal_partition(x, y, min_size, penalty), min_size, float(rho), float(k_eff), float(penalty))
