"""Synthetic price series and small test models for the forecasting tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from r2k.calendar import trading_days
from r2k.models.base import Capabilities, Distribution, History


def dates(n: int, start: str = "2000-01-03") -> pd.DatetimeIndex:
    days = trading_days(pd.Timestamp(start).date(), (pd.Timestamp(start) + pd.Timedelta(days=int(n * 1.6) + 30)).date())
    return days[:n]


def gbm(n: int, seed: int = 7, vol: float = 0.012, drift: float = 0.0003) -> pd.Series:
    rng = np.random.default_rng(seed)
    r = drift + vol * rng.standard_t(5, n - 1) / np.sqrt(5 / 3)
    return pd.Series(100 * np.exp(np.concatenate([[0.0], np.cumsum(r)])), index=dates(n), name="SYN")


def log_curve(i: np.ndarray) -> np.ndarray:
    """A convex ramp of log prices: every origin and horizon has a different true return."""
    return 4.0 + 0.001 * i + 2e-7 * i * i


def ramp(n: int) -> pd.Series:
    return pd.Series(np.exp(log_curve(np.arange(n))), index=dates(n), name="RAMP")


@dataclass
class Oracle:
    """Knows the ramp's formula; locates the origin by the *length* of the expanding window it is given,
    so one row too many or too few shows up as a forecast error."""

    name: str = "oracle"
    capabilities: Capabilities = field(default_factory=Capabilities)
    window_length: int | None = None

    def fit(self, history: History, rng: np.random.Generator) -> None:
        assert history.closes.index[-1] == history.origin

    def update(self, history: History) -> None:  # pragma: no cover - never called (no updates)
        raise AssertionError("not an updating model")

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        if self.window_length is None:
            pos = len(history.closes) - 1
        else:  # rolling window: the window must be exactly window_length long; find the position by the value
            assert len(history.closes) == self.window_length
            pos = int(round(np.roots([2e-7, 0.001, 4.0 - np.log(history.last_close)]).real.max()))
        out = {}
        for h in horizons:
            x = log_curve(np.array(pos + h)) - log_curve(np.array(pos))
            out[h] = Distribution(float(x), np.full(99, float(x)), float(x > 0))
        return out


@dataclass
class Cheater:
    """Peeks one day past its origin."""

    name: str = "cheater"
    capabilities: Capabilities = field(default_factory=Capabilities)

    def fit(self, history: History, rng: np.random.Generator) -> None:
        pass

    def update(self, history: History) -> None:  # pragma: no cover
        pass

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        tomorrow = history.at(history.origin + pd.Timedelta(days=1))
        return {h: Distribution.from_normal(tomorrow, 1.0) for h in horizons}


def ar1(n: int, phi: float, seed: int) -> np.ndarray:
    """A stationary Gaussian AR(1) with unit innovations: serially dependent losses or loss differences."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(n)
    x = np.empty(n)
    x[0] = e[0] / np.sqrt(1 - phi**2)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + e[t]
    return x
