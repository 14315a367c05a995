"""A synthetic forecast history with known answers: weekly 5-day forecasts whose outcomes are the exact
normal quantiles (shuffled), so the CRPS skill of a forecast N(0, k*sigma) is known in advance."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from scipy import stats

from r2k.models.base import Distribution
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store

SIGMA = 0.02
N = 52
NOW = datetime(2026, 1, 2, 12, 0)


def outcomes(n: int = N, seed: int = 0) -> np.ndarray:
    z = stats.norm.ppf((np.arange(n) + 0.5) / n)
    np.random.default_rng(seed).shuffle(z)
    return SIGMA * z


def history_store(path, model_sigma_factor: float, model_mean: float = 0.0, n: int = N) -> Store:  # noqa: ANN001
    """Log climatology N(0, SIGMA) and 'garch' N(model_mean, k SIGMA) at n weekly origins (h=5), each on the evening
    of its origin (the live record), and store
    closes that realise the outcomes: close(target) = 100 exp(y), the logged origin close being 100."""
    origins = pd.bdate_range("2024-01-01", periods=n, freq="W-MON").astype("datetime64[us]")
    targets = (origins + pd.offsets.BDay(5)).astype("datetime64[us]")
    y = outcomes(n)
    store = Store(path)
    frame = pd.DataFrame({"date": targets, "close": 100 * np.exp(y)})
    store.write([SeriesData("RUT", "price", validate(frame, "price", "test"), "test")], "test", NOW)
    rows = []
    for model, mu, s in (("climatology", 0.0, SIGMA), ("garch", model_mean, model_sigma_factor * SIGMA)):
        d = Distribution.from_normal(mu, s)
        rows += [{"symbol": "RUT", "origin": o, "horizon": 5, "model": model, "model_version": "test", "target": t,
                  "last_close": 100.0, "mean": d.mean, "p_up": d.p_up, "quantiles": list(d.quantiles), "weights": None,
                  "ratings": None} for o, t in zip(origins, targets)]
    logged = pd.DataFrame(rows)
    for origin, part in logged.groupby("origin"):  # each origin logged live: at 22:00 UTC on its own day
        store.log_forecasts(part, "test", (pd.Timestamp(origin) + pd.Timedelta(hours=22)).to_pydatetime())
    return store
