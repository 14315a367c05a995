"""The implied-volatility member: the market's own 30-day volatility forecast, rescaled to the index.

Scale at origin t: IV_t / 100 * sqrt(h / 252), IV = VIX (S&P 500 implied volatility) or RVX (the Russell
2000's own). The ratio between the index's realised h-day moves and that scale (small caps are more volatile
than the S&P 500; implied variance carries a risk premium) is not a fitted constant: it lives in the
empirical distribution of past standardised returns z_s = (r_s - m) / scale_s, so the forecast is
m + scale_t * z (filtered historical simulation, :mod:`r2k.models.fhs`), m the historical mean h-day return.
Only samples whose h-day window ended by the origin are used (the purge of :meth:`History.h_returns`).

Both volatility indices close at 16:15 ET, after the index's 16:00 close: a forecast that uses the origin's
close of VIX is issued at 16:15, still before everything it forecasts.

``source="auto"`` uses RVX when the store has it over the whole training window and it scored a lower
in-sample CRPS than VIX at every refit (the choice is kept in ``chosen``); otherwise VIX.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.features.inputs import require
from r2k.models.base import LEVELS, Capabilities, Distribution, History
from r2k.models.fhs import decay_weights, fhs_distribution, weighted_quantiles
from r2k.models.rules import crps_quantiles

SOURCES = ("VIX", "RVX")
CHOICE_HORIZON = 20


@dataclass
class ImpliedVol:
    """FHS around an implied-volatility scale. ``half_life`` (in samples) weights recent standardised returns
    more (None = equal weights); ``min_obs`` samples with a known IV are needed per horizon."""

    source: str = "auto"
    half_life: float | None = None
    min_obs: int = 250
    name: str = "implied_vol"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(needs_features=True, supports_update=True, inputs=("VIX",), min_history=250))
    chosen: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.source not in ("auto", *SOURCES):
            raise ValueError(f"{self.name}: source must be auto, VIX or RVX, got {self.source!r}")

    def _iv(self, history: History, column: str) -> np.ndarray:
        """The IV column on the history's dates (percent), NaN where unknown."""
        col = require(history.features, column, self.name, history.origin)
        return col.reindex(history.closes.index).to_numpy(dtype=float)

    def _samples(self, history: History, iv: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray, float]:
        """Past h-day returns and the IV scale at each sample's start (samples with a known IV only), and the
        centre: the historical mean of every past h-day return."""
        r = history.h_returns(h)
        m = float(r.mean()) if r.size else 0.0
        scale = iv[: r.size] / 100.0 * np.sqrt(h / 252.0)
        ok = np.isfinite(scale) & (scale > 0)
        return r[ok], scale[ok], m

    def _fits(self, history: History, column: str) -> bool:
        if history.features is None or column not in history.features.columns:
            return False
        col = history.features[column].loc[: history.origin]
        return bool(len(col) and pd.notna(col.iloc[-1]))

    def _in_sample_crps(self, history: History, iv: np.ndarray) -> float:
        r, scale, m = self._samples(history, iv, CHOICE_HORIZON)
        if r.size < self.min_obs:
            return np.inf
        q = m + scale[:, None] * weighted_quantiles((r - m) / scale, LEVELS)[None, :]
        return float(crps_quantiles(r, q).mean())

    def fit(self, history: History, rng: np.random.Generator) -> None:
        if self.source != "auto":
            self.chosen = self.source
        elif self._fits(history, "RVX") and self._fits(history, "VIX"):
            # compare on the same samples: those starting on a day where both are known (the RVX era)
            ivs = {c: self._iv(history, c) for c in SOURCES}
            both = np.isfinite(ivs["VIX"]) & np.isfinite(ivs["RVX"])
            scores = {c: self._in_sample_crps(history, np.where(both, iv, np.nan)) for c, iv in ivs.items()}
            self.chosen = min(scores, key=scores.get)  # type: ignore[arg-type]
        else:
            self.chosen = "VIX"
        self._iv(history, self.chosen)  # one-line error now if the chosen series is missing at the origin

    def update(self, history: History) -> None:
        """Nothing is estimated: the distribution is read from the history at predict time."""

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        if self.chosen is None:
            raise RuntimeError(f"{self.name}: predict called before fit")
        iv = self._iv(history, self.chosen)
        out = {}
        for h in horizons:
            r, scale, m = self._samples(history, iv, h)
            if r.size < self.min_obs:
                raise DataError(self.name, f"only {r.size} past {h}-day returns with a known {self.chosen} up to origin "
                                f"{history.origin.date()}, need {self.min_obs}", row=str(history.origin.date()))
            now = iv[-1] / 100.0 * np.sqrt(h / 252.0)
            out[h] = fhs_distribution((r - m) / scale, m, now, decay_weights(r.size, self.half_life))
        return out
