"""The baselines every model must beat: climatology and a zero-drift random walk."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from r2k.errors import DataError
from r2k.models.base import Capabilities, Distribution, History


def _enough(x: np.ndarray, need: int, name: str, history: History, what: str) -> None:
    if x.size < need:
        raise DataError(name, f"only {x.size} {what} up to origin {history.origin.date()}, need {need}")


@dataclass
class Climatology:
    """The empirical distribution of past h-day log returns.

    Uses *all overlapping* h-day returns that ended on or before the origin (more samples, the same
    marginal distribution as non-overlapping ones); ``window`` = the last that many of them (rolling),
    None = every one since the window start (expanding). Nothing is estimated, so refits are free.
    """

    window: int | None = None
    min_obs: int = 60
    name: str = "climatology"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(supports_update=True))

    def fit(self, history: History, rng: np.random.Generator) -> None:
        _enough(history.log_returns(), self.min_obs, self.name, history, "daily returns")

    def update(self, history: History) -> None:
        """Nothing to update: the distribution is read from the history at predict time."""

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        out = {}
        for h in horizons:
            r = history.h_returns(h)
            if self.window is not None:
                r = r[-self.window :]
            _enough(r, self.min_obs, self.name, history, f"{h}-day returns")
            out[h] = Distribution.from_samples(r)
        return out


@dataclass
class RandomWalk:
    """Zero-mean normal with rolling volatility: sigma_h = sigma_daily * sqrt(h), sigma_daily the sample
    standard deviation of the last ``window`` daily log returns."""

    window: int = 250
    name: str = "random_walk"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(supports_update=True))

    def fit(self, history: History, rng: np.random.Generator) -> None:
        _enough(history.log_returns(), 20, self.name, history, "daily returns")

    def update(self, history: History) -> None:
        """Nothing to update: the volatility is read from the history at predict time."""

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        r = history.log_returns()[-self.window :]
        _enough(r, 20, self.name, history, "daily returns")
        sigma = float(r.std(ddof=1))
        return {h: Distribution.from_normal(0.0, sigma * np.sqrt(h)) for h in horizons}
