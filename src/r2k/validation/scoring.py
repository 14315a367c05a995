"""The score table of a backtest: every model against the baseline on exactly the same folds.

Scores use every origin whose target is known. Tests that assume independent observations (Kupiec,
Christoffersen, Berkowitz) use the non-overlapping subsample (every ceil(h/step)-th origin); tests
on loss differences (Diebold-Mariano, Clark-West) use all origins with a long-run variance that
allows for the overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2k.models.base import QUANTILE_COLUMNS
from r2k.validation import metrics as M
from r2k.validation.compare import MCSResult, diebold_mariano, model_confidence_set

ALPHA = 0.05
MIN_SCORED = 10  # a horizon is scored only with at least this many origins whose outcome is known
TABLE_COLUMNS = ("model", "horizon", "n", "crps", "crps_skill", "cov50", "cov80", "cov90", "cov95", "kupiec80_p",
                 "christoffersen90_p", "berkowitz_p", "log_score", "auc", "brier", "oos_r2", "clark_west_p", "dm_stat", "dm_p")


@dataclass(frozen=True)
class Scores:
    baseline: str
    step: int
    table: pd.DataFrame
    mcs: dict[int, MCSResult]
    verdict: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        cols = ["model", "horizon", "n", "crps", "crps_skill", "cov80", "cov90", "berkowitz_p", "auc", "oos_r2", "dm_p"]
        return self.table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}") + "\n" + self.verdict

    def to_dict(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "step": self.step, "table": self.table, "verdict": self.verdict,
                "mcs": {str(h): r for h, r in self.mcs.items()}, "notes": list(self.notes)}


def _at(q: np.ndarray, tau: float) -> np.ndarray:
    """Quantile at level tau in [0.01, 0.99], linear between the two neighbouring stored levels."""
    x = tau * 100 - 1  # column position (q01 is column 0)
    i = min(int(np.floor(x + 1e-9)), 97)
    w = x - i
    return q[:, i] if w < 1e-9 else (1 - w) * q[:, i] + w * q[:, i + 1]


def _interval(q: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central interval (e.g. 95% -> q2.5 .. q97.5)."""
    return _at(q, (1 - level) / 2), _at(q, (1 + level) / 2)


def _score(g: pd.DataFrame, base: pd.DataFrame, h: int, stride: int) -> dict[str, Any]:
    y, q = g["y"].to_numpy(), g[list(QUANTILE_COLUMNS)].to_numpy()
    crps = M.crps_quantiles(y, q)
    base_crps = M.crps_quantiles(base["y"].to_numpy(), base[list(QUANTILE_COLUMNS)].to_numpy())
    sub = slice(None, None, stride)
    row: dict[str, Any] = {"n": len(g), "crps": float(crps.mean()), "crps_skill": float(1 - crps.mean() / base_crps.mean())}
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
    bmean = base["mean"].to_numpy()
    row["oos_r2"] = M.oos_r2(y, g["mean"].to_numpy(), bmean)
    row["clark_west_p"] = M.clark_west(y, g["mean"].to_numpy(), bmean, lags=stride - 1).p_value
    dm = diebold_mariano(crps, base_crps, h=stride)
    row["dm_stat"], row["dm_p"] = dm.statistic, dm.p_value
    row["_crps"] = crps
    return row


def score_backtest(frame: pd.DataFrame, step: int, baseline: str = "climatology", mcs_size: float = 0.10, seed: int = 0) -> Scores:
    """Score every model and horizon on the folds where every model has a forecast and ``y`` is known."""
    models = list(dict.fromkeys(frame["model"]))
    if baseline not in models:
        raise ValueError(f"the baseline {baseline!r} is not among the backtest's models {models}")
    rows, mcs = [], {}
    for h in sorted(frame["horizon"].unique()):
        part = frame[(frame["horizon"] == h) & frame["y"].notna()]
        common = part.groupby("origin")["model"].nunique()
        origins = common.index[common == len(models)]
        part = part[part["origin"].isin(origins)].sort_values(["model", "origin"])
        if len(origins) < MIN_SCORED:
            continue
        stride = max(1, math.ceil(int(h) / step))
        by = {m: g.reset_index(drop=True) for m, g in part.groupby("model", sort=False)}
        losses = {}
        for m in models:
            r = _score(by[m], by[baseline], int(h), stride)
            losses[m] = r.pop("_crps")
            if m == baseline:
                r.update(crps_skill=0.0, dm_stat=np.nan, dm_p=np.nan, oos_r2=0.0, clark_west_p=np.nan)
            rows.append({"model": m, "horizon": int(h), **r})
        if len(models) > 1:
            mcs[int(h)] = model_confidence_set(pd.DataFrame(losses), size=mcs_size, block_size=stride, seed=seed)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return Scores(baseline, step, table, mcs, verdict(table, baseline),
                  ("CRPS skill = 1 - CRPS / CRPS(baseline); DM on per-forecast CRPS, two-sided, HLN-corrected; "
                   "coverage and PIT tests on non-overlapping origins",))


def verdict(table: pd.DataFrame, baseline: str) -> str:
    """One plain sentence: does any model beat the baseline on CRPS, and how significantly."""
    if table.empty:
        return (f"Nothing was scored: no horizon has {MIN_SCORED} origins whose outcome is known for every model "
                "(start earlier or end later).")
    others = table[table["model"] != baseline]
    if others.empty:
        return f"Only {baseline} was scored; there is nothing to compare."
    wins = others[(others["crps_skill"] > 0) & (others["dm_p"] < ALPHA)]
    losers = others[(others["crps_skill"] < 0) & (others["dm_p"] < ALPHA)]
    tail = ("; significantly worse: " + ", ".join(f"{r.model} at h={r.horizon}" for r in losers.itertuples())) if len(losers) else ""
    if others["crps_skill"].isna().all():  # a constant series: every CRPS is 0, skill is 0/0
        return f"No skill can be measured against {baseline}: every forecast's CRPS is 0 (the series does not move)."
    if wins.empty:
        best = others.loc[others["crps_skill"].idxmax()]
        return (f"No model beats {baseline} at the 5% level (Diebold-Mariano on CRPS); the best is {best['model']} "
                f"at h={best['horizon']} with CRPS skill {100 * best['crps_skill']:+.1f}% (p = {best['dm_p']:.2g}, n = {best['n']})"
                + tail + ".")
    parts = [f"{r.model} at h={r.horizon} (skill {100 * r.crps_skill:+.1f}%, p = {r.dm_p:.2g}, n = {r.n})" for r in wins.itertuples()]
    return f"Beats {baseline} on CRPS at the 5% level: " + "; ".join(parts) + tail + "."


def against(frame: pd.DataFrame, reference: str, step: int) -> pd.DataFrame:
    """Every model's CRPS against ``reference`` on the same scored origins: skill and a DM (HLN) p-value.

    Columns model, horizon, n, crps_skill (1 - CRPS / CRPS(reference)), dm_stat (negative favours the model),
    dm_p. The reference's own rows are left out.
    """
    rows = []
    for h in sorted(frame["horizon"].unique()):
        part = frame[(frame["horizon"] == h) & frame["y"].notna()]
        common = part.groupby("origin")["model"].nunique()
        part = part[part["origin"].isin(common.index[common == part["model"].nunique()])].sort_values(["model", "origin"])
        if reference not in set(part["model"]) or part["origin"].nunique() < MIN_SCORED:
            continue
        stride = max(1, math.ceil(int(h) / step))
        crps = {m: M.crps_quantiles(g["y"].to_numpy(), g[list(QUANTILE_COLUMNS)].to_numpy()) for m, g in part.groupby("model", sort=False)}
        for m, loss in crps.items():
            if m == reference:
                continue
            dm = diebold_mariano(loss, crps[reference], h=stride)
            rows.append({"model": m, "horizon": int(h), "n": loss.size, "crps_skill": float(1 - loss.mean() / crps[reference].mean()),
                         "dm_stat": dm.statistic, "dm_p": dm.p_value})
    return pd.DataFrame(rows, columns=["model", "horizon", "n", "crps_skill", "dm_stat", "dm_p"])
