"""The forecasts the outlook rests on: one model (``OUTLOOK_MODEL``), the distribution at the origin for the
rated horizons, and its walk-forward history (the ratings' track record). Everything goes through the one
walk-forward engine, so a rating at an origin uses exactly what that origin's forecast used.

Switching the outlook to another model (e.g. the ensemble once it wins the walk-forward comparison) is a
change of ``OUTLOOK_MODEL`` only: members of a combining model run in the same backtest, and the daily input
frame is passed when the model needs features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.forecasting import OriginForecast, forecast_as_of, run_backtest
from r2k.store.forecast_cache import ForecastCache
from r2k.models.base import Distribution
from r2k.models.registry import make_model
from r2k.names import BASELINES, LONG, MEDIUM, PUBLISHED_MODEL, RATED_HORIZONS, SHORT, WEEKS  # noqa: F401 - re-exported
from r2k.words import MODEL_LABELS, MODEL_NAMES  # noqa: F401 - re-exported

OUTLOOK_MODEL = PUBLISHED_MODEL
MODEL_SHORT = MODEL_NAMES  # the words for models live in r2k.words
HORIZONS: tuple[int, ...] = RATED_HORIZONS
MIN_TRAIN = 500


def model_names(model: str = OUTLOOK_MODEL) -> list[str]:
    """The models one backtest must run for ``model``: its members first (if it combines others), then itself."""
    return [*make_model(model).capabilities.stacks, model]


def needs_features(model: str = OUTLOOK_MODEL) -> bool:
    return any(make_model(m).capabilities.needs_features for m in model_names(model))


@dataclass(frozen=True)
class HistoryPlan:
    """Weekly (``step`` trading days) origins from ``start`` to ``end``, refit every ``refit_every`` origins."""

    start: date
    end: date | None = None
    step: int = 5
    refit_every: int = 4

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "step": self.step, "refit_every": self.refit_every,
                "horizons": list(HORIZONS), "model": OUTLOOK_MODEL}


def forecast_history(closes: pd.Series, plan: HistoryPlan, *, features: pd.DataFrame | None = None, seed: int = 0,
                     n_jobs: int = 1, model: str = OUTLOOK_MODEL, symbol: str = "RUT", baselines: bool = False,
                     cache: ForecastCache | None = None) -> pd.DataFrame:
    """The walk-forward forecasts of ``model`` through :func:`r2k.forecasting.run_backtest` (long frame: origin,
    target, horizon, model, y, mean, p_up, q01..q99); with ``baselines``, every model of the run (the baselines
    and a combining model's members, on the same folds) for scoring."""
    bt = run_backtest(closes, symbol=symbol, models=[*BASELINES, model], horizons=HORIZONS, start=plan.start, end=plan.end,
                      step=plan.step, refit_every=plan.refit_every, n_jobs=n_jobs, seed=seed, features=features, cache=cache)
    frame = bt.frame
    return frame if baselines else frame[frame["model"] == model].reset_index(drop=True)


@dataclass(frozen=True)
class OriginDistributions:
    """The outlook model's distribution per rated horizon at one origin (the last close on or before as-of)."""

    model: str
    origin: pd.Timestamp
    last_close: float
    dists: dict[int, Distribution]
    targets: dict[int, pd.Timestamp]
    weights: pd.DataFrame | None = None  # a combining model's member weights per horizon (learned before the origin)
    forecast: OriginForecast | None = field(default=None, repr=False)  # the same forecasts as published (forecast log)

    def price(self, horizon: int, level: float) -> float:
        return self.last_close * float(np.exp(self.dists[horizon].quantile(level)))

    def price_bands(self, levels: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95), max_horizon: int = SHORT) -> pd.DataFrame:
        """Price levels per target date (rows: the origin, then each horizon up to ``max_horizon``; columns: level),
        the origin's row being the last close: what a fan chart draws."""
        hs = [h for h in sorted(self.dists) if h <= max_horizon]
        rows = [[self.last_close] * len(levels)] + [[self.price(h, lv) for lv in levels] for h in hs]
        return pd.DataFrame(rows, index=pd.DatetimeIndex([self.origin, *(self.targets[h] for h in hs)]), columns=list(levels))


def origin_distributions(closes: pd.Series, as_of: date | None = None, *, features: pd.DataFrame | None = None,
                         seed: int = 0, model: str = OUTLOOK_MODEL, symbol: str = "RUT",
                         cache: ForecastCache | None = None) -> OriginDistributions:
    """The distributions at the origin = the last close on or before ``as_of``, through
    :func:`r2k.forecasting.forecast_as_of` (a combining model is run with its members' recent history)."""
    closes = closes.dropna()
    if as_of is not None:
        closes = closes.loc[: pd.Timestamp(as_of)]
    if len(closes) <= MIN_TRAIN:
        last = closes.index[-1].date() if len(closes) else as_of
        raise DataError(symbol, f"only {len(closes)} closes up to {last}: the outlook needs more than {MIN_TRAIN}", row=str(last))
    fc = forecast_as_of(closes, symbol=symbol, horizons=HORIZONS, models=[model], seed=seed, features=features, cache=cache)
    rows = [f for f in fc.forecasts if f.model == model]
    return OriginDistributions(model, fc.origin, fc.last_close, {f.horizon: f.dist for f in rows},
                               {f.horizon: f.target for f in rows}, fc.weights, fc)
