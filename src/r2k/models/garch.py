"""GJR-GARCH(1,1) with Hansen skew-t (or Student-t) errors and a constant mean, fitted with ``arch``;
h-day distributions by simulating paths from the fitted parameters with the engine's seeded generator.

Skew-t is the default: with symmetric t errors the fitted constant mean is a robust location near the
*median* daily return, which for this negatively skewed index sits well above the mean and biases
every h-day mean upwards; under Hansen's skew-t the innovations have mean zero, so mu is the mean.

Returns are scaled x100 for the optimiser. Between refits, :meth:`GJRGarch.update` runs the variance
recursion through the new returns with the parameters held fixed (no re-estimation).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from arch.univariate import arch_model
from scipy.special import gammaln

from r2k.errors import ConvergenceWarning, DataError
from r2k.models.base import LEVELS, Capabilities, Distribution, History

SCALE = 100.0


@dataclass(frozen=True)
class GarchParams:
    mu: float
    omega: float
    alpha: float
    gamma: float
    beta: float
    nu: float
    lam: float = 0.0  # Hansen's skewness (0 = symmetric Student-t)

    def next_variance(self, eps: np.ndarray, sigma2: np.ndarray) -> np.ndarray:
        """sigma2[t+1] = omega + (alpha + gamma * 1[eps[t] < 0]) * eps[t]^2 + beta * sigma2[t]."""
        return self.omega + (self.alpha + self.gamma * (eps < 0)) * eps * eps + self.beta * sigma2

    def innovations(self, rng: np.random.Generator, size: tuple[int, ...]) -> np.ndarray:
        """Standardised (mean 0, variance 1) skew-t draws.

        Hansen (1994): x = b z + a has density proportional to g(x / (1 - lam)) for x < 0 and
        g(x / (1 + lam)) for x >= 0, g the unit-variance t(nu) density; so draw |w|, w unit-variance t,
        put it on the left with probability (1 - lam) / 2 scaled by (1 - lam), else on the right scaled
        by (1 + lam), and return z = (x - a) / b.

        The sides come from a generator of their own (seeded by the first draw), so both streams fill ``size`` in
        order: the first rows of a larger draw are exactly a smaller draw (a 20-day path does not depend on how far
        the simulation goes).
        """
        nu, lam = self.nu, self.lam
        sides = np.random.default_rng(int(rng.integers(2**63)))
        w = np.abs(rng.standard_t(nu, size=size)) * np.sqrt((nu - 2.0) / nu)
        if lam == 0.0:
            return w * np.where(sides.random(size) < 0.5, -1.0, 1.0)
        left = sides.random(size) < (1.0 - lam) / 2.0
        x = np.where(left, -(1.0 - lam) * w, (1.0 + lam) * w)
        c = np.exp(gammaln((nu + 1) / 2) - gammaln(nu / 2)) / np.sqrt(np.pi * (nu - 2))
        a = 4 * lam * c * (nu - 2) / (nu - 1)
        b = np.sqrt(1 + 3 * lam * lam - a * a)
        return (x - a) / b


def _scaled_returns(closes: pd.Series) -> pd.Series:
    """Daily log returns x SCALE (each from two consecutive closes only, so any run of closes gives the same values)."""
    logp = np.log(closes)
    return (logp.diff().iloc[1:] * SCALE).astype(float)


@dataclass
class GJRGarch:
    """GJR-GARCH(1,1), constant mean, ``dist`` "skewt" (Hansen) or "t". ``window`` = the last that many
    daily returns for estimation (None = the whole fold window); ``paths`` simulated paths per origin."""

    window: int | None = None
    dist: str = "skewt"
    paths: int = 4000
    min_obs: int = 500
    name: str = "garch"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(supports_update=True))
    params: GarchParams | None = field(default=None, init=False)
    _state: tuple[pd.Timestamp, float] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.dist not in ("skewt", "t"):
            raise ValueError(f"{self.name}: dist must be 'skewt' or 't', got {self.dist!r}")

    def _returns(self, history: History) -> pd.Series:
        return _scaled_returns(history.closes)

    def fit(self, history: History, rng: np.random.Generator) -> None:
        r = self._returns(history)
        if self.window is not None:
            r = r.iloc[-self.window :]
        if len(r) < self.min_obs:
            raise DataError(self.name, f"only {len(r)} daily returns up to origin {history.origin.date()}, need {self.min_obs}")
        model = arch_model(r.to_numpy(), mean="Constant", vol="GARCH", p=1, o=1, q=1, dist=self.dist, rescale=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = model.fit(disp="off", show_warning=False)
        if res.convergence_flag != 0:
            warnings.warn(f"{self.name}: optimiser did not converge at origin {history.origin.date()} "
                          f"(flag {res.convergence_flag}); parameters used as found", ConvergenceWarning, stacklevel=2)
        p = res.params
        nu, lam = (float(p["eta"]), float(p["lambda"])) if self.dist == "skewt" else (float(p["nu"]), 0.0)
        self.params = GarchParams(float(p["mu"]), float(p["omega"]), float(p["alpha[1]"]), float(p["gamma[1]"]),
                                  float(p["beta[1]"]), nu, lam)
        eps_last = np.array(r.iloc[-1] - self.params.mu)
        sigma2_last = np.array(float(res.conditional_volatility[-1]) ** 2)
        self._state = (r.index[-1], float(self.params.next_variance(eps_last, sigma2_last)))

    def _advance(self, history: History) -> tuple[pd.Timestamp, float]:
        """The state (date, next-day variance) carried forward through returns after the last state date."""
        if self.params is None or self._state is None:
            raise RuntimeError(f"{self.name}: predict or update called before fit")
        when, sigma2 = self._state
        closes = history.closes
        since = closes.loc[when:] if when in closes.index else closes  # the returns after ``when`` need no earlier close
        new = _scaled_returns(since).loc[lambda s: s.index > when]
        for value in new.to_numpy():
            sigma2 = float(self.params.next_variance(np.array(value - self.params.mu), np.array(sigma2)))
        return (new.index[-1] if len(new) else when), sigma2

    def update(self, history: History) -> None:
        self._state = self._advance(history)

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        _, sigma2_next = self._advance(history)
        p = self.params
        assert p is not None
        steps = max(horizons)
        z = p.innovations(rng, (steps, self.paths))  # day by day in order: the first k days never depend on ``steps``
        sigma2 = np.full(self.paths, sigma2_next)
        total = np.zeros(self.paths)
        cum = {}
        for k in range(steps):
            eps = np.sqrt(sigma2) * z[k]
            total = total + p.mu + eps
            sigma2 = p.next_variance(eps, sigma2)
            if k + 1 in horizons:
                cum[k + 1] = total / SCALE
        return {h: Distribution.from_samples(cum[h]) for h in horizons}


@dataclass
class GJRGarchHM(GJRGarch):
    """GJR-GARCH re-centred on the historical mean: the simulated paths keep GARCH's volatility and shape,
    but their drift (the fitted constant mean, which sits near the robust location of daily returns) is
    replaced by the mean of past h-day log returns, the centre every volatility member shares."""

    name: str = "garch_hm"

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        dists = super().predict(history, horizons, rng)
        assert self.params is not None
        out = {}
        for h, d in dists.items():
            past = history.h_returns(h)
            shift = (float(past.mean()) if past.size else 0.0) - h * self.params.mu / SCALE
            q = d.quantiles + shift
            out[h] = Distribution(d.mean + shift, q, float(1.0 - np.interp(0.0, q, LEVELS, left=0.0, right=1.0)))
        return out
