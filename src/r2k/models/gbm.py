"""Gradient boosting on the point-in-time predictor matrix: the scale of the distribution and P(up).

*Scale.* Per horizon h one LightGBM regression predicts v_t = log(mean of the next h squared daily log
returns) from the predictors at t (:mod:`r2k.features.predictors`). Training samples are only those
whose h-day window ends on or before the origin, and no later than the purge gap allows
(``History.gap``), exactly the samples behind ``History.h_returns``.

*Shape.* Filtered historical simulation: the past h-day returns standardised by the model's own
in-sample fitted h-day sigma, z_i = (R_i - m_h) / sigma_i, sigma_i = sqrt(h exp(v_hat_i)). Their
quantiles absorb the log-variance bias (E log RV < log E RV) and the fat tails; the forecast is
m_h + sigma_hat(origin) * quantile(z), centred on m_h, the historical mean h-day return (the same
mean as climatology: the boosting forecasts the width, not the centre, which did not help).
Only the standardised returns of the last ``z_window`` (2,500) sample days form the shape: with all
of them since 1988 the intervals were too wide on origins 2000-2015 (80% coverage 0.84-0.87),
with the last ~10 years the mean CRPS there was lowest (docs/forecasting.md); chosen before the cutoff.

*Direction.* P(up) per horizon from a regularised logistic regression on three stress signals
(``direction="logit"``, the default: ``log_vix``, ``rv_22``, ``drawdown``, z-scored), a one-slope
logistic regression on a stress index with the prior signs (``"stress"``: slope >= 0, else the base
rate) or a LightGBM classifier on all predictors (``"lgbm"``). The default has the lowest log loss
averaged over h = 5/10/20 on origins before the tuning cutoff (bench/gbm_direction.py; numbers in
docs/forecasting.md); no choice looked at later origins.

Deterministic: LightGBM runs single-threaded, seeded from the engine's generator.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from r2k.errors import DataError
from r2k.features.inputs import require
from r2k.features.predictors import predictor_matrix
from r2k.models.base import LEVELS, Capabilities, Distribution, History
from r2k.models.tuned import tuned_params

STRESS_COLUMNS: tuple[str, ...] = ("log_vix", "rv_22", "drawdown")
STRESS_SIGNS = np.array([1.0, 1.0, -1.0])  # prior sign: higher = more stress (a deeper drawdown is more negative)
DIRECTIONS: tuple[str, ...] = ("stress", "logit", "lgbm")
MAX_BIN = 63  # histogram bins per predictor: 4x fewer than LightGBM's default, no loss on a few thousand noisy rows
LOG_FLOOR = 1e-10  # floor of the mean squared return before the log (a window of zero returns)


def log_future_variance(logp: np.ndarray, h: int) -> np.ndarray:
    """v[i] = log(mean of r[i+1..i+h]^2), r the daily log returns; NaN where the window passes the end."""
    r2 = np.concatenate([[0.0], np.diff(logp) ** 2])
    c = np.cumsum(r2)
    out = np.full(len(logp), np.nan)
    if len(logp) > h:
        out[: len(logp) - h] = np.log(np.maximum((c[h:] - c[:-h]) / h, LOG_FLOOR))
    return out


@dataclass
class GradientBoosting:
    """LightGBM scale model + FHS shape + P(up) classifier; see the module docstring."""

    num_leaves: int = 7
    learning_rate: float = 0.05
    n_trees: int = 150
    min_leaf: int = 100
    feature_fraction: float = 0.7
    bagging_fraction: float = 0.8
    l2: float = 1.0
    z_window: int | None = 2500  # shape from the standardised returns of the last that many days (None = all); see docs
    sample_step: int = 3  # use every k-th (overlapping) training sample: neighbours carry almost the same target
    direction: str = "logit"
    logit_c: float = 0.1
    min_train: int = 750
    name: str = "gbm"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(needs_features=True, supports_update=True, inputs=("VIX",), min_history=750))
    _columns: list[str] = field(default_factory=list, init=False, repr=False)
    _scale: dict[int, lgb.Booster] = field(default_factory=dict, init=False, repr=False)
    _zq: dict[int, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _dir: dict[int, Any] = field(default_factory=dict, init=False, repr=False)
    _dir_stats: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False, repr=False)
    _seed: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.name}: direction must be one of {', '.join(DIRECTIONS)}, got {self.direction!r}")

    @classmethod
    def tuned(cls, **overrides: Any) -> "GradientBoosting":
        """The model with the parameters of ``tuned.json`` (if any), then ``overrides``."""
        return cls(**(tuned_params("gbm") | overrides))

    @staticmethod
    def search_space(trial: Any) -> dict[str, Any]:
        """The Optuna search space of ``r2k tune --model gbm`` (the scale model: the CRPS objective does not
        depend on the direction model, so its parameters are not searched)."""
        return {"num_leaves": trial.suggest_int("num_leaves", 3, 31, log=True),
                "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.2, log=True),
                "n_trees": trial.suggest_int("n_trees", 50, 400, log=True),
                "min_leaf": trial.suggest_int("min_leaf", 20, 400, log=True),
                "feature_fraction": trial.suggest_float("feature_fraction", 0.3, 1.0),
                "bagging_fraction": trial.suggest_float("bagging_fraction", 0.5, 1.0),
                "l2": trial.suggest_float("l2", 1e-3, 10.0, log=True)}

    def _lgb_params(self, seed: int, objective: str) -> dict[str, Any]:
        return {"objective": objective, "num_leaves": int(self.num_leaves), "learning_rate": float(self.learning_rate),
                "min_data_in_leaf": int(self.min_leaf), "feature_fraction": float(self.feature_fraction),
                "bagging_fraction": float(self.bagging_fraction), "bagging_freq": 1 if self.bagging_fraction < 1 else 0,
                "lambda_l2": float(self.l2), "seed": seed, "num_threads": 1, "deterministic": True,
                "force_row_wise": True, "max_bin": MAX_BIN, "verbose": -1}

    # -- the predictor matrix -------------------------------------------------------------------------

    def predictors(self, history: History) -> pd.DataFrame:
        """The predictor matrix on the dates of the history's closes (rows up to the origin only)."""
        require(history.features, "VIX", self.name, history.origin)
        return history.causal_frame(predictor_matrix).reindex(history.closes.index)

    # -- fit ------------------------------------------------------------------------------------------

    def fit(self, history: History, rng: np.random.Generator) -> None:
        """Check the inputs and draw the block's seed; each horizon's models are fitted on the first
        ``predict`` that asks for it, which in the walk-forward is the refit origin itself."""
        n = len(history.closes)
        if n < self.min_train:
            raise DataError(self.name, f"only {n} closes up to origin {history.origin.date()}, need {self.min_train}")
        require(history.features, "VIX", self.name, history.origin)
        self._seed = int(rng.integers(2**31 - 1))
        self._columns, self._scale, self._zq, self._dir = [], {}, {}, {}

    def _fit_horizon(self, X: pd.DataFrame, history: History, h: int) -> None:
        if not self._columns:
            self._columns = list(X.columns)
        X = X.reindex(columns=self._columns)
        n = len(history.closes)
        logp = np.log(history.closes.to_numpy(dtype=float))
        values = X.to_numpy(dtype=float)
        usable = np.isfinite(X["rv_22"].to_numpy())
        last = n - 1 - max(h, history.gap)  # the latest sample start whose target ended by the origin
        idx = np.arange(max(last + 1, 0))
        idx = idx[usable[: last + 1]][:: -int(self.sample_step)][::-1]  # keep the newest sample, thin older ones
        if len(idx) < 200:
            raise DataError(self.name, f"only {len(idx)} training samples for h={h} up to origin {history.origin.date()}, need 200")
        seed = int(np.random.SeedSequence([self._seed, h]).generate_state(1)[0] % (2**31 - 1))
        data = lgb.Dataset(values[idx], label=log_future_variance(logp, h)[idx],
                           params={"verbose": -1, "max_bin": MAX_BIN})
        booster = lgb.train(self._lgb_params(seed, "regression"), data, num_boost_round=int(self.n_trees))
        sigma_fit = np.sqrt(h * np.exp(booster.predict(values[idx], num_threads=1)))
        ret = logp[idx + h] - logp[idx]
        z = (ret - ret.mean()) / sigma_fit
        recent = z if self.z_window is None else z[idx > last - int(self.z_window)]
        self._scale[h], self._zq[h] = booster, np.quantile(recent if recent.size >= 100 else z, LEVELS)
        self._dir[h] = self._fit_direction(X.iloc[idx], h, (ret > 0).astype(int), seed)

    def _stress(self, X: pd.DataFrame) -> np.ndarray:
        return X.reindex(columns=list(STRESS_COLUMNS)).to_numpy(dtype=float)

    def _fit_direction(self, X: pd.DataFrame, h: int, up: np.ndarray, seed: int) -> Any:
        if self.direction == "lgbm":
            params = self._lgb_params(seed, "binary")
            data = lgb.Dataset(X.to_numpy(dtype=float), label=up, params={"verbose": -1, "max_bin": MAX_BIN})
            return lgb.train(params, data, num_boost_round=int(self.n_trees))
        S = self._stress(X)
        ok = np.isfinite(S).all(axis=1)
        mu, sd = S[ok].mean(axis=0), S[ok].std(axis=0)
        sd = np.where(sd > 0, sd, 1.0)
        self._dir_stats[h] = (mu, sd)
        Z = (S[ok] - mu) / sd
        if self.direction == "stress":  # one stress index with the prior signs; only its slope and intercept are fitted
            Z = (Z * STRESS_SIGNS).mean(axis=1, keepdims=True)
        model = LogisticRegression(C=float(self.logit_c), solver="newton-cholesky")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(Z, up[ok])
        if self.direction == "stress" and model.coef_[0, 0] < 0:  # against the prior: no slope, the base rate only
            model.coef_[:] = 0.0
            rate = float(np.clip(up[ok].mean(), 1e-3, 1 - 1e-3))
            model.intercept_[:] = np.log(rate / (1 - rate))
        return model

    def update(self, history: History) -> None:
        """Nothing to update: the predictors are read from the history at predict time."""

    # -- predict --------------------------------------------------------------------------------------

    def _row(self, X: pd.DataFrame) -> pd.DataFrame:
        return X.reindex(columns=self._columns).iloc[[-1]]

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        return self.predict_from(self.predictors(history), history, horizons)

    def predict_from(self, X: pd.DataFrame, history: History, horizons: tuple[int, ...]) -> dict[int, Distribution]:
        """The distributions given the predictor matrix ``X`` (its last row is the origin's)."""
        if self._seed is None:
            raise RuntimeError(f"{self.name}: predict called before fit")
        for h in horizons:
            if h not in self._scale:
                self._fit_horizon(X, history, h)
        row = self._row(X)
        out = {}
        for h in horizons:
            v = float(self._scale[h].predict(row.to_numpy(dtype=float), num_threads=1)[0])
            sigma = np.sqrt(h * np.exp(v))
            past = history.h_returns(h)
            m = float(past.mean()) if past.size else 0.0
            out[h] = Distribution(m, m + sigma * self._zq[h], self._p_up(h, row))
        return out

    def _p_up(self, h: int, row: pd.DataFrame) -> float:
        model = self._dir[h]
        if self.direction == "lgbm":
            return float(model.predict(row.to_numpy(dtype=float), num_threads=1)[0])
        return float(1.0 / (1.0 + np.exp(-sum(self._logit_terms(h, row).values()))))

    def _logit_terms(self, h: int, row: pd.DataFrame) -> dict[str, float]:
        """The direction logit split into additive terms per stress signal and the intercept ``(bias)``
        (a missing signal sits at its training mean, contributing nothing)."""
        model = self._dir[h]
        mu, sd = self._dir_stats[h]
        z = np.nan_to_num((self._stress(row)[0] - mu) / sd)
        coef = model.coef_[0] * STRESS_SIGNS / len(STRESS_COLUMNS) if self.direction == "stress" else model.coef_[0]
        return dict(zip(STRESS_COLUMNS, map(float, coef * z))) | {"(bias)": float(model.intercept_[0])}

    # -- explanations ---------------------------------------------------------------------------------

    def contributions(self, history: History) -> dict[str, dict[int, dict[str, float]]]:
        """Per horizon, each predictor's additive contribution at the origin: to the predicted log
        variance (LightGBM ``pred_contrib``) and to the direction logit; ``(bias)`` is the base value."""
        row = self._row(self.predictors(history))
        scale, direction = {}, {}
        for h, booster in self._scale.items():
            c = booster.predict(row.to_numpy(dtype=float), pred_contrib=True, num_threads=1)[0]
            scale[h] = dict(zip([*self._columns, "(bias)"], map(float, c)))
            model = self._dir[h]
            if self.direction == "lgbm":
                c = model.predict(row.to_numpy(dtype=float), pred_contrib=True, num_threads=1)[0]
                direction[h] = dict(zip([*self._columns, "(bias)"], map(float, c)))
            else:
                direction[h] = self._logit_terms(h, row)
        return {"scale": scale, "direction": direction}
