"""The score table of a backtest and the rules every comparison of models follows, in one place.

* **Common origins**: a horizon is scored on the origins where every model has a forecast and ``y`` is known
  (:func:`common_rows`), and only with at least ``MIN_SCORED`` of them.
* **Stride**: tests that assume independent observations (Kupiec, Christoffersen, Berkowitz) use the
  non-overlapping subsample, every ``stride(h, step)``-th origin; tests on loss differences (Diebold–Mariano,
  Clark–West) use every origin with a HAC variance, and skill intervals a block bootstrap
  (:mod:`r2k.validation.compare`).
* **Verdict**: one judgement of every model against the baseline (:class:`Verdict`), rendered in words by
  whoever shows it (the CLI, the report, the backtest page) with its own names for models and horizons.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.robust import REPS, block_length, hac_lags, p_text
from r2k.models.base import QUANTILE_COLUMNS
from r2k.validation import metrics as M
from r2k.validation.compare import ALPHA, BOOTSTRAP_SEED, LEVEL, Comparison, MCSResult, compare, model_confidence_set

MIN_SCORED = 10  # a horizon is scored only with at least this many origins whose outcome is known
TABLE_COLUMNS = ("model", "horizon", "n", "crps", "crps_skill", "skill_low", "skill_high", "dm_stat", "dm_p", "cov50",
                 "cov80", "cov90", "cov95", "kupiec80_p", "christoffersen90_p", "berkowitz_p", "log_score", "auc", "brier",
                 "oos_r2", "clark_west_p")
AGAINST_COLUMNS = ("model", "horizon", "n", "crps_skill", "skill_low", "skill_high", "dm_stat", "dm_p")


def stride(horizon: int, step: int) -> int:
    """Origins between non-overlapping targets: ceil(h / step)."""
    return max(1, math.ceil(int(horizon) / max(int(step), 1)))


def common_rows(frame: pd.DataFrame, horizon: int, models: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Per model, its rows at ``horizon`` with a known ``y`` on the origins where every model (``models``, default
    every model in the frame) has one, sorted by origin. Empty when fewer than ``MIN_SCORED`` such origins exist."""
    names = list(dict.fromkeys(frame["model"] if models is None else models))
    part = frame[(frame["horizon"] == horizon) & frame["y"].notna() & frame["model"].isin(names)]
    counts = part.groupby("origin")["model"].nunique()
    origins = counts.index[counts == len(names)]
    if len(origins) < MIN_SCORED:
        return {}
    part = part[part["origin"].isin(origins)]
    by = {m: g.sort_values("origin").reset_index(drop=True) for m, g in part.groupby("model", sort=False)}
    return {m: by[m] for m in names}


def origin_step(origins: Iterable[Any]) -> int:
    """The spacing of a backtest's origins in NYSE sessions: the median gap between consecutive distinct origins
    (1 with fewer than two origins). It sets the HAC bandwidth and the bootstrap blocks of a saved frame."""
    from r2k.calendar.trading import session_number

    days = sorted(set(pd.DatetimeIndex(list(origins)).normalize()))
    if len(days) < 2:
        return 1
    return max(1, int(np.median(np.diff([session_number(d) for d in days]))))


def crps_of(rows: pd.DataFrame) -> np.ndarray:
    """Per-forecast CRPS of a frame's rows."""
    return M.crps_quantiles(rows["y"].to_numpy(), rows[list(QUANTILE_COLUMNS)].to_numpy())


def method(horizon: int, step: int, n: int) -> dict[str, Any]:
    """The inference settings of one horizon, as the docs state them (an evaluator can reproduce every number)."""
    return {"test": "Diebold-Mariano, HAC t against Student t(n-1)", "kernel": "bartlett", "lags": hac_lags(n, horizon, step),
            "interval": "stationary block bootstrap of the skill ratio, percentile", "block": min(block_length(horizon, step), n),
            "reps": REPS, "seed": BOOTSTRAP_SEED, "level": LEVEL, "alpha": ALPHA}


# --- the verdict --------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:+.1f}%"


@dataclass(frozen=True)
class Verdict:
    """Every model against ``reference`` per horizon, judged by one rule: better (or worse) when the
    Diebold–Mariano test rejects at ALPHA *and* the block-bootstrap interval of skill excludes 0 on the same side;
    unsettled when only one of them does. ``note`` says why nothing could be compared."""

    reference: str
    comparisons: tuple[Comparison, ...] = ()
    note: str = ""

    def _with(self, outcome: str) -> list[Comparison]:
        return [c for c in self.comparisons if c.outcome == outcome]

    @property
    def better(self) -> list[Comparison]:
        return self._with("better")

    @property
    def worse(self) -> list[Comparison]:
        return self._with("worse")

    @property
    def best(self) -> Comparison | None:
        scored = [c for c in self.comparisons if c.skill == c.skill]
        return max(scored, key=lambda c: c.skill) if scored else None

    def text(self, name: Callable[[str], str] = str, horizon: Callable[[int], str] = lambda h: f"at h={h}") -> str:
        """The verdict in one paragraph; ``name`` and ``horizon`` turn ids and day counts into the caller's words."""
        ref = name(self.reference)
        if self.note:
            return self.note
        if not self.comparisons:
            return f"Only {ref} was scored; there is nothing to compare."
        if self.best is None:
            return f"No skill can be measured against {ref}: every forecast's CRPS is 0 (the series does not move)."

        def item(c: Comparison) -> str:
            return (f"{name(c.model)} {horizon(c.horizon)} (skill {_pct(c.skill)}, 95% interval {_pct(c.low)} to "
                    f"{_pct(c.high)}, {p_text(c.p_value)}, n = {c.n})")

        rule = f"Diebold–Mariano p < {ALPHA:g} and the 95% interval of skill above 0"
        if self.better:
            parts = [f"Better than {ref} on CRPS ({rule}): " + "; ".join(map(item, self.better)) + "."]
        else:
            parts = [f"No model is shown better than {ref} on CRPS ({rule}); the best is {item(self.best)}."]
        if self.worse:
            parts.append(f"Worse than {ref}: " + "; ".join(map(item, self.worse)) + ".")
        if unsettled := self._with("unsettled"):
            parts.append("Not settled (the test and the interval disagree): " + "; ".join(map(item, unsettled)) + ".")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "text": self.text(), "note": self.note,
                "comparisons": [c.to_dict() for c in self.comparisons]}


# --- the score table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    baseline: str
    step: int
    table: pd.DataFrame
    mcs: dict[int, MCSResult]
    verdict: Verdict
    methods: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        cols = ["model", "horizon", "n", "crps", "crps_skill", "skill_low", "skill_high", "cov80", "cov90", "berkowitz_p",
                "auc", "oos_r2", "dm_p"]
        return self.table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}") + "\n" + self.verdict.text()

    def to_dict(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "step": self.step, "table": self.table, "verdict": self.verdict.text(),
                "comparisons": [c.to_dict() for c in self.verdict.comparisons],
                "mcs": {str(h): r for h, r in self.mcs.items()}, "method": {str(h): m for h, m in self.methods.items()},
                "notes": list(self.notes)}


def _at(q: np.ndarray, tau: float) -> np.ndarray:
    """Quantile at level tau in [0.01, 0.99], linear between the two neighbouring stored levels."""
    x = tau * 100 - 1  # column position (q01 is column 0)
    i = min(int(np.floor(x + 1e-9)), 97)
    w = x - i
    return q[:, i] if w < 1e-9 else (1 - w) * q[:, i] + w * q[:, i + 1]


def _interval(q: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central interval (e.g. 95% -> q2.5 .. q97.5)."""
    return _at(q, (1 - level) / 2), _at(q, (1 + level) / 2)


def _calibration(g: pd.DataFrame, every: int) -> dict[str, Any]:
    """Coverage on every origin; Kupiec, Christoffersen and Berkowitz on every ``every``-th (non-overlapping)."""
    y, q = g["y"].to_numpy(), g[list(QUANTILE_COLUMNS)].to_numpy()
    sub = slice(None, None, every)
    row: dict[str, Any] = {}
    for level in (0.5, 0.8, 0.9, 0.95):
        lo, hi = _interval(q, level)
        row[f"cov{int(level * 100)}"] = float(M.coverage(y, lo, hi).mean())
    lo, hi = _interval(q[sub], 0.8)
    row["kupiec80_p"] = M.kupiec(1 - M.coverage(y[sub], lo, hi), 0.2).p_value
    lo, hi = _interval(q[sub], 0.9)
    row["christoffersen90_p"] = M.christoffersen(1 - M.coverage(y[sub], lo, hi), 0.1).p_value
    row["berkowitz_p"] = M.berkowitz(M.pit(y[sub], q[sub])).p_value
    ls = M.log_score(y, q)
    row["log_score"] = float(np.mean(ls)) if np.all(np.isfinite(ls)) else np.nan
    up = y > 0
    row["auc"] = M.auc(g["p_up"].to_numpy(), up)
    row["brier"] = M.brier(g["p_up"].to_numpy(), up)
    return row


def score_backtest(frame: pd.DataFrame, step: int, baseline: str = "climatology", mcs_size: float = 0.10) -> Scores:
    """Score every model and horizon on the folds where every model has a forecast and ``y`` is known."""
    models = list(dict.fromkeys(frame["model"]))
    if baseline not in models:
        raise ValueError(f"the baseline {baseline!r} is not among the backtest's models {models}")
    rows, mcs, comparisons, methods = [], {}, [], {}
    for h in sorted(int(x) for x in frame["horizon"].unique()):
        by = common_rows(frame, h, models)
        if not by:
            continue
        base = by[baseline]
        losses = {m: crps_of(g) for m, g in by.items()}
        bmean = base["mean"].to_numpy()
        methods[h] = method(h, step, len(base))
        for m, g in by.items():
            row: dict[str, Any] = {"model": m, "horizon": h, "n": len(g), "crps": float(losses[m].mean())}
            row |= _calibration(g, stride(h, step))
            if m == baseline:
                row |= {"crps_skill": 0.0, "oos_r2": 0.0}
            else:
                c = compare(losses[m], losses[baseline], horizon=h, step=step, model=m, reference=baseline)
                comparisons.append(c)
                y, mean = g["y"].to_numpy(), g["mean"].to_numpy()
                row |= {"crps_skill": c.skill, "skill_low": c.low, "skill_high": c.high, "dm_stat": c.dm_stat,
                        "dm_p": c.p_value, "oos_r2": M.oos_r2(y, mean, bmean),
                        "clark_west_p": M.clark_west(y, mean, bmean, lags=hac_lags(len(y), h, step)).p_value}
            rows.append(row)
        if len(models) > 1:
            mcs[h] = model_confidence_set(pd.DataFrame(losses), size=mcs_size, block_size=block_length(h, step),
                                          seed=BOOTSTRAP_SEED)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    note = "" if rows else (f"Nothing was scored: no horizon has {MIN_SCORED} origins whose outcome is known for every "
                            "model (start earlier or end later).")
    return Scores(baseline, step, table, mcs, Verdict(baseline, tuple(comparisons), note), methods,
                  ("CRPS skill = 1 - CRPS / CRPS(baseline) with a 95% stationary block-bootstrap interval; Diebold-Mariano "
                   "on per-forecast CRPS, two-sided, HAC (Bartlett) variance; coverage and PIT tests on non-overlapping "
                   "origins",))


def against(frame: pd.DataFrame, reference: str, step: int, models: Iterable[str] | None = None) -> pd.DataFrame:
    """Every model's CRPS against ``reference`` on the origins where ``models`` (default: every model in the frame)
    all have a scored forecast: skill with its interval and the DM (HAC) test, columns AGAINST_COLUMNS."""
    rows = []
    for h in sorted(int(x) for x in frame["horizon"].unique()):
        by = common_rows(frame, h, models)
        if reference not in by:
            continue
        ref = crps_of(by[reference])
        for m, g in by.items():
            if m != reference:
                c = compare(crps_of(g), ref, horizon=h, step=step, model=m, reference=reference)
                rows.append({"model": m, "horizon": h, "n": c.n, "crps_skill": c.skill, "skill_low": c.low,
                             "skill_high": c.high, "dm_stat": c.dm_stat, "dm_p": c.p_value})
    return pd.DataFrame(rows, columns=list(AGAINST_COLUMNS))
