"""Drop-block refits: what a member loses when it is refitted without a block of its predictors.

Permutation importance (:mod:`r2k.validation.importance`) measures what a fitted model loses when one input is
scrambled; a model refitted without that input may recover most of it from the others (VIX and realised volatility
overlap, and so do the macro spreads and stress indexes). A drop-block refit answers the question a modeller asks —
does the model need this block? — by running the member through the same engine and folds with the block's values
held at one constant on every row (missing values stay missing), so the trees cannot split on them. It is fitted
with the member's own seed stream, so with no block dropped it reproduces the member exactly.

Each block's loss is the member's CRPS without it against its CRPS with everything, averaged over the horizons per
origin, with the project's comparison rules (:func:`r2k.validation.compare.compare`: a block-bootstrap interval and
a Diebold–Mariano HAC test).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from r2k.models.base import Distribution, Forecaster, History
from r2k.models.registry import make_model
from r2k.validation.compare import compare
from r2k.validation.engine import fold_rng, walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.importance import ImportanceError, Probe, expand, per_origin_crps

BLOCKS: dict[str, tuple[str, ...]] = {
    "returns": ("ret_*",),
    "realised volatility": ("rv_*",),
    "implied volatility": ("log_vix", "log_rvx", "vrp"),
    "trend and drawdown": ("drawdown", "ma200_gap", "channel"),
    "relative strength and breadth": ("rel_gspc_60", "breadth_50"),
    "macro z-scores": ("z:*",),
}
ABLATION_COLUMNS = ("block", "columns", "crps_increase", "low", "high", "dm_p", "n")


@dataclass
class Blanked(Probe):
    """``member`` refitted with the predictors in ``columns`` held at 0 wherever they are known."""

    def fit(self, history: History, rng: np.random.Generator) -> None:
        self._fit = copy.deepcopy(self.member)
        self._fit.fit(history, fold_rng(self.seed, self.member.name, history.origin, 0))  # the member's own stream

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        X = self._fit.predictors(history).copy()
        for c in self.columns:
            if c in X.columns:
                X[c] = X[c].where(X[c].isna(), 0.0)
        return self._fit.predict_from(X, history, horizons)


def drop_block_refits(closes: pd.Series, features: pd.DataFrame, model: str = "gbm", *, plan: FoldPlan,
                      blocks: Mapping[str, Sequence[str]] = BLOCKS, seed: int = 0, n_jobs: int = 1,
                      member: Forecaster | None = None) -> pd.DataFrame:
    """One row per block (ABLATION_COLUMNS): the relative CRPS increase when the member is refitted without it
    (positive: the block helps), its 95% block-bootstrap interval and the DM p of equal CRPS, on ``plan``'s origins."""
    base = member or make_model(model)
    if not (hasattr(base, "predictors") and hasattr(base, "predict_from")):
        raise ImportanceError(f"model {base.name} exposes no predictor matrix, so it cannot be refitted without a block")
    from r2k.features.predictors import predictor_matrix

    labels = expand(blocks, list(predictor_matrix(features.iloc[:300]).columns))
    full = Blanked(base, (), seed, name=base.name)
    runs = {label: Blanked(base, cols, seed, name=f"without:{label}") for label, cols in labels.items()}
    frame = walk_forward(closes, [full, *runs.values()], plan, seed=seed, n_jobs=n_jobs, features=features,
                         series=base.name)  # no forecast cache: its key does not cover this wrapper's code
    ref = per_origin_crps(frame, base.name).dropna().mean(axis=1)
    rows = []
    for label, run in runs.items():
        both = pd.concat([per_origin_crps(frame, run.name).dropna().mean(axis=1), ref], axis=1, keys=["without", "full"]).dropna()
        c = compare(both["full"].to_numpy(), both["without"].to_numpy(), horizon=max(plan.horizons), step=plan.step)
        # skill of the full member over the one without the block = 1 - full / without; as an increase of CRPS when
        # the block is dropped: without / full - 1 = skill / (1 - skill), monotone, so the interval maps through
        bend = lambda s: s / (1 - s)  # noqa: E731
        rows.append({"block": label, "columns": len(labels[label]), "crps_increase": bend(c.skill), "low": bend(c.low),
                     "high": bend(c.high), "dm_p": c.p_value, "n": c.n})
    return pd.DataFrame(rows, columns=list(ABLATION_COLUMNS))
