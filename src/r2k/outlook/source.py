"""The forecasts the outlook rests on: one model (``OUTLOOK_MODEL``), the distribution at the origin for the
graded horizons, and its weekly walk-forward history (the grades' record and calibration). Everything goes through
the one walk-forward engine in one configuration: the weekly grid of r2k.forecasting (origins every LIVE_STEP
trading days anchored on NYSE session numbers, refit every LIVE_REFIT origins, the ensemble's weights learned over
its window with a warm-up covering it), one run per horizon. So the distribution at an origin is the same whether it
comes from ``r2k outlook --as-of`` that day, the record or the calibration, and whichever other horizons are asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.forecasting import LIVE_REFIT, LIVE_STEP, OriginForecast, backtest_frame, forecast_as_of, input_start
from r2k.store.forecast_cache import ForecastCache
from r2k.validation.folds import FoldPlan
from r2k.models.base import Distribution
from r2k.models.registry import BASELINE, make_model
from r2k.names import BASELINES, GRADED_HORIZONS, LONG, MEDIUM, OUTLOOK_HORIZONS, PUBLISHED_MODEL, SHORT, WEEKS  # noqa: F401 - re-exported
from r2k.words import MODEL_LABELS, MODEL_NAMES  # noqa: F401 - re-exported

OUTLOOK_MODEL = PUBLISHED_MODEL
MODEL_SHORT = MODEL_NAMES  # the words for models live in r2k.words
GRADED: tuple[int, ...] = GRADED_HORIZONS  # the short-term (4 weeks) and long-term (52 weeks) grades
HORIZONS: tuple[int, ...] = OUTLOOK_HORIZONS  # the distributions the outlook forecasts (the graded horizons)
TERMS = {SHORT: "short", LONG: "long"}
MIN_TRAIN = 500


def model_names(model: str = OUTLOOK_MODEL) -> list[str]:
    """The models one backtest must run for ``model``: its members first (if it combines others), then itself."""
    return [*make_model(model).capabilities.stacks, model]


def needs_features(model: str = OUTLOOK_MODEL) -> bool:
    return any(make_model(m).capabilities.needs_features for m in model_names(model))


@dataclass(frozen=True)
class HistoryPlan:
    """Weekly origins of the outlook's grid (every ``step`` trading days, refit every ``refit_every``) from ``start`` to
    ``end``; the defaults are the live configuration, which the record and the calibration share."""

    start: date
    end: date | None = None
    step: int = LIVE_STEP
    refit_every: int = LIVE_REFIT
    final: bool = False  # ``end`` is an origin too, on the grid or not: the live forecast's own block, shared

    def fold_plan(self, horizon: int, start: date) -> FoldPlan:
        """The engine's plan for one horizon from ``start`` (anchored on the trading-day grid, as the live plan)."""
        return FoldPlan(horizons=(horizon,), start=start, end=self.end, step=self.step, refit_every=self.refit_every,
                        anchored=True, final=self.final)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "step": self.step, "refit_every": self.refit_every,
                "final": self.final, "horizons": list(GRADED), "model": OUTLOOK_MODEL}


def forecast_history(closes: pd.Series, plan: HistoryPlan, *, features: pd.DataFrame | None = None, seed: int = 0,
                     n_jobs: int = 1, model: str = OUTLOOK_MODEL, symbol: str = "RUT", baselines: bool = False,
                     horizons: tuple[int, ...] = GRADED, cache: ForecastCache | None = None) -> pd.DataFrame:
    """The walk-forward forecasts of ``model`` on the anchored weekly grid, one :func:`r2k.forecasting.backtest_frame`
    per horizon (as a live forecast runs them), as one long frame (origin, target, horizon, model, y, mean, p_up,
    q01..q99); with ``baselines``, every model of the runs (the baselines and a combining model's members, on the
    same folds) for scoring."""
    frames = [backtest_frame(closes, plan.fold_plan(h, _first(plan.start, model, features, h)), [*BASELINES, model], symbol=symbol,
                             n_jobs=n_jobs, seed=seed, features=features, cache=cache).frame for h in horizons]
    frame = pd.concat(frames, ignore_index=True)
    return frame if baselines else frame[frame["model"] == model].reset_index(drop=True)


def _first(start: date, model: str, features: pd.DataFrame | None, h: int) -> date:
    """The record's first origin: ``start``, or the first day every member's inputs have enough history for ``h``
    (as the live plan: a member is never left out of the record where the live forecast has it)."""
    ready = input_start([make_model(m) for m in make_model(model).capabilities.stacks], features, (h,))
    return start if ready is None or ready <= pd.Timestamp(start) or ready == pd.Timestamp.max else ready.date()


@dataclass(frozen=True)
class OriginDistributions:
    """The outlook model's distribution per rated horizon at one origin (the last close on or before as-of)."""

    model: str
    origin: pd.Timestamp
    last_close: float
    dists: dict[int, Distribution]
    targets: dict[int, pd.Timestamp]
    base: dict[int, Distribution] = field(default_factory=dict)  # climatology's at the same origin: the base rates
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
    """The distributions of ``model`` and of climatology (the base rates) at the origin = the last close on or before
    ``as_of``, through :func:`r2k.forecasting.forecast_as_of` (a combining model is run with its members' history)."""
    closes = closes.dropna()
    if as_of is not None:
        closes = closes.loc[: pd.Timestamp(as_of)]
    if len(closes) <= MIN_TRAIN:
        last = closes.index[-1].date() if len(closes) else as_of
        raise DataError(symbol, f"only {len(closes)} closes up to {last}: the outlook needs more than {MIN_TRAIN}", row=str(last))
    fc = forecast_as_of(closes, symbol=symbol, horizons=HORIZONS, models=[model, BASELINE], seed=seed, features=features,
                        cache=cache)
    rows = [f for f in fc.forecasts if f.model == model]
    return OriginDistributions(model, fc.origin, fc.last_close, {f.horizon: f.dist for f in rows},
                               {f.horizon: f.target for f in rows}, {f.horizon: f.dist for f in fc.forecasts if f.model == BASELINE},
                               fc.weights, fc)
