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
from r2k.forecasting import (LIVE_REFIT, LIVE_STEP, OriginForecast, backtest_frame, forecast_as_of, frame_forecasts,
                             input_start)
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


@dataclass(frozen=True)
class Record:
    """The record's walk-forward forecasts of every model of its runs (``frame``) and, for a final plan, a combining
    model's weights at its last origin (``weights``, as the live forecast learns them) and the notes on members left
    out (``left_out``): with them the record's last origin is the live forecast, without a second run."""

    frame: pd.DataFrame
    weights: pd.DataFrame | None = None
    left_out: tuple[str, ...] = ()

    def parts(self) -> dict[str, pd.DataFrame]:
        """The record as named frames (what a frame cache or the store keeps); :meth:`from_parts` reads them back."""
        return {"frame": self.frame, "weights": pd.DataFrame() if self.weights is None else self.weights,
                "left_out": pd.DataFrame({"note": pd.Series(list(self.left_out), dtype=object)})}

    @classmethod
    def from_parts(cls, parts: dict[str, pd.DataFrame]) -> Record:
        weights = parts["weights"]
        return cls(parts["frame"], None if weights.empty else weights, tuple(parts["left_out"]["note"]))


def record_run(closes: pd.Series, plan: HistoryPlan, *, features: pd.DataFrame | None = None, seed: int = 0,
               n_jobs: int = 1, model: str = OUTLOOK_MODEL, symbol: str = "RUT", horizons: tuple[int, ...] = GRADED,
               cache: ForecastCache | None = None) -> Record:
    """The walk-forward forecasts of ``model``, the baselines and a combining model's members on the anchored weekly
    grid, one :func:`r2k.forecasting.backtest_frame` per horizon (as a live forecast runs them), as one long frame
    (origin, target, horizon, model, y, mean, p_up, q01..q99)."""
    runs = [backtest_frame(closes, plan.fold_plan(h, _first(plan.start, model, features, h)), [*BASELINES, model], symbol=symbol,
                           n_jobs=n_jobs, seed=seed, features=features, cache=cache) for h in horizons]
    frame = pd.concat([r.frame for r in runs], ignore_index=True)
    if not plan.final:
        return Record(frame)
    parts = [w for r in runs if (w := r.last_weights()) is not None]
    return Record(frame, pd.concat(parts, ignore_index=True) if parts else None,
                  tuple(dict.fromkeys(n for r in runs for n in r.left_out)))


def forecast_history(closes: pd.Series, plan: HistoryPlan, *, features: pd.DataFrame | None = None, seed: int = 0,
                     n_jobs: int = 1, model: str = OUTLOOK_MODEL, symbol: str = "RUT", baselines: bool = False,
                     horizons: tuple[int, ...] = GRADED, cache: ForecastCache | None = None) -> pd.DataFrame:
    """The frame of :func:`record_run`: the forecasts of ``model`` alone, or with ``baselines`` every model of the runs
    (the baselines and a combining model's members, on the same folds) for scoring."""
    frame = record_run(closes, plan, features=features, seed=seed, n_jobs=n_jobs, model=model, symbol=symbol,
                       horizons=horizons, cache=cache).frame
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


def record_distributions(record: Record, closes: pd.Series, *, seed: int = 0, model: str = OUTLOOK_MODEL,
                         symbol: str = "RUT") -> OriginDistributions | None:
    """The distributions at the last origin of a final plan's record: the live forecast's, bit for bit (its last refit
    block is the live forecast's). None when the record cannot stand in for it (not final, a member left out, or a
    rated horizon or the base rates missing at that origin): the caller then runs the live forecast."""
    frame = record.frame
    if record.left_out or frame.empty:
        return None
    origin = pd.Timestamp(frame["origin"].max())
    closes = closes.dropna()
    if origin != closes.index[-1]:
        return None
    now = frame[(frame["origin"] == origin) & frame["model"].isin([model, BASELINE]) & frame["horizon"].isin(HORIZONS)]
    combines = bool(make_model(model).capabilities.stacks)
    if len(now) != 2 * len(HORIZONS) or (combines and (record.weights is None or record.weights.empty)):
        return None
    fc = OriginForecast(symbol, origin, float(closes.iloc[-1]), frame_forecasts(now, [model, BASELINE]), seed, (),
                        record.weights)
    return _distributions(fc, model)


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
    return _distributions(fc, model)


def _distributions(fc: OriginForecast, model: str) -> OriginDistributions:
    rows = [f for f in fc.forecasts if f.model == model]
    return OriginDistributions(model, fc.origin, fc.last_close, {f.horizon: f.dist for f in rows},
                               {f.horizon: f.target for f in rows}, {f.horizon: f.dist for f in fc.forecasts if f.model == BASELINE},
                               fc.weights, fc)
