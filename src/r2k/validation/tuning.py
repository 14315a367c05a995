"""Hyperparameter search on walk-forward origins that end at the tuning cutoff.

The closes and the input frame are cut at the cutoff *before* anything runs, so no trial can read a
later row, whatever the plan says (the plan's last origin is clipped to the cutoff too; targets past
it are simply unknown and not scored). The objective is the mean CRPS over the plan's horizons from
the one walk-forward engine. Optuna's TPE sampler is seeded and trials run one after another, so a
search is reproducible; the chosen parameters go to ``r2k/models/tuned.json`` (see
:mod:`r2k.models.tuned`), which the models read as their defaults.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from r2k import __version__
from r2k.errors import R2KError
from r2k.models.base import QUANTILE_COLUMNS
from r2k.models.gbm import GradientBoosting
from r2k.models.registry import make_model
from r2k.models.tuned import FORMAT_VERSION, TUNED_PATH, clear_cache
from r2k.names import DEFAULT_HORIZONS
from r2k.outfile import write_text
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.metrics import crps_quantiles

# model name -> its search space (trial -> constructor keyword arguments); add a model here to make it tunable
SEARCH_SPACES: dict[str, Callable[[Any], dict[str, Any]]] = {"gbm": GradientBoosting.search_space}
DEFAULT_CUTOFF = date(2015, 12, 31)


class TuningError(R2KError):
    """A search cannot run: unknown or untunable model, or no scored origin before the cutoff."""


def tuning_plan(cutoff: date = DEFAULT_CUTOFF, start: date = date(2000, 1, 3), step: int = 20, refit_every: int = 6,
                horizons: tuple[int, ...] = DEFAULT_HORIZONS) -> FoldPlan:
    """The default coarse plan of a search: every ``step`` trading days from ``start`` to the cutoff."""
    return FoldPlan(horizons=horizons, start=start, end=cutoff, step=step, refit_every=refit_every)


@dataclass(frozen=True)
class TuningResult:
    """The best parameters of one search and how they were found."""

    model: str
    params: dict[str, Any]
    best_crps: float
    trials: int
    cutoff: date
    seed: int
    plan: FoldPlan
    history: pd.DataFrame  # one row per trial: number, mean CRPS, parameters

    def record(self, written: date) -> dict[str, Any]:
        """The entry stored in tuned.json."""
        return {"params": self.params, "trials": self.trials, "cutoff": self.cutoff.isoformat(), "seed": self.seed,
                "best_crps": self.best_crps, "plan": _plain(self.plan.to_dict()), "written": written.isoformat(),
                "r2k_version": __version__}

    def summary(self) -> str:
        params = ", ".join(f"{k} = {_fmt(v)}" for k, v in self.params.items())
        return (f"{self.model}: best mean CRPS {self.best_crps:.6f} after {self.trials} trials on origins up to "
                f"{self.cutoff} ({self.plan.summary()}); seed {self.seed}\nparameters: {params}")

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "params": self.params, "best_crps": self.best_crps, "trials": self.trials,
                "cutoff": self.cutoff, "seed": self.seed, "plan": self.plan.to_dict(), "history": self.history}


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _plain(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in d.items()}


def mean_crps(frame: pd.DataFrame) -> float:
    """Mean over horizons of each horizon's mean CRPS (forecasts whose outcome is known)."""
    known = frame[frame["y"].notna()]
    if known.empty:
        return math.nan
    per_h = [crps_quantiles(g["y"].to_numpy(), g[list(QUANTILE_COLUMNS)].to_numpy()).mean() for _, g in known.groupby("horizon")]
    return float(np.mean(per_h))


def tune(closes: pd.Series, model: str = "gbm", *, features: pd.DataFrame | None = None, trials: int = 25,
         cutoff: date = DEFAULT_CUTOFF, plan: FoldPlan | None = None, seed: int = 0, n_jobs: int = 1,
         on_trial: Callable[[int, int], None] | None = None) -> TuningResult:
    """Search ``model``'s space on origins up to ``cutoff``; data after the cutoff is dropped first.
    ``on_trial(done, trials)`` is called after each trial (for a progress display)."""
    import optuna

    key = model.strip().lower()
    if key not in SEARCH_SPACES:
        raise TuningError(f"model {model!r} has no search space; tunable: {', '.join(SEARCH_SPACES)}")
    end = pd.Timestamp(cutoff)
    closes = closes.loc[:end]
    features = None if features is None else features.loc[:end]
    plan = plan or tuning_plan(cutoff)
    plan = replace(plan, end=min(plan.end or cutoff, cutoff))
    space = SEARCH_SPACES[key]

    def objective(trial: optuna.Trial) -> float:
        params = space(trial)
        frame = walk_forward(closes, [make_model(key, **params)], plan, seed=seed, n_jobs=n_jobs, features=features, series=key)
        value = mean_crps(frame)
        if not math.isfinite(value):
            raise TuningError(f"no forecast of {key} before {cutoff} has a known outcome: start the plan earlier")
        return value

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    callbacks = [] if on_trial is None else [lambda st, _t: on_trial(len(st.trials), trials)]
    study.optimize(objective, n_trials=trials, callbacks=callbacks)
    history = pd.DataFrame([{"trial": t.number, "mean_crps": t.value, **t.params} for t in study.trials])
    return TuningResult(key, dict(study.best_params), float(study.best_value), trials, cutoff, seed, plan, history)


def write_tuned(result: TuningResult, written: date, path: Path = TUNED_PATH) -> Path:
    """Store the result's record under its model in ``path`` (other models' records are kept)."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    models = dict(data.get("models", {}))
    models[result.model] = result.record(written)
    out = {"format": FORMAT_VERSION, "models": dict(sorted(models.items()))}
    write_text(path, json.dumps(out, indent=2, sort_keys=False) + "\n")
    clear_cache()
    return path
