"""The forecasts the outlook rests on: one model (``OUTLOOK_MODEL``), the distribution at the origin for the
rated horizons, and its walk-forward history (the ratings' track record). Everything goes through the one
walk-forward engine, so a rating at an origin uses exactly what that origin's forecast used.

Switching the outlook to another model (e.g. the ensemble once it wins the walk-forward comparison) is a
change of ``OUTLOOK_MODEL`` only: members of a combining model run in the same backtest, and the daily input
frame is passed when the model needs features.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.models.base import QUANTILE_COLUMNS, Distribution
from r2k.models.registry import make_model, make_models
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan

OUTLOOK_MODEL = "garch"
BASELINES: tuple[str, ...] = ("climatology", "random_walk")
MODEL_SHORT = {"garch": "GJR-GARCH", "random_walk": "random walk", "climatology": "climatology", "ensemble": "ensemble"}
MODEL_LABELS = {"garch": "GJR-GARCH(1,1) with skew-t errors (volatility model, constant mean)",
                "ensemble": "the ensemble of the forecast models", "climatology": "climatology (all past h-day returns)",
                "random_walk": "random walk (zero-mean normal, 250-day volatility)"}
SHORT, MEDIUM, LONG = 20, 10, 260  # trading days: 4 weeks (the short-term rating), 2 weeks (also reported), 52 weeks
HORIZONS: tuple[int, ...] = (MEDIUM, SHORT, LONG)
WEEKS = {MEDIUM: 2, SHORT: 4, LONG: 52}
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

    def fold_plan(self) -> FoldPlan:
        return FoldPlan(horizons=HORIZONS, start=self.start, end=self.end, step=self.step,
                        refit_every=self.refit_every, min_train=MIN_TRAIN)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "step": self.step, "refit_every": self.refit_every,
                "horizons": list(HORIZONS), "model": OUTLOOK_MODEL}


def _rows_of(frame: pd.DataFrame, model: str) -> pd.DataFrame:
    return frame[frame["model"] == model].reset_index(drop=True)


def forecast_history(closes: pd.Series, plan: HistoryPlan, *, features: pd.DataFrame | None = None, seed: int = 0,
                     n_jobs: int = 1, model: str = OUTLOOK_MODEL, symbol: str = "RUT", baselines: bool = False) -> pd.DataFrame:
    """The engine's walk-forward forecasts of ``model`` (long frame: origin, target, horizon, model, y, mean, p_up,
    q01..q99); with ``baselines``, the baselines' forecasts on the same folds too (for scoring against them)."""
    names = [*BASELINES, *(m for m in model_names(model) if m not in BASELINES)] if baselines else model_names(model)
    frame = walk_forward(closes, make_models(names), plan.fold_plan(), seed=seed, n_jobs=n_jobs,
                         features=features, series=symbol)
    return frame if baselines else _rows_of(frame, model)


@dataclass(frozen=True)
class OriginDistributions:
    """The outlook model's distribution per rated horizon at one origin (the last close on or before as-of)."""

    model: str
    origin: pd.Timestamp
    last_close: float
    dists: dict[int, Distribution]
    targets: dict[int, pd.Timestamp]

    def price(self, horizon: int, level: float) -> float:
        return self.last_close * float(np.exp(self.dists[horizon].quantile(level)))


STACK_YEARS = 5


def _origin_plan(closes: pd.Series, model: str) -> HistoryPlan:
    """One origin; for a model that combines others, weekly origins over the last ``STACK_YEARS`` years ending
    exactly at the origin, so it sees its members' realised forecasts as it would in the walk-forward."""
    origin = closes.index[-1].date()
    if not make_model(model).capabilities.stacks:
        return HistoryPlan(start=origin, end=origin, step=1, refit_every=1)
    back = min(STACK_YEARS * 52 * 5, (len(closes) - 1 - MIN_TRAIN) // 5 * 5)
    return HistoryPlan(start=closes.index[-1 - back].date(), end=origin, step=5, refit_every=4)


def origin_distributions(closes: pd.Series, as_of: date | None = None, *, features: pd.DataFrame | None = None,
                         seed: int = 0, model: str = OUTLOOK_MODEL, symbol: str = "RUT") -> OriginDistributions:
    """The distributions at the origin = the last close on or before ``as_of``, through the engine."""
    closes = closes.dropna()
    if as_of is not None:
        closes = closes.loc[: pd.Timestamp(as_of)]
    if len(closes) <= MIN_TRAIN:
        last = closes.index[-1].date() if len(closes) else as_of
        raise DataError(symbol, f"only {len(closes)} closes up to {last}: the outlook needs more than {MIN_TRAIN}", row=str(last))
    origin = pd.Timestamp(closes.index[-1])
    rows = forecast_history(closes, _origin_plan(closes, model), features=None if features is None else features.loc[:origin],
                            seed=seed, model=model, symbol=symbol)
    rows = rows[rows["origin"] == origin]
    dists = {int(r["horizon"]): Distribution(float(r["mean"]), np.array([r[c] for c in QUANTILE_COLUMNS]), float(r["p_up"]))
             for r in rows.to_dict(orient="records")}
    targets = {int(r["horizon"]): pd.Timestamp(r["target"]) for r in rows.to_dict(orient="records")}
    return OriginDistributions(model, origin, float(closes.iloc[-1]), dists, targets)
