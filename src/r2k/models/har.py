"""The HAR member: a log-HAR regression of the coming realised variance, with implied variance as a regressor.

For each horizon h, ordinary least squares on every past day s whose h-day window ended by the origin:

    log RV(s+1 .. s+h) = b0 + b1 log rv1(s) + b2 log rv5(s) + b3 log rv22(s) + b4 log IV2(s) + e

rv1/rv5/rv22 are the mean squared daily log returns over the last 1, 5 and 22 days (a small floor keeps a
zero return finite), RV(s+1 .. s+h) the sum of the next h squared returns, IV2 = (VIX / 100)^2 / 252 the
implied daily variance (Corsi's HAR with the implied term of Busch, Christensen and Nielsen). The forecast
scale sqrt(exp(fitted)) then carries a filtered-historical-simulation shape (:mod:`r2k.models.fhs`) of the
training residuals (r_s - m) / scale_s around the historical mean m. Without VIX (``use_iv=False``) the
model is the plain HAR on returns alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.features.inputs import require
from r2k.models.base import Capabilities, Distribution, History
from r2k.models.fhs import fhs_distribution

FLOOR = 1e-7  # about a 0.03% daily move squared: keeps log(r^2) finite on unchanged days


@dataclass
class _Fit:
    beta: np.ndarray
    z: np.ndarray
    centre: float  # the historical mean of the training h-day returns


@dataclass
class HAR:
    use_iv: bool = True
    min_obs: int = 500
    name: str = "har"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(needs_features=True, supports_update=True, inputs=("VIX",), min_history=522))
    fits: dict[int, _Fit] = field(default_factory=dict, init=False, repr=False)
    _fitted_on: History | None = field(default=None, init=False, repr=False)

    def _design(self, history: History) -> tuple[np.ndarray, np.ndarray]:
        """Regressors per close of the history (row s uses returns up to s) and the daily log returns."""
        closes = history.closes
        r = np.diff(np.log(closes.to_numpy(dtype=float)), prepend=np.nan)
        r2 = pd.Series(r * r)
        cols = [np.ones(len(r)), np.log(r2 + FLOOR), np.log(r2.rolling(5).mean() + FLOOR), np.log(r2.rolling(22).mean() + FLOOR)]
        if self.use_iv:
            iv = require(history.features, "VIX", self.name, history.origin).reindex(closes.index).to_numpy(dtype=float)
            cols.append(np.log((iv / 100.0) ** 2 / 252.0))
        return np.column_stack([np.asarray(c, dtype=float) for c in cols]), r

    def fit(self, history: History, rng: np.random.Generator) -> None:
        """Remember the training history; each horizon's regression is estimated the first time it is asked for."""
        self.fits = {}
        self._fitted_on = history
        self._design(history)  # one-line error now if VIX is missing at the origin

    def _fit_h(self, history: History, h: int) -> _Fit:
        x, r = self._design(history)
        ret = history.h_returns(h)  # purged; sample s starts at close s
        n = ret.size
        csum = np.concatenate([[0.0], np.cumsum(np.nan_to_num(r * r))])
        rv = csum[np.arange(n) + h + 1] - csum[np.arange(n) + 1]  # sum of r[s+1 .. s+h]^2
        y = np.log(rv + h * FLOOR)
        xs = x[:n]
        ok = np.isfinite(xs).all(axis=1) & np.isfinite(y)
        if ok.sum() < self.min_obs:
            raise DataError(self.name, f"only {int(ok.sum())} complete {h}-day samples up to origin {history.origin.date()}, "
                            f"need {self.min_obs}", row=str(history.origin.date()))
        beta, *_ = np.linalg.lstsq(xs[ok], y[ok], rcond=None)
        scale = np.sqrt(np.exp(xs[ok] @ beta))
        m = float(ret.mean())
        return _Fit(beta, (ret[ok] - m) / scale, m)

    def update(self, history: History) -> None:
        """Coefficients and residual shape stay as fitted; predict reads the newest regressors."""

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        if self._fitted_on is None:
            raise RuntimeError(f"{self.name}: predict called before fit")
        x, _ = self._design(History(history.closes.iloc[-30:], history.origin, history.gap, history.features))
        x_now = x[-1]
        if not np.isfinite(x_now).all():
            raise DataError(self.name, f"regressors at origin {history.origin.date()} are incomplete", row=str(history.origin.date()))
        out = {}
        for h in horizons:
            if h not in self.fits:
                self.fits[h] = self._fit_h(self._fitted_on, h)
            f = self.fits[h]
            out[h] = fhs_distribution(f.z, f.centre, float(np.sqrt(np.exp(x_now @ f.beta))))
        return out
