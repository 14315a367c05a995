"""Library entry points for the CLI and the report: a scored walk-forward backtest, and the forecast
distributions at one origin. Both go through the one walk-forward engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.models.base import QUANTILE_COLUMNS, Distribution, Forecast
from r2k.models.registry import BASELINE, make_models
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.scoring import Scores, score_backtest

DEFAULT_MODELS = ("climatology", "random_walk", "garch")


def _with_baseline(models: Sequence[str]) -> list[str]:
    names = [m.strip().lower() for m in models if m.strip()]
    return names if BASELINE in names else [BASELINE, *names]


@dataclass(frozen=True)
class BacktestResult:
    """The long forecast frame of a walk-forward backtest and its scores."""

    symbol: str
    plan: FoldPlan
    models: tuple[str, ...]
    seed: int
    frame: pd.DataFrame
    scores: Scores

    def summary(self) -> str:
        return f"{self.symbol} backtest: {self.plan.summary()}; seed {self.seed}\n{self.scores.summary()}"

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "plan": self.plan.to_dict(), "models": list(self.models), "seed": self.seed,
                "n_forecasts": len(self.frame), "n_origins": int(self.frame["origin"].nunique()),
                "first_origin": self.frame["origin"].min(), "last_origin": self.frame["origin"].max(),
                "scores": self.scores.to_dict()}


def run_backtest(closes: pd.Series, *, symbol: str = "RUT", models: Sequence[str] = DEFAULT_MODELS,
                 horizons: Sequence[int] = (5, 10, 20), start: date | None = None, end: date | None = None,
                 step: int = 5, refit_every: int = 4, window: str = "expanding", window_length: int | None = None,
                 n_jobs: int = 1, seed: int = 0, features: pd.DataFrame | None = None) -> BacktestResult:
    """Walk forward over ``closes`` and score every model against climatology on the same folds.

    Climatology is added when it is not listed: every score is relative to it. ``features`` is the
    input frame (:func:`r2k.features.inputs.load_inputs`) for models that need one.
    """
    names = _with_baseline(models)
    plan = FoldPlan(horizons=tuple(horizons), start=start, end=end, step=step, refit_every=refit_every,
                    window=window, window_length=window_length)  # type: ignore[arg-type]
    frame = walk_forward(closes, make_models(names), plan, seed=seed, n_jobs=n_jobs, series=symbol, features=features)
    return BacktestResult(symbol, plan, tuple(names), seed, frame, score_backtest(frame, step=step, seed=seed))


@dataclass(frozen=True)
class OriginForecast:
    """Every model's distribution at one origin (the last close on or before the as-of date)."""

    symbol: str
    origin: pd.Timestamp
    last_close: float
    forecasts: tuple[Forecast, ...]
    seed: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([f.row() for f in self.forecasts])

    def price_quantiles(self, model: str, levels: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Price levels last_close * exp(q) per horizon for one model (rows: horizon; columns: level)."""
        rows = {f.horizon: [self.last_close * np.exp(f.dist.quantile(lv)) for lv in levels] for f in self.forecasts if f.model == model}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(levels)).sort_index()

    def summary(self) -> str:
        lines = [f"{self.symbol} forecasts from the close of {self.origin.date()} ({self.last_close:,.2f}):"]
        lines += [f"  {f.summary()}" for f in self.forecasts]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "origin": self.origin, "last_close": self.last_close, "seed": self.seed,
                "forecasts": [f.to_dict() for f in self.forecasts]}


def forecast_as_of(closes: pd.Series, *, as_of: date | None = None, symbol: str = "RUT",
                   horizons: Sequence[int] = (5, 10, 20), models: Sequence[str] = DEFAULT_MODELS, seed: int = 0,
                   features: pd.DataFrame | None = None) -> OriginForecast:
    """The distributions of every model for the origin = the last close on or before ``as_of``."""
    closes = closes.dropna()
    if as_of is not None:
        closes = closes.loc[: pd.Timestamp(as_of)]
    if closes.empty:
        raise DataError(symbol, f"no closes on or before {as_of}")
    if len(closes) < 3:  # the plan needs >= 2 closes of training data before the origin
        raise DataError(symbol, f"only {len(closes)} closes up to {closes.index[-1].date()}: too short a history to forecast from",
                        row=str(closes.index[-1].date()))
    origin = pd.Timestamp(closes.index[-1])
    plan = FoldPlan(horizons=tuple(sorted(set(horizons))), start=origin.date(), end=origin.date(), step=1,
                    min_train=min(500, len(closes) - 1))
    frame = walk_forward(closes, make_models([m.strip().lower() for m in models]), plan, seed=seed, series=symbol,
                         features=features)
    fcs = tuple(Forecast(r["model"], pd.Timestamp(r["origin"]), int(r["horizon"]), pd.Timestamp(r["target"]),
                         Distribution(float(r["mean"]), np.array([r[c] for c in QUANTILE_COLUMNS]), float(r["p_up"])))
                for r in frame.to_dict(orient="records"))
    return OriginForecast(symbol, origin, float(closes.iloc[-1]), fcs, seed)
