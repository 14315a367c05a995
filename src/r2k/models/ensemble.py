"""The ensemble: members' distributions combined by quantile averaging, weights learned from realised scores.

At each refit origin, per horizon, the weights minimise the CRPS of the combined quantiles
Q(tau) = sum_i w_i Q_i(tau) (Vincentization) over the member forecasts made in the last ``window_years``
(WINDOW_YEARS = 8) before the origin whose target was realised by then, on the simplex (w_i >= 0, sum 1).
The window makes the weights at an origin a function of that origin alone: a live forecast and a backtest
whose warm-up covers the window learn from the same rows (r2k.forecasting). The walk-forward engine hands the ensemble only those rows (and
the members' forecasts made at the origin itself, outcome hidden): it cannot see a member forecast whose
target lies after the origin. With fewer than ``min_history`` realised origins the weights are equal.

P(up) comes from the combined distribution, or from the member whose P(up) had the lowest Brier score on
the same realised rows when that beat the combination's (the direction model earns its place in the past).

:func:`combination` is pure, so the weights behind any backtest origin can be recomputed and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from r2k.errors import DataError
from r2k.models.base import LEVELS, QUANTILE_COLUMNS, Capabilities, Distribution, History
from r2k.models.rules import CRPS_WEIGHTS, crps_quantiles

COMBINED = "combined"
WINDOW_YEARS = 8  # member forecasts made this long before a refit origin teach the weights
DEFAULT_MEMBERS: tuple[str, ...] = ("garch_hm", "implied_vol", "har", "gbm")


@dataclass(frozen=True)
class Combination:
    """The weights and P(up) source for one horizon at one origin, with what they were learned from."""

    horizon: int
    weights: dict[str, float]
    p_up_source: str
    n_realised: int
    crps: float | None = None  # in-sample CRPS of the combination on the realised rows

    def to_dict(self) -> dict[str, Any]:
        return {"horizon": self.horizon, "weights": self.weights, "p_up_source": self.p_up_source,
                "n_realised": self.n_realised, "crps": self.crps}


def _combined_p_up(q: np.ndarray) -> np.ndarray:
    """P(y > 0) of each row's quantile function (linear between levels, flat tails)."""
    return np.array([1.0 - np.interp(0.0, row, LEVELS, left=0.0, right=1.0) for row in q])


def simplex_crps_weights(y: np.ndarray, q: np.ndarray, iterations: int = 200) -> np.ndarray:
    """Weights on the simplex minimising mean CRPS of sum_i w_i q[:, i, :]; q has shape (n, members, 99)."""
    m = q.shape[1]
    if m == 1:
        return np.ones(1)

    def loss_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
        comb = np.einsum("nmk,m->nk", q, w)
        u = y[:, None] - comb
        ind = (u < 0).astype(float)
        loss = 2.0 * float(((u * (LEVELS - ind)) * CRPS_WEIGHTS).sum(axis=1).mean())
        g = -2.0 * np.einsum("nk,nmk->m", (LEVELS - ind) * CRPS_WEIGHTS, q) / len(y)
        return loss, g

    start = np.full(m, 1.0 / m)
    res = minimize(loss_grad, start, jac=True, method="SLSQP", bounds=[(0.0, 1.0)] * m,
                   constraints=({"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)},),
                   options={"maxiter": iterations, "ftol": 1e-10})
    w = np.clip(res.x if res.success or np.isfinite(res.fun) else start, 0.0, None)
    w = w / w.sum()
    # never worse in sample than equal weights (guards against a poor optimiser stop)
    return w if loss_grad(w)[0] <= loss_grad(start)[0] else start


def combination(realised: pd.DataFrame, members: tuple[str, ...], horizon: int, min_history: int = 52) -> Combination:
    """Weights and P(up) source for ``horizon`` from realised member rows (target on or before the origin)."""
    part = realised[(realised["horizon"] == horizon) & realised["model"].isin(members) & realised["y"].notna()]
    counts = part.groupby("origin")["model"].nunique()
    origins = counts.index[counts == len(members)]
    equal = {m: 1.0 / len(members) for m in members}
    if len(origins) < min_history:
        return Combination(horizon, equal, COMBINED, len(origins))
    part = part[part["origin"].isin(origins)].sort_values(["origin", "model"])
    by = {m: g.sort_values("origin") for m, g in part.groupby("model")}
    y = by[members[0]]["y"].to_numpy()
    q = np.stack([by[m][list(QUANTILE_COLUMNS)].to_numpy() for m in members], axis=1)
    w = simplex_crps_weights(y, q)
    comb = np.einsum("nmk,m->nk", q, w)
    up = (y > 0).astype(float)
    briers = {COMBINED: float(np.mean((_combined_p_up(comb) - up) ** 2))}
    briers.update({m: float(np.mean((by[m]["p_up"].to_numpy() - up) ** 2)) for m in members})
    source = min(briers, key=briers.get)  # type: ignore[arg-type]
    return Combination(horizon, {m: float(v) for m, v in zip(members, w)}, source, len(origins),
                       float(crps_quantiles(y, comb).mean()))


@dataclass
class Ensemble:
    """Combines ``members`` (each run by the engine on the same folds, before the ensemble)."""

    members: tuple[str, ...] = DEFAULT_MEMBERS
    min_history: int = 52
    window_years: int = WINDOW_YEARS
    name: str = "ensemble"
    capabilities: Capabilities = field(init=False)
    combos: dict[int, Combination] = field(default_factory=dict, init=False, repr=False)
    _realised: pd.DataFrame | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.members = tuple(self.members)
        if not self.members:
            raise ValueError("an ensemble needs at least one member")
        self.capabilities = Capabilities(stacks=self.members)

    def fit(self, history: History, rng: np.random.Generator) -> None:
        """Keep the realised member rows; each horizon's weights are learned when it is first asked for."""
        if history.forecasts is None:
            raise DataError(self.name, "the engine gave no member forecasts (run the members in the same backtest)")
        self._realised = learning_rows(history.forecasts, history.origin, self.window_years)
        self.combos = {}

    def update(self, history: History) -> None:  # pragma: no cover - supports_update is False
        raise AssertionError("the ensemble refits at every refit origin")

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        if self._realised is None or history.forecasts is None:
            raise RuntimeError(f"{self.name}: predict called before fit")
        now = history.forecasts[history.forecasts["origin"] == history.origin]
        out = {}
        for h in horizons:
            if h not in self.combos:
                self.combos[h] = combination(self._realised, self.members, h, self.min_history)
            c = self.combos[h]
            rows = now[now["horizon"] == h].set_index("model")
            missing = [m for m in self.members if m not in rows.index]
            if missing:
                raise DataError(self.name, f"no {h}-day forecast from {', '.join(missing)} at origin {history.origin.date()}",
                                row=str(history.origin.date()))
            w = np.array([c.weights[m] for m in self.members])
            q = rows.loc[list(self.members), list(QUANTILE_COLUMNS)].to_numpy().T @ w
            mean = float(rows.loc[list(self.members), "mean"].to_numpy() @ w)
            p_up = float(_combined_p_up(q[None, :])[0]) if c.p_up_source == COMBINED else float(rows.loc[c.p_up_source, "p_up"])
            out[h] = Distribution(mean, q, p_up)
        return out


def learning_rows(forecasts: pd.DataFrame, origin: pd.Timestamp, window_years: int = WINDOW_YEARS) -> pd.DataFrame:
    """The member rows the weights at ``origin`` learn from: made in the ``window_years`` before it, with the
    outcome realised by then."""
    f = forecasts
    keep = (f["target"] <= origin) & f["y"].notna() & (f["origin"] >= origin - pd.DateOffset(years=window_years))
    return f[keep]


def weight_history(frame: pd.DataFrame, refit_origins: list[pd.Timestamp], members: tuple[str, ...],
                   horizons: tuple[int, ...], min_history: int = 52, window_years: int = WINDOW_YEARS) -> pd.DataFrame:
    """The weights the ensemble used at each refit origin of a backtest frame (recomputed, pure):
    columns origin, horizon, p_up_source, n_realised, one column per member."""
    rows = []
    for origin in refit_origins:
        known = learning_rows(frame, origin, window_years)
        for h in horizons:
            c = combination(known, members, h, min_history)
            rows.append({"origin": origin, "horizon": h, "p_up_source": c.p_up_source, "n_realised": c.n_realised, **c.weights})
    return pd.DataFrame(rows)
