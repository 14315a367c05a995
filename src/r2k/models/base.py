"""The forecast contract: a distribution of the h-day log return per (origin, horizon), and the model protocol.

A forecast for origin t (the last close used) and horizon h (trading days) describes
y = log(close[t+h] / close[t]) by its mean, the quantiles q01..q99 (every percent) and P(y > 0).
Models only ever see a :class:`History`, which the walk-forward engine cuts at the origin.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from scipy import stats

from r2k.errors import LookAheadError

LEVELS: np.ndarray = np.arange(1, 100) / 100.0
QUANTILE_COLUMNS: tuple[str, ...] = tuple(f"q{p:02d}" for p in range(1, 100))


@dataclass(frozen=True)
class Distribution:
    """Mean, the 99 quantiles (levels 0.01..0.99) and P(up) of one h-day log return."""

    mean: float
    quantiles: np.ndarray
    p_up: float

    def __post_init__(self) -> None:
        q = np.asarray(self.quantiles, dtype=float)
        if q.shape != (99,):
            raise ValueError(f"a distribution needs 99 quantiles, got shape {q.shape}")
        object.__setattr__(self, "quantiles", np.maximum.accumulate(q))  # enforce monotone quantiles

    @classmethod
    def from_samples(cls, samples: np.ndarray) -> "Distribution":
        """Empirical mean, quantiles (linear interpolation) and share of positive draws."""
        x = np.asarray(samples, dtype=float)
        x = x[np.isfinite(x)]
        if x.size < 2:
            raise ValueError("a sample distribution needs at least 2 finite draws")
        return cls(float(x.mean()), np.quantile(x, LEVELS), float((x > 0).mean()))

    @classmethod
    def from_normal(cls, mu: float, sigma: float) -> "Distribution":
        """Exact quantiles of N(mu, sigma^2)."""
        return cls(float(mu), mu + sigma * stats.norm.ppf(LEVELS), float(stats.norm.sf(0.0, loc=mu, scale=sigma)))

    def quantile(self, level: float) -> float:
        """The quantile at one of the levels 0.01..0.99."""
        k = int(round(level * 100))
        if not 1 <= k <= 99 or abs(level * 100 - k) > 1e-9:
            raise ValueError(f"level {level} is not one of 0.01..0.99")
        return float(self.quantiles[k - 1])


@dataclass(frozen=True)
class Forecast:
    """One model's distribution for one origin and horizon, with the target date it describes."""

    model: str
    origin: pd.Timestamp
    horizon: int
    target: pd.Timestamp
    dist: Distribution

    def row(self) -> dict[str, Any]:
        """The long-frame row (without ``y``)."""
        out: dict[str, Any] = {"origin": self.origin, "target": self.target, "horizon": self.horizon, "model": self.model,
                               "mean": self.dist.mean, "p_up": self.dist.p_up}
        out.update(zip(QUANTILE_COLUMNS, self.dist.quantiles.tolist()))
        return out

    def summary(self) -> str:
        d = self.dist
        return (f"{self.model} h={self.horizon} {self.origin.date()}→{self.target.date()}: mean {d.mean:+.4f}, "
                f"80% [{d.quantile(0.10):+.4f}, {d.quantile(0.90):+.4f}], P(up) {d.p_up:.3f}")

    def to_dict(self) -> dict[str, Any]:
        d = self.dist
        return {"model": self.model, "origin": self.origin, "target": self.target, "horizon": self.horizon,
                "mean": d.mean, "p_up": d.p_up, "quantiles": dict(zip(QUANTILE_COLUMNS, d.quantiles.tolist()))}


@dataclass(frozen=True)
class History:
    """What a model may see at one origin: closes from the window start up to and including the origin.

    ``features`` is the daily input frame (:mod:`r2k.features.inputs`) up to the origin. ``forecasts``
    (for models that combine others) holds the members' forecast rows whose targets were realised by the
    origin (with ``y``), plus the members' forecasts made at this origin (``y`` NaN).

    The engine builds it by slicing; the accessors refuse any date after the origin with LookAheadError,
    so a model that asks for the future fails loudly instead of silently getting nothing.
    ``gap`` is the purge gap: training samples of an h-day target may start at most max(h, gap) trading
    days before the origin, so their targets end on or before it. ``source`` is the engine's whole input frame,
    rows after the origin included: a model never reads it, only :meth:`causal_frame` does, and cuts at the origin.
    """

    closes: pd.Series
    origin: pd.Timestamp
    gap: int = 0
    features: pd.DataFrame | None = field(default=None)
    forecasts: pd.DataFrame | None = field(default=None)
    source: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # the engine's whole input frame

    def __post_init__(self) -> None:
        if len(self.closes) and self.closes.index[-1] > self.origin:
            raise LookAheadError(f"history for origin {self.origin.date()} holds rows up to {self.closes.index[-1].date()}")
        if self.features is not None and len(self.features) and self.features.index[-1] > self.origin:
            raise LookAheadError(f"features for origin {self.origin.date()} hold rows up to {self.features.index[-1].date()}")
        if self.forecasts is not None and len(self.forecasts):
            f, when = self.forecasts, np.datetime64(self.origin)
            made, target = f["origin"].to_numpy(), f["target"].to_numpy()
            current = made == when
            if (target[~current] > when).any() or (made > when).any():
                raise LookAheadError(f"member forecasts for origin {self.origin.date()} include a target after it")
            if f["y"].notna().to_numpy()[current].any():
                raise LookAheadError(f"member forecasts made at {self.origin.date()} carry their realised outcome")

    def _check(self, when: Any) -> pd.Timestamp:
        ts = pd.Timestamp(when)
        if ts > self.origin:
            raise LookAheadError(f"a model asked for {ts.date()}, after its forecast origin {self.origin.date()}")
        return ts

    def at(self, when: Any) -> float:
        """The close on ``when`` (must be on or before the origin)."""
        return float(self.closes.loc[self._check(when)])

    def until(self, when: Any) -> pd.Series:
        """Closes up to ``when`` (must be on or before the origin)."""
        return self.closes.loc[: self._check(when)]

    @property
    def last_close(self) -> float:
        return float(self.closes.iloc[-1])

    def causal_frame(self, transform: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame | None:
        """``transform(features)``, cut at the origin. ``transform`` must be causal (its row t a function of input rows
        up to t only, computed forwards), so its value on the engine's whole input frame cut at the origin is, bit for
        bit, its value on the cut frame: it is computed once per input frame (``source``) instead of at every origin."""
        if self.features is None:
            return None
        if self.source is None:
            return transform(self.features)
        return _derived(transform, self.source).loc[: self.origin]

    def log_returns(self) -> np.ndarray:
        """Daily log returns inside the window (all end on or before the origin)."""
        return np.diff(np.log(self.closes.to_numpy(dtype=float)))

    def h_returns(self, h: int) -> np.ndarray:
        """All overlapping h-day log returns whose start is at least max(h, gap) days before the origin."""
        logp = np.log(self.closes.to_numpy(dtype=float))
        r = logp[h:] - logp[:-h] if len(logp) > h else np.empty(0)
        extra = max(self.gap - h, 0)
        return r[: len(r) - extra] if extra else r


_DERIVED: dict[tuple[int, int], tuple[weakref.ref, pd.DataFrame]] = {}
DERIVED_KEPT = 4  # whole-frame transforms kept per process (the engine holds one input frame per run)


def _derived(transform: Callable[[pd.DataFrame], pd.DataFrame], source: pd.DataFrame) -> pd.DataFrame:
    """``transform(source)``, remembered while ``source`` lives (keyed by identity, checked through a weak reference)."""
    key = (id(transform), id(source))
    hit = _DERIVED.get(key)
    if hit is not None and hit[0]() is source:
        return hit[1]
    value = transform(source)
    while len(_DERIVED) >= DERIVED_KEPT:
        _DERIVED.pop(next(iter(_DERIVED)))
    _DERIVED[key] = (weakref.ref(source), value)
    return value


@dataclass(frozen=True)
class Capabilities:
    """What the engine needs to know about a model."""

    needs_features: bool = False
    supports_update: bool = False
    stacks: tuple[str, ...] = ()  # models whose walk-forward forecasts this model combines (run first, same folds)
    inputs: tuple[str, ...] = ()  # columns of the input frame the model cannot do without (e.g. "VIX")
    min_history: int = 0  # known days of those inputs it needs before an origin, beyond the longest horizon


@runtime_checkable
class Forecaster(Protocol):
    """fit on a History, optionally update with a later History, predict a Distribution per horizon."""

    name: str
    capabilities: Capabilities

    def fit(self, history: History, rng: np.random.Generator) -> None: ...

    def update(self, history: History) -> None: ...

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]: ...
