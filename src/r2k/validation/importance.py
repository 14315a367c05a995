"""Permutation importance on CRPS inside the walk-forward, and the latest forecast's contributions.

For each predictor (or group of predictors) a :class:`Permuted` wrapper runs the member through the
same engine and folds as the member itself, with one change: at each origin the predictor's value on
the origin row — the one the forecast is made from — is replaced by its value on a random *earlier*
row (a draw from its own past, rows before the origin; a group moves together, keeping its
correlation). No value after the origin is ever shown. The wrapper fits the member exactly as the
plain run does (same seed stream), so the two runs differ only by the permutation; the CRPS increase
averaged over origins and horizons is the feature's importance, with a moving-block bootstrap
standard error over origins.

Members qualify when they expose ``predictors(history)`` and ``predict_from(X, history, horizons)``
(gbm does). Fitted members are cached per process by (member, origin): a refit is done once and
shared by every permuted run (the results do not depend on the cache, only the time).
"""

from __future__ import annotations

import copy
import fnmatch
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.errors import R2KError
from r2k.models.base import QUANTILE_COLUMNS, Capabilities, Distribution, Forecaster, History
from r2k.models.registry import make_model
from r2k.names import DEFAULT_HORIZONS
from r2k.validation.engine import Progress, fold_rng, walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.metrics import crps_quantiles

DEFAULT_GROUPS: tuple[str, ...] = ("ret_5", "ret_20", "ret_60", "ret_250", "rv_5", "rv_22", "rv_66", "log_vix", "log_rvx",
                                   "vrp", "drawdown", "ma200_gap", "channel", "rel_gspc_60", "breadth_50", "z:*")
BOOTSTRAP_REPS = 500
_FITS: dict[tuple[str, pd.Timestamp, int, int], Any] = {}
_CACHE_SIZE = 4096  # fitted members kept per process: more than the refits of any plan, so every probe reuses them


class ImportanceError(R2KError):
    """The member cannot be probed (it exposes no predictor matrix) or no predictor matched."""


def _fitted(member: Any, history: History, seed: int) -> Any:
    """The member fitted at this origin with its own seed stream (cached per process)."""
    key = (repr(member), history.origin, len(history.closes), seed)
    if key not in _FITS:
        m = copy.deepcopy(member)
        m.fit(history, fold_rng(seed, member.name, history.origin, 0))
        if len(_FITS) >= _CACHE_SIZE:
            _FITS.pop(next(iter(_FITS)))
        _FITS[key] = m
    return _FITS[key]


@dataclass
class Probe:
    """A member run through the engine with one change to the predictor matrix it forecasts from (the base of
    :class:`Permuted` and :class:`r2k.validation.ablation.Blanked`); it keeps the member's capabilities."""

    member: Any
    columns: tuple[str, ...]
    seed: int
    name: str = ""
    capabilities: Capabilities = field(default_factory=Capabilities)
    _fit: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = self.name or f"{self.member.name}|{'+'.join(self.columns)}"
        self.capabilities = self.member.capabilities

    def update(self, history: History) -> None:
        self._fit.update(history)


@dataclass
class Permuted(Probe):
    """``member`` with the predictors in ``columns`` drawn from their own past at each origin."""

    def fit(self, history: History, rng: np.random.Generator) -> None:
        self._fit = _fitted(self.member, history, self.seed)

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        X = self._fit.predictors(history).copy()
        cols = [c for c in self.columns if c in X.columns]
        past = X[cols].iloc[:-1]
        rows = np.flatnonzero(past.notna().any(axis=1).to_numpy())
        if cols and rows.size:
            X.iloc[-1, [X.columns.get_loc(c) for c in cols]] = past.iloc[int(rng.choice(rows))].to_numpy()
        return self._fit.predict_from(X, history, horizons)


Groups = Sequence[str] | Mapping[str, Sequence[str]]


def expand(groups: Groups, columns: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Group label -> the predictor columns it names: each pattern its own group (shell patterns like ``z:*`` form
    one group), or a mapping label -> patterns (a block of predictors). Groups naming no column are left out."""
    named = groups if isinstance(groups, Mapping) else {p: (p,) for p in groups}
    out = {}
    for label, patterns in named.items():
        cols = tuple(c for c in columns if any(fnmatch.fnmatchcase(c, p) for p in patterns))
        if cols:
            out[label] = cols
    return out


@dataclass(frozen=True)
class ImportanceResult:
    """Per predictor (group) the CRPS increase when it is permuted, and the latest contributions."""

    model: str
    plan: FoldPlan
    seed: int
    base_crps: float
    table: pd.DataFrame  # feature, columns, crps_increase, se, relative, one column per horizon
    contributions: dict[str, Any] | None = None
    as_of: pd.Timestamp | None = None

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` predictors whose permutation raised CRPS most (the report's table)."""
        return self.table.head(n).reset_index(drop=True)

    def summary(self) -> str:
        t = self.table.copy()
        lines = [f"{self.model}: permutation importance on CRPS ({self.plan.summary()}); base mean CRPS {self.base_crps:.6f}"]
        for r in t.itertuples():
            lines.append(f"  {r.feature:<14} CRPS +{100 * r.relative:.2f}% (± {100 * r.relative_se:.2f}%)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "plan": self.plan.to_dict(), "seed": self.seed, "base_crps": self.base_crps,
                "table": self.table, "as_of": self.as_of, "contributions": self.contributions}


def per_origin_crps(frame: pd.DataFrame, model: str) -> pd.DataFrame:
    """The model's CRPS per origin (rows) and horizon (columns), realised forecasts only."""
    g = frame[(frame["model"] == model) & frame["y"].notna()]
    crps = crps_quantiles(g["y"].to_numpy(), g[list(QUANTILE_COLUMNS)].to_numpy())
    return pd.DataFrame({"origin": g["origin"].to_numpy(), "h": g["horizon"].to_numpy(), "crps": crps})\
        .pivot(index="origin", columns="h", values="crps")


def _block_se(x: np.ndarray, block: int, rng: np.random.Generator) -> float:
    n = len(x)
    if n < 2:
        return math.nan
    block = max(1, min(block, n))
    starts = rng.integers(0, n - block + 1, size=(BOOTSTRAP_REPS, -(-n // block)))
    idx = (starts[:, :, None] + np.arange(block)).reshape(BOOTSTRAP_REPS, -1)[:, :n]
    return float(x[idx].mean(axis=1).std(ddof=1))


def permutation_importance(closes: pd.Series, features: pd.DataFrame, model: str = "gbm", *, plan: FoldPlan,
                           groups: Groups = DEFAULT_GROUPS, seed: int = 0, n_jobs: int = 1,
                           member: Forecaster | None = None, on_progress: Progress | None = None) -> ImportanceResult:
    """Run the member and one permuted copy per predictor group through the engine on ``plan``
    (``on_progress(done, total)`` reports finished model-folds)."""
    base = member or make_model(model)
    if not (hasattr(base, "predictors") and hasattr(base, "predict_from")):
        raise ImportanceError(f"model {base.name} exposes no predictor matrix, so its inputs cannot be permuted")
    from r2k.features.predictors import predictor_matrix

    labels = expand(groups, list(predictor_matrix(features.iloc[:300]).columns))
    if not labels:
        raise ImportanceError(f"none of {', '.join(groups)} is a predictor of {base.name}")
    plain = Permuted(base, (), seed, name=base.name)  # the unpermuted run, sharing the cached fits
    probes = [Permuted(base, cols, seed, name=f"perm:{label}") for label, cols in labels.items()]
    frame = walk_forward(closes, [plain, *probes], plan, seed=seed, n_jobs=n_jobs, features=features, series=model,
                         on_progress=on_progress)
    ref = per_origin_crps(frame, base.name)
    rng = np.random.default_rng(seed)
    block = max(1, math.ceil(max(plan.horizons) / plan.step))
    rows = []
    for label, probe in zip(labels, probes):
        diff = (per_origin_crps(frame, probe.name) - ref).dropna()
        d = diff.mean(axis=1).to_numpy()
        row: dict[str, Any] = {"feature": label, "columns": len(labels[label]), "crps_increase": float(d.mean()),
                               "se": _block_se(d, block, rng)}
        row |= {f"h{h}": float(diff[h].mean()) for h in diff.columns}
        rows.append(row)
    base_crps = float(ref.mean(axis=1).mean())
    table = pd.DataFrame(rows).sort_values("crps_increase", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(3, "relative", table["crps_increase"] / base_crps)
    table.insert(5, "relative_se", table["se"] / base_crps)
    return ImportanceResult(base.name, plan, seed, base_crps, table)


def latest_contributions(closes: pd.Series, features: pd.DataFrame, model: str = "gbm", *,
                         horizons: tuple[int, ...] = DEFAULT_HORIZONS, seed: int = 0) -> tuple[pd.Timestamp, dict[str, Any]]:
    """The member fitted at the last close and its additive contributions for that origin's forecast."""
    member = make_model(model)
    if not hasattr(member, "contributions"):
        raise ImportanceError(f"model {member.name} does not report contributions")
    origin = pd.Timestamp(closes.index[-1])
    history = History(closes, origin, features=features.loc[:origin])  # as the engine builds it (no extra purge)
    member.fit(history, fold_rng(seed, member.name, origin, 0))
    member.predict(history, horizons, fold_rng(seed, member.name, origin, 1))
    return origin, member.contributions(history)


def importance_plan(start: date, end: date | None, step: int = 20, refit_every: int = 3,
                    horizons: tuple[int, ...] = DEFAULT_HORIZONS) -> FoldPlan:
    """The default plan of ``r2k importance``: monthly origins (every 20 trading days)."""
    return FoldPlan(horizons=horizons, start=start, end=end, step=step, refit_every=refit_every)


def top_contributions(contributions: dict[str, Any], horizon: int, n: int = 10) -> pd.DataFrame:
    """The report's table: the ``n`` largest |contributions| to the predicted log variance at one horizon,
    with the matching direction-logit contribution where the direction model uses the predictor."""
    scale = {k: v for k, v in contributions["scale"][horizon].items() if k != "(bias)"}
    direction = contributions["direction"][horizon]
    t = pd.DataFrame({"feature": list(scale), "log_variance": list(scale.values())})
    t["direction_logit"] = t["feature"].map(direction)
    return t.reindex(t["log_variance"].abs().sort_values(ascending=False).index).head(n).reset_index(drop=True)


def importance_report(result: ImportanceResult, n: int = 10) -> pd.DataFrame:
    """The small table the report shows: the top ``n`` predictors by CRPS increase, as fractions."""
    return result.top(n)[["feature", "relative", "relative_se"]]


def contributions_table(closes: pd.Series, features: pd.DataFrame, model: str = "gbm", *, horizon: int = 20,
                        n: int = 10, seed: int = 0) -> pd.DataFrame:
    """For the report (cheap: one fit): the top ``n`` contributions to the latest ``horizon``-day forecast."""
    _, contrib = latest_contributions(closes, features, model, horizons=(horizon,), seed=seed)
    return top_contributions(contrib, horizon, n)
