"""Model names -> constructors, so the CLI and the report can ask for models by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from r2k import names
from r2k.errors import R2KError
from r2k.models.base import Forecaster
from r2k.models.baselines import Climatology, RandomWalk
from r2k.models.ensemble import Ensemble
from r2k.models.garch import GJRGarch, GJRGarchHM
from r2k.models.gbm import GradientBoosting
from r2k.models.har import HAR
from r2k.models.implied_vol import ImpliedVol
from r2k.models.rnn import RecurrentQuantile  # torch is imported only when the rnn trains

MODELS: dict[str, Callable[..., Forecaster]] = {
    "climatology": Climatology,
    "random_walk": RandomWalk,
    "garch": GJRGarch,
    "garch_hm": GJRGarchHM,
    "implied_vol": ImpliedVol,
    "har": HAR,
    "gbm": GradientBoosting.tuned,
    "rnn": RecurrentQuantile,
    "ensemble": Ensemble,
}
BASELINE = names.BASELINE


class UnknownModelError(R2KError):
    """A model name is not in the registry."""


def make_model(name: str, **params: Any) -> Forecaster:
    key = name.strip().lower()
    if key not in MODELS:
        raise UnknownModelError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    return MODELS[key](**params)


def make_models(names: Sequence[str]) -> list[Forecaster]:
    models = [make_model(n) for n in names]
    seen = [m.name for m in models]
    if len(set(seen)) != len(seen):
        raise UnknownModelError(f"model list {', '.join(names)} names a model twice")
    return models
